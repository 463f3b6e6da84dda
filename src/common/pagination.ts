import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { invalid } from './errors';

/** `?limit&cursor` (keyset) or `?page` (offset); every list answers `{ items, nextCursor?, page? }`. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'opaque cursor from a previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
  page?: number;
  limit: number;
}

export const DEFAULT_LIMIT = 50;

export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): (string | number)[] | undefined {
  if (!cursor) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(parsed) ? (parsed as (string | number)[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The values of a keyset cursor from this list (`size` of them, strings or integers), or
 * undefined for the first page. Anything else is a 400 naming `cursor`, never a silent first
 * page or a database error.
 */
export function keysetCursor(
  cursor: string | undefined,
  size: number,
  kinds?: ('string' | 'integer')[],
): (string | number)[] | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const values = decodeCursor(cursor);
  const ok =
    values?.length === size &&
    values.every((v, i) => {
      const kind = kinds?.[i];
      if (kind === 'integer') return /^[0-9]{1,19}$/.test(String(v));
      return typeof v === 'string' || Number.isSafeInteger(v);
    });
  if (!ok) throw invalid('cursor', 'is not a cursor from this list');
  return values;
}

/**
 * One page of a keyset list: the query asked for `limit + 1` rows in the list's order (newest
 * first, the key unique), so one more row than the page means there is a next page, and its
 * cursor is the key of the page's last row. The next query asks for rows strictly after that key
 * in the same order — compare the same columns as `ORDER BY`, by their column type (a key
 * selected as text sorts as text).
 */
export function keysetPage<R, T>(
  rows: R[],
  limit: number,
  key: (row: R) => (string | number)[],
  present: (row: R) => T,
): Page<T> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(present),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null,
    limit,
  };
}
