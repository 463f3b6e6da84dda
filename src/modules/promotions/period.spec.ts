import { localTime } from './engine';
import { periodKey } from './period';

describe('periodKey', () => {
  const at = (iso: string) => localTime(new Date(iso), 'Europe/Madrid');
  it.each([
    ['day', '2026-11-27T23:30:00Z', 'd:2026-11-28'],
    ['week', '2026-11-27T10:00:00Z', 'w:2026-W48'],
    ['week', '2027-01-01T10:00:00Z', 'w:2026-W53'],
    ['week', '2025-12-29T10:00:00Z', 'w:2026-W01'],
    ['month', '2026-11-30T23:30:00Z', 'm:2026-12'],
    ['ever', '2026-11-27T10:00:00Z', 'ever'],
  ] as const)('%s at %s → %s', (period, iso, key) => {
    expect(periodKey(period, at(iso))).toBe(key);
  });
});
