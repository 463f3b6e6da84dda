/** Quiet hours as local wall-clock times "HH:MM" in the store's zone; from > to spans midnight. */
export interface QuietHours {
  from: string;
  to: string;
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of "HH:MM", or null. */
export function parseClockTime(text: string): number | null {
  const m = CLOCK.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time of an instant in a zone. */
function localParts(at: Date, timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    y: Number(p.year),
    mo: Number(p.month),
    d: Number(p.day),
    minutes: Number(p.hour) * 60 + Number(p.minute),
    seconds: Number(p.second),
  };
}

/** The instant of a local wall-clock time (the later one after a DST gap: it does not exist). */
export function zonedInstant(
  y: number,
  mo: number,
  d: number,
  minutes: number,
  timeZone: string,
): Date {
  const wall = Date.UTC(y, mo - 1, d, 0, minutes);
  // Two passes of "guess the offset" settle on the right side of a DST change.
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess), timeZone);
    const seen = Date.UTC(p.y, p.mo - 1, p.d, 0, p.minutes, p.seconds);
    guess += wall - seen;
  }
  return new Date(guess);
}

/**
 * When `at` falls inside the quiet hours (local to `timeZone`), the instant they end;
 * otherwise null. `from` is inclusive and `to` exclusive; equal times mean no quiet hours.
 */
export function quietUntil(at: Date, quiet: QuietHours | null, timeZone: string): Date | null {
  if (!quiet) return null;
  const from = parseClockTime(quiet.from);
  const to = parseClockTime(quiet.to);
  if (from === null || to === null || from === to) return null;
  const local = localParts(at, timeZone);
  const now = local.minutes;
  const inside = from < to ? now >= from && now < to : now >= from || now < to;
  if (!inside) return null;
  // The end is today at `to`, or tomorrow when the quiet span crosses midnight and we are before it.
  const endsTomorrow = from > to && now >= from;
  const day = new Date(Date.UTC(local.y, local.mo - 1, local.d + (endsTomorrow ? 1 : 0)));
  return zonedInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), to, timeZone);
}
