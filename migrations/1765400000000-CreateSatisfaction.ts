import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Surveys: invitations (the token is stored hashed), responses (one per invitation, or one per
 * follow-up call attempt) and each member's last CSAT and NPS. Responses are indexed for the
 * satisfaction report: by answer time with the grouping columns included, so a period's
 * aggregate reads the index only.
 */
export class CreateSatisfaction1765400000000 implements MigrationInterface {
  name = 'CreateSatisfaction1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE survey_invitations (
        id uuid PRIMARY KEY,
        token_hash bytea NOT NULL,
        kind text NOT NULL,
        member_id uuid REFERENCES members(id),
        contact_id uuid,
        store_id uuid,
        channel text NOT NULL,
        purchase_id uuid,
        task_id uuid,
        agent_id uuid,
        categories text[] NOT NULL DEFAULT '{}',
        locale text NOT NULL DEFAULT 'es',
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        answered_at timestamptz,
        CONSTRAINT survey_invitations_kind_check CHECK (kind IN ('csat','nps')),
        CONSTRAINT survey_invitations_channel_check CHECK (channel IN ('email','sms','phone','web'))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX survey_invitations_token_key ON survey_invitations (token_hash)`,
    );
    // A follow-up task invites once, whichever scheduler instance dispatches it.
    await q.query(
      `CREATE UNIQUE INDEX survey_invitations_task_key ON survey_invitations (task_id) WHERE task_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX survey_invitations_created_idx ON survey_invitations (created_at) INCLUDE (store_id, channel, agent_id)`,
    );
    await q.query(`CREATE INDEX survey_invitations_member_idx ON survey_invitations (member_id)`);
    await q.query(`CREATE INDEX survey_invitations_contact_idx ON survey_invitations (contact_id)`);
    await q.query(`
      CREATE TABLE survey_responses (
        id uuid PRIMARY KEY,
        invitation_id uuid REFERENCES survey_invitations(id),
        attempt_id uuid,
        kind text NOT NULL,
        score smallint NOT NULL,
        comment text,
        channel text NOT NULL,
        store_id uuid,
        agent_id uuid,
        categories text[] NOT NULL DEFAULT '{}',
        purchase_id uuid,
        member_id uuid REFERENCES members(id),
        contact_id uuid,
        answered_at timestamptz NOT NULL,
        escalated boolean NOT NULL DEFAULT false,
        case_id uuid,
        case_registry_number text,
        CONSTRAINT survey_responses_kind_check CHECK (kind IN ('csat','nps')),
        CONSTRAINT survey_responses_score_check CHECK (
          (kind = 'csat' AND score BETWEEN 1 AND 5) OR (kind = 'nps' AND score BETWEEN 0 AND 10)),
        CONSTRAINT survey_responses_channel_check CHECK (channel IN ('email','sms','phone','web'))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX survey_responses_invitation_key ON survey_responses (invitation_id) WHERE invitation_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX survey_responses_attempt_key ON survey_responses (attempt_id) WHERE attempt_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX survey_responses_answered_idx ON survey_responses (answered_at)
         INCLUDE (kind, score, store_id, channel, agent_id)`,
    );
    await q.query(
      `CREATE INDEX survey_responses_store_idx ON survey_responses (store_id, answered_at) INCLUDE (kind, score, channel, agent_id)`,
    );
    await q.query(
      `CREATE INDEX survey_responses_member_idx ON survey_responses (member_id, answered_at DESC)`,
    );
    await q.query(`CREATE INDEX survey_responses_contact_idx ON survey_responses (contact_id)`);
    await q.query(`
      CREATE TABLE member_satisfaction (
        member_id uuid PRIMARY KEY REFERENCES members(id),
        last_csat smallint,
        last_csat_at timestamptz,
        last_nps smallint,
        last_nps_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE member_satisfaction`);
    await q.query(`DROP TABLE survey_responses`);
    await q.query(`DROP TABLE survey_invitations`);
  }
}
