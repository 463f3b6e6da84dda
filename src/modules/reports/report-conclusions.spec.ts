import { join } from 'node:path';
import { interpolate, loadMessages } from '../../common/pages/i18n';
import { templatesDir } from '../../common';
import { ConclusionInput, conclusions, PeriodFigures } from './report-conclusions';
import { figures, ReportGroup, ZERO } from './report-maths';

const messages = loadMessages(join(templatesDir(), 'i18n'));
const tr = (locale: 'es' | 'en') => (key: string, params?: Record<string, unknown>) =>
  interpolate(messages[locale][key] ?? key, params);

/** A group with `p` promoters, `d` detractors and `n` NPS answers; `s` of `c` CSAT satisfied. */
const group = (key: string, n: number, p: number, d: number, c = 0, s = 0): ReportGroup => ({
  key,
  label: key,
  ...figures({
    ...ZERO,
    responses: n + c,
    invitations: (n + c) * 2,
    npsResponses: n,
    promoters: p,
    detractors: d,
    csatResponses: c,
    csatSatisfied: s,
  }),
});

const periodOf = (
  groups: ReportGroup[],
  complaints?: PeriodFigures['complaints'],
): PeriodFigures => {
  const sum = groups.reduce(
    (acc, g) => ({
      ...acc,
      responses: acc.responses + g.responses,
      invitations: acc.invitations + g.invitations,
      npsResponses: acc.npsResponses + g.npsResponses,
      promoters: acc.promoters + g.promoters,
      detractors: acc.detractors + g.detractors,
      csatResponses: acc.csatResponses + g.csatResponses,
      csatSatisfied: acc.csatSatisfied + g.csatSatisfied,
    }),
    { ...ZERO },
  );
  return { total: figures(sum), groups, complaints };
};

const input = (
  current: PeriodFigures,
  previous: PeriodFigures,
  minResponses = 5,
): ConclusionInput => ({
  groupBy: 'store',
  current,
  previous,
  minResponses,
});

