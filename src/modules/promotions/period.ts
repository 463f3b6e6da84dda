import type { LocalTime } from './engine';
import type { LimitPeriod } from './promotion.entity';

/**
 * The counter a per-member limit uses, in the store's calendar: `d:2026-11-27`,
 * `w:2026-W48` (ISO week), `m:2026-11` or `ever`.
 */
export function periodKey(period: LimitPeriod, local: LocalTime): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  switch (period) {
    case 'day':
      return `d:${local.year}-${pad(local.month)}-${pad(local.dayKey % 100)}`;
    case 'week': {
      // ISO week: the week (Monday first) that holds the Thursday.
      const thursday = local.epochDay - local.weekday + 4;
      const year = new Date(thursday * 86_400_000).getUTCFullYear();
      const jan1 = Math.floor(Date.UTC(year, 0, 1) / 86_400_000);
      return `w:${year}-W${pad(Math.floor((thursday - jan1) / 7) + 1)}`;
    }
    case 'month':
      return `m:${local.year}-${pad(local.month)}`;
    case 'ever':
      return 'ever';
  }
}
