import { memberSearchTerms, namesTsQuery } from './member-search-terms';

describe('memberSearchTerms', () => {
  it.each([
    ['4000 1234 5678 9010', { digits: '4000123456789010', phone: null, words: [], fragment: null }],
    ['600 11 12 22', { digits: '600111222', phone: '+34600111222', words: [], fragment: null }],
    ['+34 600-111-222', { digits: '34600111222', phone: '+34600111222', words: [] }],
    ['(600) 111.222', { digits: '600111222', phone: '+34600111222' }],
    ['123', { digits: '123', phone: null }],
    ['García', { digits: null, phone: null, words: ['garcia'], fragment: 'garcia' }],
    ['ana garc', { words: ['ana', 'garc'], fragment: 'ana garc' }],
    ['an', { words: ['an'], fragment: null }],
    ['ana@example.com', { digits: null, words: ['ana', 'example', 'com'] }],
  ])('%s', (q, expected) => expect(memberSearchTerms(q)).toMatchObject(expected));
});

describe('namesTsQuery', () => {
  it.each([
    [[], null],
    [['ana'], 'ana:*'],
    [['ana', 'garcia'], 'ana & garcia:*'],
  ])('%j → %s', (words, q) => expect(namesTsQuery(words)).toBe(q));
});
