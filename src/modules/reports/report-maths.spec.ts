import { figures, nps, share, sumCounts, ZERO } from './report-maths';

describe('nps', () => {
  it.each([
    ['no responses', 0, 0, 0, null],
    ['a single promoter', 1, 0, 1, 100],
    ['a single detractor', 0, 1, 1, -100],
    ['a single passive (7–8)', 0, 0, 1, 0],
    ['promoters and detractors tie', 3, 3, 10, 0],
    ['6 promoters, 1 detractor of 10', 6, 1, 10, 50],
    ['1 promoter, 2 detractors of 3 (−33.3…)', 1, 2, 3, -33.3],
    ['2 promoters of 3 (66.66…)', 2, 0, 3, 66.7],
  ])('%s', (_name, promoters, detractors, responses, expected) => {
    expect(nps(promoters, detractors, responses)).toBe(expected);
  });
});

describe('share (CSAT, response rate)', () => {
  it.each([
    ['nothing to share', 0, 0, null],
    ['one of one', 1, 1, 100],
    ['none of four', 0, 4, 0],
    ['two of three', 2, 3, 66.7],
    ['one of eight (12.5)', 1, 8, 12.5],
  ])('%s', (_name, part, whole, expected) => {
    expect(share(part, whole)).toBe(expected);
  });
});

describe('figures', () => {
  it.each([
    ['an empty group has null scores', ZERO, { responseRate: null, nps: null, csat: null }],
    [
      'answers without invitations (invited before the period)',
      { ...ZERO, responses: 2, csatResponses: 2, csatSatisfied: 1 },
      { responseRate: null, nps: null, csat: 50 },
    ],
    [
      'hand-computed: 10 invitations, 4 answers (2 NPS: 10 and 3; 2 CSAT: 5 and 4)',
      {
        responses: 4,
        invitations: 10,
        npsResponses: 2,
        promoters: 1,
        detractors: 1,
        csatResponses: 2,
        csatSatisfied: 2,
      },
      { responseRate: 40, nps: 0, csat: 100 },
    ],
  ])('%s', (_name, counts, expected) => {
    expect(figures(counts)).toMatchObject(expected);
  });

  it('sums groups into a total', () => {
    expect(
      sumCounts([
        { ...ZERO, responses: 1, npsResponses: 1, promoters: 1 },
        { ...ZERO, responses: 2, invitations: 5, csatResponses: 2, csatSatisfied: 1 },
      ]),
    ).toEqual({
      ...ZERO,
      responses: 3,
      invitations: 5,
      npsResponses: 1,
      promoters: 1,
      csatResponses: 2,
      csatSatisfied: 1,
    });
  });
});
