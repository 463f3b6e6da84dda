import { decideTier, qualifyingTier, TierLevel } from './tier-rules';

const TIERS: TierLevel[] = [
  { id: 'b', code: 'Bronce', thresholdPoints: 0 },
  { id: 'p', code: 'Plata', thresholdPoints: 500 },
  { id: 'o', code: 'Oro', thresholdPoints: 2000 },
];
const NOW = new Date('2026-11-27T03:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

describe('tiers', () => {
  it.each([
    [0, 'Bronce'],
    [499, 'Bronce'],
    [500, 'Plata'],
    [1999, 'Plata'],
    [2000, 'Oro'],
    [99999, 'Oro'],
  ])('%i points earned qualify for %s', (earned, code) => {
    expect(qualifyingTier(TIERS, earned)?.code).toBe(code);
  });

  it('has no tier when no threshold is reached', () => {
    expect(qualifyingTier([{ id: 'x', code: 'X', thresholdPoints: 10 }], 9)).toBeNull();
  });

  const table: [
    string,
    string | null,
    Date | null,
    number,
    { upgradeOnly?: boolean },
    string,
    string | null,
    Date | null,
  ][] = [
    ['upgrades at once', 'b', null, 600, {}, 'upgrade', 'p', null],
    ['upgrades two levels', null, null, 2500, {}, 'upgrade', 'o', null],
    ['keeps when still qualifying', 'p', null, 700, {}, 'keep', 'p', null],
    ['clears the grace when qualifying again', 'p', daysAgo(3), 700, {}, 'keep', 'p', null],
    ['starts the grace period when below', 'o', null, 100, {}, 'keep', 'o', NOW],
    ['keeps within the grace period', 'o', daysAgo(29), 100, {}, 'keep', 'o', daysAgo(29)],
    ['downgrades after the grace period', 'o', daysAgo(30), 600, {}, 'downgrade', 'p', null],
    [
      'a purchase never downgrades',
      'o',
      daysAgo(90),
      0,
      { upgradeOnly: true },
      'keep',
      'o',
      daysAgo(90),
    ],
  ];
  it.each(table)('%s', (_n, tierId, belowSince, earned, opts, action, to, below) => {
    const d = decideTier(TIERS, { tierId, belowSince }, earned, NOW, opts);
    expect(d.action).toBe(action);
    expect(d.state).toEqual({ tierId: to, belowSince: below });
  });
});
