import { interpolate, pickLocale } from './i18n';

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
