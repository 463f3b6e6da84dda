import { addDays, addMonths, LocalDate, localDate, startOfLocalDay, weekday } from './local-time';

/** `cd` calendar days, `wd` working days (días hábiles), `m` months. */
export type SlaUnit = 'cd' | 'wd' | 'm';
export const SLA_UNITS: readonly SlaUnit[] = ['cd', 'wd', 'm'];

export interface SlaSpec {
  amount: number;
  unit: SlaUnit;
}

export interface WorkCalendar {
  timeZone: string;
  /** Holidays that apply (national, the store's region and its locality), as `YYYY-MM-DD`. */
  holidays: ReadonlySet<LocalDate>;
  /** Days of the week that are never working days (0 Sunday … 6 Saturday). Default Sat + Sun. */
  weekend?: ReadonlySet<number>;
}

/** A period the clock stood still (waiting on the customer); `end` null while it lasts. */
export interface ClockPause {
  start: Date;
  end: Date | null;
}

export interface SlaTimes {
  /** The last moment of the deadline (23:59:59 local of the due day when nothing paused it). */
  dueAt: Date;
  /** When 80 % of the time is used: the scheduler warns supervisors then. */
  escalateAt: Date;
}

export const ESCALATE_AT_FRACTION = 0.8;
const WEEKEND: ReadonlySet<number> = new Set([0, 6]);
/** Ten years of days: more than any deadline, so a malformed calendar cannot loop for ever. */
const MAX_DAYS = 3660;

export function isWorkingDay(date: LocalDate, cal: WorkCalendar): boolean {
  return !(cal.weekend ?? WEEKEND).has(weekday(date)) && !cal.holidays.has(date);
}

export function nextWorkingDay(date: LocalDate, cal: WorkCalendar, orSame = false): LocalDate {
  let d = orSame ? date : addDays(date, 1);
  for (let i = 0; i < MAX_DAYS && !isWorkingDay(d, cal); i++) d = addDays(d, 1);
  return d;
}

/** The `n`-th working day after `date` (counting starts the day after, Ley 39/2015 art. 30). */
export function addWorkingDays(date: LocalDate, n: number, cal: WorkCalendar): LocalDate {
  let d = date;
  for (let i = 0; i < n; i++) d = nextWorkingDay(d, cal);
  return d;
}

/**
 * The day the deadline ends, with nothing paused: counting starts the day after receipt; a
 * filing on a non-working day counts as made on the next working day (art. 31.2); a deadline
 * in calendar days or months that ends on a non-working day moves to the next working day.
 */
export function dueDay(received: Date, sla: SlaSpec, cal: WorkCalendar): LocalDate {
  const filed = nextWorkingDay(localDate(received, cal.timeZone), cal, true);
  switch (sla.unit) {
    case 'wd':
      return addWorkingDays(filed, sla.amount, cal);
    case 'cd':
      return nextWorkingDay(addDays(filed, sla.amount), cal, true);
    case 'm':
      return nextWorkingDay(addMonths(filed, sla.amount), cal, true);
  }
}

/**
 * Due date and 80 % mark of a case received at `received`, with the clock stopped during each
 * pause. Pauses count in the deadline's own time: for working days only the working part of a
 * pause moves the deadline (a pause over a weekend moves nothing), as a fraction of the day;
 * for calendar days and months, its wall-clock length. An open pause counts up to `asOf`.
 */
