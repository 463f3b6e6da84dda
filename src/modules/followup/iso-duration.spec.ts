import { addDuration, parseDuration } from './iso-duration';

describe('parseDuration', () => {
  it.each([
    ['PT0S', { seconds: 0 }],
    ['P3D', { days: 3 }],
    ['PT4H', { hours: 4 }],
    ['PT30M', { minutes: 30 }],
    ['P1M', { months: 1 }],
    [
      'P1Y2M3W4DT5H6M7S',
      { years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7 },
    ],
    ['P2W', { weeks: 2 }],
    ['P1DT12H', { days: 1, hours: 12 }],
  ])('%s', (text, parts) => {
    expect(parseDuration(text)).toEqual({
      years: 0,
      months: 0,
      weeks: 0,
      days: 0,
      hours: 0,
      minutes: 0,
      seconds: 0,
      ...parts,
    });
  });

  it.each([
    '',
    'P',
    'PT',
    'P1DT',
    '3D',
    'p3d',
    'P-1D',
    'P1.5D',
    'PT1.5H',
    'P1H',
    'PT1D',
    'P1D2H',
    'P 3D',
    'P3DX',
    'P99999999D',
  ])('refuses %p', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('addDuration', () => {
  const at = (s: string) => new Date(s);
  it.each([
    ['2026-11-27T10:00:00Z', 'PT0S', '2026-11-27T10:00:00Z'],
    ['2026-11-27T10:00:00Z', 'P3D', '2026-11-30T10:00:00Z'],
    ['2026-11-27T10:00:00Z', 'PT4H', '2026-11-27T14:00:00Z'],
    ['2026-11-27T23:30:00Z', 'PT45M', '2026-11-28T00:15:00Z'],
    ['2026-01-31T10:00:00Z', 'P1M', '2026-02-28T10:00:00Z'],
    ['2028-01-31T10:00:00Z', 'P1M', '2028-02-29T10:00:00Z'],
    ['2026-12-15T10:00:00Z', 'P1M', '2027-01-15T10:00:00Z'],
    ['2026-03-28T10:00:00Z', 'P1D', '2026-03-29T10:00:00Z'],
    ['2026-11-27T10:00:00Z', 'P1W', '2026-12-04T10:00:00Z'],
    ['2026-02-28T10:00:00Z', 'P1Y', '2027-02-28T10:00:00Z'],
  ])('%s + %s = %s', (from, text, expected) => {
    expect(addDuration(at(from), parseDuration(text)!).toISOString()).toBe(
      at(expected).toISOString(),
    );
  });
});
