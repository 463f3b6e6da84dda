import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { actorOf, DEFAULT_LIMIT, encodeCursor, Principal } from '../../common';
import { TransactionRunner, Tx } from '../../database';
import { AuditService } from '../audit';
import { CONSENT_PURPOSES, ConsentPurpose } from './consent.entity';
import { ConsentChangesDto } from './dto/consents.dto';
import { memberNotFound, termsCannotBeWithdrawn } from './members.errors';
import { CurrentConsents, presentConsent } from './members.presenter';
import { MembersRepository } from './members.repository';
import { auditBase, cursorValues, RequestActor } from './request-actor';

/** Version of the consent texts shown at enrolment (templates/i18n/<locale>/join.json). */
export const CONSENT_TEXT_VERSION = '2026-11';

/** A member's consents: an append-only history of decisions, the latest one per purpose rules. */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: MembersRepository,
    private readonly audit: AuditService,
  ) {}

  /** Appends one row per purpose given; purposes not given are not recorded. */
  async record(
    tx: Tx,
    memberId: string,
    consents: Partial<Record<ConsentPurpose, boolean>>,
    channel: string,
    principal?: Principal,
  ): Promise<ConsentPurpose[]> {
    const { actorType, actorId } = actorOf(principal);
    const purposes = CONSENT_PURPOSES.filter((p) => typeof consents[p] === 'boolean');
    await this.repo.insertConsents(
      tx,
      purposes.map((purpose) => ({
        memberId,
        purpose,
        granted: consents[purpose],
        channel,
        textVersion: CONSENT_TEXT_VERSION,
        recordedByType: actorType,
        recordedById: actorId,
      })),
    );
    return purposes;
  }

  /** The latest consent per purpose (false where never given). */
  async current(reader: EntityManager, memberId: string): Promise<CurrentConsents> {
    const rows = await this.repo.latestConsents(reader, memberId);
    const result = Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, false])) as CurrentConsents;
    for (const row of rows) result[row.purpose] = row.granted;
    return result;
  }

  /**
   * Grants or withdraws consents. Only purposes whose value changes get a history row, so the
   * history reads as a list of decisions. The programme terms cannot be withdrawn (erasure is
   * the way out).
   */
  async change(
    memberId: string,
    changes: ConsentChangesDto,
    channel: string,
    actor: RequestActor,
  ): Promise<{ consents: CurrentConsents; changed: ConsentPurpose[] }> {
    if (changes.terms === false) throw termsCannotBeWithdrawn();
    return this.tx.run(async (tx) => {
      const member = await this.repo.lock(tx, memberId);
      if (!member || member.status !== 'active') throw memberNotFound();
      const current = await this.current(tx, memberId);
      const delta: Partial<Record<ConsentPurpose, boolean>> = {};
      for (const purpose of CONSENT_PURPOSES) {
        const wanted = changes[purpose];
        if (typeof wanted === 'boolean' && wanted !== current[purpose]) delta[purpose] = wanted;
      }
      const changed = await this.record(tx, memberId, delta, channel, actor.principal);
      if (changed.length) {
        await this.audit.log(tx, {
          ...auditBase(actor, memberId),
          action: 'member.consents.change',
          entity: 'consents',
          details: { channel, changes: delta },
        });
      }
      return { consents: { ...current, ...delta }, changed };
    });
  }

  /** The consent history, newest first; the read is audited. */
  async history(memberId: string, query: { limit?: number; cursor?: string }, actor: RequestActor) {
    const member = await this.repo.find(this.tx.reader, memberId);
    if (!member || member.status !== 'active') throw memberNotFound();
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = cursorValues(query.cursor, 1);
    const rows = await this.repo.consentPage(this.tx.reader, memberId, after?.[0], limit);
    await this.tx.run((tx) =>
      this.audit.log(tx, {
        ...auditBase(actor, memberId),
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
}
