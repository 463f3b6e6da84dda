import { MigrationInterface, QueryRunner } from 'typeorm';

/** Marketing tags on members (the `member_tag` promotion condition; needs profiling consent). */
export class CreateMemberTags1764630000000 implements MigrationInterface {
  name = 'CreateMemberTags1764630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE member_tags (
        member_id uuid NOT NULL,
        tag text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (member_id, tag)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS member_tags`);
  }
}
