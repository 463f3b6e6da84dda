import {
  allocate,
  compileRules,
  Condition,
  Effect,
  evaluatePromotions,
  EvaluationContext,
  localTime,
  MemberFacts,
  PromotionRule,
  RuleCompileError,
} from './index';

// Friday 27 Nov 2026, 10:30 in Madrid (UTC+1).
const NOW = new Date('2026-11-27T09:30:00Z');

const LINES = [
  { sku: 'SHOE-1', category: 'shoes', quantity: 1, unitPriceCents: 5999 },
  { sku: 'SOCK-1', category: 'socks', quantity: 3, unitPriceCents: 500 },
];

const MEMBER: MemberFacts = {
  id: 'm1',
  tier: 'Plata',
  enrolledAt: '2026-11-17T12:00:00Z',
  birthDate: '1990-11-03',
  firstPurchase: false,
  tags: ['runner', 'vip'],
  profilingConsent: true,
};

function ctx(over: Partial<EvaluationContext> = {}): EvaluationContext {
  return {
    now: NOW,
    timeZone: 'Europe/Madrid',
    storeId: 'store-1',
    channel: 'till',
    basket: { lines: LINES },
    member: MEMBER,
    ...over,
  };
}

let seq = 0;
function promo(over: Partial<PromotionRule> = {}): PromotionRule {
  seq++;
  return {
    id: over.id ?? `p${String(seq).padStart(3, '0')}`,
    version: 1,
    name: over.name ?? `Promo ${seq}`,
    priority: 0,
    exclusive: false,
    effects: [{ type: 'fixed_bonus', points: 10 }],
    ...over,
  };
}

const holds = (conditions: Condition, c: EvaluationContext = ctx()) =>
  evaluatePromotions([promo({ conditions })], c).breakdown.length === 1;

