import { IntlMessageFormat } from 'intl-messageformat';
import { join } from 'node:path';
import { templatesDir } from '../paths';
import { formatMessage, interpolate, loadMessages, LOCALES, pickLocale } from './i18n';

describe('pickLocale', () => {
  it.each([
    [undefined, undefined, undefined, 'es'],
    ['en', undefined, undefined, 'en'],
    ['fr', 'en', undefined, 'en'],
    [undefined, 'es', 'en-GB,en;q=0.9', 'es'],
    [undefined, undefined, 'en-GB,en;q=0.9', 'en'],
    [undefined, undefined, 'fr-FR,fr;q=0.9,en;q=0.8', 'en'],
    [undefined, undefined, 'de-DE', 'es'],
    [undefined, undefined, 'en;q=0.2,es;q=0.9', 'es'],
  ])('query %p, cookie %p, Accept-Language %p → %p', (q, c, a, expected) => {
    expect(pickLocale(q, c, a)).toBe(expected);
  });
});

describe('interpolate', () => {
  it('replaces known placeholders and leaves unknown ones', () => {
    expect(
      interpolate('Hola {name}, tienes {points} puntos {x}', { name: 'Ana', points: 59 }),
    ).toBe('Hola Ana, tienes 59 puntos {x}');
  });
});

describe('formatMessage (ICU)', () => {
  it.each([
    ['es', '{count, plural, one {# punto} other {# puntos}}', { count: 1 }, '1 punto'],
    ['es', '{count, plural, one {# punto} other {# puntos}}', { count: 0 }, '0 puntos'],
    ['en', '{count, plural, one {# point} other {# points}}', { count: 1 }, '1 point'],
    ['en', '{count, plural, one {# point} other {# points}}', { count: 1500 }, '1,500 points'],
    ['es', '{count, plural, one {# punto} other {# puntos}}', { count: 12345 }, '12.345 puntos'],
    ['es', 'Hola {name}', { name: 'Ana' }, 'Hola Ana'],
    ['es', 'Hola {name} {x}', { name: 'Ana' }, 'Hola Ana {x}'],
    ['en', 'Plain text', {}, 'Plain text'],
    ['en', 'Broken {', {}, 'Broken {'],
  ])('%s %p %p → %p', (locale, text, params, expected) => {
    expect(formatMessage(text, params, locale)).toBe(expected);
  });
});

describe('the texts in templates/i18n', () => {
  const messages = loadMessages(join(templatesDir(), 'i18n'));

  it('has the same keys in Spanish and English', () => {
    const es = Object.keys(messages.es).sort();
    const en = Object.keys(messages.en).sort();
    expect(es.filter((k) => !(k in messages.en))).toEqual([]);
    expect(en.filter((k) => !(k in messages.es))).toEqual([]);
    expect(es.length).toBeGreaterThan(100);
  });

  it('has every text valid as an ICU message, with the same placeholders in both languages', () => {
    const bad: string[] = [];
    for (const locale of LOCALES) {
      for (const [key, text] of Object.entries(messages[locale])) {
        try {
          new IntlMessageFormat(text, locale);
        } catch {
          bad.push(`${locale} ${key}`);
        }
      }
    }
    expect(bad).toEqual([]);
    const names = (text: string) => [...new Set(text.match(/\{(\w+)[,}]/g) ?? [])].sort();
    const differ = Object.keys(messages.es).filter(
      (k) => k in messages.en && names(messages.es[k]).join() !== names(messages.en[k]).join(),
    );
    expect(differ).toEqual([]);
  });
});
