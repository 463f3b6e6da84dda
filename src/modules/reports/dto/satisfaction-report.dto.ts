import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { PageQuery } from '../../../common';

export const GROUP_BY = ['store', 'channel', 'agent', 'category', 'month'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What a report is about: local dates (inclusive), a dimension, optionally one store. */
export class SatisfactionReportQuery {
  @ApiProperty({ example: '2026-03-01', description: 'first day, in the store’s local time' })
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-03-31', description: 'last day (inclusive)' })
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to: string;

  @ApiProperty({ enum: GROUP_BY })
  @IsIn(GROUP_BY)
  groupBy: (typeof GROUP_BY)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  storeId?: string;
}

export class SatisfactionReportRequest extends SatisfactionReportQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'svg'] })
  @IsOptional()
  @IsIn(['json', 'csv', 'svg'])
  format?: 'json' | 'csv' | 'svg';

  @ApiPropertyOptional({ enum: ['es', 'en'], description: 'language of the conclusions' })
  @IsOptional()
  @IsIn(['es', 'en'])
  lang?: 'es' | 'en';
}

export class CreateSnapshotDto {
  @ApiProperty({ type: SatisfactionReportQuery })
  @IsObject()
  @ValidateNested()
  @Type(() => SatisfactionReportQuery)
  query: SatisfactionReportQuery;

  @ApiProperty({ description: 'staff free text about groups; do not name customers' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  proposal: string;

  @ApiPropertyOptional({ enum: ['es', 'en'] })
  @IsOptional()
  @IsIn(['es', 'en'])
  lang?: 'es' | 'en';
}

export class ListSnapshotsQuery extends PageQuery {}
