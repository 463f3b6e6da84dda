import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../../../database';
import { returned } from '../cases.repository';

export interface DepartmentRow {
  code: string;
  name_es: string;
  name_en: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

/** SQL for departments (the case queues) and which department a staff user works in. */
@Injectable()
export class DepartmentsRepository {
  list(reader: EntityManager, all: boolean): Promise<DepartmentRow[]> {
    return reader.query(`SELECT * FROM departments ${all ? '' : 'WHERE active'} ORDER BY code`);
  }

  async find(reader: EntityManager, code: string): Promise<DepartmentRow | null> {
    const rows: DepartmentRow[] = await reader.query(`SELECT * FROM departments WHERE code = $1`, [
      code,
    ]);
    return rows[0] ?? null;
  }

  /** Inserts; null when the code is taken. */
  async insert(
    tx: Tx,
    d: { code: string; nameEs: string; nameEn: string; active: boolean },
    now: Date,
  ): Promise<DepartmentRow | null> {
    const rows: DepartmentRow[] = await tx.query(
      `INSERT INTO departments (code, name_es, name_en, active, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (code) DO NOTHING RETURNING *`,
      [d.code, d.nameEs, d.nameEn, d.active, now],
    );
    return rows[0] ?? null;
  }

  async update(
    tx: Tx,
    code: string,
    d: { nameEs?: string; nameEn?: string; active?: boolean },
    now: Date,
  ): Promise<DepartmentRow | null> {
    const result: unknown = await tx.query(
      `UPDATE departments SET name_es = coalesce($2, name_es), name_en = coalesce($3, name_en),
              active = coalesce($4, active), updated_at = $5
        WHERE code = $1 RETURNING *`,
      [code, d.nameEs ?? null, d.nameEn ?? null, d.active ?? null, now],
    );
    return returned<DepartmentRow>(result)[0] ?? null;
  }

  /** How many cases and staff point at a department (a used one is deactivated, not deleted). */
  async usage(reader: EntityManager, code: string): Promise<{ cases: number; staff: number }> {
    const rows: Array<{ cases: number; staff: number }> = await reader.query(
      `SELECT (SELECT count(*)::int FROM cases WHERE department = $1) AS cases,
              (SELECT count(*)::int FROM staff_departments WHERE department = $1) AS staff`,
      [code],
    );
    return rows[0];
  }

  async remove(tx: Tx, code: string): Promise<boolean> {
    const result: unknown = await tx.query(
      `DELETE FROM departments WHERE code = $1 RETURNING code`,
      [code],
    );
    return returned(result).length > 0;
  }

  async staffDepartment(reader: EntityManager, staffId: string): Promise<string | null> {
    const rows: Array<{ department: string }> = await reader.query(
      `SELECT department FROM staff_departments WHERE staff_id = $1`,
      [staffId],
    );
    return rows[0]?.department ?? null;
  }

  async setStaffDepartment(tx: Tx, staffId: string, code: string | null, now: Date) {
    if (code === null) {
      await tx.query(`DELETE FROM staff_departments WHERE staff_id = $1`, [staffId]);
      return;
    }
    await tx.query(
      `INSERT INTO staff_departments (staff_id, department, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (staff_id) DO UPDATE SET department = EXCLUDED.department,
                                            updated_at = EXCLUDED.updated_at`,
      [staffId, code, now],
    );
  }

  /** A staff user's store (null: all stores), or undefined when there is no such user. */
  async staffStore(reader: EntityManager, staffId: string): Promise<string | null | undefined> {
    const rows: Array<{ store_id: string | null }> = await reader.query(
      `SELECT store_id FROM staff_users WHERE id = $1`,
      [staffId],
    );
    return rows.length ? rows[0].store_id : undefined;
  }
}
