import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, Principal } from '../../common';
import { isUniqueViolation, TransactionRunner } from '../../database';
import { AuditService } from '../audit';
import { CardsService } from '../cards';
import { MembersService } from '../members';
import { tierProgress, TierProgress } from './tier-progress';
import { CreateTierDto, UpdateTierDto } from './dto/tier.dto';
import { PromotionsError, PromotionsErrorCode } from './promotions.errors';
import { refuseNulls } from './rewards.service';
import { decideTier, TIER_GRACE_DAYS, TIER_WINDOW_DAYS, TierDecision } from './tier-rules';
import { Tier } from './tier.entity';

export interface TierChange {
  memberId: string;
  action: 'upgrade' | 'downgrade';
  from: string | null;
  to: string | null;
}

/**
 * Tiers and each member's tier. Qualification counts the points a member *earned* in the last
 * TIER_WINDOW_DAYS (earning_events: every purchase's points and every event's, recorded by this
 * module when they are earned; returns do not lower it), never the balance. A purchase upgrades at once; the nightly recalculation downgrades after
 * TIER_GRACE_DAYS below the threshold.
 */
@Injectable()
export class TiersService {
  private readonly logger = new Logger('Tiers');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly cards: CardsService,
    private readonly members: MembersService,
  ) {}

  list(manager: EntityManager): Promise<Tier[]> {
    return manager.find(Tier, { order: { thresholdPoints: 'ASC' } });
  }

  async create(dto: CreateTierDto, principal?: Principal): Promise<Tier> {
    return this.write(null, dto, principal);
  }

  async update(id: string, dto: UpdateTierDto, principal?: Principal): Promise<Tier> {
    return this.write(id, dto, principal);
  }

  private async write(id: string | null, dto: UpdateTierDto, principal?: Principal) {
    return this.transactions.run(async (em) => {
      refuseNulls(dto, ['code', 'nameEs', 'nameEn', 'thresholdPoints', 'multiplierPercent']);
      let tier: Tier;
      let renamed: string | null = null;
      if (id) {
        const found = await em.findOne(Tier, { where: { id } });
        if (!found)
          throw new PromotionsError(
            'not_found',
            PromotionsErrorCode.TierNotFound,
            'tier not found',
          );
        if (dto.code !== undefined && dto.code !== found.code) renamed = found.code;
        tier = Object.assign(found, dto);
      } else tier = em.create(Tier, { multiplierPercent: 100, ...dto });
      try {
        await em.save(tier);
      } catch (err) {
        if (isUniqueViolation(err))
          throw new PromotionsError(
            'conflict',
            PromotionsErrorCode.TierCodeTaken,
            'another tier has this code or threshold',
            [{ field: 'code', reason: 'code and threshold must be unique' }],
          );
        throw err;
      }
      if (renamed) await this.members.renameTier(em, renamed, tier.code);
      await this.audit.log(em, {
        principal,
        action: id ? 'tier.update' : 'tier.create',
        entity: 'tier',
        entityId: tier.id,
      });
      return tier;
    });
  }

  /** The member's tier code (members.tier, which this programme decides), or null. */
  tierOf(em: EntityManager, memberId: string): Promise<string | null> {
    return this.members.tierOf(em, memberId);
  }

  /** The member's tier, the next one and the points missing to reach it (the /me page). */
  async progressOf(memberId: string): Promise<TierProgress> {
    const [tiers, code, earned] = await Promise.all([
      this.list(this.transactions.reader),
      this.tierOf(this.transactions.reader, memberId),
      this.earnedInWindow(this.transactions.reader, memberId, this.clock.now()),
    ]);
    return tierProgress(
      tiers.map((t) => ({
        code: t.code,
        nameEs: t.nameEs,
        nameEn: t.nameEn,
        thresholdPoints: t.thresholdPoints,
      })),
      code,
      earned,
    );
  }

  /** Points earned in the rolling window ending at `now`. */
  async earnedInWindow(em: EntityManager, memberId: string, now: Date): Promise<number> {
    const from = new Date(now.getTime() - TIER_WINDOW_DAYS * 86_400_000);
    const [row]: { earned: number }[] = await em.query(
      `SELECT COALESCE(sum(points), 0)::int AS earned FROM earning_events
        WHERE member_id = $1 AND created_at > $2 AND created_at <= $3`,
      [memberId, from, now],
    );
    return row.earned;
  }

  /** After a purchase or an earning event: upgrade at once if the member now qualifies. */
  async upgradeIfQualified(
    em: EntityManager,
    memberId: string,
    now = this.clock.now(),
    /** The tiers, when the caller has just read them in this transaction (a purchase has). */
    tiers?: Tier[],
  ): Promise<TierChange | null> {
    return this.decide(em, memberId, now, true, tiers);
  }

  /**
   * The nightly recalculation: every member with a tier or with points in the window. Each
   * member in its own short transaction.
   */
  async recalculate(
    now = this.clock.now(),
  ): Promise<{ members: number; upgraded: number; downgraded: number }> {
    const from = new Date(now.getTime() - TIER_WINDOW_DAYS * 86_400_000);
    const ids: { member_id: string }[] = await this.dataSource.query(
      `SELECT member_id FROM member_tiers
       UNION SELECT member_id FROM earning_events WHERE created_at > $1`,
      [from],
    );
    let upgraded = 0;
    let downgraded = 0;
    for (const { member_id } of ids) {
      const change = await this.transactions.run((em) => this.decide(em, member_id, now, false));
      if (change?.action === 'upgrade') upgraded++;
      if (change?.action === 'downgrade') downgraded++;
    }
    this.logger.log(
      `tiers recalculated: ${ids.length} members, ${upgraded} up, ${downgraded} down`,
    );
    return { members: ids.length, upgraded, downgraded };
  }

  private async decide(
    em: EntityManager,
    memberId: string,
    now: Date,
    upgradeOnly: boolean,
    known?: Tier[],
  ): Promise<TierChange | null> {
    const tiers = known ?? (await this.list(em));
    if (tiers.length === 0) return null;
    // Serialise decisions for one member (the row holds the programme's grace-period state).
    await em.query(
      `INSERT INTO member_tiers (member_id, since) VALUES ($1, $2)
       ON CONFLICT (member_id) DO NOTHING`,
      [memberId, now],
    );
    const [row]: { below_since: Date | null }[] = await em.query(
      `SELECT below_since FROM member_tiers WHERE member_id = $1 FOR UPDATE`,
      [memberId],
    );
    // The tier itself is members.tier (one source), read under that lock.
    const currentCode = await this.members.tierOf(em, memberId);
    const currentId = tiers.find((t) => t.code === currentCode)?.id ?? null;
    const earned = await this.earnedInWindow(em, memberId, now);
    const d: TierDecision = decideTier(
      tiers,
      { tierId: currentId, belowSince: row.below_since },
      earned,
      now,
      { graceDays: TIER_GRACE_DAYS, upgradeOnly },
    );
    const changed = d.state.tierId !== currentId;
    if (changed || d.state.belowSince?.getTime() !== row.below_since?.getTime())
      await em.query(
        `UPDATE member_tiers SET below_since = $2, updated_at = $3,
                since = CASE WHEN $4 THEN $3 ELSE since END
          WHERE member_id = $1`,
        [memberId, d.state.belowSince, now, changed],
      );
    const code = (id: string | null) => tiers.find((t) => t.id === id)?.code ?? null;
    // members.tier is the member's tier: written on a change, and by the nightly run (a no-op
    // update when it already says so; it clears a code no tier has any more).
    if (changed || !upgradeOnly) await this.members.setTier(em, memberId, code(d.state.tierId));
    if (d.action === 'keep') return null;
    const change: TierChange = { memberId, action: d.action, from: code(d.from), to: code(d.to) };
    // The wallet pass shows the tier : mark it updated.
    await this.cards.passChanged(em, memberId);
    await this.audit.log(em, {
      action: `tier.${d.action}`,
      entity: 'member_tier',
      entityId: memberId,
      memberId,
      details: { from: change.from, to: change.to, earned },
    });
    return change;
  }
}
