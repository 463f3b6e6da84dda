import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../../common';

/** `?q=` matches names, email, phone (digits) and card number (prefix); keyset-paginated. */
export class SearchMembersQuery extends OmitType(PageQuery, ['page'] as const) {
  @ApiPropertyOptional({ example: 'garcía', description: 'name, email, phone or card number' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;
}

export class CursorQuery extends OmitType(PageQuery, ['page'] as const) {}
