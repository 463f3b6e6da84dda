import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export class CreateTierDto {
  @ApiProperty({ example: 'Oro' })
  @IsString()
  @Matches(/^[\p{L}0-9_-]{1,30}$/u, { message: 'letters, digits, - and _ (max 30)' })
  code: string;

  @ApiProperty({ example: 'Oro' })
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  nameEs: string;

  @ApiProperty({ example: 'Gold' })
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  nameEn: string;

  @ApiProperty({ example: 2000, description: 'points earned in the last 365 days' })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  thresholdPoints: number;

  @ApiPropertyOptional({ example: 150, description: 'base points × percent / 100' })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(1000)
  multiplierPercent?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  benefitsEs?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  benefitsEn?: string;
}

export class UpdateTierDto extends PartialType(CreateTierDto) {}
