import { validateBody } from '../../../common';
import { CreatePromotionDto } from './promotion.dto';

const base = {
  nameEs: 'Prueba',
  nameEn: 'Test',
  effects: [{ type: 'fixed_bonus', points: 10 }],
};

async function fieldsOf(body: Record<string, unknown>): Promise<string[]> {
  try {
    await validateBody(CreatePromotionDto, { ...base, ...body });
    return [];
  } catch (err) {
    return ((err as { details: { field: string }[] }).details ?? []).map((d) => d.field);
  }
}

const leaf = (type: string, op: string, value: unknown, extra: Record<string, unknown> = {}) => ({
  conditions: { all: [{ type, op, value, ...extra }] },
});

describe('promotion DTO validation', () => {
  const valid: [string, Record<string, unknown>][] = [
    ['number', leaf('basket_total', 'gte', 5000)],
    ['number list', leaf('line_quantity', 'in', [1, 2])],
    ['number between', leaf('days_since_enrolment', 'between', [0, 30])],
    ['string', leaf('line_sku', 'eq', 'SKU-1')],
    ['string list', leaf('store', 'nin', ['a', 'b'])],
    ['date', leaf('date', 'lt', '2026-12-24')],
    ['date between', leaf('date', 'between', ['2026-11-27', '2026-11-30'])],
    ['weekday list', leaf('weekday', 'in', [6, 7])],
    ['time', leaf('time_of_day', 'gte', '18:00')],
    ['time window over midnight', leaf('time_of_day', 'between', ['22:00', '02:00'])],
    ['boolean', leaf('first_purchase', 'eq', true)],
    ['target on basket_total', leaf('basket_total', 'gte', 100, { target: { categories: ['x'] } })],
    [
      'nested groups',
      { conditions: { any: [{ all: [{ type: 'channel', op: 'eq', value: 'web' }] }] } },
    ],
    [
      'every effect type',
      {
        effects: [
          { type: 'points_per_unit', points: 1, perCents: 100 },
          { type: 'multiplier', factorPercent: 200 },
          { type: 'fixed_bonus', points: 5, target: { skus: ['A'] } },
          { type: 'bonus_per_unit', points: 5, target: { categories: ['socks'] } },
          { type: 'percent_of_value', percent: 10 },
          { type: 'issue_reward', rewardId: '6f1c2a52-8a3b-4c55-9a37-1df2a0c1b7aa' },
          { type: 'stamps', stamps: 1, perUnit: true },
        ],
      },
    ],
  ];
  it.each(valid)('accepts %s', async (_n, body) => {
    expect(await fieldsOf(body)).toEqual([]);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['a numeric string for a number', leaf('basket_total', 'gt', '10'), 'conditions.all.0.value'],
    ['a fraction for an integer', leaf('line_quantity', 'eq', 1.5), 'conditions.all.0.value'],
    ['a number for a string', leaf('member_tier', 'eq', 3), 'conditions.all.0.value'],
    ['a scalar for in', leaf('store', 'in', 'a'), 'conditions.all.0.value'],
    ['an empty list', leaf('line_sku', 'nin', []), 'conditions.all.0.value'],
    [
      'three values for between',
      leaf('basket_total', 'between', [1, 2, 3]),
      'conditions.all.0.value',
    ],
    [
      'a reversed between',
      leaf('date', 'between', ['2026-12-01', '2026-11-01']),
      'conditions.all.0.value',
    ],
    ['an impossible date', leaf('date', 'eq', '2026-02-30'), 'conditions.all.0.value'],
    ['a datetime for a date', leaf('date', 'eq', '2026-02-03T10:00'), 'conditions.all.0.value'],
    ['a bad time', leaf('time_of_day', 'lt', '7pm'), 'conditions.all.0.value'],
    ['weekday 0', leaf('weekday', 'eq', 0), 'conditions.all.0.value'],
    ['a string for a boolean', leaf('birthday_month', 'eq', 'true'), 'conditions.all.0.value'],
    ['an unknown operator', leaf('basket_total', 'approx', 1), 'conditions.all.0.op'],
    ['an operator the type does not take', leaf('channel', 'lt', 'web'), 'conditions.all.0.op'],
    ['an unknown type', leaf('weather', 'eq', 'sunny'), 'conditions.all.0.type'],
    [
      'a target where none is taken',
      leaf('store', 'eq', 'a', { target: { skus: ['x'] } }),
      'conditions.all.0.target',
    ],
    ['an empty group', { conditions: { all: [] } }, 'conditions.all'],
    [
      'a group and a leaf at once',
      { conditions: { all: [leaf('store', 'eq', 'a').conditions.all[0]], type: 'store' } },
      'conditions.all',
    ],
    ['no effects', { effects: [] }, 'effects'],
    ['an empty effect', { effects: [{}] }, 'effects.0.type'],
    [
      'a multiplier of 100 %',
      { effects: [{ type: 'multiplier', factorPercent: 100 }] },
      'effects.0.factorPercent',
    ],
    [
      'points per unit without perCents',
      { effects: [{ type: 'points_per_unit', points: 1 }] },
      'effects.0.perCents',
    ],
    [
      'bonus per unit without a target',
      { effects: [{ type: 'bonus_per_unit', points: 1 }] },
      'effects.0.target',
    ],
    [
      'a reward id that is not a uuid',
      { effects: [{ type: 'issue_reward', rewardId: 'free' }] },
      'effects.0.rewardId',
    ],
    [
      'percent over 100',
      { effects: [{ type: 'percent_of_value', percent: 150 }] },
      'effects.0.percent',
    ],
    [
      'an unknown member limit period',
      { memberLimit: { count: 1, period: 'year' } },
      'memberLimit.period',
    ],
  ];
  it.each(invalid)('refuses %s, naming the path', async (_n, body, field) => {
    expect(await fieldsOf(body)).toContain(field);
  });
});
