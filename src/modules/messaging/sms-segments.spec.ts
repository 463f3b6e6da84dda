import { foldToGsm7, isGsm7, smsLength } from './sms-segments';

describe('smsLength', () => {
  it.each([
    ['empty', '', 'GSM-7', 0, 0],
    ['plain ASCII', 'Hola', 'GSM-7', 4, 1],
    ['160 GSM-7 in one segment', 'a'.repeat(160), 'GSM-7', 160, 1],
    ['161 GSM-7 in two of 153', 'a'.repeat(161), 'GSM-7', 161, 2],
    ['306 GSM-7 in two', 'a'.repeat(306), 'GSM-7', 306, 2],
    ['307 GSM-7 in three', 'a'.repeat(307), 'GSM-7', 307, 3],
    ['Spanish letters of the basic set', 'ñÑüÜé¿¡', 'GSM-7', 7, 1],
    ['€ takes two septets', '€'.repeat(80), 'GSM-7', 160, 1],
    ['€ pushes 159+2 to two segments', 'a'.repeat(159) + '€', 'GSM-7', 161, 2],
    ['braces and brackets are extension', '{}[]~|^\\', 'GSM-7', 16, 1],
    ['one ó makes it UCS-2', 'código', 'UCS-2', 6, 1],
    ['70 UCS-2 in one', 'ó'.repeat(70), 'UCS-2', 70, 1],
    ['71 UCS-2 in two of 67', 'ó'.repeat(71), 'UCS-2', 71, 2],
    ['135 UCS-2 in three', 'ó'.repeat(135), 'UCS-2', 135, 3],
    ['an emoji is two UTF-16 units', '👍', 'UCS-2', 2, 1],
  ])('%s', (_name, text, encoding, units, segments) => {
    expect(smsLength(text)).toEqual({ encoding, units, segments });
  });
});

describe('foldToGsm7', () => {
  it.each([
    ['Tu código es 123456', 'Tu codigo es 123456'],
    ['Canción “única” – ya', 'Cancion "unica" - ya'],
    ['ñandú, pingüino, café', 'ñandu, pingüino, café'],
    ['¿Qué tal? ¡Bien!', '¿Qué tal? ¡Bien!'],
    ['Àngel Çà', 'Angel Çà'],
    ['ok 👍', 'ok 👍'],
  ])('%s → %s', (input, folded) => {
    expect(foldToGsm7(input)).toBe(folded);
  });

  it('keeps an emoji, so the message knowingly goes as UCS-2', () => {
    expect(isGsm7(foldToGsm7('ok 👍'))).toBe(false);
    expect(isGsm7(foldToGsm7('Valoración: 5 estrellas'))).toBe(true);
  });
});
