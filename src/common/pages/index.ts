export { PageRenderer } from './page-renderer';
export type { PageOptions } from './page-renderer';
export { LOCALES, DEFAULT_LOCALE, pickLocale, interpolate, formatMessage } from './i18n';
export type { PageLocale } from './i18n';
