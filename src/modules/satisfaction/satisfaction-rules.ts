import { createHash, randomBytes } from 'node:crypto';

export type SurveyKind = 'csat' | 'nps';
export type SurveyChannel = 'email' | 'sms' | 'phone' | 'web';

export const SURVEY_KINDS: readonly SurveyKind[] = ['csat', 'nps'];

/** The score range of each kind: CSAT 1–5, NPS 0–10. */
export function scoreInRange(kind: SurveyKind, score: number): boolean {
  if (!Number.isInteger(score)) return false;
  return kind === 'csat' ? score >= 1 && score <= 5 : score >= 0 && score <= 10;
}

/** A score that opens an incident for supervisors: CSAT ≤ 2, NPS ≤ 6 (a detractor). */
export function isLowScore(kind: SurveyKind, score: number): boolean {
  return kind === 'csat' ? score <= 2 : score <= 6;
}

/** NPS promoter (9–10) / detractor (0–6); CSAT satisfied is 4–5. */
export const isPromoter = (score: number) => score >= 9;
export const isDetractor = (score: number) => score <= 6;
export const isSatisfied = (score: number) => score >= 4;

/** NPS = % promoters − % detractors, rounded to one decimal; null without responses. */
export function npsScore(promoters: number, detractors: number, responses: number): number | null {
  if (responses <= 0) return null;
  return Math.round(((promoters - detractors) * 1000) / responses) / 10;
}

/** CSAT = % satisfied (4–5), one decimal; null without responses. */
export function csatScore(satisfied: number, responses: number): number | null {
  if (responses <= 0) return null;
  return Math.round((satisfied * 1000) / responses) / 10;
}

/** A survey link's secret: 32 random bytes (256 bits), URL-safe. Only its hash is stored. */
export function newSurveyToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a token: SHA-256 (the token has full entropy, no salt needed). */
export function hashSurveyToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Tokens are 43 base64url characters; anything else is unknown without a lookup's cost. */
export const looksLikeSurveyToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);
