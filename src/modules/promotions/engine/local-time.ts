/**
 * Wall-clock facts of an instant in a time zone (date, weekday, minute of day) without calling
 * Intl on every evaluation: the zone's UTC offset is cached per 15-minute slot (every real
 * offset change happens on a quarter hour), so the hot path is arithmetic on a number.
 */

export interface LocalTime {
  /** yyyymmdd as an integer, e.g. 20261127: dates compare as numbers. */
  dayKey: number;
  year: number;
  /** 1–12 */
  month: number;
  /** ISO: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 0–1439 */
  minuteOfDay: number;
  /** Days since 1970-01-01 of the local date. */
  epochDay: number;
}

const SLOT_MS = 15 * 60 * 1000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Milliseconds to add to UTC to get the wall clock of `timeZone` at `ms`. */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const slot = Math.floor(ms / SLOT_MS);
  let zone = offsetCache.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsetCache.set(timeZone, zone);
  }
  const cached = zone.get(slot);
  if (cached !== undefined) return cached;
  const at = slot * SLOT_MS;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const wall = Date.UTC(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  const offset = wall - at;
  if (zone.size > 10_000) zone.clear();
  zone.set(slot, offset);
  return offset;
}

export function localTime(now: Date, timeZone: string): LocalTime {
  const ms = now.getTime();
  const local = new Date(ms + zoneOffsetMs(ms, timeZone));
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1;
  const day = local.getUTCDate();
  const dow = local.getUTCDay();
  return {
    dayKey: year * 10000 + month * 100 + day,
    year,
    month,
    weekday: dow === 0 ? 7 : dow,
    minuteOfDay: local.getUTCHours() * 60 + local.getUTCMinutes(),
    epochDay: Math.floor(local.getTime() / 86_400_000),
  };
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `YYYY-MM-DD` → 20261127, or NaN when it is not a real calendar date. */
export function dateKey(value: string): number {
  const m = DATE_RE.exec(value);
  if (!m) return NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d)
    return NaN;
  return y * 10000 + mo * 100 + d;
}

/** `HH:MM` → minute of day, or NaN. */
export function minuteOfDay(value: string): number {
  const m = TIME_RE.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
}

/** Local date (`YYYY-MM-DD` or a Date, read in `timeZone`) → days since 1970-01-01. */
export function epochDayOf(value: Date | string, timeZone: string): number {
  if (typeof value === 'string' && DATE_RE.test(value))
    return Math.floor(Date.parse(`${value}T00:00:00Z`) / 86_400_000);
  return localTime(new Date(value), timeZone).epochDay;
}
