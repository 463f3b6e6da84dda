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

/** Replaces {name} placeholders. */
export function interpolate(text: string, params: Record<string, unknown> = {}): string {
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}
