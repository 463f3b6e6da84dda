import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../../database';
import { returned } from '../cases.repository';

export type HolidayScope = 'national' | 'regional' | 'local';

export interface HolidayRow {
  id: string;
  date: string;
  scope: HolidayScope;
  region: string | null;
  locality: string | null;
  name: string;
  source: string | null;
  active: boolean;
}

const COLUMNS = `id, to_char(date, 'YYYY-MM-DD') AS date, scope, region, locality, name, source, active`;

@Injectable()
export class HolidaysRepository {
  /** The active holidays that apply to a place: national, its region's, its locality's. */
  async datesFor(
    reader: EntityManager,
    region: string | null,
    locality: string | null,
  ): Promise<string[]> {
    const rows: Array<{ date: string }> = await reader.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date FROM holidays
        WHERE active AND (scope = 'national'
          OR (scope = 'regional' AND region = $1)
          OR (scope = 'local' AND region = $1 AND lower(locality) = lower($2)))`,
      [region, locality],
    );
    return rows.map((r) => r.date);
  }

  list(
    reader: EntityManager,
    f: { year?: number; region?: string; scope?: HolidayScope },
  ): Promise<HolidayRow[]> {
    return reader.query(
      `SELECT ${COLUMNS} FROM holidays
        WHERE ($1::int IS NULL OR extract(year FROM date) = $1)
          AND ($2::text IS NULL OR region = $2 OR scope = 'national')
          AND ($3::text IS NULL OR scope = $3)
        ORDER BY date, scope, region NULLS FIRST, locality NULLS FIRST`,
      [f.year ?? null, f.region ?? null, f.scope ?? null],
    );
  }

  async find(reader: EntityManager, id: string): Promise<HolidayRow | null> {
    const rows: HolidayRow[] = await reader.query(`SELECT ${COLUMNS} FROM holidays WHERE id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  async insert(tx: Tx, h: Omit<HolidayRow, 'id' | 'active'>): Promise<HolidayRow> {
    const rows: HolidayRow[] = await tx.query(
      `INSERT INTO holidays (date, scope, region, locality, name, source)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [h.date, h.scope, h.region, h.locality, h.name, h.source],
    );
    return rows[0];
  }

  async update(
    tx: Tx,
    id: string,
    fields: { name?: string; active?: boolean; source?: string | null },
  ): Promise<HolidayRow | null> {
    const result: unknown = await tx.query(
      `UPDATE holidays SET name = coalesce($2, name), active = coalesce($3, active),
              source = CASE WHEN $4::boolean THEN $5 ELSE source END, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, fields.name ?? null, fields.active ?? null, 'source' in fields, fields.source ?? null],
    );
    return returned<HolidayRow>(result)[0] ?? null;
  }

  async delete(tx: Tx, id: string): Promise<HolidayRow | null> {
    const result: unknown = await tx.query(
      `DELETE FROM holidays WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    return returned<HolidayRow>(result)[0] ?? null;
  }
}
