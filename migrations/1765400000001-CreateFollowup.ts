import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Post-sale follow-up: plans, contacts without a card (and their purchases, no points), tasks
 * (one per plan and purchase: invariant 4) and contact attempts. The scheduler's claim reads a
 * partial index on due time of scheduled tasks only, so future tasks cost nothing to skip.
 */
export class CreateFollowup1765400000001 implements MigrationInterface {
  name = 'CreateFollowup1765400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE followup_plans (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        channel text NOT NULL,
        delay text NOT NULL,
        survey_kind text,
        conditions jsonb NOT NULL DEFAULT '{}',
        max_attempts integer NOT NULL DEFAULT 3,
        retry_delay text NOT NULL DEFAULT 'PT4H',
        quiet_from text,
        quiet_to text,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_by text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT followup_plans_channel_check CHECK (channel IN ('call','email','sms')),
        CONSTRAINT followup_plans_survey_check CHECK (survey_kind IN ('csat','nps')),
        CONSTRAINT followup_plans_attempts_check CHECK (max_attempts BETWEEN 1 AND 20),
        CONSTRAINT followup_plans_quiet_check CHECK ((quiet_from IS NULL) = (quiet_to IS NULL))
      )`);
    await q.query(`
      CREATE TABLE followup_contacts (
        id uuid PRIMARY KEY,
        name text,
        email text,
        phone text,
        locale text NOT NULL DEFAULT 'es',
        store_id uuid,
        followup_consent boolean NOT NULL,
        calls_consent boolean NOT NULL DEFAULT false,
        recorded_by_type text NOT NULL,
        recorded_by_id text,
        member_id uuid REFERENCES members(id),
        created_at timestamptz NOT NULL,
        enrolled_at timestamptz,
        CONSTRAINT followup_contacts_reach_check CHECK (email IS NOT NULL OR phone IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX followup_contacts_member_idx ON followup_contacts (member_id)`);
    await q.query(`
      CREATE TABLE followup_contact_purchases (
        id uuid PRIMARY KEY,
        contact_id uuid NOT NULL REFERENCES followup_contacts(id),
        store_id uuid NOT NULL,
        external_id text,
        currency text NOT NULL,
        total_cents integer NOT NULL,
        categories text[] NOT NULL DEFAULT '{}',
        lines jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL,
        CONSTRAINT followup_contact_purchases_total_check CHECK (total_cents >= 0)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX followup_contact_purchases_external_key
         ON followup_contact_purchases (store_id, external_id) WHERE external_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX followup_contact_purchases_contact_idx ON followup_contact_purchases (contact_id)`,
    );
    await q.query(`
      CREATE TABLE followup_tasks (
        id uuid PRIMARY KEY,
        plan_id uuid NOT NULL REFERENCES followup_plans(id),
        purchase_id uuid NOT NULL,
        member_id uuid REFERENCES members(id),
        contact_id uuid REFERENCES followup_contacts(id),
        store_id uuid NOT NULL,
        channel text NOT NULL,
        survey_kind text,
        status text NOT NULL DEFAULT 'scheduled',
        due_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL,
        claimed_by uuid,
        claim_expires_at timestamptz,
        categories text[] NOT NULL DEFAULT '{}',
        total_cents integer NOT NULL DEFAULT 0,
        invitation_id uuid,
        last_outcome text,
        escalated boolean NOT NULL DEFAULT false,
        case_id uuid,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        closed_at timestamptz,
        CONSTRAINT followup_tasks_once UNIQUE (plan_id, purchase_id),
        CONSTRAINT followup_tasks_who_check CHECK (member_id IS NOT NULL OR contact_id IS NOT NULL),
        CONSTRAINT followup_tasks_status_check CHECK (
          status IN ('scheduled','due','claimed','done','failed','cancelled')),
        CONSTRAINT followup_tasks_channel_check CHECK (channel IN ('call','email','sms'))
      ) WITH (fillfactor = 80)`);
    // The scheduler: scheduled tasks by due time (future ones are never visited).
    await q.query(
      `CREATE INDEX followup_tasks_scheduled_idx ON followup_tasks (due_at) WHERE status = 'scheduled'`,
    );
    // The agents' queue: open call tasks, due first.
    await q.query(
      `CREATE INDEX followup_tasks_queue_idx ON followup_tasks (due_at, id) WHERE status IN ('due','claimed')`,
    );
    await q.query(
      `CREATE INDEX followup_tasks_open_purchase_idx ON followup_tasks (purchase_id)
         WHERE status IN ('scheduled','due','claimed')`,
    );
    await q.query(`CREATE INDEX followup_tasks_member_idx ON followup_tasks (member_id)`);
    await q.query(`CREATE INDEX followup_tasks_contact_idx ON followup_tasks (contact_id)`);
    await q.query(`
      CREATE TABLE contact_attempts (
        id uuid PRIMARY KEY,
        task_id uuid NOT NULL REFERENCES followup_tasks(id),
        member_id uuid REFERENCES members(id),
        contact_id uuid REFERENCES followup_contacts(id),
        agent_id uuid NOT NULL,
        outcome text NOT NULL,
        notes text,
        duration_seconds integer,
        callback_at timestamptz,
        satisfaction_kind text,
        satisfaction_score smallint,
        response_id uuid,
        escalated boolean NOT NULL DEFAULT false,
        case_id uuid,
        goodwill_points integer,
        goodwill_reason text,
        goodwill_entry_id text,
        offer jsonb,
        created_at timestamptz NOT NULL,
        CONSTRAINT contact_attempts_outcome_check CHECK (outcome IN
          ('reached','no_answer','busy','voicemail','wrong_number','callback_requested','refused')),
        CONSTRAINT contact_attempts_duration_check CHECK (duration_seconds >= 0),
        CONSTRAINT contact_attempts_goodwill_check CHECK (goodwill_points > 0)
      )`);
    await q.query(
      `CREATE INDEX contact_attempts_task_idx ON contact_attempts (task_id, created_at)`,
    );
    await q.query(
      `CREATE INDEX contact_attempts_member_idx ON contact_attempts (member_id, created_at DESC)`,
    );
    await q.query(`CREATE INDEX contact_attempts_contact_idx ON contact_attempts (contact_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE contact_attempts`);
    await q.query(`DROP TABLE followup_tasks`);
    await q.query(`DROP TABLE followup_contact_purchases`);
    await q.query(`DROP TABLE followup_contacts`);
    await q.query(`DROP TABLE followup_plans`);
  }
}
