import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry, TimelineRegistry } from '../../common';
import { presentAttempt } from './followup-queue.service';
import { FollowupRepository } from './followup.repository';
import { followupTimeline } from './followup-timeline';

/** What follow-up gives the member's export, erasure and timeline. */
@Injectable()
export class FollowupContributions implements OnModuleInit {
  constructor(
    private readonly repo: FollowupRepository,
    private readonly personalData: PersonalDataRegistry,
    private readonly timeline: TimelineRegistry,
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
  }
}
