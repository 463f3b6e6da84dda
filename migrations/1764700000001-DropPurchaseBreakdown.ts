import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A purchase's breakdown (promotion, version, name, points) was stored on the purchase and again
 * on its earn entry in the ledger, which references the purchase. Nothing read the purchase's
 * copy: the ledger entry is where "which promotion version produced these points" is kept, and
 * the receipt (with the breakdown) is the stored idempotent response. With 50 promotions this
 * JSON was most of a purchase's write.
 */
export class DropPurchaseBreakdown1764700000001 implements MigrationInterface {
  name = 'DropPurchaseBreakdown1764700000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE purchases DROP COLUMN breakdown`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE purchases ADD COLUMN breakdown jsonb NOT NULL DEFAULT '[]'`);
    await q.query(
      `UPDATE purchases p SET breakdown = e.promotions
         FROM ledger_entries e
        WHERE e.purchase_id = p.id AND e.kind = 'earn'`,
    );
  }
}
