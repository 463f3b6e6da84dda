import { foldText, highlight, queryWords } from './search-text';

describe('foldText', () => {
  it.each([
    ['García', 'garcia'],
    ['MUÑOZ', 'munoz'],
    ['Ángel Ibáñez', 'angel ibanez'],
    ['Pingüino', 'pinguino'],
    ['+34 600', '+34 600'],
  ])('%s → %s', (text, folded) => expect(foldText(text)).toBe(folded));
});

describe('queryWords', () => {
  it.each([
    ['  Ana  García ', ['ana', 'garcia']],
    ['ana ana', ['ana']],
    ["o'brien-lópez", ['o', 'brien', 'lopez']],
    ['600-11-12', ['600', '11', '12']],
    ['', []],
    ['%_\\', []],
  ])('%j → %j', (q, words) => expect(queryWords(q)).toEqual(words));
});

describe('highlight', () => {
  it.each([
    ['Ana García', ['garcia'], 'Ana «García»'],
    ['Ana García', ['ana', 'garcia'], '«Ana» «García»'],
    ['Ana García', ['GAR'], 'Ana «Gar»cía'],
    ['Muñoz Muñoz', ['munoz'], '«Muñoz» «Muñoz»'],
    ['+34600111222', ['600111'], '+34«600111»222'],
    ['Ana', ['an', 'na'], '«Ana»'],
    ['Ana', ['x'], 'Ana'],
    ['Ana', [''], 'Ana'],
    ['ana@example.com', ['ana@example.com'], '«ana@example.com»'],
  ])('%s with %j → %s', (text, terms, out) => expect(highlight(text, terms)).toBe(out));
});
