import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Departments: the queues cases are filed to (`cases.department` holds the code). Company-wide,
 * not per store: a store's cases are already found by `store_id`, and one department
 * (after-sales, the online shop) usually serves every store. A staff user may belong to one
 * (their default queue); kept here rather than on staff_users so the auth module stays as is.
 */
export class CreateDepartments1766400000000 implements MigrationInterface {
  name = 'CreateDepartments1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE departments (
        code text PRIMARY KEY,
        name_es text NOT NULL,
        name_en text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT departments_code_check CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,39}$' AND code <> 'mine')
      )`);
    await q.query(`
      INSERT INTO departments (code, name_es, name_en) VALUES
        ('customer_care', 'Atención al cliente', 'Customer care'),
        ('after_sales', 'Postventa y garantías', 'After-sales and warranties'),
        ('online_store', 'Tienda online', 'Online store'),
        ('billing', 'Facturación y cobros', 'Billing and payments'),
        ('loyalty', 'Programa de fidelización', 'Loyalty programme')`);
    // Cases filed before departments existed keep their text; unknown codes become departments
    // (inactive) so every case's department is a row and the foreign key holds.
    await q.query(`
      INSERT INTO departments (code, name_es, name_en, active)
      SELECT DISTINCT department, department, department, false FROM cases
       WHERE department IS NOT NULL
         AND department ~ '^[a-z0-9][a-z0-9_-]{0,39}$' AND department <> 'mine'
      ON CONFLICT (code) DO NOTHING`);
    await q.query(`
      UPDATE cases SET department = NULL
       WHERE department IS NOT NULL AND NOT EXISTS (SELECT 1 FROM departments d WHERE d.code = department)`);
    await q.query(`
      ALTER TABLE cases ADD CONSTRAINT cases_department_fkey
        FOREIGN KEY (department) REFERENCES departments(code) ON UPDATE CASCADE`);
    // Each department's queue, newest first (the list's order without a due filter).
    await q.query(`
      CREATE INDEX cases_department_created_idx ON cases (department, created_at DESC, id DESC)
       WHERE department IS NOT NULL`);
    await q.query(`
      CREATE TABLE staff_departments (
        staff_id uuid PRIMARY KEY REFERENCES staff_users(id) ON DELETE CASCADE,
        department text NOT NULL REFERENCES departments(code) ON UPDATE CASCADE,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX staff_departments_department_idx ON staff_departments (department)`,
    );
    // Escalation notices: one row per case and level, the unique key the last guard against a
    // second notice (the tick's row lock is the first).
    await q.query(`
      CREATE TABLE case_notifications (
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        level smallint NOT NULL CHECK (level IN (1, 2)),
        recipients integer NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (case_id, level)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_notifications`);
    await q.query(`DROP TABLE staff_departments`);
    await q.query(`DROP INDEX cases_department_created_idx`);
    await q.query(`ALTER TABLE cases DROP CONSTRAINT cases_department_fkey`);
    await q.query(`DROP TABLE departments`);
  }
}
