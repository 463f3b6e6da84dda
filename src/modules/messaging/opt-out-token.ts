import { createHmac, timingSafeEqual } from 'node:crypto';

export type OptOutChannel = 'email' | 'sms';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function signature(secret: Buffer, memberId: string, channel: OptOutChannel): string {
  return createHmac('sha256', secret)
    .update(`fidelia.opt-out.v1:${memberId.toLowerCase()}:${channel}`)
    .digest('base64url')
    .slice(0, 32);
}

/**
 * The opt-out link's token: `<member id>.<channel>.<HMAC>`. It names what to withdraw and proves
 * the link came from us; it does not expire (an unsubscribe link must keep working), and using it
 * twice changes nothing more.
 */
export function signOptOut(secret: Buffer, memberId: string, channel: OptOutChannel): string {
  return `${memberId}.${channel}.${signature(secret, memberId, channel)}`;
}

export function verifyOptOut(
  secret: Buffer,
  token: string,
): { memberId: string; channel: OptOutChannel } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [memberId, channel, sig] = parts;
  if (!UUID.test(memberId) || (channel !== 'email' && channel !== 'sms')) return null;
  const expected = Buffer.from(signature(secret, memberId, channel));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { memberId: memberId.toLowerCase(), channel };
}

/** Opt-out keywords an SMS reply may carry (Spanish and English), compared without case. */
const KEYWORDS = new Set(['BAJA', 'STOP', 'UNSUBSCRIBE', 'CANCELAR']);

/** True when an inbound SMS asks to stop marketing: its first word is an opt-out keyword. */
export function isOptOutKeyword(text: string): boolean {
  const first = text.trim().split(/\s+/)[0] ?? '';
  return KEYWORDS.has(first.replace(/[.!]+$/, '').toUpperCase());
}
