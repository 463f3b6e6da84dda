import { IntlMessageFormat } from 'intl-messageformat';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export const LOCALES = ['es', 'en'] as const;
export type PageLocale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: PageLocale = 'es';

export type Messages = Record<string, string>;

/**
 * Texts live in templates/i18n/<locale>/<area>.json; a key is `<area>.<key>`, e.g. `login.title`.
 * One file per area lets each module keep its own texts.
 */
export function loadMessages(dir: string): Record<PageLocale, Messages> {
  const out = {} as Record<PageLocale, Messages>;
  for (const locale of LOCALES) {
    out[locale] = {};
    const folder = join(dir, locale);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
      const area = basename(file, '.json');
      const entries = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Record<
        string,
        string
      >;
      for (const [key, text] of Object.entries(entries)) out[locale][`${area}.${key}`] = text;
    }
  }
  return out;
}

/** ?lang= wins, then the `lang` cookie, then Accept-Language, then Spanish. */
export function pickLocale(query: unknown, cookie: unknown, acceptLanguage: unknown): PageLocale {
  for (const candidate of [query, cookie]) {
    if (typeof candidate === 'string' && (LOCALES as readonly string[]).includes(candidate)) {
      return candidate as PageLocale;
    }
  }
  if (typeof acceptLanguage === 'string') {
    const ranked = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag, q] = part.trim().split(';q=');
        return { lang: tag.slice(0, 2).toLowerCase(), q: q ? Number(q) : 1 };
      })
      .sort((a, b) => b.q - a.q);
    const hit = ranked.find((r) => (LOCALES as readonly string[]).includes(r.lang));
    if (hit) return hit.lang as PageLocale;
  }
  return DEFAULT_LOCALE;
}

const compiled = new Map<string, IntlMessageFormat | null>();
const COMPILED_MAX = 5_000;

/**
 * An ICU message (`{count, plural, one {# punto} other {# puntos}}`, `{n, number}`, plain
 * `{name}`) in the locale's rules. A text that is not valid ICU, or a call that leaves out one of
 * its values, falls back to plain placeholder replacement rather than failing the page.
 */
export function formatMessage(
  text: string,
  params: Record<string, unknown> = {},
  locale: string = DEFAULT_LOCALE,
): string {
  if (!text.includes('{')) return text;
  const id = `${locale}\u0000${text}`;
  let format = compiled.get(id);
  if (format === undefined) {
    try {
      format = new IntlMessageFormat(text, locale);
    } catch {
      format = null;
    }
    if (compiled.size >= COMPILED_MAX) compiled.clear();
    compiled.set(id, format);
  }
  if (format) {
    try {
      const out = format.format(params as Record<string, string | number>);
      if (typeof out === 'string') return out;
    } catch {
      // a value is missing: leave its placeholder as it is
    }
  }
  return interpolate(text, params);
}

/** Replaces {name} placeholders. */
export function interpolate(text: string, params: Record<string, unknown> = {}): string {
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}