describe('conclusions', () => {
  it.each<[string, ConclusionInput, 'es' | 'en', string[]]>([
    [
      'no responses at all',
      input(periodOf([]), periodOf([])),
      'en',
      ['There are no survey responses in this period.'],
    ],
    [
      'nothing before to compare with, one group',
      input(periodOf([group('Centro', 10, 6, 1)]), periodOf([])),
      'en',
      ['The previous period has nothing to compare with.'],
    ],
    [
      // total NPS 50 → 10 (−40); Centro 50 → 80 (+30); Norte 50 → −60 (−110): Norte's fall is largest
      'the largest change is one group falling; weakest and strongest',
      input(
        periodOf([group('Centro', 10, 8, 0), group('Norte', 10, 1, 7)]),
        periodOf([group('Centro', 10, 6, 1), group('Norte', 10, 6, 1)]),
      ),
      'en',
      [
        'Largest change against the previous period: NPS for Norte fell 110 points, from 50 to -60.',
        'Weakest store: Norte (NPS -60); strongest: Centro (NPS 80).',
      ],
    ],
    [
      // groups under 5 answers are not compared: the overall rise (0 → 50) is the change
      'small groups are left out; the overall change wins',
      input(
        periodOf([group('A', 2, 1, 0), group('B', 2, 1, 0)]),
        periodOf([group('A', 2, 0, 0), group('B', 2, 0, 0)]),
      ),
      'es',
      ['Mayor cambio respecto al periodo anterior: NPS en conjunto subió 50 puntos, de 0 a 50.'],
    ],
    [
      // Overall NPS −20 and Sur −20 tie: overall comes first. Sur and Este tie for weakest: by label.
      'ties: overall before a group, labels in order',
      input(
        periodOf([group('Sur', 5, 1, 2), group('Este', 5, 1, 2), group('Oeste', 5, 3, 0)]),
        periodOf([group('Sur', 5, 2, 2), group('Este', 5, 1, 1), group('Oeste', 5, 4, 0)]),
      ),
      'en',
      [
        'Largest change against the previous period: NPS overall fell 20 points, from 26.7 to 6.7.',
        'Weakest store: Este (NPS -20); strongest: Oeste (NPS 60).',
      ],
    ],
    [
      'CSAT only, all groups equal, Spanish decimals',
      input(
        periodOf([group('Web', 0, 0, 0, 6, 4), group('Tienda', 0, 0, 0, 6, 4)]),
        periodOf([group('Web', 0, 0, 0, 6, 4), group('Tienda', 0, 0, 0, 6, 4)]),
      ),
      'es',
      [
        'Nada ha cambiado respecto al periodo anterior.',
        'Todos los grupos por tienda tienen el mismo CSAT (66,7).',
      ],
    ],
    [
      'complaints: top category (ties by name) and breaches rising',
      input(
        periodOf([group('A', 5, 5, 0)], {
          total: 7,
          byCategory: [
            { category: 'product', count: 3 },
            { category: 'delivery', count: 3 },
            { category: 'staff', count: 1 },
          ],
          slaBreaches: 4,
        }),
        periodOf([group('A', 5, 5, 0)], { total: 2, byCategory: [], slaBreaches: 1 }),
      ),
      'en',
      [
        'Nothing changed against the previous period.',
        'Top complaint category: delivery (3 of 7).',
        'SLA breaches rose from 1 to 4.',
      ],
    ],
    [
      'complaints: none, breaches down',
      input(
        periodOf([], { total: 0, byCategory: [], slaBreaches: 0 }),
        periodOf([], { total: 3, byCategory: [{ category: 'x', count: 3 }], slaBreaches: 2 }),
      ),
      'es',
      [
        'No hay respuestas a encuestas en este periodo.',
        'No hay reclamaciones en este periodo.',
        'Los incumplimientos de plazo bajaron de 2 a 0.',
      ],
    ],
    [
      'complaints: the top category in Spanish, breaches held',
      input(
        periodOf([], {
          total: 5,
          byCategory: [
            { category: 'entrega', count: 1 },
            { category: 'producto', count: 4 },
          ],
          slaBreaches: 2,
        }),
        periodOf([], { total: 4, byCategory: [], slaBreaches: 2 }),
      ),
      'es',
      [
        'No hay respuestas a encuestas en este periodo.',
        'Categoría con más reclamaciones: producto (4 de 5).',
        'Los incumplimientos de plazo se mantienen en 2.',
      ],
    ],
    [
      'complaints: cases without a category lead; no previous figures, no trend',
      input(
        periodOf([], {
          total: 3,
          byCategory: [
            { category: '', count: 2 },
            { category: 'staff', count: 1 },
          ],
          slaBreaches: 1,
        }),
        periodOf([], null),
      ),
      'en',
      [
        'There are no survey responses in this period.',
        'Top complaint category: no category (2 of 3).',
      ],
    ],
    [
      'complaints: a single case, breaches rising from none (Spanish)',
      input(
        periodOf([], { total: 1, byCategory: [{ category: 'tienda', count: 1 }], slaBreaches: 1 }),
        periodOf([], { total: 0, byCategory: [], slaBreaches: 0 }),
      ),
      'es',
      [
        'No hay respuestas a encuestas en este periodo.',
        'Categoría con más reclamaciones: tienda (1 de 1).',
        'Los incumplimientos de plazo subieron de 0 a 1.',
      ],
    ],
    [
      'complaints: none in either period, no trend',
      input(
        periodOf([], { total: 0, byCategory: [], slaBreaches: 0 }),
        periodOf([], { total: 0, byCategory: [], slaBreaches: 0 }),
      ),
      'en',
      ['There are no survey responses in this period.', 'No complaints in this period.'],
    ],
  ])('%s', (_name, given, locale, expected) => {
    expect(conclusions(given, tr(locale), locale)).toEqual(expected);
  });
});
