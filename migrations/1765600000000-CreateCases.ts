import { MigrationInterface, QueryRunner } from 'typeorm';

/** Spain's national holidays (BOE). 2027 is computed from the rules: no resolution was published yet. */
const NATIONAL_HOLIDAYS: Array<[string, string, string]> = [
  ['2026-01-01', 'Año Nuevo', 'BOE-A-2025-21667'],
  ['2026-01-06', 'Epifanía del Señor', 'BOE-A-2025-21667'],
  ['2026-04-03', 'Viernes Santo', 'BOE-A-2025-21667'],
  ['2026-05-01', 'Fiesta del Trabajo', 'BOE-A-2025-21667'],
  ['2026-08-15', 'Asunción de la Virgen', 'BOE-A-2025-21667'],
  ['2026-10-12', 'Fiesta Nacional de España', 'BOE-A-2025-21667'],
  ['2026-11-01', 'Todos los Santos', 'BOE-A-2025-21667'],
  ['2026-12-08', 'Inmaculada Concepción', 'BOE-A-2025-21667'],
  ['2026-12-25', 'Natividad del Señor', 'BOE-A-2025-21667'],
  ['2027-01-01', 'Año Nuevo', 'computed, unconfirmed'],
  ['2027-01-06', 'Epifanía del Señor', 'computed, unconfirmed'],
  ['2027-03-26', 'Viernes Santo', 'computed, unconfirmed'],
  ['2027-05-01', 'Fiesta del Trabajo', 'computed, unconfirmed'],
  ['2027-08-15', 'Asunción de la Virgen', 'computed, unconfirmed'],
  ['2027-10-12', 'Fiesta Nacional de España', 'computed, unconfirmed'],
  ['2027-11-01', 'Todos los Santos', 'computed, unconfirmed'],
  ['2027-12-06', 'Día de la Constitución', 'computed, unconfirmed'],
  ['2027-12-08', 'Inmaculada Concepción', 'computed, unconfirmed'],
  ['2027-12-25', 'Natividad del Señor', 'computed, unconfirmed'],
];

/** Jueves Santo is a holiday in every community except Cataluña and Valencia (BOE-A-2025-21667). */
const JUEVES_SANTO_REGIONS = [
  'ES-AN',
  'ES-AR',
  'ES-AS',
  'ES-CB',
  'ES-CE',
  'ES-CL',
  'ES-CM',
  'ES-CN',
  'ES-EX',
  'ES-GA',
  'ES-IB',
  'ES-MC',
  'ES-MD',
  'ES-ML',
  'ES-NC',
  'ES-PV',
  'ES-RI',
];
const JUEVES_SANTO = [
  ['2026-04-02', 'BOE-A-2025-21667'],
  ['2027-03-25', 'computed, unconfirmed'],
];

/**
 * Cases (queries, incidents, complaints, suggestions) with registry numbers, their history and
 * SLA pauses; the holiday calendar and SLA policies their deadlines use; documents on file with
 * their versions and retention per kind.
 */
