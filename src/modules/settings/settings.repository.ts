import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../database';

export interface CategoryRow {
  id: string;
  code: string;
  nameEs: string;
  nameEn: string;
  active: boolean;
}

const CATEGORY_COLUMNS = `id, code, name_es AS "nameEs", name_en AS "nameEn", active`;

/** SQL of the settings and product categories tables. */
@Injectable()
export class SettingsRepository {
  async readAll(reader: EntityManager): Promise<Record<string, unknown>> {
    const rows: { key: string; value: unknown }[] = await reader.query(
      `SELECT key, value FROM programme_settings`,
    );
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  async write(tx: Tx, key: string, value: unknown, actor: string): Promise<void> {
    await tx.query(
      `INSERT INTO programme_settings (key, value, updated_at, updated_by)
       VALUES ($1, $2::jsonb, now(), $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(),
         updated_by = EXCLUDED.updated_by`,
      [key, JSON.stringify(value), actor],
    );
  }

  listCategories(reader: EntityManager, includeInactive: boolean): Promise<CategoryRow[]> {
    return reader.query(
      `SELECT ${CATEGORY_COLUMNS} FROM product_categories
        WHERE $1 OR active ORDER BY code`,
      [includeInactive],
    );
  }

  async insertCategory(
    tx: Tx,
    row: { code: string; nameEs: string; nameEn: string },
  ): Promise<CategoryRow> {
    const [created]: CategoryRow[] = await tx.query(
      `INSERT INTO product_categories (code, name_es, name_en) VALUES ($1, $2, $3)
       RETURNING ${CATEGORY_COLUMNS}`,
      [row.code, row.nameEs, row.nameEn],
    );
    return created;
  }

  async updateCategory(
    tx: Tx,
    id: string,
    patch: { nameEs?: string; nameEn?: string; active?: boolean },
  ): Promise<CategoryRow | undefined> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows]: [CategoryRow[], number] = await tx.query(
      `UPDATE product_categories
          SET name_es = coalesce($2, name_es), name_en = coalesce($3, name_en),
              active = coalesce($4, active)
        WHERE id = $1 RETURNING ${CATEGORY_COLUMNS}`,
      [id, patch.nameEs ?? null, patch.nameEn ?? null, patch.active ?? null],
    );
    return rows[0];
  }
}
