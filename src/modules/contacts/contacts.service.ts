import { Injectable } from '@nestjs/common';
import { Clock, ContactKey, PersonalDataRegistry } from '../../common';
import { TransactionRunner } from '../../database';
import { AuditService } from '../audit';
import type { RequestActor } from '../members';

export interface ContactErasureResult {
  /** Rows changed per category (followup contacts, cases, messages …). */
  erased: Record<string, number>;
  retained: Array<{ category: string; what: string; count: number; reason: string }>;
  erasedAt: string;
}

/**
 * GDPR access and erasure for a customer who is not a member (a till contact, a complaint filed
 * without signing in, a message's recipient), found by email or phone. Every module holding
 * such data registers a contact contributor in PersonalDataRegistry; this walks them all.
 * The audit entry records who asked and what changed, never the email or phone.
 */
@Injectable()
export class ContactPrivacyService {
  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly db: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async export(key: ContactKey, actor: RequestActor): Promise<Record<string, unknown>> {
    return this.db.run(async (tx) => {
      const data: Record<string, unknown> = {};
      for (const c of this.registry.forContacts()) data[c.category] = await c.export(tx, key);
      await this.audit.log(tx, {
        ...auditOf(actor),
        action: 'contact.export',
        entity: 'contact',
        details: { by: by(key) },
      });
      return {
        format: 'fidelia.contact-export/1',
        exportedAt: this.clock.now().toISOString(),
        contact: key,
        ...data,
      };
    });
  }

  async erase(key: ContactKey, actor: RequestActor): Promise<ContactErasureResult> {
    return this.db.run(async (tx) => {
      const erased: Record<string, number> = {};
      const retained: ContactErasureResult['retained'] = [];
      for (const c of this.registry.forContacts()) {
        const note = await c.erase(tx, key);
        erased[c.category] = note.erased;
        for (const r of note.retained ?? []) retained.push({ category: c.category, ...r });
      }
      await this.audit.log(tx, {
        ...auditOf(actor),
        action: 'contact.erase',
        entity: 'contact',
        details: { by: by(key), erased },
      });
      return { erased, retained, erasedAt: this.clock.now().toISOString() };
    });
  }
}

function auditOf(actor: RequestActor) {
  return { principal: actor.principal, ip: actor.ip, requestId: actor.requestId };
}

/** Which of the two keys the request named (the values stay out of the audit log). */
function by(key: ContactKey): string {
  return [key.email ? 'email' : null, key.phone ? 'phone' : null].filter(Boolean).join('+');
}
