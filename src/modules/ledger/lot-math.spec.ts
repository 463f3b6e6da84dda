import { compareIds, expiryFor, takeFifo } from './lot-math';

const lot = (id: string, remaining: number, expiresAt: string | null) => ({
  id,
  remaining,
  expiresAt: expiresAt ? new Date(expiresAt) : null,
});

describe('takeFifo', () => {
  it.each([
    // the worked example: 100 (January) + 150 (March), spend 120 → 100 + 20
    [
      [lot('1', 100, '2028-02-01'), lot('2', 150, '2028-04-01')],
      120,
      [
        ['1', 100],
        ['2', 20],
      ],
      0,
    ],
    // expiry first, whatever the id order
    [
      [lot('2', 10, '2028-01-01'), lot('1', 10, '2029-01-01')],
      15,
      [
        ['2', 10],
        ['1', 5],
      ],
      0,
    ],
    // never-expiring lots last; ties by numeric id (10 after 9)
    [
      [lot('10', 5, null), lot('9', 5, null), lot('11', 5, '2030-01-01')],
      12,
      [
        ['11', 5],
        ['9', 5],
        ['10', 2],
      ],
      0,
    ],
    // empty lots are skipped, a shortfall is reported
    [[lot('1', 0, '2028-01-01'), lot('2', 3, '2028-02-01')], 5, [['2', 3]], 2],
    [[], 1, [], 1],
    [[lot('1', 7, null)], 0, [], 0],
  ])('%j take %d', (lots, points, taken, shortfall) => {
    const r = takeFifo(lots, points);
    expect(r.taken.map((t) => [t.lotId, t.points])).toEqual(taken);
    expect(r.shortfall).toBe(shortfall);
  });
});

describe('compareIds', () => {
  it.each([
    ['9', '10', -1],
    ['10', '9', 1],
    ['123', '123', 0],
    ['99999999999', '100000000000', -1],
  ])('%s vs %s', (a, b, sign) => expect(Math.sign(compareIds(a, b))).toBe(sign));
});

describe('expiryFor', () => {
  it.each([
    ['2026-01-10T10:00:00Z', 24, true, '2028-02-01T00:00:00.000Z'],
    ['2026-12-31T23:59:59Z', 1, true, '2027-02-01T00:00:00.000Z'],
    ['2026-01-31T08:30:00Z', 1, false, '2026-02-28T08:30:00.000Z'],
    ['2027-01-31T08:30:00Z', 13, false, '2028-02-29T08:30:00.000Z'],
    ['2026-05-15T12:00:00Z', 12, false, '2027-05-15T12:00:00.000Z'],
  ])('%s + %d months (month end %s) → %s', (at, months, monthEnd, expected) => {
    expect(expiryFor(new Date(at), months, monthEnd)!.toISOString()).toBe(expected);
  });

  it('never expires with 0 months', () => {
    expect(expiryFor(new Date(), 0, true)).toBeNull();
  });
});