describe('promotion conditions', () => {
  // Basket net total is 5999 + 1500 = 7499 cents; total quantity 4.
  const table: [string, Condition, boolean][] = [
    // numbers (compared as numbers: 10000 > 9999 even though "10000" < "9999" as strings)
    ['basket_total eq', { type: 'basket_total', op: 'eq', value: 7499 }, true],
    ['basket_total ne', { type: 'basket_total', op: 'ne', value: 7499 }, false],
    ['basket_total gt (number, not string)', { type: 'basket_total', op: 'gt', value: 800 }, true],
    ['basket_total gt fails', { type: 'basket_total', op: 'gt', value: 7499 }, false],
    ['basket_total gte', { type: 'basket_total', op: 'gte', value: 7499 }, true],
    ['basket_total lt', { type: 'basket_total', op: 'lt', value: 10000 }, true],
    ['basket_total lte fails', { type: 'basket_total', op: 'lte', value: 7498 }, false],
    ['basket_total in', { type: 'basket_total', op: 'in', value: [1, 7499] }, true],
    ['basket_total nin', { type: 'basket_total', op: 'nin', value: [1, 7499] }, false],
    ['basket_total between', { type: 'basket_total', op: 'between', value: [7000, 7499] }, true],
    [
      'basket_total between fails',
      { type: 'basket_total', op: 'between', value: [7500, 9000] },
      false,
    ],
    [
      'basket_total on a category',
      { type: 'basket_total', op: 'gte', value: 1500, target: { categories: ['socks'] } },
      true,
    ],
    [
      'basket_total on a category fails',
      { type: 'basket_total', op: 'gt', value: 1500, target: { categories: ['socks'] } },
      false,
    ],
    ['line_quantity gte', { type: 'line_quantity', op: 'gte', value: 4 }, true],
    [
      'line_quantity of a sku',
      { type: 'line_quantity', op: 'eq', value: 3, target: { skus: ['SOCK-1'] } },
      true,
    ],
    [
      'line_quantity excluding a category',
      { type: 'line_quantity', op: 'eq', value: 1, target: { excludeCategories: ['socks'] } },
      true,
    ],
    // strings
    ['line_sku eq', { type: 'line_sku', op: 'eq', value: 'SHOE-1' }, true],
    ['line_sku eq is exact', { type: 'line_sku', op: 'eq', value: 'shoe-1' }, false],
    ['line_sku ne (no line has it)', { type: 'line_sku', op: 'ne', value: 'HAT-1' }, true],
    ['line_sku ne fails', { type: 'line_sku', op: 'ne', value: 'SHOE-1' }, false],
    ['line_sku in', { type: 'line_sku', op: 'in', value: ['HAT-1', 'SOCK-1'] }, true],
    ['line_sku nin', { type: 'line_sku', op: 'nin', value: ['HAT-1', 'SOCK-1'] }, false],
    ['line_category eq', { type: 'line_category', op: 'eq', value: 'shoes' }, true],
    ['line_category nin', { type: 'line_category', op: 'nin', value: ['hats'] }, true],
    ['store eq', { type: 'store', op: 'eq', value: 'store-1' }, true],
    ['store ne', { type: 'store', op: 'ne', value: 'store-1' }, false],
    ['store in', { type: 'store', op: 'in', value: ['store-2', 'store-1'] }, true],
    ['channel nin', { type: 'channel', op: 'nin', value: ['web'] }, true],
    ['channel eq', { type: 'channel', op: 'eq', value: 'web' }, false],
    ['member_tier eq', { type: 'member_tier', op: 'eq', value: 'Plata' }, true],
    ['member_tier in', { type: 'member_tier', op: 'in', value: ['Oro'] }, false],
    ['member_tag eq', { type: 'member_tag', op: 'eq', value: 'runner' }, true],
    ['member_tag ne', { type: 'member_tag', op: 'ne', value: 'runner' }, false],
    ['member_tag in', { type: 'member_tag', op: 'in', value: ['x', 'vip'] }, true],
    ['member_tag nin', { type: 'member_tag', op: 'nin', value: ['x', 'y'] }, true],
    // dates (local date in Madrid: 2026-11-27)
    ['date eq', { type: 'date', op: 'eq', value: '2026-11-27' }, true],
    ['date ne', { type: 'date', op: 'ne', value: '2026-11-27' }, false],
    ['date gt (across months, as dates)', { type: 'date', op: 'gt', value: '2026-09-30' }, true],
    ['date gte', { type: 'date', op: 'gte', value: '2026-11-28' }, false],
    ['date lt', { type: 'date', op: 'lt', value: '2026-12-01' }, true],
    ['date lte', { type: 'date', op: 'lte', value: '2026-11-26' }, false],
    ['date in', { type: 'date', op: 'in', value: ['2026-11-27', '2026-12-24'] }, true],
    ['date nin', { type: 'date', op: 'nin', value: ['2026-11-27'] }, false],
    ['date between', { type: 'date', op: 'between', value: ['2026-11-27', '2026-11-30'] }, true],
    [
      'date between fails',
      { type: 'date', op: 'between', value: ['2026-11-28', '2026-11-30'] },
      false,
    ],
    ['weekday eq friday', { type: 'weekday', op: 'eq', value: 5 }, true],
    ['weekday in weekend', { type: 'weekday', op: 'in', value: [6, 7] }, false],
    ['weekday between', { type: 'weekday', op: 'between', value: [1, 5] }, true],
    ['time_of_day gte', { type: 'time_of_day', op: 'gte', value: '10:30' }, true],
    ['time_of_day lt', { type: 'time_of_day', op: 'lt', value: '10:30' }, false],
    ['time_of_day gt', { type: 'time_of_day', op: 'gt', value: '09:59' }, true],
    ['time_of_day lte', { type: 'time_of_day', op: 'lte', value: '10:29' }, false],
    [
      'time_of_day between',
      { type: 'time_of_day', op: 'between', value: ['10:00', '11:00'] },
      true,
    ],
    [
      'time_of_day between over midnight',
      { type: 'time_of_day', op: 'between', value: ['22:00', '02:00'] },
      false,
    ],
    ['days_since_enrolment gte', { type: 'days_since_enrolment', op: 'gte', value: 10 }, true],
    ['days_since_enrolment lt', { type: 'days_since_enrolment', op: 'lt', value: 10 }, false],
    [
      'days_since_enrolment between',
      { type: 'days_since_enrolment', op: 'between', value: [0, 30] },
      true,
    ],
    ['birthday_month eq true', { type: 'birthday_month', op: 'eq', value: true }, true],
    ['birthday_month ne true', { type: 'birthday_month', op: 'ne', value: true }, false],
    ['first_purchase eq true', { type: 'first_purchase', op: 'eq', value: true }, false],
    ['first_purchase eq false', { type: 'first_purchase', op: 'eq', value: false }, true],
    // groups
    [
      'all: every part holds',
      {
        all: [
          { type: 'basket_total', op: 'gte', value: 5000 },
          { type: 'line_category', op: 'eq', value: 'shoes' },
        ],
      },
      true,
    ],
    [
      'all: one part fails',
      {
        all: [
          { type: 'basket_total', op: 'gte', value: 5000 },
          { type: 'line_category', op: 'eq', value: 'hats' },
        ],
      },
      false,
    ],
    [
      'any: one part holds',
      {
        any: [
          { type: 'channel', op: 'eq', value: 'web' },
          { all: [{ type: 'weekday', op: 'eq', value: 5 }] },
        ],
      },
      true,
    ],
    [
      'any: none holds',
      {
        any: [
          { type: 'channel', op: 'eq', value: 'web' },
          { type: 'weekday', op: 'eq', value: 1 },
        ],
      },
      false,
    ],
  ];

  it.each(table)('%s', (_name, condition, expected) => {
    expect(holds(condition)).toBe(expected);
  });

  it('reads date, weekday and hour in the store time zone', () => {
    // 23:30 UTC on Friday is already Saturday 00:30 in Madrid, still Friday in New York.
    const late = new Date('2026-11-27T23:30:00Z');
    const sat: Condition = { type: 'weekday', op: 'eq', value: 6 };
    expect(holds(sat, ctx({ now: late }))).toBe(true);
    expect(holds(sat, ctx({ now: late, timeZone: 'America/New_York' }))).toBe(false);
    expect(holds({ type: 'date', op: 'eq', value: '2026-11-28' }, ctx({ now: late }))).toBe(true);
    expect(
      holds({ type: 'time_of_day', op: 'between', value: ['22:00', '02:00'] }, ctx({ now: late })),
    ).toBe(true);
  });

  it('handles the daylight-saving change (Madrid: UTC+2 in summer)', () => {
    const summer = new Date('2026-07-01T08:30:00Z');
    expect(localTime(summer, 'Europe/Madrid')).toMatchObject({
      minuteOfDay: 10 * 60 + 30,
      month: 7,
    });
  });

  it('refuses personalised conditions without profiling consent, saying why', () => {
    const c: Condition = { type: 'member_tag', op: 'eq', value: 'runner' };
    const result = evaluatePromotions(
      [promo({ conditions: c })],
      ctx({ member: { ...MEMBER, profilingConsent: false } }),
    );
    expect(result.breakdown).toEqual([]);
    expect(result.notApplied[0].reason).toBe(
      "conditions: member_tag needs the member's profiling consent",
    );
    // Tier is a programme fact, not profiling.
    expect(
      holds(
        { type: 'member_tier', op: 'eq', value: 'Plata' },
        ctx({ member: { ...MEMBER, profilingConsent: false } }),
      ),
    ).toBe(true);
  });

  it('fails member conditions for an anonymous basket and names the failing path', () => {
    const r = evaluatePromotions(
      [
        promo({
          conditions: {
            all: [
              { type: 'basket_total', op: 'gte', value: 1 },
              { type: 'member_tier', op: 'eq', value: 'Oro' },
            ],
          },
        }),
      ],
      ctx(),
    );
    expect(r.notApplied[0].reason).toBe('conditions.all.1: member_tier eq "Oro" does not hold');
    const anon = evaluatePromotions(
      [promo({ conditions: { type: 'first_purchase', op: 'eq', value: false } })],
      ctx({ member: null }),
    );
    expect(anon.notApplied[0].reason).toBe('conditions: first_purchase needs a member');
  });

  const bad: [string, Condition, string][] = [
    ['string for a number', { type: 'basket_total', op: 'gt', value: '10' }, 'conditions.value'],
    ['number for a string', { type: 'line_sku', op: 'eq', value: 5 }, 'conditions.value'],
    ['bad date', { type: 'date', op: 'eq', value: '2026-02-30' }, 'conditions.value'],
    ['bad time', { type: 'time_of_day', op: 'gte', value: '25:00' }, 'conditions.value'],
    ['operator not allowed', { type: 'line_sku', op: 'gt', value: 'x' }, 'conditions.op'],
    ['unknown type', { type: 'nope', op: 'eq', value: 1 } as never, 'conditions.type'],
    ['weekday 8', { type: 'weekday', op: 'eq', value: 8 }, 'conditions.value'],
    [
      'between reversed',
      { type: 'basket_total', op: 'between', value: [9, 1] },
      'conditions.value',
    ],
    [
      'nested bad list item',
      { all: [{ type: 'store', op: 'in', value: ['a', 3] }] },
      'conditions.all.0.value.1',
    ],
  ];
  it.each(bad)('refuses at compile time: %s', (_n, conditions, path) => {
    let error: unknown;
    try {
      compileRules([promo({ conditions })]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuleCompileError);
    expect((error as RuleCompileError).path).toBe(path);
  });
});

describe('promotion effects', () => {
  const base = (over: Partial<PromotionRule> = {}) =>
    promo({
      name: 'Base rate',
      base: true,
      priority: 100,
      effects: [{ type: 'points_per_unit', points: 1, perCents: 100 }],
      ...over,
    });
  const points = (effects: Effect[], c = ctx()) =>
    evaluatePromotions([promo({ effects })], c).pointsEarned;

  const table: [string, Effect[], number][] = [
    // 7499 cents → 74 points (floor once for the basket, not per line: 59 + 15 = 74).
    ['1 point per euro', [{ type: 'points_per_unit', points: 1, perCents: 100 }], 74],
    ['3 points per 2 euros', [{ type: 'points_per_unit', points: 3, perCents: 200 }], 112],
    [
      'points per euro on a category',
      [{ type: 'points_per_unit', points: 2, perCents: 100, target: { categories: ['socks'] } }],
      30,
    ],
    ['fixed bonus', [{ type: 'fixed_bonus', points: 25 }], 25],
    [
      'bonus per unit of a sku',
      [{ type: 'bonus_per_unit', points: 5, target: { skus: ['SOCK-1'] } }],
      15,
    ],
    [
      'bonus per unit of a category',
      [{ type: 'bonus_per_unit', points: 7, target: { categories: ['shoes', 'socks'] } }],
      28,
    ],
    ['10 % of the value', [{ type: 'percent_of_value', percent: 10 }], 7],
    [
      '50 % of the shoes value',
      [{ type: 'percent_of_value', percent: 50, target: { skus: ['SHOE-1'] } }],
      29,
    ],
    [
      'two effects add up',
      [
        { type: 'fixed_bonus', points: 5 },
        { type: 'points_per_unit', points: 1, perCents: 100 },
      ],
      79,
    ],
  ];
  it.each(table)('%s', (_n, effects, expected) => {
    expect(points(effects)).toBe(expected);
  });

  it('splits points over lines so they add up to the total (largest remainder)', () => {
    const r = evaluatePromotions([base()], ctx());
    expect(r.breakdown[0].lines).toEqual([59, 15]);
    expect(r.linePoints).toEqual([59, 15]);
    const out = [0, 0, 0];
    allocate(10, [1, 1, 1], out);
    expect(out).toEqual([4, 3, 3]);
  });

  it('never earns on the part paid with points or discounted', () => {
    const lines = [
      { sku: 'A', category: 'x', quantity: 2, unitPriceCents: 1000, discountCents: 500 },
      { sku: 'B', category: 'x', quantity: 1, unitPriceCents: 1000, paidWithPointsCents: 1000 },
    ];
    const r = evaluatePromotions(
      [
        base(),
        promo({ effects: [{ type: 'bonus_per_unit', points: 10, target: { skus: ['B'] } }] }),
      ],
      ctx({ basket: { lines } }),
    );
    expect(r.breakdown.map((b) => b.points)).toEqual([15]);
    expect(r.notApplied[0].reason).toBe('no eligible lines or base points');
    // A basket-level points payment is spread over lines by value.
    const r2 = evaluatePromotions(
      [base()],
      ctx({ basket: { lines: LINES, paidWithPointsCents: 3000 } }),
    );
    expect(r2.pointsEarned).toBe(44);
    const all = evaluatePromotions(
      [base()],
      ctx({ basket: { lines: LINES, paidWithPointsCents: 7499 } }),
    );
    expect(all.pointsEarned).toBe(0);
    expect(all.notApplied[0].reason).toMatch(/nothing eligible/);
  });

  it('multiplies base points, including its remainder rounding', () => {
    const double = promo({ name: 'Double', effects: [{ type: 'multiplier', factorPercent: 200 }] });
    const oneAndHalf = promo({ effects: [{ type: 'multiplier', factorPercent: 150 }] });
    const r = evaluatePromotions([base(), double, oneAndHalf], ctx());
    expect(r.breakdown.map((b) => [b.name, b.points])).toEqual([
      ['Base rate', 74],
      ['Double', 74],
      [oneAndHalf.name, 37],
    ]);
    expect(r.pointsEarned).toBe(185);
    // Without a base promotion there is nothing to multiply.
    const none = evaluatePromotions([double], ctx());
    expect(none.pointsEarned).toBe(0);
    expect(none.notApplied).toHaveLength(1);
  });

  it('stacks by priority and an exclusive promotion stops the ones below it', () => {
    const high = promo({ id: 'a-high', priority: 50, exclusive: true, name: 'Black Friday' });
    const low = promo({ id: 'b-low', priority: 10 });
    const top = base({ id: 'c-base', priority: 100 });
    const r = evaluatePromotions([low, high, top], ctx());
    expect(r.breakdown.map((b) => b.promotionId)).toEqual(['c-base', 'a-high']);
    expect(r.notApplied).toEqual([
      expect.objectContaining({
        promotionId: 'b-low',
        reason: 'stopped by exclusive promotion "Black Friday"',
      }),
    ]);
    // An exclusive promotion that does not apply stops nothing.
    const off = promo({
      id: 'a-off',
      priority: 50,
      exclusive: true,
      conditions: { type: 'channel', op: 'eq', value: 'web' },
    });
    const r2 = evaluatePromotions([low, off, top], ctx());
    expect(r2.breakdown.map((b) => b.promotionId)).toEqual(['c-base', 'b-low']);
  });

  it('caps the points of a promotion per purchase, also multipliers', () => {
    const capped = promo({
      effects: [{ type: 'points_per_unit', points: 10, perCents: 100 }],
      maxPointsPerPurchase: 100,
    });
    const r = evaluatePromotions([capped], ctx());
    expect(r.breakdown[0]).toMatchObject({ points: 100, capped: true });
    expect(r.breakdown[0].lines.reduce((a, l) => a + l, 0)).toBe(100);
    const triple = promo({
      effects: [{ type: 'multiplier', factorPercent: 300 }],
      maxPointsPerPurchase: 50,
    });
    const r2 = evaluatePromotions([base(), triple], ctx());
    expect(r2.breakdown.map((b) => b.points)).toEqual([74, 50]);
  });

  it('honours the validity window and skips with a reason', () => {
    const future = promo({ startsAt: '2026-12-01T00:00:00Z' });
    const past = promo({ endsAt: '2026-11-27T09:30:00Z' });
    const skipped = promo();
    const r = evaluatePromotions([future, past, skipped], ctx(), {
      skip: new Map([[skipped.id, 'budget spent']]),
    });
    expect(r.breakdown).toEqual([]);
    expect(r.notApplied.map((n) => n.reason).sort()).toEqual(
      ['budget spent', 'ended', 'not started yet'].sort(),
    );
  });

  it('gives stamps and rewards', () => {
    const coffee = promo({
      effects: [{ type: 'stamps', stamps: 1, perUnit: true, target: { categories: ['socks'] } }],
    });
    const gift = promo({ effects: [{ type: 'issue_reward', rewardId: 'r1' }] });
    const r = evaluatePromotions([coffee, gift], ctx());
    expect(r.breakdown.map((b) => [b.stamps, b.rewardIds])).toEqual([
      [3, []],
      [0, ['r1']],
    ]);
    expect(r.pointsEarned).toBe(0);
  });

  it('refuses empty and malformed effects naming the path', () => {
    expect(() => compileRules([promo({ effects: [] })])).toThrow('effects: must contain');
    expect(() =>
      compileRules([promo({ effects: [{ type: 'multiplier', factorPercent: 100 }] })]),
    ).toThrow('effects.0.factorPercent');
    expect(() =>
      compileRules([promo({ effects: [{ type: 'fixed_bonus', points: 1.5 }] })]),
    ).toThrow('effects.0.points');
  });

  it('is deterministic and does not depend on the order promotions are given in', () => {
    const list = [base(), promo({ priority: 5 }), promo({ priority: 5 }), promo({ priority: 1 })];
    const a = evaluatePromotions(list, ctx());
    const b = evaluatePromotions([...list].reverse(), ctx());
    expect(b).toEqual(a);
  });
});
