import { parseClockTime, quietUntil } from './quiet-hours';

describe('parseClockTime', () => {
  it.each([
    ['00:00', 0],
    ['09:30', 570],
    ['23:59', 1439],
    ['24:00', null],
    ['9:30', null],
    ['21:60', null],
    ['', null],
  ])('%p → %p', (text, expected) => {
    expect(parseClockTime(text)).toBe(expected);
  });
});

describe('quietUntil', () => {
  const night = { from: '21:00', to: '09:00' };
  const lunch = { from: '14:00', to: '16:00' };
  it.each([
    // Madrid is UTC+1 in winter, UTC+2 in summer.
    ['2026-11-27T12:00:00Z', night, 'Europe/Madrid', null],
    ['2026-11-27T19:59:00Z', night, 'Europe/Madrid', null],
    ['2026-11-27T20:00:00Z', night, 'Europe/Madrid', '2026-11-28T08:00:00Z'],
    ['2026-11-27T23:30:00Z', night, 'Europe/Madrid', '2026-11-28T08:00:00Z'],
    ['2026-11-28T07:59:00Z', night, 'Europe/Madrid', '2026-11-28T08:00:00Z'],
    ['2026-11-28T08:00:00Z', night, 'Europe/Madrid', null],
    ['2026-07-01T19:30:00Z', night, 'Europe/Madrid', '2026-07-02T07:00:00Z'],
    // The night the clocks go forward (29 March 2026, 02:00 → 03:00 in Madrid).
    ['2026-03-28T22:00:00Z', night, 'Europe/Madrid', '2026-03-29T07:00:00Z'],
    // …and back (25 October 2026, 03:00 → 02:00).
    ['2026-10-24T22:00:00Z', night, 'Europe/Madrid', '2026-10-25T08:00:00Z'],
    ['2026-11-27T13:30:00Z', lunch, 'Europe/Madrid', '2026-11-27T15:00:00Z'],
    ['2026-11-27T15:00:00Z', lunch, 'Europe/Madrid', null],
    ['2026-11-27T20:00:00Z', night, 'Atlantic/Canary', null],
    ['2026-11-27T21:00:00Z', night, 'Atlantic/Canary', '2026-11-28T09:00:00Z'],
    ['2026-11-27T21:00:00Z', null, 'Europe/Madrid', null],
    ['2026-11-27T21:00:00Z', { from: '10:00', to: '10:00' }, 'Europe/Madrid', null],
  ])('%s with %j in %s → %p', (at, quiet, zone, expected) => {
    const end = quietUntil(new Date(at), quiet, zone);
    expect(end?.toISOString() ?? null).toBe(expected ? new Date(expected).toISOString() : null);
  });
});
