import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { COMPLAINT_DEADLINES, ComplaintDeadline, SETTING_LIMITS } from '../programme-settings';

export class UpdateSettingsDto {
  @ApiPropertyOptional({ example: 1, description: 'What one point is worth when spent, in cents' })
  @IsOptional()
  @IsInt()
  @Min(SETTING_LIMITS.pointValueCents.min)
  @Max(SETTING_LIMITS.pointValueCents.max)
  pointValueCents?: number;

  @ApiPropertyOptional({ example: 24, description: 'Months until points expire (0: never)' })
  @IsOptional()
  @IsInt()
  @Min(SETTING_LIMITS.pointsExpiryMonths.min)
  @Max(SETTING_LIMITS.pointsExpiryMonths.max)
  pointsExpiryMonths?: number;

  @ApiPropertyOptional({ enum: COMPLAINT_DEADLINES })
  @IsOptional()
  @IsIn(COMPLAINT_DEADLINES)
  complaintDeadline?: ComplaintDeadline;
}

export class CreateCategoryDto {
  @ApiProperty({ example: 'coffee', description: 'lower-case letters, digits, - and _ (max 40)' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,39}$/, {
    message: 'code: lower-case letters, digits, - and _ (max 40)',
  })
  code: string;

  @ApiProperty({ example: 'Café' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  nameEs: string;

  @ApiProperty({ example: 'Coffee' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  nameEn: string;
}

export class UpdateCategoryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  nameEs?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  nameEn?: string;

  @ApiPropertyOptional({ description: 'false hides it from new promotions and the till' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ListCategoriesQuery {
  @ApiPropertyOptional({ description: 'true lists inactive categories too' })
  @IsOptional()
  @IsIn(['true', 'false'])
  all?: 'true' | 'false';
}
