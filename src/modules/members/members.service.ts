import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  actorOf,
  Clock,
  decodeCursor,
  DEFAULT_LIMIT,
  encodeCursor,
  EnrolmentHooks,
  invalid,
  Page,
  PersonalDataRegistry,
  Principal,
} from '../../common';
import { AppConfig } from '../../config';
import { isUniqueViolation, preparedQuery, TransactionRunner } from '../../database';
import { AuditService } from '../audit';
import { Card, CardsService } from '../cards';
import { ageOn } from './age';
import { Consent, CONSENT_PURPOSES, ConsentPurpose } from './consent.entity';
import { ConsentChangesDto } from './dto/consents.dto';
import { EnrolMemberDto } from './dto/enrol-member.dto';
import { SearchMembersQuery } from './dto/search-members.dto';
import { UpdateMemberDto } from './dto/update-member.dto';
import { EnrolmentChannel, Member } from './member.entity';
import {
  emailTaken,
  guardianRequired,
  memberNotFound,
  nothingToUpdate,
  termsCannotBeWithdrawn,
} from './members.errors';
import {
  CurrentConsents,
  presentCard,
  presentConsent,
  presentMember,
  MemberView,
} from './members.presenter';
import { toE164 } from './phone';
import type { RequestActor } from './request-actor';

/** Version of the consent texts shown at enrolment (templates/i18n/<locale>/join.json). */
export const CONSENT_TEXT_VERSION = '2026-11';

export interface EnrolResult {
  member: Member;
  card: Card;
}

export interface MemberDetail extends MemberView {
  consents: CurrentConsents;
}

export interface MemberSearchItem {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  locale: string;
  tier: string | null;
  createdAt: string;
  card: { number: string; status: string } | null;
}

export interface ErasureResult {
  id: string;
  status: 'erased';
  erasedAt: Date;
  cardsBlocked: number;
  categories: string[];
  /** What had to be kept and why (e.g. documents under a legal hold); empty when nothing. */
  retained: Array<{ category: string; what: string; count: number; reason: string }>;
}

const PROFILE_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'locale',
  'birthDate',
  'guardianName',
] as const;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