export function slaTimes(
  received: Date,
  sla: SlaSpec,
  cal: WorkCalendar,
  pauses: readonly ClockPause[] = [],
  asOf: Date = received,
): SlaTimes {
  const filed = nextWorkingDay(localDate(received, cal.timeZone), cal, true);
  const clockStart = startOfLocalDay(addDays(filed, 1), cal.timeZone);
  const closed = pauses.map((p) => ({
    start: new Date(Math.max(p.start.getTime(), clockStart.getTime())),
    end: p.end ?? asOf,
  }));
  if (sla.unit === 'wd') {
    const paused = closed.reduce((sum, p) => sum + workingDaysBetween(p.start, p.end, cal), 0);
    return {
      dueAt: endOf(afterWorkingDays(clockStart, sla.amount + paused, cal)),
      escalateAt: afterWorkingDays(clockStart, sla.amount * ESCALATE_AT_FRACTION + paused, cal),
    };
  }
  const baseEnd = startOfLocalDay(addDays(dueDay(received, sla, cal), 1), cal.timeZone);
  const pausedMs = closed.reduce(
    (sum, p) => sum + Math.max(0, p.end.getTime() - p.start.getTime()),
    0,
  );
  let due = new Date(baseEnd.getTime() + pausedMs);
  if (pausedMs > 0) {
    const day = localDate(endOf(due), cal.timeZone);
    if (!isWorkingDay(day, cal))
      due = startOfLocalDay(addDays(nextWorkingDay(day, cal), 1), cal.timeZone);
  }
  const span = baseEnd.getTime() - clockStart.getTime();
  return {
    dueAt: endOf(due),
    escalateAt: new Date(clockStart.getTime() + span * ESCALATE_AT_FRACTION + pausedMs),
  };
}

/** Working time between two instants, in working days (a day counted by its share elapsed). */
export function workingDaysBetween(from: Date, to: Date, cal: WorkCalendar): number {
  if (to <= from) return 0;
  let total = 0;
  let day = localDate(from, cal.timeZone);
  for (let i = 0; i < MAX_DAYS; i++) {
    const start = startOfLocalDay(day, cal.timeZone).getTime();
    const next = addDays(day, 1);
    const end = startOfLocalDay(next, cal.timeZone).getTime();
    if (start >= to.getTime()) break;
    if (isWorkingDay(day, cal)) {
      const overlap = Math.min(end, to.getTime()) - Math.max(start, from.getTime());
      if (overlap > 0) total += overlap / (end - start);
    }
    day = next;
  }
  return total;
}

/** The first instant by which `units` working days have elapsed since `from`. */
export function afterWorkingDays(from: Date, units: number, cal: WorkCalendar): Date {
  let remaining = units;
  let day = localDate(from, cal.timeZone);
  for (let i = 0; i < MAX_DAYS; i++) {
    const start = startOfLocalDay(day, cal.timeZone).getTime();
    const next = addDays(day, 1);
    const end = startOfLocalDay(next, cal.timeZone).getTime();
    if (isWorkingDay(day, cal)) {
      const begin = Math.max(start, from.getTime());
      const available = (end - begin) / (end - start);
      if (remaining <= available + 1e-9) {
        return new Date(Math.min(end, begin + Math.round(remaining * (end - start))));
      }
      remaining -= available;
    }
    day = next;
  }
  throw new Error('deadline beyond ten years: check the calendar');
}

/** A deadline is shown as the last second before its exclusive end. */
const endOf = (exclusive: Date) => new Date(exclusive.getTime() - 1000);

/** Parses `15wd`, `1m`, `30cd` (the COMPLAINT_DEADLINE setting and policy shorthand). */
export function parseSla(text: string): SlaSpec | null {
  const m = /^(\d{1,3})(cd|wd|m)$/.exec(text.trim());
  if (!m) return null;
  const amount = Number(m[1]);
  return amount >= 1 ? { amount, unit: m[2] as SlaUnit } : null;
}

export const formatSla = (s: SlaSpec) => `${s.amount}${s.unit}`;

/**
 * The complaint deadlines the law may mean while it is unclear (research notes §2): 15 working
 * days (Ley 10/2025), one month (TRLGDCU art. 21 as it was) and 15 calendar days (art. 21.3 as
 * two secondary sources read it). The shop's setting picks the due date; the earliest is warned.
 */
export const LEGAL_COMPLAINT_CANDIDATES: Array<SlaSpec & { rule: string }> = [
  { amount: 15, unit: 'wd', rule: 'Ley 10/2025: 15 días hábiles' },
  { amount: 1, unit: 'm', rule: 'TRLGDCU art. 21: un mes' },
  { amount: 15, unit: 'cd', rule: 'TRLGDCU art. 21.3 (sin confirmar): quince días' },
];
