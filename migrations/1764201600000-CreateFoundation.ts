import { MigrationInterface, QueryRunner } from 'typeorm';

/** Stores, staff and their credentials, members with consents and cards, outbox, audit log. */
export class CreateFoundation1764201600000 implements MigrationInterface {
  name = 'CreateFoundation1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE stores (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL,
        name text NOT NULL,
        time_zone text NOT NULL DEFAULT 'Europe/Madrid',
        address text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT stores_code_key UNIQUE (code)
      )`);
    await q.query(`
      CREATE TABLE staff_users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL,
        store_id uuid REFERENCES stores(id),
        active boolean NOT NULL DEFAULT true,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT staff_users_roles_check CHECK (
          cardinality(roles) > 0
          AND roles <@ ARRAY['admin','marketing','cashier','agent','supervisor']::text[])
      )`);
    await q.query(`CREATE UNIQUE INDEX staff_users_email_key ON staff_users (lower(email))`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL,
        store_id uuid NOT NULL REFERENCES stores(id),
        created_by uuid REFERENCES staff_users(id),
        last_used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT api_keys_key_hash_key UNIQUE (key_hash)
      )`);
    await q.query(`
      CREATE TABLE members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        first_name text,
        last_name text,
        email text,
        phone text,
        birth_date date,
        locale text NOT NULL DEFAULT 'es',
        tier text,
        status text NOT NULL DEFAULT 'active',
        enrolment_channel text NOT NULL,
        enrolment_store_id uuid REFERENCES stores(id),
        guardian_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz,
        CONSTRAINT members_locale_check CHECK (locale IN ('es','en')),
        CONSTRAINT members_status_check CHECK (status IN ('active','erased')),
        CONSTRAINT members_channel_check CHECK (enrolment_channel IN ('till','web','phone','import'))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX members_email_key ON members (lower(email)) WHERE email IS NOT NULL`,
    );
    await q.query(`CREATE INDEX members_phone_idx ON members (phone) WHERE phone IS NOT NULL`);
    await q.query(`
      CREATE TABLE consents (
        id bigserial PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES members(id),
        purpose text NOT NULL,
        granted boolean NOT NULL,
        channel text NOT NULL,
        text_version text NOT NULL,
        recorded_by_type text NOT NULL,
        recorded_by_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT consents_purpose_check CHECK (
          purpose IN ('terms','followup','marketing_email','marketing_sms','calls','profiling'))
      )`);
    await q.query(
      `CREATE INDEX consents_member_purpose_idx ON consents (member_id, purpose, id DESC)`,
    );
    await q.query(`
      CREATE TABLE cards (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id uuid NOT NULL REFERENCES members(id),
        number text NOT NULL,
        status text NOT NULL DEFAULT 'active',
        version integer NOT NULL DEFAULT 1,
        secret bytea NOT NULL,
        pass_serial uuid NOT NULL DEFAULT gen_random_uuid(),
        pass_auth_token text NOT NULL,
        pass_updated_at timestamptz NOT NULL DEFAULT now(),
        replaced_by_id uuid REFERENCES cards(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        blocked_at timestamptz,
        CONSTRAINT cards_number_key UNIQUE (number),
        CONSTRAINT cards_pass_serial_key UNIQUE (pass_serial),
        CONSTRAINT cards_number_check CHECK (number ~ '^[0-9]{16}$'),
        CONSTRAINT cards_status_check CHECK (status IN ('active','blocked','replaced'))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX cards_one_active_per_member ON cards (member_id) WHERE status = 'active'`,
    );
    await q.query(`
      CREATE TABLE member_login_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id uuid NOT NULL REFERENCES members(id),
        code_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        consumed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX member_login_codes_member_idx ON member_login_codes (member_id, created_at DESC)`,
    );
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        channel text NOT NULL,
        recipient text NOT NULL,
        template text NOT NULL,
        locale text NOT NULL DEFAULT 'es',
        payload jsonb NOT NULL DEFAULT '{}',
        member_id uuid REFERENCES members(id),
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CONSTRAINT outbox_channel_check CHECK (channel IN ('email','sms','push','webhook')),
        CONSTRAINT outbox_status_check CHECK (status IN ('pending','sending','sent','failed','cancelled'))
      )`);
    await q.query(
      `CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_type text NOT NULL,
        actor_id text,
        action text NOT NULL,
        entity text NOT NULL,
        entity_id text,
        member_id uuid,
        ip text,
        request_id text,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(
      `CREATE INDEX audit_log_member_idx ON audit_log (member_id, at) WHERE member_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_log',
      'outbox',
      'member_login_codes',
      'cards',
      'consents',
      'members',
      'api_keys',
      'staff_users',
      'stores',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
