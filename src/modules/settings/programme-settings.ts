/**
 * The programme settings an admin changes at /admin. Pure: defaults, and how stored JSON values
 * are read back (a value that no longer fits falls back to the default rather than breaking).
 */
export const COMPLAINT_DEADLINES = ['one_month', 'fifteen_working_days', 'earliest'] as const;
/**
 * Which legal deadline complaints get: one calendar month (TRLGDCU art. 21), 15 working days
 * (Ley 10/2025), or the earlier of the two (the safe choice while the sources conflict).
 */
export type ComplaintDeadline = (typeof COMPLAINT_DEADLINES)[number];

export interface ProgrammeSettings {
  /** What one point is worth when spent, in cents. */
  pointValueCents: number;
  /** Months until earned points expire (0: they never do). */
  pointsExpiryMonths: number;
  complaintDeadline: ComplaintDeadline;
}

export const SETTING_KEYS = ['pointValueCents', 'pointsExpiryMonths', 'complaintDeadline'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

export const SETTING_LIMITS = {
  pointValueCents: { min: 1, max: 1000 },
  pointsExpiryMonths: { min: 0, max: 120 },
} as const;

const intIn = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Stored rows over the defaults; a stored value out of range is ignored. */
export function mergeSettings(
  defaults: ProgrammeSettings,
  stored: Partial<Record<string, unknown>>,
): ProgrammeSettings {
  const out = { ...defaults };
  const pv = stored.pointValueCents;
  if (intIn(pv, SETTING_LIMITS.pointValueCents.min, SETTING_LIMITS.pointValueCents.max))
    out.pointValueCents = pv;
  const ex = stored.pointsExpiryMonths;
  if (intIn(ex, SETTING_LIMITS.pointsExpiryMonths.min, SETTING_LIMITS.pointsExpiryMonths.max))
    out.pointsExpiryMonths = ex;
  const cd = stored.complaintDeadline;
  if (typeof cd === 'string' && (COMPLAINT_DEADLINES as readonly string[]).includes(cd))
    out.complaintDeadline = cd as ComplaintDeadline;
  return out;
}
