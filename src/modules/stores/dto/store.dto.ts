import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  Validate,
} from 'class-validator';
import { IsTimeZone } from '../time-zone.validator';

export class CreateStoreDto {
  @ApiProperty({ example: 'MAD-01' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, {
    message: 'code: letters, digits, - and _ (max 32)',
  })
  code: string;

  @ApiProperty({ example: 'Madrid Centro' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiPropertyOptional({ example: 'Europe/Madrid' })
  @IsOptional()
  @IsString()
  @Validate(IsTimeZone)
  timeZone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string;

  @ApiPropertyOptional({ example: 'ES-MD', description: 'ISO 3166-2 region (regional holidays)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, { message: 'region: an ISO 3166-2 code such as ES-MD' })
  region?: string;

  @ApiPropertyOptional({ example: 'Madrid', description: 'Municipality (local holidays)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  locality?: string;
}

export class UpdateStoreDto extends PartialType(CreateStoreDto) {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
