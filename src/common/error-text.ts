import type { ErrorDetail } from './errors';
import { formatMessage, Messages, PageLocale } from './pages/i18n';

/**
 * Error texts a person reads, from the `errors` area of templates/i18n (the same texts the
 * pages' `Fidelia.errorText` uses in the browser). Pure: messages in, text out.
 *
 * A validation detail `{field, constraint, args}` becomes `errors.constraint.<constraint>` with
 * `{field}` the field's name in words (`errors.subject.<field>`, else `errors.field.<field>`,
 * else the raw name) and the constraint's arguments (`{max}`), first letter capitalised:
 * "El nombre no puede superar 80 caracteres."
 */
export function fieldWords(field: string, messages: Messages, asSubject = true): string {
  const name =
    field
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .pop() ?? '';
  const subject = asSubject ? messages[`errors.subject.${name}`] : undefined;
  return subject ?? messages[`errors.field.${name}`] ?? name;
}

/** One detail in words, or undefined when its constraint has no text (the caller falls back). */
export function detailText(
  detail: ErrorDetail,
  messages: Messages,
  locale: string,
): string | undefined {
  const text = detail.constraint ? messages[`errors.constraint.${detail.constraint}`] : undefined;
  if (!text) return undefined;
  const out = formatMessage(
    text,
    { ...(detail.args ?? {}), field: fieldWords(detail.field, messages) },
    locale,
  );
  return out.charAt(0).toLocaleUpperCase(locale) + out.slice(1);
}

/**
 * The text of a validation error: each detail in words (at most `limit`), or — when a detail's
 * constraint has no text — the fields named ("Revisa estos campos: nombre.").
 */
export function validationText(
  details: ErrorDetail[],
  messages: Messages,
  locale: string,
  limit = 5,
): string {
  const texts = details.slice(0, limit).map((d) => detailText(d, messages, locale));
  if (texts.every((x): x is string => x !== undefined)) return [...new Set(texts)].join(' ');
  const fields = [...new Set(details.map((d) => fieldWords(d.field, messages, false)))];
  return formatMessage(
    messages['errors.validation'] ?? '{fields}',
    { count: fields.length, fields: fields.join(', ') },
    locale,
  );
}

/** "Too many attempts: wait 1 minute" — the wait from Retry-After, in seconds. */
export function tooManyText(seconds: number, messages: Messages, locale: string): string {
  const text = messages['errors.tooManyWait'];
  if (!text) return 'too many attempts, try again later';
  const minutes = Math.ceil(seconds / 60);
  return formatMessage(
    text,
    { seconds, minutes, unit: seconds < 90 ? 'seconds' : 'minutes' },
    locale,
  );
}

/**
 * The API's language: Spanish when Accept-Language prefers it to English, else English (the
 * API's default, unlike the pages').
 */
export function apiLocale(acceptLanguage: unknown): PageLocale {
  if (typeof acceptLanguage !== 'string') return 'en';
  let best: { lang: PageLocale; q: number } | undefined;
  for (const part of acceptLanguage.split(',')) {
    const [tag, ...params] = part.trim().split(';');
    const lang = tag.slice(0, 2).toLowerCase();
    if (lang !== 'es' && lang !== 'en') continue;
    const qParam = params.find((p) => p.trim().startsWith('q='));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    if (Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'en';
}
