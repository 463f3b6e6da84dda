import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock, ContactKey, PersonalDataRegistry, TimelineRegistry } from '../../common';
import type { Tx } from '../../database';
import { IdempotencyService } from '../idempotency';
import { SatisfactionService } from '../satisfaction';
import { presentAttempt } from './followup-queue.service';
import { FollowupContactDataRepository } from './followup-contact-data.repository';
import { FollowupRepository } from './followup.repository';
import { followupTimeline } from './followup-timeline';

/** What follow-up gives the member's export, erasure and timeline. */
@Injectable()
export class FollowupContributions implements OnModuleInit {
  constructor(
    private readonly repo: FollowupRepository,
    private readonly contactData: FollowupContactDataRepository,
    private readonly personalData: PersonalDataRegistry,
    private readonly timeline: TimelineRegistry,
    private readonly satisfaction: SatisfactionService,
    private readonly clock: Clock,
    private readonly idempotency: IdempotencyService,
  ) {}

  onModuleInit(): void {
    this.personalData.register({
      category: 'followup',
      export: async (reader, memberId) => {
        const contacts = await this.repo.contactsOfMember(reader, memberId);
        return {
          tasks: await this.repo.tasksOfMember(reader, memberId),
          attempts: (await this.repo.attemptsOfMember(reader, memberId)).map(presentAttempt),
          contacts: await Promise.all(
            contacts.map(async (c) => ({
              id: c.id,
              name: c.name,
              email: c.email,
              phone: c.phone,
              locale: c.locale,
              consents: { followup: c.followup_consent, calls: c.calls_consent },
              createdAt: c.created_at,
              enrolledAt: c.enrolled_at,
              purchases: await this.repo.contactPurchases(reader, c.id),
            })),
          ),
        };
      },
      // Agents' notes and goodwill reasons, and the contact data left before enrolling.
      erase: (tx, memberId) => this.repo.eraseMemberTexts(tx, memberId),
    });
    this.timeline.register(followupTimeline(this.repo));
    // Contacts without a card, found by the email or phone they left (and, through their ids,
    // the survey answers they gave: satisfaction knows contacts only by id).
    this.satisfaction.useContactLookup(async (reader, id) => {
      const c = (await this.repo.contacts(reader, [id])).get(id);
      return c ? { name: c.name, email: c.email, phone: c.phone } : null;
    });
    this.personalData.registerContact({
      category: 'followup',
      export: async (reader, key) => {
        const contacts = await this.contactData.contactsByKey(reader, key);
        const ids = contacts.map((c) => c.id);
        if (!ids.length)
          return { contacts: [], tasks: [], attempts: [], surveys: null, storedResponses: [] };
        return {
          contacts: await Promise.all(
            contacts.map(async (c) => ({
              id: c.id,
              name: c.name,
              email: c.email,
              phone: c.phone,
              locale: c.locale,
              consents: { followup: c.followup_consent, calls: c.calls_consent },
              createdAt: c.created_at,
              memberId: c.member_id,
              enrolledAt: c.enrolled_at,
              purchases: await this.repo.contactPurchases(reader, c.id),
            })),
          ),
          tasks: await this.contactData.tasksOfContacts(reader, ids),
          attempts: (await this.contactData.attemptsOfContacts(reader, ids)).map(presentAttempt),
          surveys: await this.satisfaction.exportForContacts(reader, ids),
          // The till's keys for their purchases (caller-supplied, so personal data too).
          storedResponses: await this.idempotency.responsesNaming(reader, ids),
        };
      },
      erase: (tx, key) => this.eraseContacts(tx, key),
    });
  }

  private async eraseContacts(tx: Tx, key: ContactKey): Promise<{ erased: number }> {
    const ids = (await this.contactData.contactsByKey(tx, key)).map((c) => c.id);
    if (!ids.length) return { erased: 0 };
    await this.satisfaction.eraseForContacts(tx, ids);
    await this.contactData.eraseContacts(tx, ids, this.clock.now());
    // The till's stored answers to their purchases name them, under the till's own keys.
    await this.idempotency.eraseResponsesNaming(tx, ids);
    return { erased: ids.length };
  }
}
