import { join } from 'node:path';
import { apiLocale, detailText, tooManyText, validationText } from './error-text';
import { ErrorDetail } from './errors';
import { loadMessages } from './pages/i18n';
import { templatesDir } from './paths';

const messages = loadMessages(join(templatesDir(), 'i18n'));

describe('detailText: a validation detail in the reader’s language', () => {
  it.each<[string, ErrorDetail, string]>([
    [
      'es',
      { field: 'firstName', reason: 'x', constraint: 'maxLength', args: { max: 80 } },
      'El nombre no puede superar 80 caracteres.',
    ],
    [
      'en',
      { field: 'firstName', reason: 'x', constraint: 'maxLength', args: { max: 80 } },
      'First name cannot be longer than 80 characters.',
    ],
    [
      'es',
      { field: 'name', reason: 'x', constraint: 'maxLength', args: { max: 1 } },
      'El nombre no puede superar 1 carácter.',
    ],
    [
      'es',
      { field: 'phone', reason: 'x', constraint: 'isPhone' },
      'El teléfono debe estar en formato internacional, p. ej. +34 600 000 000.',
    ],
    [
      'en',
      { field: 'phone', reason: 'x', constraint: 'isPhone' },
      'Phone must be in international format, e.g. +34 600 000 000.',
    ],
    [
      'es',
      { field: 'lines.0.unitPriceCents', reason: 'x', constraint: 'min', args: { min: 0 } },
      'El precio no puede ser menos de 0.',
    ],
    [
      'es',
      { field: 'pointValueCents', reason: 'x', constraint: 'max', args: { max: 1000 } },
      'El valor del punto no puede ser más de 1000.',
    ],
    [
      'en',
      { field: 'pointValueCents', reason: 'x', constraint: 'max', args: { max: 1000 } },
      'Point value cannot be more than 1,000.',
    ],
    [
      'es',
      { field: 'nameEn', reason: 'x', constraint: 'minLength', args: { min: 1 } },
      'El nombre en inglés necesita al menos 1 carácter.',
    ],
    [
      'es',
      { field: 'roles', reason: 'x', constraint: 'isIn', args: { values: 'cashier, admin' } },
      'La lista de funciones debe ser uno de estos valores: cashier, admin.',
    ],
    [
      'es',
      { field: 'email', reason: 'x', constraint: 'isDefined' },
      'Falta el correo electrónico.',
    ],
    ['en', { field: 'email', reason: 'x', constraint: 'isDefined' }, 'Email is missing.'],
    [
      'es',
      { field: 'nickname', reason: 'x', constraint: 'unknown' },
      'Nickname no es un dato que se pueda enviar aquí.',
    ],
    [
      'es',
      { field: 'lines', reason: 'x', constraint: 'arrayMaxSize', args: { max: 200 } },
      'La lista de líneas admite como mucho 200 elementos.',
    ],
  ])('%s %j → %s', (locale, detail, expected) => {
    const l = locale as 'es' | 'en';
    expect(detailText(detail, messages[l], l)).toBe(expected);
  });

  it('has no text for a detail without a constraint, or with one it does not know', () => {
    expect(detailText({ field: 'x', reason: 'y' }, messages.es, 'es')).toBeUndefined();
    expect(
      detailText({ field: 'x', reason: 'y', constraint: 'isMartian' }, messages.es, 'es'),
    ).toBeUndefined();
  });
});

describe('validationText', () => {
  it.each<[string, ErrorDetail[], string]>([
    [
      'es',
      [
        { field: 'firstName', reason: 'x', constraint: 'maxLength', args: { max: 80 } },
        { field: 'phone', reason: 'x', constraint: 'isPhone' },
      ],
      'El nombre no puede superar 80 caracteres. El teléfono debe estar en formato internacional, p. ej. +34 600 000 000.',
    ],
    // One detail without a rule: the fields named, as before.
    [
      'es',
      [
        { field: 'firstName', reason: 'x', constraint: 'maxLength', args: { max: 80 } },
        { field: 'birthDate', reason: 'must be plausible' },
      ],
      'Revisa estos campos: nombre, fecha de nacimiento.',
    ],
  ])('%s %j → %s', (locale, details, expected) => {
    const l = locale as 'es' | 'en';
    expect(validationText(details, messages[l], l)).toBe(expected);
  });
});

describe('tooManyText: a 429 with its wait', () => {
  it.each([
    ['es', 1, 'Demasiados intentos. Espera 1 segundo y vuelve a probar.'],
    ['es', 30, 'Demasiados intentos. Espera 30 segundos y vuelve a probar.'],
    ['es', 60, 'Demasiados intentos. Espera 60 segundos y vuelve a probar.'],
    ['es', 90, 'Demasiados intentos. Espera 2 minutos y vuelve a probar.'],
    ['en', 120, 'Too many attempts. Wait 2 minutes and try again.'],
    ['en', 1, 'Too many attempts. Wait 1 second and try again.'],
  ])('%s %d s → %s', (locale, seconds, expected) => {
    const l = locale as 'es' | 'en';
    expect(tooManyText(seconds, messages[l], l)).toBe(expected);
  });
});

describe('apiLocale: the API speaks English unless Spanish is preferred', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['es-ES,es;q=0.9', 'es'],
    ['en-GB,en;q=0.9,es;q=0.8', 'en'],
    ['fr-FR,es;q=0.5', 'es'],
    ['es;q=0.3,en;q=0.7', 'en'],
    ['de', 'en'],
    ['es;q=0', 'en'],
  ])('%p → %s', (header, expected) => {
    expect(apiLocale(header)).toBe(expected);
  });
});
