import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedQuery, Tx } from '../../database';
import { Consent, ConsentPurpose } from './consent.entity';
import { Member } from './member.entity';

/** What the promotions engine reads about a member at the till (members' own statement). */
export interface PromotionFactsRow {
  id: string;
  tier: string | null;
  created_at: Date;
  birth_date: string | null;
  locale: Member['locale'];
  status: Member['status'];
  profiling: boolean | null;
  tags: string[];
}

export interface BriefRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  tier: string | null;
  status: Member['status'];
}

/**
 * The SQL of members, their consents and marketing tags. Writes take the caller's transaction
 * first; none opens one.
 */
@Injectable()
export class MembersRepository {
  find(reader: EntityManager, id: string): Promise<Member | null> {
    return reader.findOne(Member, { where: { id } });
  }

  /** The member's row, locked until the transaction ends. */
  lock(tx: Tx, id: string): Promise<Member | null> {
    return tx.findOne(Member, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  insert(tx: Tx, values: Partial<Member>): Promise<Member> {
    return tx.save(tx.create(Member, values));
  }

  async change(tx: Tx, id: string, changes: Partial<Member>): Promise<void> {
    await tx.update(Member, id, changes);
  }

  findActiveByEmail(reader: EntityManager, email: string): Promise<Member | null> {
    return reader
      .createQueryBuilder(Member, 'm')
      .where('lower(m.email) = lower(:email)', { email: email.trim() })
      .andWhere(`m.status = 'active'`)
      .getOne();
  }

  async brief(reader: EntityManager, id: string): Promise<BriefRow | undefined> {
    const { rows } = await preparedQuery<BriefRow>(
      reader,
      'members_brief',
      `SELECT id, first_name, last_name, tier, status FROM members WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async promotionFacts(reader: EntityManager, id: string): Promise<PromotionFactsRow | undefined> {
    const { rows } = await preparedQuery<PromotionFactsRow>(
      reader,
      'members_promotion_facts',
      `SELECT m.id, m.tier, m.created_at, m.birth_date::text AS birth_date, m.locale, m.status,
              (SELECT c.granted FROM consents c WHERE c.member_id = m.id AND c.purpose = 'profiling'
                ORDER BY c.id DESC LIMIT 1) AS profiling,
              COALESCE((SELECT array_agg(tag ORDER BY tag) FROM member_tags
                         WHERE member_id = m.id), '{}') AS tags
         FROM members m WHERE m.id = $1`,
      [id],
    );
    return rows[0];
  }

  async setTier(tx: Tx, memberId: string, tier: string | null, at: Date): Promise<void> {
    await tx.query(
      `UPDATE members SET tier = $2, updated_at = $3 WHERE id = $1 AND tier IS DISTINCT FROM $2`,
      [memberId, tier, at],
    );
  }

  async tierOf(reader: EntityManager, memberId: string): Promise<string | null> {
    const rows: { tier: string | null }[] = await reader.query(
      `SELECT tier FROM members WHERE id = $1`,
      [memberId],
    );
    return rows[0]?.tier ?? null;
  }

  async renameTier(tx: Tx, from: string, to: string, at: Date): Promise<void> {
    await tx.query(`UPDATE members SET tier = $2, updated_at = $3 WHERE tier = $1`, [from, to, at]);
  }

  async withBirthdayOn(reader: EntityManager, month: number, day: number): Promise<string[]> {
    const rows: { id: string }[] = await reader.query(
      `SELECT id FROM members
        WHERE status = 'active' AND birth_date IS NOT NULL
          AND extract(month FROM birth_date) = $1 AND extract(day FROM birth_date) = $2
        ORDER BY id`,
      [month, day],
    );
    return rows.map((r) => r.id);
  }

  // ── Consents ──────────────────────────────────────────────────────────────────────────────

  async insertConsents(tx: Tx, rows: Partial<Consent>[]): Promise<void> {
    if (rows.length) await tx.insert(Consent, rows);
  }

  /** The latest decision per purpose. */
  latestConsents(
    reader: EntityManager,
    memberId: string,
  ): Promise<{ purpose: ConsentPurpose; granted: boolean }[]> {
    return reader.query(
      `SELECT DISTINCT ON (purpose) purpose, granted FROM consents
        WHERE member_id = $1 ORDER BY purpose, id DESC`,
      [memberId],
    );
  }

  /** Newest first, `limit` + 1 rows from before the id `beforeId`. */
  consentPage(
    reader: EntityManager,
    memberId: string,
    beforeId: string | number | undefined,
    limit: number,
  ): Promise<Consent[]> {
    return reader
      .createQueryBuilder(Consent, 'c')
      .where('c.memberId = :memberId', { memberId })
      .andWhere(beforeId !== undefined ? 'c.id < :after' : '1=1', { after: beforeId })
      .orderBy('c.id', 'DESC')
      .take(limit + 1)
      .getMany();
  }

  consentsOf(reader: EntityManager, memberId: string): Promise<Consent[]> {
    return reader.find(Consent, { where: { memberId }, order: { id: 'ASC' } });
  }

  // ── Tags ──────────────────────────────────────────────────────────────────────────────────

  async tagsOf(reader: EntityManager, memberId: string): Promise<string[]> {
    const rows: { tag: string }[] = await reader.query(
      `SELECT tag FROM member_tags WHERE member_id = $1 ORDER BY tag`,
      [memberId],
    );
    return rows.map((r) => r.tag);
  }

  async replaceTags(tx: Tx, memberId: string, tags: string[]): Promise<void> {
    await tx.query(`DELETE FROM member_tags WHERE member_id = $1`, [memberId]);
    if (tags.length)
      await tx.query(`INSERT INTO member_tags (member_id, tag) SELECT $1, unnest($2::text[])`, [
        memberId,
        tags,
      ]);
  }
}
