import type { ConsentPurpose } from './consent.entity';
import type { Consent } from './consent.entity';
import type { Member } from './member.entity';

export interface CardSummary {
  number: string;
  status: string;
}

/** A member as the API shows it (never card secrets). */
export function presentMember(member: Member, card?: CardSummary | null) {
  return {
    id: member.id,
    firstName: member.firstName,
    lastName: member.lastName,
    email: member.email,
    phone: member.phone,
    birthDate: member.birthDate,
    locale: member.locale,
    tier: member.tier,
    status: member.status,
    enrolmentChannel: member.enrolmentChannel,
    enrolmentStoreId: member.enrolmentStoreId,
    guardianName: member.guardianName,
    createdAt: member.createdAt,
    updatedAt: member.updatedAt,
    card: card ? { number: card.number, status: card.status } : null,
  };
}

export type MemberView = ReturnType<typeof presentMember>;

export function presentConsent(row: Consent) {
  return {
    id: row.id,
    purpose: row.purpose,
    granted: row.granted,
    channel: row.channel,
    textVersion: row.textVersion,
    recordedBy: { type: row.recordedByType, id: row.recordedById },
    at: row.createdAt,
  };
}

export type CurrentConsents = Record<ConsentPurpose, boolean>;
