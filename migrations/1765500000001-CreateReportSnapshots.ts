import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Improvement proposals, each saved with a snapshot of the report it answers. About groups
 * (stores, channels, agents), not members: no member id, kept out of member export/erasure.
 */
export class CreateReportSnapshots1765500000001 implements MigrationInterface {
  name = 'CreateReportSnapshots1765500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_snapshots (
        id uuid PRIMARY KEY,
        kind text NOT NULL DEFAULT 'satisfaction',
        store_id uuid,
        query jsonb NOT NULL,
        report jsonb NOT NULL,
        proposal text NOT NULL,
        created_by_type text NOT NULL,
        created_by_id text,
        created_at timestamptz NOT NULL,
        CONSTRAINT report_snapshots_kind_check CHECK (kind IN ('satisfaction')),
        CONSTRAINT report_snapshots_proposal_check CHECK (length(proposal) BETWEEN 1 AND 4000)
      )`);
    await q.query(
      `CREATE INDEX report_snapshots_created_idx ON report_snapshots (created_at DESC, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE report_snapshots`);
  }
}
