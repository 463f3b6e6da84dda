import {
  base32Encode,
  checkTotp,
  hotp,
  parseCode,
  rotatingCode,
  secondsUntilNextStep,
  staticCode,
  staticSignature,
  totp,
  totpStep,
  verifyStaticSignature,
} from './card-codes';
import { luhnCheckDigit } from './luhn';

const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');
const NUMBER = '4000000000000002';
const CARD_ID = '3f0c2b8e-6a0d-4c51-9a3e-2b7d5f1e9c44';

describe('card codes', () => {
  describe('base32 (RFC 4648 test vectors, unpadded)', () => {
    it.each([
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ])('%j → %s', (input, expected) => {
      expect(base32Encode(Buffer.from(input))).toBe(expected);
    });
  });

  describe('HOTP (RFC 4226 appendix D, 6 digits)', () => {
    it.each([
      [0, '755224'],
      [1, '287082'],
      [2, '359152'],
      [3, '969429'],
      [4, '338314'],
      [5, '254676'],
      [6, '287922'],
      [7, '162583'],
      [8, '399871'],
      [9, '520489'],
    ])('counter %d → %s', (counter, expected) => {
      expect(hotp(RFC_SECRET, counter, 6)).toBe(expected);
    });
  });

  describe('TOTP (RFC 6238 appendix B, SHA-1, 8 digits)', () => {
    it.each([
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ])('T=%d → %s', (seconds, expected) => {
      expect(totp(RFC_SECRET, seconds * 1000)).toBe(expected);
    });
  });

  describe('time steps', () => {
    it.each([
      [0, 0, 30],
      [29_999, 0, 1],
      [30_000, 1, 30],
      [59_000, 1, 1],
      [1_111_111_111_000, 37037037, 29],
    ])('at %d ms: step %d, %d s to the next', (ms, step, left) => {
      expect(totpStep(ms)).toBe(step);
      expect(secondsUntilNextStep(ms)).toBe(left);
    });
  });

  describe('checkTotp', () => {
    const now = 1_111_111_111_000;
    const step = totpStep(now);
    it.each([
      ['the current step', step, { ok: true, step }],
      ['one step back (skew)', step - 1, { ok: true, step: step - 1 }],
      ['one step ahead (skew)', step + 1, { ok: true, step: step + 1 }],
      ['two steps back', step - 2, { ok: false, reason: 'expired' }],
      ['an hour back', step - 120, { ok: false, reason: 'expired' }],
      ['two steps ahead', step + 2, { ok: false, reason: 'invalid' }],
      ['a day back (beyond the look-back)', step - 2880, { ok: false, reason: 'invalid' }],
    ])('a code from %s', (_name, codeStep, expected) => {
      expect(checkTotp(RFC_SECRET, hotp(RFC_SECRET, codeStep), now)).toEqual(expected);
    });

    it.each([
      ['a forged value', '12345678'],
      ['too short', '1234567'],
      ['too long', '123456789'],
      ['not digits', '1234567a'],
    ])('refuses %s', (_name, value) => {
      expect(checkTotp(RFC_SECRET, value, now)).toEqual({ ok: false, reason: 'invalid' });
    });

    it('refuses the code of another secret', () => {
      const other = Buffer.from('another-secret-of-20b', 'ascii');
      expect(checkTotp(RFC_SECRET, totp(other, now), now).ok).toBe(false);
    });
  });

  describe('static signed code', () => {
    const secret = 'programme-secret';
    it('is FDL1.<number>.<16 base32 chars> and deterministic', () => {
      const code = staticCode(secret, NUMBER, 1);
      expect(code).toMatch(/^FDL1\.4000000000000002\.[A-Z2-7]{16}$/);
      expect(staticCode(secret, NUMBER, 1)).toBe(code);
    });

    it.each([
      ['the same inputs', secret, NUMBER, 1, true],
      ['another card version', secret, NUMBER, 2, false],
      ['another number', secret, '4000000000000010', 1, false],
      ['another programme secret', 'other-programme', NUMBER, 1, false],
    ])('verifies against %s', (_name, s, number, version, expected) => {
      const sig = staticSignature(secret, NUMBER, 1);
      expect(verifyStaticSignature(s, number, version, sig)).toBe(expected);
    });

    it('accepts a lower-case signature and refuses a truncated one', () => {
      const sig = staticSignature(secret, NUMBER, 1);
      expect(verifyStaticSignature(secret, NUMBER, 1, sig.toLowerCase())).toBe(true);
      expect(verifyStaticSignature(secret, NUMBER, 1, sig.slice(0, -1))).toBe(false);
    });
  });

  describe('parseCode', () => {
    const sig = staticSignature('s', NUMBER, 1);
    const badLuhn = NUMBER.slice(0, 15) + String((luhnCheckDigit(NUMBER.slice(0, 15)) + 1) % 10);
    it.each([
      ['a typed number', NUMBER, { kind: 'number', number: NUMBER }],
      ['a number with spaces', '4000 0000 0000 0002', { kind: 'number', number: NUMBER }],
      ['a number with dashes', ' 4000-0000-0000-0002 ', { kind: 'number', number: NUMBER }],
      [
        'a static code',
        `FDL1.${NUMBER}.${sig}`,
        { kind: 'static', number: NUMBER, signature: sig },
      ],
      [
        'a static code in lower case',
        `fdl1.${NUMBER}.${sig.toLowerCase()}`,
        { kind: 'static', number: NUMBER, signature: sig },
      ],
      [
        'a rotating code',
        `FDL2.${CARD_ID.toUpperCase()}.12345678`,
        { kind: 'rotating', cardId: CARD_ID, value: '12345678' },
      ],
    ])('%s', (_name, input, expected) => {
      expect(parseCode(input)).toEqual(expected);
    });

    it.each([
      ['a 15-digit number', NUMBER.slice(1)],
      ['a wrong check digit', badLuhn],
      ['an empty string', ''],
      ['free text', 'hello'],
      ['a static code with a bad number', `FDL1.${badLuhn}.${sig}`],
      ['a static code with a non-base32 signature', `FDL1.${NUMBER}.ABC!1`],
      ['a static code with an extra part', `FDL1.${NUMBER}.${sig}.X`],
      ['a rotating code without a card id', 'FDL2.nope.12345678'],
      ['a rotating code with letters', `FDL2.${CARD_ID}.1234abcd`],
      ['an unknown prefix', `FDL9.${NUMBER}.${sig}`],
    ])('refuses %s as malformed', (_name, input) => {
      expect(parseCode(input).kind).toBe('malformed');
    });
  });

  it('builds a rotating code that parses and checks back', () => {
    const now = Date.UTC(2026, 10, 27, 12, 0, 0);
    const code = rotatingCode(CARD_ID, RFC_SECRET, now);
    const parsed = parseCode(code);
    expect(parsed).toMatchObject({ kind: 'rotating', cardId: CARD_ID });
    if (parsed.kind !== 'rotating') throw new Error('not rotating');
    expect(checkTotp(RFC_SECRET, parsed.value, now)).toEqual({ ok: true, step: totpStep(now) });
  });
});
