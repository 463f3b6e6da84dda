import { foldText, queryWords } from '../../common';
import { toE164 } from './phone';

/** What a search box query can be, for the member search: each part drives one indexed branch. */
export interface MemberSearchTerms {
  /** The query trimmed, for email matches. */
  text: string;
  /** The digits when the query is a number (card, phone) written with any separators. */
  digits: string | null;
  /** The phone in E.164 when the query reads as one (Spanish numbers without a prefix). */
  phone: string | null;
  /** Folded words of a name (letters present), for full-text; the last one is a prefix. */
  words: string[];
  /** Folded text for substring matches on names (at least 3 characters), else null. */
  fragment: string | null;
}

export function memberSearchTerms(q: string): MemberSearchTerms {
  const text = q.trim();
  const compact = text.replace(/[\s\-().\/]/g, '');
  const numeric = /^\+?\d+$/.test(compact);
  const digits = numeric ? compact.replace(/^\+/, '') : null;
  const phone = numeric && digits!.length >= 6 ? (toE164(text) ?? null) : null;
  const words = numeric ? [] : queryWords(text).filter((w) => /\p{L}/u.test(w) || w.length > 1);
  const folded = foldText(text);
  return {
    text,
    digits,
    phone,
    words,
    fragment: !numeric && folded.length >= 3 ? folded : null,
  };
}

/** `to_tsquery` text: every word required, the last one also as a prefix (typing). */
export function namesTsQuery(words: string[]): string | null {
  if (!words.length) return null;
  return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(' & ');
}
