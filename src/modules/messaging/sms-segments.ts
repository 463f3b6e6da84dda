/**
 * SMS length in segments, as carriers count them. A message in the GSM 03.38 alphabet packs
 * 160 septets in one segment (153 each when concatenated, the header takes 7); the extension
 * characters (€, [, ], {, }, …) take two septets. Anything outside it sends the whole message as
 * UCS-2: 70 UTF-16 units in one segment, 67 each when concatenated.
 */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '^{}\\[~]|€\f';

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsLength {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENSION.has(ch)) return false;
  return true;
}

export function smsLength(text: string): SmsLength {
  if (isGsm7(text)) {
    let units = 0;
    for (const ch of text) units += EXTENSION.has(ch) ? 2 : 1;
    return { encoding: 'GSM-7', units, segments: segmentsFor(units, 160, 153) };
  }
  const units = text.length; // UTF-16 code units, as UCS-2/UTF-16 sends them
  return { encoding: 'UCS-2', units, segments: segmentsFor(units, 70, 67) };
}

function segmentsFor(units: number, single: number, multi: number): number {
  if (units === 0) return 0;
  return units <= single ? 1 : Math.ceil(units / multi);
}

/** Typographic characters that have a plain GSM-7 twin. */
const FOLD: Record<string, string> = {
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '–': '-',
  '—': '-',
  '…': '...',
  '\u00a0': ' ',
  á: 'a',
  í: 'i',
  ó: 'o',
  ú: 'u',
  Á: 'A',
  Í: 'I',
  Ó: 'O',
  Ú: 'U',
  ç: 'Ç',
  È: 'E',
  Ì: 'I',
  Ò: 'O',
  Ù: 'U',
  À: 'A',
};

/**
 * Folds a text into GSM-7 where a close twin exists (Spanish á, í, ó, ú lose their accent; ñ, é,
 * ü, ¿ and ¡ are GSM-7 already), so an SMS in Spanish stays within 160 characters a segment
 * instead of falling to 70. Characters with no twin (emoji, other scripts) are kept, and the
 * message goes as UCS-2: that is the knowing choice, counted by smsLength.
 */
export function foldToGsm7(text: string): string {
  let out = '';
  for (const ch of text) {
    if (BASIC.has(ch) || EXTENSION.has(ch)) out += ch;
    else if (FOLD[ch] !== undefined) out += FOLD[ch];
    else {
      const bare = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += bare !== ch && isGsm7(bare) ? bare : ch;
    }
  }
  return out;
}
