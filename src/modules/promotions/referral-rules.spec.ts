import { referralRefusal } from './referral-rules';

describe('referralRefusal', () => {
  const enrolledAt = new Date('2026-11-01T10:00:00Z');
  it.each([
    ['just enrolled, no purchase', '2026-11-01T10:00:00Z', 30, 0, null],
    ['last instant of the window', '2026-12-01T10:00:00Z', 30, 0, null],
    ['one second past the window', '2026-12-01T10:00:01Z', 30, 0, 'enrolled more than 30 days ago'],
    ['a longer window configured', '2026-12-20T10:00:00Z', 60, 0, null],
    ['after the first purchase', '2026-11-02T10:00:00Z', 30, 1, 'already made a purchase'],
    ['a clock behind the enrolment', '2026-10-31T10:00:00Z', 30, 0, null],
    [
      'a zero window: only the very moment',
      '2026-11-01T10:00:01Z',
      0,
      0,
      'enrolled more than 0 days ago',
    ],
  ])('%s', (_name, now, windowDays, purchases, expected) => {
    expect(referralRefusal({ enrolledAt, now: new Date(now), windowDays, purchases })).toBe(
      expected,
    );
  });
});
