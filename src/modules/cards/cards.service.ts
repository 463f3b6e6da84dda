import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Clock, Principal } from '../../common';
import { AppConfig } from '../../config';
import { preparedQuery, TransactionRunner, Tx } from '../../database';
import { AuditService } from '../audit';
import { Card, CardStatus } from './card.entity';
import {
  checkTotp,
  parseCode,
  ROTATING_PREFIX,
  rotatingCode,
  secondsUntilNextStep,
  staticCode,
  TOTP_DIGITS,
  TOTP_STEP_SECONDS,
  verifyStaticSignature,
} from './card-codes';
import { cardCodeSecret } from './card-secrets';
import { noActiveCard, refusal } from './cards.errors';
import { CARD_PREFIX, randomCardNumber } from './luhn';

/** A card as its holder's data export and staff views show it (never its secrets). */
export interface CardView {
  id: string;
  number: string;
  status: CardStatus;
  createdAt: Date;
  blockedAt: Date | null;
  replacedById: string | null;
  passSerial: string;
}

/** A card row as other modules see it (never its TOTP secret). */
export type CardRecord = Omit<Card, 'secret'>;

/** What the wallet needs of a card to render and serve its pass. */
export type PassCard = Pick<
  Card,
  | 'id'
  | 'memberId'
  | 'number'
  | 'status'
  | 'version'
  | 'passSerial'
  | 'passAuthToken'
  | 'passUpdatedAt'
>;

export type CodeKind = 'number' | 'static' | 'rotating';

/** How a rotating code is made, for a wallet that shows it itself (Google Wallet's TOTP). */
export interface RotatingCodeFormat {
  /** The code is `<prefix>.<card id>.<TOTP value>`. */
  prefix: string;
  digits: number;
  stepSeconds: number;
}

export interface ResolvedCode {
  card: Card;
  memberId: string;
  kind: CodeKind;
}

export interface ResolveCodeOptions {
  /** Refuse the typed number and the static code (e.g. redemptions, by programme setting). */
  requireRotating?: boolean;
}

