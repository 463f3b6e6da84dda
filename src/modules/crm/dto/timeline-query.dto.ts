import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class TimelineQueryDto {
  @ApiPropertyOptional({ example: 'purchase,points', description: 'comma-separated kinds' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  @Matches(/^[a-z_]+(,[a-z_]+)*$/, { message: 'kinds must be comma-separated kind names' })
  kinds?: string;

  @ApiPropertyOptional({ description: 'from this instant (inclusive), ISO 8601' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'until this instant (exclusive), ISO 8601' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ description: 'opaque cursor from a previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ enum: ['es', 'en'], description: 'language of `title` (default es)' })
  @IsOptional()
  @IsIn(['es', 'en'])
  lang?: 'es' | 'en';
}
