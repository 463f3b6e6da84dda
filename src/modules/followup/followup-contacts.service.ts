import { Injectable } from '@nestjs/common';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { randomUUID } from 'node:crypto';
import { actorOf, Clock, invalid, invalidField, Principal } from '../../common';
import { isUniqueViolation } from '../../database';
import { IdempotencyService, IdempotentResponse } from '../idempotency';
import type { ContactPurchaseDto } from './dto/followups.dto';
import { noConsent } from './followup.errors';
import { FollowupTasksService } from './followup-tasks.service';
import { FollowupRepository } from './followup.repository';

/**
 * Contacts without a card: the till records a purchase for a customer who leaves only a phone or
 * an email and consents to follow-up. No points and no card; the purchase is kept here (not in
 * checkout's purchases, which belong to members) and follow-up plans apply to it as to any
 * purchase. The agent may later enrol the contact, which moves this history to the member.
 */
@Injectable()
export class FollowupContactsService {
  constructor(
    private readonly repo: FollowupRepository,
    private readonly tasks: FollowupTasksService,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
  ) {}

  async purchase(
    dto: ContactPurchaseDto,
    storeId: string,
    principal: Principal,
    key: string,
  ): Promise<IdempotentResponse> {
    const c = dto.contact;
    if (!c.consents.followup) throw noConsent();
    const phone = c.phone ? toE164(c.phone) : null;
    if (c.phone && !phone)
      throw invalidField('contact.phone', 'isPhone', 'must be a valid phone number');
    if (!phone && !c.email) throw invalid('contact', 'a phone or an email is required');
    return this.idempotency.execute(
      {
        scope: `contact-purchase:store:${storeId}`,
        key,
        requestHash: this.idempotency.requestHash('contact-purchase', dto),
      },
      async (tx) => {
        const now = this.clock.now();
        const actor = actorOf(principal);
        const contactId = randomUUID();
        const purchaseId = randomUUID();
        await this.repo.insertContact(tx, {
          id: contactId,
          name: c.name?.trim() || null,
          email: c.email?.trim() || null,
          phone,
          locale: c.locale ?? 'es',
          store_id: storeId,
          followup_consent: true,
          calls_consent: c.consents.calls === true,
          recorded_by_type: actor.actorType,
          recorded_by_id: actor.actorId,
          member_id: null,
          created_at: now,
          enrolled_at: null,
        });
        const totalCents = dto.lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0);
        const categories = [...new Set(dto.lines.flatMap((l) => (l.category ? [l.category] : [])))];
        await this.repo
          .insertContactPurchase(tx, {
            id: purchaseId,
            contactId,
            storeId,
            externalId: dto.externalId ?? null,
            currency: dto.currency,
            totalCents,
            categories,
            lines: dto.lines.map((l) => ({ ...l })),
            at: now,
          })
          .catch((err: unknown) => {
            if (isUniqueViolation(err, 'followup_contact_purchases_external_key'))
              throw invalid('externalId', 'this ticket is already recorded in this store');
            throw err;
          });
        // The follow-up plans see it like any purchase (only this module's hook: no points).
        await this.tasks.afterPurchase(tx, {
          purchaseId,
          memberId: null,
          contactId,
          storeId,
          externalId: dto.externalId ?? null,
          totalCents,
          categories,
          at: now,
        });
        return {
          status: 201,
          body: { purchaseId, contactId, storeId, totalCents, pointsEarned: 0, createdAt: now },
        };
      },
    );
  }
}

function toE164(raw: string): string | null {
  try {
    const parsed = parsePhoneNumberWithError(raw, 'ES');
    return parsed.isValid() ? parsed.number : null;
  } catch {
    return null;
  }
}
