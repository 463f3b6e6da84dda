/** Counts of one group (or the whole period), as the satisfaction module aggregates them. */
export interface SatisfactionCounts {
  responses: number;
  invitations: number;
  npsResponses: number;
  promoters: number;
  detractors: number;
  csatResponses: number;
  csatSatisfied: number;
}

export interface SatisfactionFigures extends SatisfactionCounts {
  /** Responses per invitation, in % (null without invitations). */
  responseRate: number | null;
  /** % promoters (9–10) − % detractors (0–6) over NPS responses, −100…100 (null without any). */
  nps: number | null;
  /** % of CSAT responses scoring 4–5 (null without any). */
  csat: number | null;
}

export interface ReportGroup extends SatisfactionFigures {
  key: string;
  label: string;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** NPS over `responses`, rounded to one decimal; null for none. */
export function nps(promoters: number, detractors: number, responses: number): number | null {
  if (responses <= 0) return null;
  return round1(((promoters - detractors) * 100) / responses);
}

/** Share (in %) of satisfied among responses, one decimal; null for none. */
export function share(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return round1((part * 100) / whole);
}

export function figures(c: SatisfactionCounts): SatisfactionFigures {
  return {
    ...c,
    responseRate: share(c.responses, c.invitations),
    nps: nps(c.promoters, c.detractors, c.npsResponses),
    csat: share(c.csatSatisfied, c.csatResponses),
  };
}

export const ZERO: SatisfactionCounts = {
  responses: 0,
  invitations: 0,
  npsResponses: 0,
  promoters: 0,
  detractors: 0,
  csatResponses: 0,
  csatSatisfied: 0,
};

export function sumCounts(rows: SatisfactionCounts[]): SatisfactionCounts {
  const out = { ...ZERO };
  for (const r of rows) {
    for (const k of Object.keys(ZERO) as (keyof SatisfactionCounts)[]) out[k] += r[k];
  }
  return out;
}
