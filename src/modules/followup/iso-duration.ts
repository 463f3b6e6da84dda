/** An ISO-8601 duration as its parts (P1Y2M3W4DT5H6M7S); weeks are kept apart from days. */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const PATTERN =
  /^P(?:(\d{1,4})Y)?(?:(\d{1,4})M)?(?:(\d{1,4})W)?(?:(\d{1,5})D)?(?:T(?:(\d{1,5})H)?(?:(\d{1,6})M)?(?:(\d{1,7})S)?)?$/;

/**
 * Parses a duration such as `P3D`, `PT4H`, `P1M`, `PT0S`; null for anything else (negative,
 * fractional, empty `P`, a `T` with nothing after it, lowercase).
 */
export function parseDuration(text: string): Duration | null {
  if (typeof text !== 'string' || text === 'P' || text.endsWith('T')) return null;
  const m = PATTERN.exec(text);
  if (!m) return null;
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  return {
    years: n(1),
    months: n(2),
    weeks: n(3),
    days: n(4),
    hours: n(5),
    minutes: n(6),
    seconds: n(7),
  };
}

/**
 * `at` plus the duration: years and months on the calendar (Jan 31 + P1M = Feb 28/29), then
 * weeks, days and the time part as elapsed time (UTC days of 24 h: a follow-up delay is a wait,
 * not a wall-clock appointment; quiet hours are applied afterwards in the store's zone).
 */
export function addDuration(at: Date, d: Duration): Date {
  const out = new Date(at.getTime());
  if (d.years || d.months) {
    const day = out.getUTCDate();
    out.setUTCDate(1);
    out.setUTCMonth(out.getUTCMonth() + d.years * 12 + d.months);
    const last = new Date(Date.UTC(out.getUTCFullYear(), out.getUTCMonth() + 1, 0)).getUTCDate();
    out.setUTCDate(Math.min(day, last));
  }
  const seconds = ((d.weeks * 7 + d.days) * 24 + d.hours) * 3600 + d.minutes * 60 + d.seconds;
  return new Date(out.getTime() + seconds * 1000);
}
