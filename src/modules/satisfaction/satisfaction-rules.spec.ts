import {
  csatScore,
  hashSurveyToken,
  isLowScore,
  looksLikeSurveyToken,
  newSurveyToken,
  npsScore,
  scoreInRange,
} from './satisfaction-rules';

describe('scoreInRange', () => {
  it.each([
    ['csat', 0, false],
    ['csat', 1, true],
    ['csat', 5, true],
    ['csat', 6, false],
    ['csat', 2.5, false],
    ['nps', -1, false],
    ['nps', 0, true],
    ['nps', 10, true],
    ['nps', 11, false],
  ] as const)('%s %p → %p', (kind, score, expected) => {
    expect(scoreInRange(kind, score)).toBe(expected);
  });
});

describe('isLowScore', () => {
  it.each([
    ['csat', 1, true],
    ['csat', 2, true],
    ['csat', 3, false],
    ['csat', 5, false],
    ['nps', 0, true],
    ['nps', 6, true],
    ['nps', 7, false],
    ['nps', 10, false],
  ] as const)('%s %p → %p', (kind, score, expected) => {
    expect(isLowScore(kind, score)).toBe(expected);
  });
});

describe('npsScore and csatScore', () => {
  it.each([
    [0, 0, 0, null],
    [5, 5, 10, 0],
    [7, 1, 10, 60],
    [0, 3, 3, -100],
    [1, 0, 3, 33.3],
  ])('nps promoters %p detractors %p of %p → %p', (p, d, n, expected) => {
    expect(npsScore(p, d, n)).toBe(expected);
  });
  it.each([
    [0, 0, null],
    [2, 3, 66.7],
    [4, 4, 100],
  ])('csat satisfied %p of %p → %p', (s, n, expected) => {
    expect(csatScore(s, n)).toBe(expected);
  });
});

describe('survey tokens', () => {
  it('are 43 URL-safe characters, random, and hash to 32 bytes', () => {
    const a = newSurveyToken();
    const b = newSurveyToken();
    expect(looksLikeSurveyToken(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(hashSurveyToken(a)).toHaveLength(32);
    expect(hashSurveyToken(a).equals(hashSurveyToken(a))).toBe(true);
    expect(looksLikeSurveyToken('short')).toBe(false);
    expect(looksLikeSurveyToken(`${a.slice(0, 42)}!`)).toBe(false);
  });
});
