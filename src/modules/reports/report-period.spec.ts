import { isDate, localMidnight, monthsOf, period, previousPeriod } from './report-period';

describe('localMidnight', () => {
  it.each([
    ['UTC', '2026-03-01', 'UTC', '2026-03-01T00:00:00.000Z'],
    ['Madrid in winter (+01)', '2026-01-15', 'Europe/Madrid', '2026-01-14T23:00:00.000Z'],
    ['Madrid in summer (+02)', '2026-07-01', 'Europe/Madrid', '2026-06-30T22:00:00.000Z'],
    [
      'Madrid, the day summer time starts',
      '2026-03-29',
      'Europe/Madrid',
      '2026-03-28T23:00:00.000Z',
    ],
    ['Madrid, the day after', '2026-03-30', 'Europe/Madrid', '2026-03-29T22:00:00.000Z'],
    ['Madrid, the day summer time ends', '2026-10-25', 'Europe/Madrid', '2026-10-24T22:00:00.000Z'],
    ['Madrid, the day after it ends', '2026-10-26', 'Europe/Madrid', '2026-10-25T23:00:00.000Z'],
    ['Canary Islands in winter (+00)', '2026-01-15', 'Atlantic/Canary', '2026-01-15T00:00:00.000Z'],
    ['New York in winter (−05)', '2026-01-15', 'America/New_York', '2026-01-15T05:00:00.000Z'],
  ])('%s', (_name, date, tz, iso) => {
    expect(localMidnight(date, tz).toISOString()).toBe(iso);
  });
});

describe('period and previous period', () => {
  it.each([
    [
      'March in Madrid (31 days, across the DST change)',
      '2026-03-01',
      '2026-03-31',
      { start: '2026-02-28T23:00:00.000Z', end: '2026-03-31T22:00:00.000Z', days: 31 },
      { from: '2026-01-29', to: '2026-02-28' },
    ],
    [
      'one day',
      '2026-06-10',
      '2026-06-10',
      { start: '2026-06-09T22:00:00.000Z', end: '2026-06-10T22:00:00.000Z', days: 1 },
      { from: '2026-06-09', to: '2026-06-09' },
    ],
    [
      'a week across new year',
      '2026-12-29',
      '2027-01-04',
      { start: '2026-12-28T23:00:00.000Z', end: '2027-01-04T23:00:00.000Z', days: 7 },
      { from: '2026-12-22', to: '2026-12-28' },
    ],
  ])('%s', (_name, from, to, cut, previous) => {
    const p = period(from, to, 'Europe/Madrid');
    expect({ start: p.start.toISOString(), end: p.end.toISOString(), days: p.days }).toEqual(cut);
    expect(previousPeriod(p, 'Europe/Madrid')).toMatchObject({ ...previous, days: p.days });
  });
});

describe('isDate', () => {
  it.each([
    ['2026-02-28', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['yesterday', false],
  ])('%s → %s', (value, expected) => {
    expect(isDate(value)).toBe(expected);
  });
});

describe('monthsOf', () => {
  const iso = (xs: { key: string; start: Date; end: Date }[]) =>
    xs.map((x) => [x.key, x.start.toISOString(), x.end.toISOString()]);

  it.each([
    [
      'one whole month',
      '2026-03-01',
      '2026-03-31',
      [['2026-03', '2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z']],
    ],
    [
      'clipped at both ends, across a year',
      '2026-12-15',
      '2027-01-10',
      [
        ['2026-12', '2026-12-14T23:00:00.000Z', '2026-12-31T23:00:00.000Z'],
        ['2027-01', '2026-12-31T23:00:00.000Z', '2027-01-10T23:00:00.000Z'],
      ],
    ],
    [
      'one day',
      '2026-02-28',
      '2026-02-28',
      [['2026-02', '2026-02-27T23:00:00.000Z', '2026-02-28T23:00:00.000Z']],
    ],
  ])('%s', (_name, from, to, expected) => {
    expect(iso(monthsOf(period(from, to, 'Europe/Madrid'), 'Europe/Madrid'))).toEqual(expected);
  });

  it('a year has twelve months', () => {
    expect(monthsOf(period('2026-01-01', '2026-12-31', 'UTC'), 'UTC').map((m) => m.key)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
    );
  });
});
