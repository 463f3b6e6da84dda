import {
  goodwillCap,
  matchesCustomer,
  matchesPurchase,
  nextStep,
  Outcome,
  reachable,
} from './followup-rules';
import { parseDuration } from './iso-duration';

describe('matchesPurchase', () => {
  const p = { storeId: 's1', categories: ['shoes', 'socks'], totalCents: 5000 };
  it.each([
    [{}, true],
    [{ storeIds: ['s1'] }, true],
    [{ storeIds: ['s2'] }, false],
    [{ storeIds: [] }, true],
    [{ categories: ['shoes'] }, true],
    [{ categories: ['hats', 'socks'] }, true],
    [{ categories: ['hats'] }, false],
    [{ minTotalCents: 5000 }, true],
    [{ minTotalCents: 5001 }, false],
    [{ minTotalCents: 0 }, true],
    [{ storeIds: ['s1'], categories: ['shoes'], minTotalCents: 6000 }, false],
  ])('%j → %p', (conditions, expected) => {
    expect(matchesPurchase(conditions, p)).toBe(expected);
  });
});

describe('matchesCustomer', () => {
  it.each([
    [{}, null, false, true],
    [{ tiers: ['gold'] }, 'gold', false, true],
    [{ tiers: ['gold'] }, 'silver', false, false],
    [{ tiers: ['gold'] }, null, false, false],
    [{ firstPurchase: true }, null, true, true],
    [{ firstPurchase: true }, 'gold', false, false],
    [{ firstPurchase: false }, 'gold', false, true],
  ])('%j tier %p first %p → %p', (c, tier, firstPurchase, expected) => {
    expect(matchesCustomer(c, { tier, firstPurchase })).toBe(expected);
  });
});

describe('reachable', () => {
  const all = { followup: true, calls: true, email: true, phone: true };
  it.each([
    ['call', all, true],
    ['call', { ...all, calls: false }, false],
    ['call', { ...all, phone: false }, false],
    ['sms', { ...all, calls: false }, true],
    ['sms', { ...all, phone: false }, false],
    ['email', { ...all, phone: false, calls: false }, true],
    ['email', { ...all, email: false }, false],
    ['email', { ...all, followup: false }, false],
    ['call', { ...all, followup: false }, false],
  ] as const)('%s %j → %p', (channel, r, expected) => {
    expect(reachable(channel, r)).toBe(expected);
  });
});

describe('nextStep', () => {
  const now = new Date('2026-11-27T10:00:00Z');
  const retryDelay = parseDuration('PT4H')!;
  const later = '2026-11-27T14:00:00.000Z';
  const callback = new Date('2026-11-28T17:30:00Z');
  it.each<[Outcome, number, number, Date | null, string, string | null]>([
    ['reached', 1, 3, null, 'done', null],
    ['refused', 1, 3, null, 'done', null],
    ['wrong_number', 1, 3, null, 'failed', null],
    ['no_answer', 1, 3, null, 'scheduled', later],
    ['busy', 2, 3, null, 'scheduled', later],
    ['voicemail', 3, 3, null, 'failed', null],
    ['no_answer', 3, 3, null, 'failed', null],
    ['callback_requested', 3, 3, callback, 'scheduled', callback.toISOString()],
    ['callback_requested', 1, 3, null, 'scheduled', later],
  ])('%s (attempt %p of %p) → %s', (outcome, attempts, maxAttempts, callbackAt, status, dueAt) => {
    const step = nextStep({ outcome, attempts, maxAttempts, retryDelay, callbackAt, now });
    expect(step.status).toBe(status);
    expect(step.dueAt?.toISOString() ?? null).toBe(dueAt);
  });
});

describe('goodwillCap', () => {
  const caps = { agent: 200, supervisor: 2000 };
  it.each([
    [['agent'], 200],
    [['supervisor'], 2000],
    [['agent', 'supervisor'], 2000],
    [['admin'], 2000],
    [['marketing'], 0],
  ])('%j → %p', (roles, expected) => {
    expect(goodwillCap(roles, caps)).toBe(expected);
  });
});
