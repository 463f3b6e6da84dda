import type { UsableReward } from '../promotions';
import { usableWith } from './usable-rewards';

const reward = (source: UsableReward['source'], costPoints: number): UsableReward => ({
  source,
  code: source === 'coupon' ? `FDC-${costPoints}` : null,
  rewardId: `r-${costPoints}`,
  name: { es: 'x', en: 'x' },
  kind: 'discount',
  costPoints,
  discountCents: 100,
  sku: null,
  expiresAt: null,
});

describe('usableWith', () => {
  const offered = [reward('coupon', 900), reward('catalogue', 50), reward('catalogue', 200)];

  it.each([
    [0, ['coupon:900']],
    [50, ['coupon:900', 'catalogue:50']],
    [199, ['coupon:900', 'catalogue:50']],
    [200, ['coupon:900', 'catalogue:50', 'catalogue:200']],
    [-30, ['coupon:900']], // a debt covers nothing, but coupons are already paid for
  ])('a balance of %i can take %j', (balance, expected) => {
    expect(usableWith(offered, balance).map((r) => `${r.source}:${r.costPoints}`)).toEqual(
      expected,
    );
  });
});
