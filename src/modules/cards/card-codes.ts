import { createHmac, timingSafeEqual } from 'node:crypto';
import { isValidLuhn } from './luhn';

/**
 * The card codes of DESIGN.md §5, as pure functions (no database, no clock: callers pass time).
 *
 * - typed number: `4012345678901234` (16 digits, Luhn check digit; spaces and dashes allowed)
 * - static signed code (Apple Wallet, printed cards): `FDL1.<number>.<sig>`, where sig is
 *   HMAC-SHA256(programme secret, "FDL1|<number>|<card version>") truncated to 10 bytes, base32
 * - rotating code (web card, Google Wallet): `FDL2.<card id>.<8 digits>`, a TOTP (RFC 6238,
 *   HMAC-SHA1, 30 s step) from the card's own secret
 */

export const STATIC_PREFIX = 'FDL1';
export const ROTATING_PREFIX = 'FDL2';
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 8;
/** Steps either side of now that are still accepted (clock skew, a slow queue at the till). */
export const TOTP_WINDOW = 1;
/** How far back a code is recognised as an old one ("expired") rather than a forged one. */
export const TOTP_EXPIRED_LOOKBACK = 120;
const SIGNATURE_BYTES = 10; // 80 bits → 16 base32 characters

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, upper case, no padding. */
export function base32Encode(data: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Static signed code

export function staticSignature(programmeSecret: Buffer | string, number: string, version: number) {
  const mac = createHmac('sha256', programmeSecret)
    .update(`${STATIC_PREFIX}|${number}|${version}`)
    .digest();
  return base32Encode(mac.subarray(0, SIGNATURE_BYTES));
}

export function staticCode(programmeSecret: Buffer | string, number: string, version: number) {
  return `${STATIC_PREFIX}.${number}.${staticSignature(programmeSecret, number, version)}`;
}

/** Constant-time check of a static code's signature for one card version. */
export function verifyStaticSignature(
  programmeSecret: Buffer | string,
  number: string,
  version: number,
  signature: string,
): boolean {
  const expected = Buffer.from(staticSignature(programmeSecret, number, version));
  const given = Buffer.from(signature.toUpperCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

// ---------------------------------------------------------------------------------------------
// TOTP (RFC 4226 HOTP over RFC 6238 time steps)

/** HOTP value for a counter: HMAC-SHA1, dynamic truncation, `digits` decimal digits. */
export function hotp(secret: Buffer, counter: number, digits = TOTP_DIGITS): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step a moment falls in. */
export const totpStep = (at: Date | number, stepSeconds = TOTP_STEP_SECONDS) =>
  Math.floor((typeof at === 'number' ? at : at.getTime()) / 1000 / stepSeconds);

export function totp(secret: Buffer, at: Date | number, digits = TOTP_DIGITS): string {
  return hotp(secret, totpStep(at), digits);
}

/** Seconds until the code shown at `at` changes. */
export function secondsUntilNextStep(at: Date | number, stepSeconds = TOTP_STEP_SECONDS) {
  const ms = typeof at === 'number' ? at : at.getTime();
  return stepSeconds - (Math.floor(ms / 1000) % stepSeconds);
}

export function rotatingCode(cardId: string, secret: Buffer, at: Date | number): string {
  return `${ROTATING_PREFIX}.${cardId}.${totp(secret, at)}`;
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'expired' | 'invalid' };

/**
 * Which step a TOTP value belongs to: one within ±TOTP_WINDOW of now is valid; one from an older
 * step (up to TOTP_EXPIRED_LOOKBACK back) is expired; anything else does not come from the secret.
 */
export function checkTotp(secret: Buffer, value: string, at: Date | number): TotpCheck {
  if (!/^\d+$/.test(value) || value.length !== TOTP_DIGITS) return { ok: false, reason: 'invalid' };
  const now = totpStep(at);
  const given = Buffer.from(value);
  const matches = (step: number) => timingSafeEqual(Buffer.from(hotp(secret, step)), given);
  // Newest first, so a code valid now is reported with the step it was made for.
  for (let step = now + TOTP_WINDOW; step >= now - TOTP_WINDOW; step--) {
    if (matches(step)) return { ok: true, step };
  }
  for (let step = now - TOTP_WINDOW - 1; step >= now - TOTP_EXPIRED_LOOKBACK; step--) {
    if (matches(step)) return { ok: false, reason: 'expired' };
  }
  return { ok: false, reason: 'invalid' };
}

// ---------------------------------------------------------------------------------------------
// Parsing

export type ParsedCode =
  | { kind: 'number'; number: string }
  | { kind: 'static'; number: string; signature: string }
  | { kind: 'rotating'; cardId: string; value: string }
  | { kind: 'malformed'; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Recognises the shape of a code; says nothing yet about whether it is genuine. */
export function parseCode(raw: string): ParsedCode {
  const code = (raw ?? '').trim();
  if (/^[\d\s-]+$/.test(code)) {
    const number = code.replace(/[\s-]/g, '');
    if (number.length !== 16) return { kind: 'malformed', reason: 'a card number has 16 digits' };
    if (!isValidLuhn(number)) {
      return { kind: 'malformed', reason: 'the check digit does not match (mistyped number?)' };
    }
    return { kind: 'number', number };
  }
  const parts = code.split('.');
  const prefix = parts[0]?.toUpperCase();
  if (prefix === STATIC_PREFIX && parts.length === 3) {
    const [, number, signature] = parts;
    if (!/^\d{16}$/.test(number) || !isValidLuhn(number)) {
      return { kind: 'malformed', reason: 'the code does not carry a valid card number' };
    }
    if (!/^[A-Z2-7]+$/i.test(signature)) {
      return { kind: 'malformed', reason: 'the code signature is not base32' };
    }
    return { kind: 'static', number, signature: signature.toUpperCase() };
  }
  if (prefix === ROTATING_PREFIX && parts.length === 3) {
    const [, cardId, value] = parts;
    if (!UUID.test(cardId)) return { kind: 'malformed', reason: 'the code does not name a card' };
    if (!/^\d+$/.test(value)) return { kind: 'malformed', reason: 'the code value is not numeric' };
    return { kind: 'rotating', cardId: cardId.toLowerCase(), value };
  }
  return { kind: 'malformed', reason: 'not a card number or card code' };
}
