import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { DOCUMENT_KINDS, DocumentKind } from '../documents/documents.repository';

const REGION = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;

export class CreateHolidayDto {
  @ApiProperty({ example: '2026-05-15' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date YYYY-MM-DD' })
  date: string;

  @ApiProperty({ enum: ['national', 'regional', 'local'] })
  @IsIn(['national', 'regional', 'local'], { message: 'scope must be national, regional or local' })
  scope: 'national' | 'regional' | 'local';

  @ApiPropertyOptional({ example: 'ES-MD' })
  @IsOptional()
  @Matches(REGION, { message: 'region must be an ISO 3166-2 code such as ES-MD' })
  region?: string;

  @ApiPropertyOptional({ example: 'Madrid' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  locality?: string;
  @ApiProperty({ example: 'San Isidro' }) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: 'BOCM 2025-…' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  source?: string;
}

export class UpdateHolidayDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) source?: string;
}

export class ListHolidaysQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(REGION, { message: 'region must be an ISO 3166-2 code such as ES-MD' })
  region?: string;
  @ApiPropertyOptional() @IsOptional() @IsIn(['national', 'regional', 'local']) scope?:
    'national' | 'regional' | 'local';
}

export class LegalHoldDto {
  @ApiProperty() @IsBoolean() legalHold: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) legalHoldReason?: string;
}

export class RetentionDto {
  @ApiProperty({ enum: DOCUMENT_KINDS }) @IsIn(DOCUMENT_KINDS) kind: DocumentKind;
  @ApiProperty() @IsInt() @Min(1) @Max(36500) days: number;
}
