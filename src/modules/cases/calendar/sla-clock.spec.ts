import { addMonths, localDate, startOfLocalDay } from './local-time';
import {
  addWorkingDays,
  dueDay,
  isWorkingDay,
  parseSla,
  slaTimes,
  workingDaysBetween,
  WorkCalendar,
} from './sla-clock';

const NATIONAL_2026 = [
  '2026-01-01',
  '2026-01-06',
  '2026-04-03',
  '2026-05-01',
  '2026-08-15',
  '2026-10-12',
  '2026-11-01',
  '2026-12-08',
  '2026-12-25',
];
const NATIONAL_2027 = ['2027-01-01', '2027-01-06', '2027-03-26'];
const TZ = 'Europe/Madrid';
const national: WorkCalendar = {
  timeZone: TZ,
  holidays: new Set([...NATIONAL_2026, ...NATIONAL_2027]),
};
/** Madrid adds Jueves Santo; a locality adds its own day (San Isidro, 15 May, for Madrid city). */
const madrid: WorkCalendar = {
  ...national,
  holidays: new Set([...national.holidays, '2026-04-02']),
};
const madridCity: WorkCalendar = {
  ...madrid,
  holidays: new Set([...madrid.holidays, '2026-05-15']),
};
/** Cataluña: no Jueves Santo, Lunes de Pascua instead (unconfirmed in the notes). */
const cataluna: WorkCalendar = {
  ...national,
  holidays: new Set([...national.holidays, '2026-04-06']),
};
const monToSat: WorkCalendar = { ...madrid, weekend: new Set([0]) };

/** Noon in Madrid on a local date. */
const at = (date: string, time = '12:00') => {
  const [h, m] = time.split(':').map(Number);
  return new Date(startOfLocalDay(date, TZ).getTime() + (h * 60 + m) * 60_000);
};

describe('working days', () => {
  it.each([
    ['2026-04-04', national, false, 'Saturday'],
    ['2026-04-05', national, false, 'Sunday'],
    ['2026-04-03', national, false, 'Viernes Santo (national)'],
    ['2026-04-02', national, true, 'Jueves Santo outside its regions'],
    ['2026-04-02', madrid, false, 'Jueves Santo in Madrid'],
    ['2026-04-06', cataluna, false, 'Lunes de Pascua in Cataluña'],
    ['2026-05-15', madridCity, false, 'a local holiday'],
    ['2026-05-15', madrid, true, 'the same day elsewhere in the region'],
    ['2026-04-04', monToSat, true, 'Saturday where Saturdays count'],
    ['2026-12-31', national, true, 'New Year’s Eve'],
  ])('%s is working: %s (%s)', (date, cal, expected) => {
    expect(isWorkingDay(date, cal)).toBe(expected);
  });

  it.each([
    ['2026-03-31', 15, national, '2026-04-22'],
    ['2026-03-31', 15, madrid, '2026-04-23'],
    ['2026-03-31', 15, cataluna, '2026-04-23'],
    ['2026-03-31', 15, monToSat, '2026-04-20'],
    ['2026-04-03', 1, national, '2026-04-06'],
    ['2026-12-18', 5, national, '2026-12-28'],
    ['2026-12-23', 5, national, '2026-12-31'],
    ['2026-12-28', 5, national, '2027-01-05'],
    ['2026-12-30', 3, national, '2027-01-05'],
    ['2026-12-30', 4, national, '2027-01-07'],
    ['2027-03-24', 2, madrid, '2027-03-29'],
  ])('%s + %i working days = %s', (from, n, cal, expected) => {
    expect(addWorkingDays(from, n, cal)).toBe(expected);
  });

  it('measures working time by the share of each working day', () => {
    // Friday noon to Monday noon: half of Friday and half of Monday.
    expect(workingDaysBetween(at('2026-04-17'), at('2026-04-20'), national)).toBeCloseTo(1, 6);
    // A weekend alone moves nothing.
    expect(workingDaysBetween(at('2026-04-18'), at('2026-04-19'), national)).toBe(0);
  });
});

