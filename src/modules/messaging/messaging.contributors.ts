import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry, TimelineEntry, TimelineRegistry } from '../../common';
import { MemberReachService } from '../members';
import type { MemberMessageRow } from './outbox.repository';
import { OutboxRepository } from './outbox.repository';

const TITLES = {
  email: { es: 'Email', en: 'Email' },
  sms: { es: 'SMS', en: 'SMS' },
  push: { es: 'Aviso', en: 'Notification' },
  webhook: { es: 'Aviso', en: 'Notification' },
} as const;

/**
 * A message as the data export shows it. A one-time sign-in code in its payload (the sign-in,
 * welcome and already-enrolled emails) is a credential, not data about the person: left out.
 */
function exportedMessage(m: MemberMessageRow) {
  const { code: _code, ...payload } = m.payload;
  return {
    id: m.id,
    channel: m.channel,
    recipient: m.recipient,
    template: m.template,
    locale: m.locale,
    purpose: m.purpose,
    status: m.status,
    payload: m.template === 'member-login-code' ? {} : payload,
    createdAt: m.createdAt,
    sentAt: m.sentAt,
  };
}

const STATUS = {
  pending: { es: 'pendiente', en: 'pending' },
  sending: { es: 'enviándose', en: 'sending' },
  sent: { es: 'enviado', en: 'sent' },
  failed: { es: 'fallido', en: 'failed' },
  cancelled: { es: 'cancelado', en: 'cancelled' },
} as const;

/**
 * The outbox's part of a member's timeline (messages queued and sent to them) and of their
 * personal data (export; erasure blanks recipient and content and cancels what is unsent).
 */
@Injectable()
export class MessagingContributors implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly timeline: TimelineRegistry,
    private readonly personalData: PersonalDataRegistry,
    private readonly members: MemberReachService,
  ) {}

  onModuleInit() {
    this.timeline.register({
      name: 'messaging',
      kinds: ['message'],
      entries: async (reader, q): Promise<TimelineEntry[]> => {
        if (q.kinds && !q.kinds.includes('message')) return [];
        const rows = await this.outbox.forTimeline(reader, q);
        return rows.map((r) => ({
          id: `message:${r.id}`,
          kind: 'message',
          at: new Date(r.createdAt),
          title: {
            es: `${TITLES[r.channel].es} ${r.template} (${STATUS[r.status].es})`,
            en: `${TITLES[r.channel].en} ${r.template} (${STATUS[r.status].en})`,
          },
          ref: { messageId: r.id },
          data: {
            channel: r.channel,
            template: r.template,
            purpose: r.purpose,
            status: r.status,
            sentAt: r.sentAt,
          },
        }));
      },
    });
    this.personalData.register({
      category: 'messages',
      export: async (reader, memberId) =>
        (await this.outbox.forMember(reader, memberId)).map(exportedMessage),
      // Runs before members blanks the member's row, so its addresses are still there to match
      // messages sent to them (e.g. a sign-in code asked for by email).
      erase: async (tx, memberId) => {
        const reach = (await this.members.reach(tx, [memberId])).get(memberId);
        await this.outbox.eraseMember(tx, memberId, {
          email: reach?.email ?? null,
          phone: reach?.phone ?? null,
        });
      },
    });
    this.personalData.registerContact({
      category: 'messages',
      export: async (reader, key) =>
        (await this.outbox.forRecipient(reader, key)).map(exportedMessage),
      erase: async (tx, key) => ({ erased: await this.outbox.eraseRecipient(tx, key) }),
    });
  }
}
