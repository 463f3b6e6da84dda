import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger entry that paid for a coupon, so cancelling it gives the points back onto the very
 * lots they came from, with their expiry (issue 13, defect 7). Older coupons keep NULL and are
 * refunded as before (a new lot).
 */
export class RememberCouponPayment1766000000000 implements MigrationInterface {
  name = 'RememberCouponPayment1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE coupons ADD COLUMN paid_entry_id bigint NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE coupons DROP COLUMN paid_entry_id`);
  }
}