describe('due days (research notes §2 vectors: complaint received Tue 31-03-2026)', () => {
  it.each([
    ['15cd', madrid, '2026-04-15'],
    ['15wd', monToSat, '2026-04-20'],
    ['15wd', national, '2026-04-22'],
    ['15wd', madrid, '2026-04-23'],
    ['15wd', cataluna, '2026-04-23'],
    ['1m', madrid, '2026-04-30'],
  ])('%s → %s', (sla, cal, expected) => {
    expect(dueDay(at('2026-03-31'), parseSla(sla)!, cal)).toBe(expected);
  });

  it.each([
    ['received on a Saturday counts from Monday', '2026-04-18', '1wd', '2026-04-21'],
    ['received late in the evening is the same day', '2026-04-14', '1wd', '2026-04-15'],
    ['a month ending on a Sunday moves to Monday', '2026-01-31', '1m', '2026-03-02'],
    ['a month across a year end', '2026-12-15', '1m', '2027-01-15'],
    ['calendar days ending on a holiday move on', '2026-12-10', '15cd', '2026-12-28'],
  ])('%s', (_, received, sla, expected) => {
    expect(dueDay(at(received, '23:30'), parseSla(sla)!, national)).toBe(expected);
  });

  it('month arithmetic keeps the day or takes the month’s last', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-12-31', 1)).toBe('2027-01-31');
  });
});

describe('SLA times with pauses', () => {
  const sla = parseSla('15wd')!;

  it('ends at 23:59:59 local of the due day and warns at 80 %', () => {
    const t = slaTimes(at('2026-03-31'), sla, madrid);
    expect(localDate(t.dueAt, TZ)).toBe('2026-04-23');
    expect(t.dueAt.toISOString()).toBe('2026-04-23T21:59:59.000Z');
    // 12 working days after 31-03 in Madrid: 20-04 ends the 12th.
    expect(t.escalateAt.toISOString()).toBe('2026-04-20T22:00:00.000Z');
  });

  it('a pause over a weekend moves nothing; one over two working days moves two', () => {
    const base = slaTimes(at('2026-03-31'), sla, madrid).dueAt;
    const weekend = slaTimes(at('2026-03-31'), sla, madrid, [
      { start: at('2026-04-11', '00:00'), end: at('2026-04-13', '00:00') },
    ]);
    expect(weekend.dueAt).toEqual(base);
    const twoDays = slaTimes(at('2026-03-31'), sla, madrid, [
      { start: at('2026-04-13', '00:00'), end: at('2026-04-15', '00:00') },
    ]);
    expect(localDate(twoDays.dueAt, TZ)).toBe('2026-04-27');
  });

  it('a pause of half a working day moves the deadline half a day (not wall-clock time)', () => {
    const t = slaTimes(at('2026-03-31'), sla, madrid, [
      { start: at('2026-04-10', '12:00'), end: at('2026-04-13', '00:00') },
    ]);
    expect(t.dueAt.toISOString()).toBe(new Date(at('2026-04-24').getTime() - 1000).toISOString());
  });

  it('an open pause counts up to now', () => {
    const t = slaTimes(
      at('2026-03-31'),
      sla,
      madrid,
      [{ start: at('2026-04-13', '00:00'), end: null }],
      at('2026-04-14', '00:00'),
    );
    expect(localDate(t.dueAt, TZ)).toBe('2026-04-24');
  });

  it('calendar-day deadlines pause by wall-clock time and land on a working day', () => {
    const cd = parseSla('15cd')!;
    expect(localDate(slaTimes(at('2026-03-31'), cd, madrid).dueAt, TZ)).toBe('2026-04-15');
    const paused = slaTimes(at('2026-03-31'), cd, madrid, [
      { start: at('2026-04-01', '00:00'), end: at('2026-04-04', '00:00') },
    ]);
    // Three days later is Saturday 18-04: moved to Monday 20-04.
    expect(localDate(paused.dueAt, TZ)).toBe('2026-04-20');
  });

  it('keeps local midnight across the change to summer time (29-03-2026)', () => {
    const t = slaTimes(at('2026-03-27'), parseSla('1wd')!, national);
    expect(t.dueAt.toISOString()).toBe('2026-03-30T21:59:59.000Z');
  });
});

describe('parseSla', () => {
  it.each([
    ['15wd', { amount: 15, unit: 'wd' }],
    ['1m', { amount: 1, unit: 'm' }],
    ['30cd', { amount: 30, unit: 'cd' }],
    ['0wd', null],
    ['15 days', null],
    ['wd', null],
  ])('%s', (text, expected) => expect(parseSla(text)).toEqual(expected));
});