@Injectable()
export class CardsService {
  private readonly programmeSecret: Buffer;
  private readonly pushEnabled: boolean;

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    config: AppConfig,
  ) {
    this.programmeSecret = cardCodeSecret(config.CARD_CODE_SECRET, config.dataDir);
    this.pushEnabled = config.APNS_ENABLED;
  }

  /** Issues a new active card to a member, in the caller's transaction. */
  async issue(manager: EntityManager, memberId: string, version = 1): Promise<Card> {
    for (let attempt = 0; ; attempt++) {
      const card = Object.assign(new Card(), {
        id: randomUUID(),
        memberId,
        number: randomCardNumber(),
        status: 'active' as const,
        version,
        secret: randomBytes(20),
        passSerial: randomUUID(),
        passAuthToken: randomBytes(24).toString('base64url'),
        passUpdatedAt: this.clock.now(),
        replacedById: null,
        lastTotpStep: null,
        passPushPending: false,
        blockedAt: null,
      });
      // ON CONFLICT instead of a savepoint: a (one in ~10^13) number collision draws another
      // number without aborting the caller's transaction.
      const [row]: { created_at: Date }[] = await manager.query(
        `INSERT INTO cards (id, member_id, number, status, version, secret, pass_serial,
                            pass_auth_token, pass_updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (number) DO NOTHING RETURNING created_at`,
        [
          card.id,
          memberId,
          card.number,
          card.status,
          version,
          card.secret,
          card.passSerial,
          card.passAuthToken,
          card.passUpdatedAt,
        ],
      );
      if (row) return Object.assign(card, { createdAt: row.created_at });
      if (attempt > 5) throw new Error('no free card number after 7 draws');
    }
  }

  async activeCardOf(manager: EntityManager, memberId: string): Promise<Card | null> {
    return manager.findOne(Card, { where: { memberId, status: 'active' } });
  }

  /** The member's active card, or a 404 refusal. */
  async requireActiveCard(manager: EntityManager, memberId: string): Promise<Card> {
    const card = await this.activeCardOf(manager, memberId);
    if (!card) throw noActiveCard();
    return card;
  }

  async findByNumber(manager: EntityManager, number: string): Promise<Card | null> {
    return manager.findOne(Card, { where: { number } });
  }

  // -------------------------------------------------------------------------------------------
  // Codes

  /** The rotating code's format (prefix, TOTP digits and step). */
  rotatingCodeFormat(): RotatingCodeFormat {
    return { prefix: ROTATING_PREFIX, digits: TOTP_DIGITS, stepSeconds: TOTP_STEP_SECONDS };
  }

  /** The static signed code printed on the Apple Wallet pass: `FDL1.<number>.<sig>`. */
  staticCodeOf(card: Pick<Card, 'number' | 'version'>): string {
    return staticCode(this.programmeSecret, card.number, card.version);
  }

  /** The rotating code valid now for a card, and seconds until it changes. */
  async rotatingCodeOf(
    manager: EntityManager,
    card: Pick<Card, 'id'>,
  ): Promise<{ code: string; expiresIn: number }> {
    const secret = await this.secretOf(manager, card.id);
    const now = this.clock.now();
    return {
      code: rotatingCode(card.id, secret, now),
      expiresIn: secondsUntilNextStep(now),
    };
  }

  /** The card's TOTP secret (for Google Wallet's rotating barcode). */
  async secretOf(manager: EntityManager, cardId: string) {
    const row = await manager
      .createQueryBuilder(Card, 'c')
      .select('c.id')
      .addSelect('c.secret')
      .where('c.id = :cardId', { cardId })
      .getOne();
    if (!row) throw refusal('unknown');
    return row.secret;
  }

  /**
   * Resolves whatever the till scanned or the cashier typed — the 16-digit number, the static
   * signed code or the rotating code — to the card and its member, or throws a CardsError naming
   * the refusal. A rotating code is consumed in `tx` (the caller's transaction, or the data
   * source's manager for a statement of its own): accepted at most once per time step.
   */
  async resolveCode(
    tx: EntityManager,
    code: string,
    opts: ResolveCodeOptions = {},
  ): Promise<ResolvedCode> {
    const manager = tx;
    const parsed = parseCode(typeof code === 'string' ? code : '');
    switch (parsed.kind) {
      case 'malformed':
        throw refusal('unknown', `unknown card: ${parsed.reason}`);
      case 'number':
      case 'static': {
        if (!parsed.number.startsWith(CARD_PREFIX)) throw refusal('foreign');
        const card = await this.cardForScan(parsed.number, manager);
        if (!card) throw refusal('unknown');
        if (parsed.kind === 'static') this.assertGenuineStatic(card, parsed.signature);
        this.assertUsable(card);
        if (opts.requireRotating) throw refusal('rotating_required');
        return { card, memberId: card.memberId, kind: parsed.kind };
      }
      case 'rotating': {
        const card = await manager
          .createQueryBuilder(Card, 'c')
          .addSelect('c.secret')
          .where('c.id = :id', { id: parsed.cardId })
          .getOne();
        if (!card) throw refusal('unknown');
        const check = checkTotp(card.secret, parsed.value, this.clock.now());
        if (!check.ok) throw refusal(check.reason === 'expired' ? 'expired' : 'tampered');
        this.assertUsable(card);
        // Atomic: two tills scanning the same screenshot in one step cannot both win.
        const [, affected] = await manager.query<[unknown, number]>(
          `UPDATE cards SET last_totp_step = $2
            WHERE id = $1 AND (last_totp_step IS NULL OR last_totp_step < $2)`,
          [card.id, check.step],
        );
        if (affected !== 1) throw refusal('reused');
        delete (card as Partial<Card>).secret;
        return { card, memberId: card.memberId, kind: 'rotating' };
      }
    }
  }

  /** findByNumber in plain SQL: the till's scan runs it on every purchase. */
  private async cardForScan(number: string, manager: EntityManager): Promise<Card | null> {
    const { rows } = await preparedQuery<Card>(
      manager,
      'cards_for_scan',
      `SELECT id, member_id AS "memberId", number, status, version, pass_serial AS "passSerial",
              pass_updated_at AS "passUpdatedAt", replaced_by_id AS "replacedById",
              pass_push_pending AS "passPushPending", created_at AS "createdAt",
              blocked_at AS "blockedAt"
         FROM cards WHERE number = $1`,
      [number],
    );
    return rows.length ? Object.assign(new Card(), rows[0]) : null;
  }

  private assertGenuineStatic(card: Card, signature: string): void {
    if (verifyStaticSignature(this.programmeSecret, card.number, card.version, signature)) return;
    for (let v = card.version - 1; v >= 1; v--) {
      if (verifyStaticSignature(this.programmeSecret, card.number, v, signature)) {
        throw refusal('replaced', 'this code belongs to an earlier version of the card');
      }
    }
    throw refusal('tampered');
  }

  private assertUsable(card: Card): void {
    switch (card.status) {
      case 'active':
        return;
      case 'blocked':
        throw refusal('blocked');
      case 'replaced':
        throw refusal('replaced');
    }
  }

  // -------------------------------------------------------------------------------------------
  // Lost card, erasure

  /**
   * Lost card: the active card becomes `replaced` (all its codes refused) and a new card with a
   * new number, secret, pass serial and a higher version is issued.
   */
  async replace(
    memberId: string,
    ctx: { principal?: Principal; ip?: string } = {},
  ): Promise<{ old: Card; card: Card }> {
    return this.transactions.run(async (em) => {
      const old = await em.findOne(Card, {
        where: { memberId, status: 'active' },
        lock: { mode: 'pessimistic_write' },
      });
      if (!old) throw noActiveCard();
      const now = this.clock.now();
      await em.update(Card, old.id, { status: 'replaced', blockedAt: now, passUpdatedAt: now });
      const card = await this.issue(em, memberId, old.version + 1);
      await em.update(Card, old.id, { replacedById: card.id });
      await this.audit.log(em, {
        principal: ctx.principal,
        action: 'card.replace',
        entity: 'card',
        entityId: card.id,
        memberId,
        ip: ctx.ip,
        details: { replacedCardId: old.id, version: card.version },
      });
      return { old: { ...old, status: 'replaced' as const, replacedById: card.id }, card };
    });
  }

  /** Every card a member has had, oldest first (the personal-data export): no secrets. */
  async cardsOf(reader: EntityManager, memberId: string): Promise<CardView[]> {
    const cards = await reader.find(Card, { where: { memberId }, order: { createdAt: 'ASC' } });
    return cards.map((card) => ({
      id: card.id,
      number: card.number,
      status: card.status,
      createdAt: card.createdAt,
      blockedAt: card.blockedAt,
      replacedById: card.replacedById,
      passSerial: card.passSerial,
    }));
  }

  /** Blocks every active card of a member (erasure, fraud). Returns how many were blocked. */
  async blockAllForMember(tx: Tx, memberId: string): Promise<number> {
    const [, affected] = await tx.query<[unknown, number]>(
      `UPDATE cards SET status = 'blocked', blocked_at = $2, pass_updated_at = $2
        WHERE member_id = $1 AND status = 'active'`,
      [memberId, this.clock.now()],
    );
    return affected;
  }

  // -------------------------------------------------------------------------------------------
  // Pass identity and updates (the card row carries its wallet pass's serial, token and update
  // time; the wallet module renders and serves the pass and pushes updates)

  /** A card with its pass token: the member's active card, or the one with this pass serial. */
  async cardWithPassToken(
    reader: EntityManager,
    where: { memberId: string } | { passSerial: string },
  ): Promise<Card | null> {
    const q = reader.createQueryBuilder(Card, 'c').addSelect('c.passAuthToken');
    if ('memberId' in where)
      q.where(`c.memberId = :memberId AND c.status = 'active'`, { memberId: where.memberId });
    else q.where('c.passSerial = :passSerial', { passSerial: where.passSerial });
    return q.getOne();
  }

  /** Pass serials of these cards updated after `sinceMs` (all without), oldest update first. */
  passesUpdatedSince(
    reader: EntityManager,
    cardIds: string[],
    sinceMs: number | null,
  ): Promise<{ passSerial: string; updatedMs: number }[]> {
    return reader.query(
      `SELECT pass_serial AS "passSerial",
              floor(extract(epoch FROM pass_updated_at) * 1000)::float8 AS "updatedMs"
         FROM cards
        WHERE id = ANY($1::uuid[])
          AND ($2::bigint IS NULL OR pass_updated_at > to_timestamp($2::bigint / 1000.0))
        ORDER BY pass_updated_at`,
      [cardIds, sinceMs],
    );
  }

  /** Takes up to `limit` cards whose pass push is pending (skipping ones another run holds). */
  async takePendingPushes(tx: Tx, limit: number): Promise<string[]> {
    const [rows]: [{ id: string }[], number] = await tx.query(
      `UPDATE cards SET pass_push_pending = false
        WHERE id IN (SELECT id FROM cards WHERE pass_push_pending
                      ORDER BY pass_updated_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  /** Queues these cards' pass pushes again (a failed send). */
  async requeuePushes(tx: Tx, cardIds: string[]): Promise<void> {
    await tx.query(`UPDATE cards SET pass_push_pending = true WHERE id = ANY($1::uuid[])`, [
      cardIds,
    ]);
  }

  /**
   * The member's pass content (balance, tier, name) changed: marks the active card's pass as
   * updated and queues a push to its registered Apple devices. One indexed UPDATE, cheap enough
   * for every purchase; pushes are sent after commit by the pass push dispatcher.
   */
  async passChanged(tx: Tx, memberId: string): Promise<void> {
    await this.passesChanged(tx, [memberId]);
  }

  /** passChanged for several members in one statement (the ledger's balance listener). */
  async passesChanged(tx: Tx, memberIds: string[]): Promise<void> {
    if (!memberIds.length) return;
    // One member (every purchase) has its own statement: with `= ANY($1)` PostgreSQL plans
    // the UPDATE again on each execution instead of keeping the prepared plan.
    const one = memberIds.length === 1;
    await preparedQuery(
      tx,
      one ? 'cards_pass_changed' : 'cards_passes_changed',
      `UPDATE cards
          SET pass_updated_at = GREATEST($2::timestamptz,
                                date_trunc('second', pass_updated_at) + interval '1 second'),
              pass_push_pending = pass_push_pending OR $3
        WHERE member_id = ${one ? '$1::uuid' : 'ANY($1::uuid[])'} AND status = 'active'`,
      [one ? memberIds[0] : memberIds, this.clock.now(), this.pushEnabled],
    );
  }
}