export class CreateCases1765600000000 implements MigrationInterface {
  name = 'CreateCases1765600000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per series and year, bumped in the creating transaction (no gaps from rollbacks).
    await q.query(`
      CREATE TABLE registry_counters (
        series text NOT NULL,
        year integer NOT NULL,
        value integer NOT NULL,
        PRIMARY KEY (series, year)
      )`);
    await q.query(`
      CREATE TABLE holidays (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        date date NOT NULL,
        scope text NOT NULL,
        region text NULL,
        locality text NULL,
        name text NOT NULL,
        source text NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT holidays_scope_check CHECK (
          (scope = 'national' AND region IS NULL AND locality IS NULL)
          OR (scope = 'regional' AND region IS NOT NULL AND locality IS NULL)
          OR (scope = 'local' AND region IS NOT NULL AND locality IS NOT NULL)),
        CONSTRAINT holidays_region_check CHECK (region ~ '^[A-Z]{2}-[A-Z0-9]{1,3}$')
      )`);
    await q.query(`
      CREATE UNIQUE INDEX holidays_day_key
        ON holidays (date, scope, coalesce(region, ''), lower(coalesce(locality, '')))`);
    for (const [date, name, source] of NATIONAL_HOLIDAYS) {
      await q.query(
        `INSERT INTO holidays (date, scope, name, source) VALUES ($1, 'national', $2, $3)`,
        [date, name, source],
      );
    }
    for (const [date, source] of JUEVES_SANTO) {
      for (const region of JUEVES_SANTO_REGIONS) {
        await q.query(
          `INSERT INTO holidays (date, scope, region, name, source)
           VALUES ($1, 'regional', $2, 'Jueves Santo', $3)`,
          [date, region, source],
        );
      }
    }
    await q.query(`
      CREATE TABLE sla_policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL,
        category text NULL,
        amount integer NOT NULL,
        unit text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sla_policies_kind_check CHECK (kind IN ('query','incident','complaint','suggestion')),
        CONSTRAINT sla_policies_unit_check CHECK (unit IN ('cd','wd','m')),
        CONSTRAINT sla_policies_amount_check CHECK (amount BETWEEN 1 AND 365)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX sla_policies_key ON sla_policies (kind, coalesce(category, ''))`,
    );
    // Complaints have no default row: they follow the legal deadline setting (COMPLAINT_DEADLINE).
    await q.query(`
      INSERT INTO sla_policies (kind, amount, unit)
      VALUES ('query', 5, 'wd'), ('incident', 3, 'wd'), ('suggestion', 30, 'cd')`);

