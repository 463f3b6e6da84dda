import { Injectable } from '@nestjs/common';
import { Clock, PersonalDataRegistry } from '../../common';
import { TransactionRunner } from '../../database';
import { AuditService } from '../audit';
import { CardsService } from '../cards';
import { memberNotFound } from './members.errors';
import { presentConsent, presentMember } from './members.presenter';
import { MembersRepository } from './members.repository';
import { auditBase, RequestActor } from './request-actor';

export interface ErasureResult {
  id: string;
  status: 'erased';
  erasedAt: Date;
  cardsBlocked: number;
  categories: string[];
  /** What had to be kept and why (e.g. documents under a legal hold); empty when nothing. */
  retained: Array<{ category: string; what: string; count: number; reason: string }>;
}

/** Keys of the export this module writes itself; a contributor with one of them gets a `_`. */
const OWN_CATEGORIES = new Set(['format', 'exportedAt', 'member', 'consents', 'cards', 'auditLog']);

/**
 * The member's data-protection rights. Each module exports and erases its own tables: the ones
 * members depends on (cards, audit) through their public services, the others (messaging,
 * ledger, cases…) through the PersonalDataRegistry.
 */
@Injectable()
export class MemberPrivacyService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: MembersRepository,
    private readonly cards: CardsService,
    private readonly audit: AuditService,
    private readonly registry: PersonalDataRegistry,
    private readonly clock: Clock,
  ) {}

  /**
   * GDPR art. 15 and 20: every category of the member's data, machine-readable, read in one
   * snapshot.
   */
  async export(id: string, actor: RequestActor): Promise<Record<string, unknown>> {
    return this.tx.run(
      async (tx) => {
        const member = await this.repo.find(tx, id);
        if (!member || member.status !== 'active') throw memberNotFound();
        const consents = await this.repo.consentsOf(tx, id);
        const cards = (await this.cards.cardsOf(tx, id)).map(({ passSerial: _s, ...card }) => card);
        const audit = await this.audit.forMember(tx, id);
        const contributed: Record<string, unknown> = {};
        for (const contributor of this.registry.all()) {
          const key = OWN_CATEGORIES.has(contributor.category)
            ? `${contributor.category}_`
            : contributor.category;
          contributed[key] = await contributor.export(tx, id);
        }
        await this.audit.log(tx, {
          ...auditBase(actor, id),
          action: 'member.export',
          entity: 'member',
        });
        return {
          format: 'fidelia.member-export/1',
          exportedAt: this.clock.now().toISOString(),
          member: presentMember(member),
          consents: consents.map(presentConsent),
          cards,
          auditLog: audit.map((a) => ({
            at: a.at,
            action: a.action,
            entity: a.entity,
            entityId: a.entityId,
            actorType: a.actorType,
            // Who read or changed the data (staff user or till key id; GDPR art. 15 access log).
            actorId: a.actorId,
          })),
          ...contributed,
        };
      },
      { isolation: 'REPEATABLE READ' },
    );
  }

  /**
   * GDPR art. 17, in one transaction: every module removes its personal data (cards are
   * blocked, messages and sign-in codes lose their recipient, the member's own addresses leave
   * the audit trail) and the member keeps only its id, tier, locale and enrolment facts, so
   * ledger sums, purchase totals and reports stay as they were. An erased member cannot sign in
   * or be found.
   */
  async erase(id: string, actor: RequestActor): Promise<ErasureResult> {
    return this.tx.run(async (tx) => {
      const member = await this.repo.lock(tx, id);
      if (!member || member.status !== 'active') throw memberNotFound();
      const categories: string[] = [];
      const retained: ErasureResult['retained'] = [];
      for (const contributor of this.registry.all()) {
        if (!contributor.erase) continue;
        const note = await contributor.erase(tx, id);
        categories.push(contributor.category);
        for (const r of note?.retained ?? [])
          retained.push({ category: contributor.category, ...r });
      }
      const cardsBlocked = await this.cards.blockAllForMember(tx, id);
      // Marketing tags can name the member (issue 13).
      await this.repo.replaceTags(tx, id, []);
      await this.audit.eraseMemberIps(tx, id);
      const erasedAt = this.clock.now();
      await this.repo.change(tx, id, {
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
      await this.audit.log(tx, {
        ...auditBase(actor, id),
        ip: self ? null : actor.ip,
        action: 'member.erase',
        entity: 'member',
        details: { cardsBlocked, categories, retained },
      });
      return { id, status: 'erased' as const, erasedAt, cardsBlocked, categories, retained };
    });
  }
}
