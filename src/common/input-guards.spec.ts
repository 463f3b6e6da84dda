import { findBadString, jsonDepthExceeds } from './input-guards';

describe('findBadString', () => {
  it.each([
    ['a clean body', { sku: 'A-1', lines: [{ note: 'two\nlines', qty: 1 }] }, '', undefined],
    ['a NUL in a nested line', { lines: [{ sku: 'ok' }, { sku: 'b\u0000d' }] }, '', 'lines.1.sku'],
    ['a blank field', { name: '   ' }, '', 'name'],
    ['a blank secret (allowed)', { password: '   ', code: ' ' }, '', undefined],
    ['a blank query value named code (allowed)', ' ', 'code', undefined],
    ['a blank query value', ' ', 'q', 'q'],
    ['a control character in a key', { 'a\u0001': 1 }, '', 'body'],
    ['a control character in a nested key', { meta: { 'a\u0001': 1 } }, '', 'meta'],
    ['a string as the whole body', 'x\u0007', '', 'body'],
    ['a lone surrogate in an array item', { tags: ['ok', '\ud800'] }, '', 'tags.1'],
    ['DEL under a root name', { a: ['\u007f'] }, 'purchase', 'purchase.a.0'],
  ])('%s', (_what, value, root, field) => {
    expect(findBadString(value, root)?.field).toBe(field);
  });

  it('names the reason and the rule', () => {
    expect(findBadString({ note: '\u0000' })).toEqual({
      field: 'note',
      reason: 'must not contain control characters',
      constraint: 'control',
    });
    expect(findBadString({ note: ' ' })).toEqual({
      field: 'note',
      reason: 'must not be blank',
      constraint: 'blank',
    });
  });

  it('stops at 100,000 values', () => {
    expect(findBadString({ xs: new Array(100_001).fill(1) })).toEqual({
      field: 'body',
      reason: 'too many values',
      constraint: 'tooManyValues',
    });
  });
});

describe('jsonDepthExceeds', () => {
  it.each([
    ['{"a":[1,2]}', 2, false],
    ['{"a":[[1]]}', 2, true],
    ['{"a":"[[[[[["}', 2, false],
    ['{"a":"\\"[[["}', 1, false],
  ])('%s max %d → %p', (text, max, deeper) => {
    expect(jsonDepthExceeds(text, max)).toBe(deeper);
  });
});
