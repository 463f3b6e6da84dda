import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Points ledger (accounts, append-only entries, lots and their movements), idempotency keys,
 * purchases with their lines and returns.
 *
 * Invariant 1 in the schema's terms, for every member:
 *   point_accounts.balance = Σ ledger_entries.points          = Σ point_lots.remaining (released)
 *   point_accounts.pending = Σ ledger_entries.pending_points  = Σ point_lots.remaining (not released)
 * The balance may be negative (a return takes back points already spent): that debt is the one
 * `debt` lot's negative remaining. Redemptions are guarded three times: the account row is locked
 * FOR UPDATE, the debit is `UPDATE … WHERE balance >= n`, and the CHECK on ledger_entries refuses
 * a redeem entry whose balance_after is negative.
 */
export class CreateLedger1764500000000 implements MigrationInterface {
  name = 'CreateLedger1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE point_accounts (
        member_id uuid PRIMARY KEY REFERENCES members(id),
        balance integer NOT NULL DEFAULT 0,
        pending integer NOT NULL DEFAULT 0,
        lifetime_earned integer NOT NULL DEFAULT 0,
        version bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT point_accounts_pending_check CHECK (pending >= 0),
        CONSTRAINT point_accounts_lifetime_check CHECK (lifetime_earned >= 0)
      )`);
    await q.query(`
      CREATE TABLE ledger_entries (
        id bigserial PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES point_accounts(member_id),
        kind text NOT NULL,
        points integer NOT NULL,
        pending_points integer NOT NULL DEFAULT 0,
        balance_after integer NOT NULL,
        purchase_id uuid,
        promotions jsonb NOT NULL DEFAULT '[]',
        actor_type text NOT NULL,
        actor_id text,
        store_id uuid,
        reason text NOT NULL,
        idempotency_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_entries_kind_check CHECK (
          kind IN ('earn','redeem','expire','reverse','adjust','release')),
        CONSTRAINT ledger_entries_redeem_check CHECK (
          kind <> 'redeem' OR (points < 0 AND pending_points = 0 AND balance_after >= 0)),
        CONSTRAINT ledger_entries_earn_check CHECK (
          kind <> 'earn' OR (points >= 0 AND pending_points >= 0)),
        CONSTRAINT ledger_entries_expire_check CHECK (
          kind <> 'expire' OR (points <= 0 AND pending_points <= 0)),
        CONSTRAINT ledger_entries_release_check CHECK (
          kind <> 'release' OR (points > 0 AND points + pending_points = 0))
      )`);
    await q.query(`CREATE INDEX ledger_entries_member_idx ON ledger_entries (member_id, id DESC)`);
    await q.query(
      `CREATE INDEX ledger_entries_purchase_idx ON ledger_entries (purchase_id) WHERE purchase_id IS NOT NULL`,
    );
    await q.query(`
      CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger_entries is append-only: % refused', TG_OP
          USING ERRCODE = 'P0001';
      END $$`);
    await q.query(`
      CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
        FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only()`);
    await q.query(`
      CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only()`);
    await q.query(`
      CREATE TABLE point_lots (
        id bigserial PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES point_accounts(member_id),
        entry_id bigint NOT NULL REFERENCES ledger_entries(id),
        purchase_id uuid,
        kind text NOT NULL,
        points integer NOT NULL,
        remaining integer NOT NULL,
        available_at timestamptz NOT NULL,
        released boolean NOT NULL,
        expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT point_lots_kind_check CHECK (kind IN ('earn','adjust','debt')),
        CONSTRAINT point_lots_remaining_check CHECK (
          (kind = 'debt' AND remaining <= 0 AND released AND expires_at IS NULL)
          OR (kind <> 'debt' AND points > 0 AND remaining BETWEEN 0 AND points))
      )`);
    await q.query(
      `CREATE INDEX point_lots_open_idx ON point_lots (member_id, expires_at, id) WHERE remaining <> 0`,
    );
    await q.query(
      `CREATE INDEX point_lots_purchase_idx ON point_lots (purchase_id) WHERE purchase_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX point_lots_one_debt_per_member ON point_lots (member_id) WHERE kind = 'debt'`,
    );
    await q.query(
      `CREATE INDEX point_lots_release_due_idx ON point_lots (available_at)
        WHERE NOT released AND remaining > 0`,
    );
    await q.query(
      `CREATE INDEX point_lots_expiry_due_idx ON point_lots (expires_at) WHERE remaining > 0`,
    );
    await q.query(`
      CREATE TABLE point_lot_movements (
        entry_id bigint NOT NULL REFERENCES ledger_entries(id),
        lot_id bigint NOT NULL REFERENCES point_lots(id),
        points integer NOT NULL,
        PRIMARY KEY (entry_id, lot_id)
      )`);
    await q.query(`CREATE INDEX point_lot_movements_lot_idx ON point_lot_movements (lot_id)`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status text NOT NULL DEFAULT 'in_progress',
        response_status integer,
        response_body text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key),
        CONSTRAINT idempotency_keys_status_check CHECK (status IN ('in_progress','done'))
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);

    await q.query(`
      CREATE TABLE purchases (
        id uuid PRIMARY KEY,
        store_id uuid NOT NULL REFERENCES stores(id),
        member_id uuid NOT NULL REFERENCES members(id),
        external_id text,
        currency text NOT NULL,
        subtotal_cents integer NOT NULL,
        discount_cents integer NOT NULL DEFAULT 0,
        total_cents integer NOT NULL,
        points_earned integer NOT NULL DEFAULT 0,
        points_redeemed integer NOT NULL DEFAULT 0,
        breakdown jsonb NOT NULL DEFAULT '[]',
        actor_type text NOT NULL,
        actor_id text,
        idempotency_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT purchases_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT purchases_amounts_check CHECK (
          subtotal_cents >= 0 AND discount_cents >= 0 AND discount_cents <= subtotal_cents
          AND total_cents = subtotal_cents - discount_cents
          AND points_earned >= 0 AND points_redeemed >= 0)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX purchases_store_external_key ON purchases (store_id, external_id)
        WHERE external_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX purchases_member_idx ON purchases (member_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE purchase_lines (
        purchase_id uuid NOT NULL REFERENCES purchases(id),
        line_no integer NOT NULL,
        sku text NOT NULL,
        category text,
        quantity integer NOT NULL,
        unit_price_cents integer NOT NULL,
        amount_cents integer NOT NULL,
        discount_cents integer NOT NULL DEFAULT 0,
        points_earned integer NOT NULL DEFAULT 0,
        points_redeemed integer NOT NULL DEFAULT 0,
        returned_quantity integer NOT NULL DEFAULT 0,
        PRIMARY KEY (purchase_id, line_no),
        CONSTRAINT purchase_lines_check CHECK (
          quantity > 0 AND unit_price_cents >= 0 AND amount_cents >= 0
          AND discount_cents BETWEEN 0 AND amount_cents
          AND points_earned >= 0 AND points_redeemed >= 0
          AND returned_quantity BETWEEN 0 AND quantity)
      )`);
    await q.query(`
      CREATE TABLE purchase_returns (
        id uuid PRIMARY KEY,
        purchase_id uuid NOT NULL REFERENCES purchases(id),
        store_id uuid REFERENCES stores(id),
        lines jsonb NOT NULL,
        refund_cents integer NOT NULL,
        points_reversed integer NOT NULL,
        points_recredited integer NOT NULL,
        actor_type text NOT NULL,
        actor_id text,
        idempotency_key text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX purchase_returns_purchase_idx ON purchase_returns (purchase_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'purchase_returns',
      'purchase_lines',
      'purchases',
      'idempotency_keys',
      'point_lot_movements',
      'point_lots',
      'ledger_entries',
      'point_accounts',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP FUNCTION ledger_entries_append_only()`);
  }
}