    await q.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        registry_number text NOT NULL,
        kind text NOT NULL,
        channel text NOT NULL,
        category text NULL,
        department text NULL,
        status text NOT NULL DEFAULT 'open',
        member_id uuid NULL REFERENCES members(id),
        contact_name text NULL,
        contact_email text NULL,
        contact_phone text NULL,
        locale text NOT NULL DEFAULT 'es',
        store_id uuid NULL REFERENCES stores(id),
        purchase_id uuid NULL,
        assignee_id uuid NULL,
        subject text NOT NULL,
        description text NOT NULL,
        resolution text NULL,
        customer_confirmed boolean NULL,
        source_type text NULL,
        source_id text NULL,
        satisfaction jsonb NULL,
        receipt_token_hash text NULL,
        sla_amount integer NOT NULL,
        sla_unit text NOT NULL,
        sla_started_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        escalate_at timestamptz NOT NULL,
        deadline_candidates jsonb NULL,
        escalation_level smallint NOT NULL DEFAULT 0,
        breached_at timestamptz NULL,
        resolved_at timestamptz NULL,
        closed_at timestamptz NULL,
        created_by_type text NOT NULL,
        created_by_id text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT cases_registry_number_key UNIQUE (registry_number),
        CONSTRAINT cases_kind_check CHECK (kind IN ('query','incident','complaint','suggestion')),
        CONSTRAINT cases_channel_check CHECK (
          channel IN ('phone','email','sms','web','chat','social','in_person','till')),
        CONSTRAINT cases_status_check CHECK (
          status IN ('open','in_progress','waiting','escalated','resolved','closed')),
        CONSTRAINT cases_unit_check CHECK (sla_unit IN ('cd','wd','m')),
        CONSTRAINT cases_level_check CHECK (escalation_level BETWEEN 0 AND 2),
        CONSTRAINT cases_party_check CHECK (
          member_id IS NOT NULL OR contact_email IS NOT NULL OR contact_phone IS NOT NULL
          OR contact_name IS NOT NULL OR status IN ('resolved','closed'))
      )`);
    // The desk's queues and the scheduler's tick read only cases whose clock runs.
    await q.query(`
      CREATE INDEX cases_running_due_idx ON cases (due_at)
        WHERE status IN ('open','in_progress','escalated')`);
    await q.query(`
      CREATE INDEX cases_to_warn_idx ON cases (escalate_at)
        WHERE escalation_level = 0 AND status IN ('open','in_progress','escalated')`);
    await q.query(`
      CREATE INDEX cases_to_breach_idx ON cases (due_at)
        WHERE escalation_level < 2 AND status IN ('open','in_progress','escalated')`);
    await q.query(`CREATE INDEX cases_member_idx ON cases (member_id, created_at DESC)`);
    await q.query(`CREATE INDEX cases_status_idx ON cases (status, created_at DESC)`);
    await q.query(`CREATE INDEX cases_source_idx ON cases (source_type, source_id)`);
    await q.query(`
      CREATE INDEX cases_text_search_idx ON cases
        USING gin (fidelia_search_text(subject || ' ' || description) gin_trgm_ops)`);

    await q.query(`
      CREATE TABLE case_events (
        id bigserial PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        type text NOT NULL,
        visibility text NOT NULL DEFAULT 'internal',
        actor_type text NOT NULL,
        actor_id text NULL,
        text text NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        at timestamptz NOT NULL,
        CONSTRAINT case_events_visibility_check CHECK (visibility IN ('internal','customer'))
      )`);
    await q.query(`CREATE INDEX case_events_case_idx ON case_events (case_id, id)`);
    await q.query(`
      CREATE TABLE case_pauses (
        id bigserial PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        started_at timestamptz NOT NULL,
        ended_at timestamptz NULL,
        reason text NOT NULL,
        CONSTRAINT case_pauses_order_check CHECK (ended_at IS NULL OR ended_at >= started_at)
      )`);
    await q.query(`CREATE INDEX case_pauses_case_idx ON case_pauses (case_id, started_at)`);
    await q.query(
      `CREATE UNIQUE INDEX case_pauses_open_key ON case_pauses (case_id) WHERE ended_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE document_retention (
        kind text PRIMARY KEY,
        days integer NOT NULL CHECK (days BETWEEN 1 AND 36500)
      )`);
    // Invoices: 6 years (Código de Comercio art. 30); complaint forms: 5 years (Ley 10/2025,
    // unconfirmed); the rest as short as serves the case.
    await q.query(`
      INSERT INTO document_retention (kind, days) VALUES
        ('invoice', 2190), ('warranty', 1095), ('id', 90), ('complaint_form', 1825),
        ('photo', 730), ('other', 365)`);
    await q.query(`
      CREATE TABLE documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        registry_number text NOT NULL,
        kind text NOT NULL REFERENCES document_retention(kind),
        case_id uuid NULL REFERENCES cases(id),
        member_id uuid NULL REFERENCES members(id),
        current_version integer NOT NULL DEFAULT 1,
        status text NOT NULL DEFAULT 'active',
        legal_hold boolean NOT NULL DEFAULT false,
        legal_hold_reason text NULL,
        retain_until timestamptz NOT NULL,
        deleted_at timestamptz NULL,
        deleted_reason text NULL,
        created_by_type text NOT NULL,
        created_by_id text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT documents_registry_number_key UNIQUE (registry_number),
        CONSTRAINT documents_status_check CHECK (status IN ('active','deleted')),
        CONSTRAINT documents_owner_check CHECK (case_id IS NOT NULL OR member_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX documents_case_idx ON documents (case_id)`);
    await q.query(`CREATE INDEX documents_member_idx ON documents (member_id)`);
    await q.query(`
      CREATE INDEX documents_retention_idx ON documents (retain_until)
        WHERE status = 'active' AND NOT legal_hold`);
    await q.query(`
      CREATE TABLE document_versions (
        id bigserial PRIMARY KEY,
        document_id uuid NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        version integer NOT NULL,
        sha256 text NOT NULL,
        size_bytes integer NOT NULL,
        content_type text NOT NULL,
        file_name text NULL,
        storage_key text NULL,
        purged_at timestamptz NULL,
        created_by_type text NOT NULL,
        created_by_id text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT document_versions_key UNIQUE (document_id, version)
      )`);
    await q.query(
      `CREATE INDEX document_versions_purge_idx ON document_versions (document_id)
         WHERE storage_key IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE document_versions`);
    await q.query(`DROP TABLE documents`);
    await q.query(`DROP TABLE document_retention`);
    await q.query(`DROP TABLE case_pauses`);
    await q.query(`DROP TABLE case_events`);
    await q.query(`DROP TABLE cases`);
    await q.query(`DROP TABLE sla_policies`);
    await q.query(`DROP TABLE holidays`);
    await q.query(`DROP TABLE registry_counters`);
  }
}
