import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  NotEquals,
} from 'class-validator';

export class AdjustPointsDto {
  @ApiProperty({
    example: 100,
    description: 'Signed points: positive credits a new lot, negative takes points back',
  })
  @IsInt()
  @NotEquals(0)
  @Min(-1_000_000)
  @Max(1_000_000)
  points: number;

  @ApiProperty({ example: 'goodwill after complaint REC-2026-000012', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;

  @ApiPropertyOptional({
    enum: ['goodwill', 'correction', 'debt_correction'],
    description:
      'debt_correction: a negative adjustment may take the balance below zero (points given by mistake and spent)',
  })
  @IsOptional()
  @IsIn(['goodwill', 'correction', 'debt_correction'])
  reasonType?: 'goodwill' | 'correction' | 'debt_correction';
}
