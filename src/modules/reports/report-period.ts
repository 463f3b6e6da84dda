/**
 * Report periods are whole local days: `from`..`to` (inclusive dates) in the store's or the
 * organisation's time zone, turned into UTC instants [start, end). The previous period is the
 * same number of days just before.
 */
export interface Period {
  from: string; // YYYY-MM-DD
  to: string; // YYYY-MM-DD, inclusive
  start: Date;
  end: Date;
  days: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.toISOString().slice(0, 10) === value;
}

/** Offset of `timeZone` from UTC at instant `at`, in ms (positive east of Greenwich). */
function offsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const v = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(v('year'), v('month') - 1, v('day'), v('hour'), v('minute'), v('second'));
  return local - Math.floor(at / 1000) * 1000;
}

/** The instant local midnight starts `date` in `timeZone` (DST-safe). */
export function localMidnight(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  let guess = wall - offsetMs(wall, timeZone);
  // A second pass settles days whose offset differs from the first guess's (DST changes).
  guess = wall - offsetMs(guess, timeZone);
  return new Date(guess);
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000) + 1;
}

export function period(from: string, to: string, timeZone: string): Period {
  return {
    from,
    to,
    start: localMidnight(from, timeZone),
    end: localMidnight(addDays(to, 1), timeZone),
    days: daysBetween(from, to),
  };
}

/** The period of equal length just before. */
export function previousPeriod(p: Period, timeZone: string): Period {
  return period(addDays(p.from, -p.days), addDays(p.from, -1), timeZone);
}

/** The local calendar months a period touches, each clipped to the period: `YYYY-MM` and its cut. */
export function monthsOf(p: Period, timeZone: string): { key: string; start: Date; end: Date }[] {
  const out: { key: string; start: Date; end: Date }[] = [];
  let first = p.from;
  while (first <= p.to) {
    const [y, m] = first.split('-').map(Number);
    const nextMonth = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
    const last = addDays(nextMonth, -1) < p.to ? addDays(nextMonth, -1) : p.to;
    const cut = period(first, last, timeZone);
    out.push({ key: first.slice(0, 7), start: cut.start, end: cut.end });
    first = nextMonth;
  }
  return out;
}
