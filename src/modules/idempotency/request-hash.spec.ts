import { canonicalJson, isValidKey, requestHash } from './request-hash';

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: { d: [1, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[1,{"y":2,"z":1}]}}'],
    [{ a: undefined, b: 'x' }, '{"b":"x"}'],
    [[3, 'a', true], '[3,"a",true]'],
    ['é"', '"é\\""'],
  ])('%j → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });
});

describe('requestHash', () => {
  it('ignores key order and tells bodies and operations apart', () => {
    expect(requestHash('purchase', { a: 1, b: 2 })).toBe(requestHash('purchase', { b: 2, a: 1 }));
    expect(requestHash('purchase', { a: 1 })).not.toBe(requestHash('purchase', { a: 2 }));
    expect(requestHash('purchase', { a: 1 })).not.toBe(requestHash('redemption', { a: 1 }));
  });
});

describe('isValidKey', () => {
  it.each([
    ['7f1c2e4a-3b1d-4d7e-9a55-0c1b2d3e4f50', true],
    ['till-1:000123', true],
    ['short', false],
    ['with space 123', false],
    ['x'.repeat(255), true],
    ['x'.repeat(256), false],
    ['ñandú-123456', false],
  ])('%s → %s', (key, ok) => {
    expect(isValidKey(key)).toBe(ok);
  });
});