@Injectable()
export class MembersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly cards: CardsService,
    private readonly audit: AuditService,
    private readonly registry: PersonalDataRegistry,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly enrolmentHooks: EnrolmentHooks,
  ) {}

  // ---------------------------------------------------------------- enrolment

  async enrol(
    dto: EnrolMemberDto,
    ctx: { principal?: Principal; channel: EnrolmentChannel; ip?: string; requestId?: string },
  ): Promise<EnrolResult> {
    try {
      return await this.transactions.run((em) => this.enrolIn(em, dto, ctx));
    } catch (err) {
      if (isUniqueViolation(err, 'members_email_key')) throw emailTaken();
      throw err;
    }
  }

  /**
   * Enrolment in the caller's transaction (a follow-up contact who joins on the phone: the
   * contact's history moves to the member in the same transaction).
   */
  async enrolIn(
    em: EntityManager,
    dto: EnrolMemberDto,
    ctx: { principal?: Principal; channel: EnrolmentChannel; ip?: string; requestId?: string },
  ): Promise<EnrolResult> {
    const phone = dto.phone ? toE164(dto.phone) : undefined;
    if (dto.phone && !phone) throw invalid('phone', 'must be a valid phone number');
    this.checkAge(dto.birthDate ?? null, dto.guardianName ?? null);
    const member = await em.save(
      em.create(Member, {
        firstName: dto.firstName.trim(),
        lastName: dto.lastName.trim(),
        email: dto.email.trim(),
        phone: phone ?? null,
        birthDate: dto.birthDate ?? null,
        locale: dto.locale ?? 'es',
        status: 'active',
        enrolmentChannel: ctx.channel,
        enrolmentStoreId:
          dto.storeId ?? (ctx.principal?.kind === 'pos' ? ctx.principal.storeId : null),
        guardianName: dto.guardianName?.trim() ?? null,
      }),
    );
    // Self-service: the member records their own consent.
    const recorder: Principal = ctx.principal ?? {
      kind: 'member',
      memberId: member.id,
      roles: [],
    };
    await this.recordConsents(em, member.id, dto.consents, ctx.channel, recorder);
    const card = await this.cards.issue(member.id, em);
    await this.audit.log(em, {
      principal: ctx.principal,
      action: 'member.enrol',
      entity: 'member',
      entityId: member.id,
      memberId: member.id,
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: { channel: ctx.channel },
    });
    // Enrolment bonus, refer-a-friend (promotions): in this transaction, once per member.
    await this.enrolmentHooks.run(
      { memberId: member.id, referralCode: dto.referralCode ?? null, principal: ctx.principal },
      em,
    );
    return { member, card };
  }

  /** Under the configured minimum age (LOPDGDD art. 7) a guardian must consent. */
  private checkAge(birthDate: string | null, guardianName: string | null): void {
    if (!birthDate) return;
    const age = ageOn(birthDate, this.clock.now());
    if (age < 0 || age > 120) throw invalid('birthDate', 'must be a plausible birth date');
    if (age < this.config.MEMBER_MIN_AGE && !guardianName) {
      throw guardianRequired(this.config.MEMBER_MIN_AGE);
    }
  }

  // ---------------------------------------------------------------- consents

  /** Appends one row per purpose given; purposes not given are not recorded. */
  async recordConsents(
    em: EntityManager,
    memberId: string,
    consents: Partial<Record<ConsentPurpose, boolean>>,
    channel: string,
    principal?: Principal,
  ): Promise<ConsentPurpose[]> {
    const { actorType, actorId } = actorOf(principal);
    const purposes = CONSENT_PURPOSES.filter((p) => typeof consents[p] === 'boolean');
    const rows = purposes.map((purpose) =>
      em.create(Consent, {
        memberId,
        purpose,
        granted: consents[purpose],
        channel,
        textVersion: CONSENT_TEXT_VERSION,
        recordedByType: actorType,
        recordedById: actorId,
      }),
    );
    if (rows.length) await em.insert(Consent, rows);
    return purposes;
  }

  /** The latest consent per purpose (false where never given). */
  async currentConsents(
    memberId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<CurrentConsents> {
    const rows: { purpose: ConsentPurpose; granted: boolean }[] = await manager.query(
      `SELECT DISTINCT ON (purpose) purpose, granted FROM consents
        WHERE member_id = $1 ORDER BY purpose, id DESC`,
      [memberId],
    );
    const result = Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, false])) as CurrentConsents;
    for (const row of rows) result[row.purpose] = row.granted;
    return result;
  }

  /**
   * Grants or withdraws consents. Only purposes whose value changes get a history row, so the
   * history reads as a list of decisions. The programme terms cannot be withdrawn (erasure is
   * the way out).
   */
  async changeConsents(
    memberId: string,
    changes: ConsentChangesDto,
    channel: string,
    actor: RequestActor,
  ): Promise<{ consents: CurrentConsents; changed: ConsentPurpose[] }> {
    if (changes.terms === false) throw termsCannotBeWithdrawn();
    return this.transactions.run(async (em) => {
      await this.lockActive(memberId, em);
      const current = await this.currentConsents(memberId, em);
      const delta: Partial<Record<ConsentPurpose, boolean>> = {};
      for (const purpose of CONSENT_PURPOSES) {
        const wanted = changes[purpose];
        if (typeof wanted === 'boolean' && wanted !== current[purpose]) delta[purpose] = wanted;
      }
      const changed = await this.recordConsents(em, memberId, delta, channel, actor.principal);
      if (changed.length) {
        await this.audit.log(em, {
          ...this.auditBase(actor, memberId),
          action: 'member.consents.change',
          entity: 'consents',
          details: { channel, changes: delta },
        });
      }
      return { consents: { ...current, ...delta }, changed };
    });
  }

  /** The consent history, newest first. */
  async consentHistory(
    memberId: string,
    query: { limit?: number; cursor?: string },
    actor: RequestActor,
  ) {
    await this.get(memberId);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = this.cursorValues(query.cursor, 1);
    const rows = await this.dataSource.manager
      .createQueryBuilder(Consent, 'c')
      .where('c.memberId = :memberId', { memberId })
      .andWhere(after ? 'c.id < :after' : '1=1', { after: after?.[0] })
      .orderBy('c.id', 'DESC')
      .take(limit + 1)
      .getMany();
    await this.transactions.run((tx) =>
      this.audit.log(tx, {
        ...this.auditBase(actor, memberId),
        action: 'member.consents.read',
        entity: 'consents',
      }),
    );
    const items = rows.slice(0, limit);
    return {
      items: items.map(presentConsent),
      nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1].id]) : null,
      limit,
    };
  }

  // ---------------------------------------------------------------- read, search, update

  /** An active (not erased) member; erased members cannot be found. */
  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<Member> {
    const member = await manager.findOne(Member, { where: { id } });
    if (!member || member.status !== 'active') throw memberNotFound();
    return member;
  }

  /**
   * Read path for the till: an active member's name and tier in one plain query (no entity to
   * build); a 404 like `get` otherwise.
   */
  async brief(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Pick<Member, 'id' | 'firstName' | 'lastName' | 'tier' | 'status'>> {
    const {
      rows: [row],
    } = await preparedQuery<{
      id: string;
      first_name: string | null;
      last_name: string | null;
      tier: string | null;
      status: Member['status'];
    }>(
      manager,
      'members_brief',
      `SELECT id, first_name, last_name, tier, status FROM members WHERE id = $1`,
      [id],
    );
    if (!row || row.status !== 'active') throw memberNotFound();
    return {
      id: row.id,
      firstName: row.first_name,
      lastName: row.last_name,
      tier: row.tier,
      status: row.status,
    };
  }

  /**
   * Writes the member's tier code (the tiers programme decides it): staff views, search, the
   * till's scan and the wallet pass show it.
   */
  async setTier(memberId: string, tier: string | null, em: EntityManager): Promise<void> {
    await em.query(
      `UPDATE members SET tier = $2, updated_at = $3 WHERE id = $1 AND tier IS DISTINCT FROM $2`,
      [memberId, tier, this.clock.now()],
    );
  }

  /**
   * Active members born on this month and day (any year): ids only, for the birthday bonus.
   * Feb 29 birthdays are the caller's choice (it asks for 2/29 on Feb 28 of common years).
   */
  async membersWithBirthdayOn(
    month: number,
    day: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM members
        WHERE status = 'active' AND birth_date IS NOT NULL
          AND extract(month FROM birth_date) = $1 AND extract(day FROM birth_date) = $2
        ORDER BY id`,
      [month, day],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Read path for the promotions engine at the till: what conditions look at (tier, enrolment,
   * birth date, language, the current `profiling` consent) of an active member, in one query;
   * a 404 like `get` otherwise.
   */
  async promotionFacts(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<
    Pick<Member, 'id' | 'tier' | 'createdAt' | 'birthDate' | 'locale'> & {
      profilingConsent: boolean;
    }
  > {
    const {
      rows: [row],
    } = await preparedQuery<{
      id: string;
      tier: string | null;
      created_at: Date;
      birth_date: string | null;
      locale: Member['locale'];
      status: Member['status'];
      profiling: boolean | null;
    }>(
      manager,
      'members_promotion_facts',
      `SELECT m.id, m.tier, m.created_at, m.birth_date::text AS birth_date, m.locale, m.status,
              (SELECT c.granted FROM consents c WHERE c.member_id = m.id AND c.purpose = 'profiling'
                ORDER BY c.id DESC LIMIT 1) AS profiling
         FROM members m WHERE m.id = $1`,
      [id],
    );
    if (!row || row.status !== 'active') throw memberNotFound();
    return {
      id: row.id,
      tier: row.tier,
      createdAt: row.created_at,
      birthDate: row.birth_date,
      locale: row.locale,
      profilingConsent: row.profiling === true,
    };
  }

  /** Profile, card and current consents; the read is audited. */
  async read(id: string, actor: RequestActor): Promise<MemberDetail> {
    const member = await this.get(id);
    const card = await this.cards.activeCardOf(id);
    const consents = await this.currentConsents(id);
    await this.transactions.run((tx) =>
      this.audit.log(tx, {
        ...this.auditBase(actor, id),
        action: 'member.read',
        entity: 'member',
      }),
    );
    return { ...presentMember(member, card), consents };
  }

  async findByEmail(email: string): Promise<Member | null> {
    return this.dataSource.manager
      .createQueryBuilder(Member, 'm')
      .where('lower(m.email) = lower(:email)', { email: email.trim() })
      .andWhere(`m.status = 'active'`)
      .getOne();
  }

  /**
   * Staff search over names, email, phone and card number, newest members first, keyset
   * paginated. Each branch of the match uses its own index (migration AddMemberSearchIndexes).
   */
  async search(query: SearchMembersQuery, actor: RequestActor): Promise<Page<MemberSearchItem>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const { sql, params } = this.searchSql(query.q, this.cursorValues(query.cursor, 2), limit);
    const rows: SearchRow[] = await this.dataSource.query(sql, params);
    const items = rows.slice(0, limit);
    await this.transactions.run((tx) =>
      this.audit.log(tx, {
        ...this.auditBase(actor, null),
        action: 'member.search',
        entity: 'member',
        details: { results: items.length, memberIds: items.map((r) => r.id) },
      }),
    );
    const last = items[items.length - 1];
    return {
      items: items.map((r) => ({
        id: r.id,
        firstName: r.first_name,
        lastName: r.last_name,
        email: r.email,
        phone: r.phone,
        locale: r.locale,
        tier: r.tier,
        createdAt: r.cursor_at,
        card: r.card_number ? { number: r.card_number, status: r.card_status! } : null,
      })),
      nextCursor: rows.length > limit ? encodeCursor([last.cursor_at, last.id]) : null,
      limit,
    };
  }

  /** The search statement (exported for the index test through `explainSearch`). */
  private searchSql(q: string | undefined, after: (string | number)[] | undefined, limit: number) {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    let join = '';
    const term = q?.trim();
    if (term) {
      const like = param(`%${escapeLike(term)}%`);
      const branches = [
        `SELECT id FROM members WHERE status = 'active'
           AND fidelia_search_text(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))
               LIKE fidelia_search_text(${like})`,
        `SELECT id FROM members WHERE status = 'active' AND email ILIKE ${like}`,
      ];
      const digits = term.replace(/[\s\-().]/g, '').replace(/^\+/, '');
      if (/^\d{3,}$/.test(digits)) {
        branches.push(
          `SELECT id FROM members WHERE status = 'active' AND phone LIKE ${param(`%${digits}%`)}`,
          `SELECT member_id FROM cards WHERE number LIKE ${param(`${digits}%`)}`,
        );
      }
      join = `JOIN (${branches.join(' UNION ')}) hit ON hit.id = m.id`;
    }
    const keyset = after
      ? `AND (m.created_at, m.id) < (${param(after[0])}::timestamptz, ${param(after[1])}::uuid)`
      : '';
    const sql = `
      SELECT m.id, m.first_name, m.last_name, m.email, m.phone, m.locale, m.tier,
             to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at,
             c.number AS card_number, c.status AS card_status
        FROM members m
        ${join}
        LEFT JOIN cards c ON c.member_id = m.id AND c.status = 'active'
       WHERE m.status = 'active' ${keyset}
       ORDER BY m.created_at DESC, m.id DESC
       LIMIT ${param(limit + 1)}`;
    return { sql, params };
  }

  /** EXPLAIN of the search with sequential scans discouraged: proves the indexes apply. */
  async explainSearch(q: string): Promise<string> {
    return this.transactions.run(async (em) => {
      await em.query('SET LOCAL enable_seqscan = off');
      const { sql, params } = this.searchSql(q, undefined, DEFAULT_LIMIT);
      const plan: { 'QUERY PLAN': string }[] = await em.query(`EXPLAIN ${sql}`, params);
      return plan.map((r) => r['QUERY PLAN']).join('\n');
    });
  }

  /** Changes profile fields; `null` clears optional ones. The audit names fields, not values. */
  async update(id: string, dto: UpdateMemberDto, actor: RequestActor): Promise<MemberDetail> {
    const given = PROFILE_FIELDS.filter((f) => dto[f] !== undefined);
    if (!given.length) throw nothingToUpdate();
    let phone: string | null | undefined;
    if (dto.phone !== undefined) {
      phone = dto.phone === null ? null : toE164(dto.phone);
      if (phone === undefined) throw invalid('phone', 'must be a valid phone number');
    }
    try {
      await this.transactions.run(async (em) => {
        const member = await this.lockActive(id, em);
        const next: Partial<Member> = {
          firstName: dto.firstName?.trim(),
          lastName: dto.lastName?.trim(),
          email: dto.email?.trim(),
          phone,
          locale: dto.locale,
          birthDate: dto.birthDate,
          guardianName: dto.guardianName === null ? null : dto.guardianName?.trim(),
        };
        const changes: Partial<Member> = {};
        for (const field of PROFILE_FIELDS) {
          const value = next[field];
          if (value !== undefined && value !== member[field]) {
            (changes as Record<string, unknown>)[field] = value;
          }
        }
        const fields = Object.keys(changes);
        if (!fields.length) return;
        if ('birthDate' in changes || 'guardianName' in changes) {
          this.checkAge(
            changes.birthDate !== undefined ? changes.birthDate : member.birthDate,
            changes.guardianName !== undefined ? changes.guardianName : member.guardianName,
          );
        }
        await em.update(Member, id, changes);
        // The wallet pass shows the name and speaks the member's language.
        if ('firstName' in changes || 'lastName' in changes || 'locale' in changes) {
          await this.cards.passChanged(id, em);
        }
        await this.audit.log(em, {
          ...this.auditBase(actor, id),
          action: 'member.update',
          entity: 'member',
          details: { fields },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err, 'members_email_key')) throw emailTaken();
      throw err;
    }
    const member = await this.get(id);
    return {
      ...presentMember(member, await this.cards.activeCardOf(id)),
      consents: await this.currentConsents(id),
    };
  }

  // ---------------------------------------------------------------- data-protection rights

  /**
   * GDPR art. 15 and 20: every category of the member's data, machine-readable, read in one
   * snapshot. Other modules add theirs through the PersonalDataRegistry.
   */
  async export(id: string, actor: RequestActor): Promise<Record<string, unknown>> {
    return this.transactions.run(
      async (em) => {
        const member = await this.get(id, em);
        const consents = await em.find(Consent, { where: { memberId: id }, order: { id: 'ASC' } });
        const cards = await em.find(Card, { where: { memberId: id }, order: { createdAt: 'ASC' } });
        const audit = await this.audit.forMember(id, em);
        // The outbox has no export of its own: messages queued or sent to this member.
        const messages: OutboxRow[] = await em.query(
          `SELECT id, channel, recipient, template, locale, status, payload, created_at, sent_at
           FROM outbox WHERE member_id = $1 ORDER BY id`,
          [id],
        );
        const contributed: Record<string, unknown> = {};
        for (const contributor of this.registry.all()) {
          const key = OWN_CATEGORIES.has(contributor.category)
            ? `${contributor.category}_`
            : contributor.category;
          contributed[key] = await contributor.export(em, id);
        }
        await this.audit.log(em, {
          ...this.auditBase(actor, id),
          action: 'member.export',
          entity: 'member',
        });
        return {
          format: 'fidelia.member-export/1',
          exportedAt: this.clock.now().toISOString(),
          member: presentMember(member),
          consents: consents.map(presentConsent),
          cards: cards.map(presentCard),
          auditLog: audit.map((a) => ({
            at: a.at,
            action: a.action,
            entity: a.entity,
            entityId: a.entityId,
            actorType: a.actorType,
            // Who read or changed the data (staff user or till key id; GDPR art. 15 access log).
            actorId: a.actorId,
          })),
          messages: messages.map((m) => ({
            id: m.id,
            channel: m.channel,
            recipient: m.recipient,
            template: m.template,
            locale: m.locale,
            status: m.status,
            // One-time sign-in codes are credentials, not data about the member.
            payload: m.template === 'member-login-code' ? {} : m.payload,
            createdAt: m.created_at,
            sentAt: m.sent_at,
          })),
          ...contributed,
        };
      },
      { isolation: 'REPEATABLE READ' },
    );
  }

  /**
   * GDPR art. 17, in one transaction: every registered module removes its personal data, the
   * cards are blocked, messages and sign-in codes lose their recipient, and the member keeps
   * only its id, tier, locale and enrolment facts, so ledger sums, purchase totals and reports
   * stay as they were. An erased member cannot sign in or be found.
   */
  async erase(id: string, actor: RequestActor): Promise<ErasureResult> {
    return this.transactions.run(async (em) => {
      const member = await this.lockActive(id, em);
      const categories: string[] = [];
      const retained: ErasureResult['retained'] = [];
      for (const contributor of this.registry.all()) {
        if (!contributor.erase) continue;
        const note = await contributor.erase(em, id);
        categories.push(contributor.category);
        for (const r of note?.retained ?? [])
          retained.push({ category: contributor.category, ...r });
      }
      const cardsBlocked = await this.cards.blockAllForMember(id, em);
      // Foundation tables without a contributor of their own: the outbox and sign-in codes.
      await em.query(
        `UPDATE outbox
            SET recipient = $2, payload = '{}'::jsonb, last_error = NULL,
                status = CASE WHEN status IN ('pending', 'sending') THEN 'cancelled' ELSE status END
          WHERE member_id = $1 OR lower(recipient) = lower($3) OR recipient = $4`,
        [id, `erased:${id}`, member.email, member.phone],
      );
      await em.query(
        `UPDATE member_login_codes
            SET code_hash = 'erased', consumed_at = coalesce(consumed_at, now())
          WHERE member_id = $1`,
        [id],
      );
      // The member's own network addresses in the audit trail go too; the trail itself stays.
      await em.query(
        `UPDATE audit_log SET ip = NULL
          WHERE member_id = $1 AND actor_type = 'member' AND actor_id = $1::text`,
        [id],
      );
      const erasedAt = this.clock.now();
      await em.update(Member, id, {
        firstName: null,
        lastName: null,
        email: null,
        phone: null,
        birthDate: null,
        guardianName: null,
        status: 'erased',
        erasedAt,
      });
      const self = actor.principal?.kind === 'member';
      await this.audit.log(em, {
        ...this.auditBase(actor, id),
        ip: self ? null : actor.ip,
        action: 'member.erase',
        entity: 'member',
        details: { cardsBlocked, categories, retained },
      });
      return { id, status: 'erased' as const, erasedAt, cardsBlocked, categories, retained };
    });
  }

  // ---------------------------------------------------------------- helpers

  private async lockActive(id: string, em: EntityManager): Promise<Member> {
    const member = await em.findOne(Member, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!member || member.status !== 'active') throw memberNotFound();
    return member;
  }

  private auditBase(actor: RequestActor, memberId: string | null) {
    return {
      principal: actor.principal,
      ip: actor.ip,
      requestId: actor.requestId,
      entityId: memberId,
      memberId,
    };
  }

  private cursorValues(cursor: string | undefined, size: number) {
    if (cursor === undefined) return undefined;
    const values = decodeCursor(cursor);
    if (!values || values.length !== size)
      throw invalid('cursor', 'is not a cursor from this list');
    return values;
  }
}

const OWN_CATEGORIES = new Set([
  'format',
  'exportedAt',
  'member',
  'consents',
  'cards',
  'auditLog',
  'messages',
]);

interface SearchRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  locale: string;
  tier: string | null;
  cursor_at: string;
  card_number: string | null;
  card_status: string | null;
}

interface OutboxRow {
  id: string;
  channel: string;
  recipient: string;
  template: string;
  locale: string;
  status: string;
  payload: Record<string, unknown>;
  created_at: Date;
  sent_at: Date | null;
}
