import { TierBrief, tierProgress } from './tier-progress';

const tier = (code: string, thresholdPoints: number): TierBrief => ({
  code,
  nameEs: code,
  nameEn: code,
  thresholdPoints,
});
const TIERS = [tier('gold', 1000), tier('silver', 300)];

describe('tierProgress', () => {
  it.each([
    [null, 0, null, 'silver', 300, 0],
    [null, 150, null, 'silver', 150, 50],
    ['silver', 300, 'silver', 'gold', 700, 0],
    ['silver', 650, 'silver', 'gold', 350, 50],
    ['silver', 1200, 'silver', 'gold', 0, 100],
    ['gold', 1000, 'gold', null, 0, 100],
    [null, 5, null, 'silver', 295, 1],
  ])(
    'tier %p with %p points → %p, next %p, missing %p, %p%%',
    (code, earned, cur, next, missing, percent) => {
      const p = tierProgress(TIERS, code, earned);
      expect(p.current?.code ?? null).toBe(cur);
      expect(p.next?.code ?? null).toBe(next);
      expect(p.missing).toBe(missing);
      expect(p.percent).toBe(percent);
    },
  );

  it('has no next tier when the programme has no tiers', () => {
    expect(tierProgress([], null, 40)).toEqual({
      current: null,
      next: null,
      earned: 40,
      missing: 0,
      percent: 100,
    });
  });
});
