/**
 * Pure points maths: which lots a debit takes from, when a lot expires, how a total is shared
 * out over lines. No database, no clock: table-driven tests in lot-math.spec.ts.
 */

export interface OpenLot {
  id: string;
  remaining: number;
  expiresAt: Date | null;
}

/**
 * Takes `points` from lots in the order they should be spent: the ones that expire first, lots
 * that never expire last, ties by age (id). Returns what each lot gives and what is missing.
 */
export function takeFifo(
  lots: readonly OpenLot[],
  points: number,
): { taken: { lotId: string; points: number }[]; shortfall: number } {
  const ordered = [...lots]
    .filter((l) => l.remaining > 0)
    .sort(
      (a, b) =>
        (a.expiresAt?.getTime() ?? Infinity) - (b.expiresAt?.getTime() ?? Infinity) ||
        compareIds(a.id, b.id),
    );
  const taken: { lotId: string; points: number }[] = [];
  let left = points;
  for (const lot of ordered) {
    if (left <= 0) break;
    const take = Math.min(lot.remaining, left);
    taken.push({ lotId: lot.id, points: take });
    left -= take;
  }
  return { taken, shortfall: left };
}

/** bigserial ids arrive as strings: compare them as numbers. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * When points earned at `earnedAt` expire: `months` later, or at the end of that month (the
 * first instant of the next month, UTC) when `monthEnd`. `months = 0` means never (null).
 */
export function expiryFor(earnedAt: Date, months: number, monthEnd: boolean): Date | null {
  if (months <= 0) return null;
  const y = earnedAt.getUTCFullYear();
  const m = earnedAt.getUTCMonth() + months;
  if (monthEnd) return new Date(Date.UTC(y, m + 1, 1));
  // Same day of month, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb).
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      y,
      m,
      Math.min(earnedAt.getUTCDate(), lastDay),
      earnedAt.getUTCHours(),
      earnedAt.getUTCMinutes(),
      earnedAt.getUTCSeconds(),
      earnedAt.getUTCMilliseconds(),
    ),
  );
}
