import type { ReportGroup, SatisfactionFigures } from './report-maths';

export type GroupBy = 'store' | 'channel' | 'agent' | 'category' | 'month';

/** Complaint figures of a period (from the cases module, when it offers them). */
export interface ComplaintFigures {
  total: number;
  byCategory: { category: string; count: number }[];
  slaBreaches: number;
}

export interface PeriodFigures {
  total: SatisfactionFigures;
  groups: ReportGroup[];
  complaints?: ComplaintFigures | null;
}

export interface ConclusionInput {
  groupBy: GroupBy;
  current: PeriodFigures;
  previous: PeriodFigures;
  /** A group is compared only with at least this many responses for the metric (noise). */
  minResponses: number;
}

export type Translate = (key: string, params?: Record<string, unknown>) => string;

type Metric = 'nps' | 'csat' | 'responseRate';
const METRICS: Metric[] = ['nps', 'csat', 'responseRate'];
const COUNT_OF: Record<Metric, keyof SatisfactionFigures> = {
  nps: 'npsResponses',
  csat: 'csatResponses',
  responseRate: 'invitations',
};

interface Change {
  metric: Metric;
  group: ReportGroup | null;
  before: number;
  after: number;
  delta: number;
}

const byLabel = (a: ReportGroup, b: ReportGroup) =>
  a.label < b.label ? -1 : a.label > b.label ? 1 : 0;

/**
 * The report's conclusions in words, from its figures only: the largest change against the
 * previous period, the weakest and strongest group, the top complaint category and the trend of
 * SLA breaches. Ties break the same way every time (overall before a group, NPS before CSAT
 * before response rate, then by label), so the same figures always read the same.
 */
export function conclusions(input: ConclusionInput, t: Translate, locale: string): string[] {
  const num = (n: number) =>
    new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'es-ES', {
      maximumFractionDigits: 1,
    }).format(n);
  const { current, previous } = input;
  const out: string[] = [];
  if (current.total.responses === 0) out.push(t('reports.conclusion.noResponses'));
  else {
    const change = largestChange(input);
    if (!change) out.push(t('reports.conclusion.noPrevious'));
    else if (change.delta === 0) out.push(t('reports.conclusion.noChange'));
    else
      out.push(
        t(change.delta > 0 ? 'reports.conclusion.changeUp' : 'reports.conclusion.changeDown', {
          metric: t(`reports.metric.${change.metric}`),
          scope: change.group
            ? t('reports.conclusion.scopeGroup', { label: change.group.label })
            : t('reports.conclusion.scopeTotal'),
          delta: num(Math.abs(change.delta)),
          before: num(change.before),
          after: num(change.after),
        }),
      );
    const extremes = weakestAndStrongest(current.groups, input.minResponses);
    if (extremes) {
      const { metric, weak, strong } = extremes;
      const params = {
        dimension: t(`reports.dimension.${input.groupBy}`),
        metric: t(`reports.metric.${metric}`),
        weak: weak.label,
        weakValue: num(weak[metric]!),
        strong: strong.label,
        strongValue: num(strong[metric]!),
      };
      out.push(
        weak[metric] === strong[metric]
          ? t('reports.conclusion.allEqual', params)
          : t('reports.conclusion.weakStrong', params),
      );
    }
  }
  if (current.complaints) {
    const top = topCategory(current.complaints);
    out.push(
      top
        ? t('reports.conclusion.topComplaint', {
            category: top.category || t('reports.complaints.noCategory'),
            count: top.count,
            total: current.complaints.total,
          })
        : t('reports.conclusion.noComplaints'),
    );
    // No case in either period: the trend would only repeat "none".
    if (previous.complaints && (current.complaints.total > 0 || previous.complaints.total > 0)) {
      const before = previous.complaints.slaBreaches;
      const after = current.complaints.slaBreaches;
      const key = after > before ? 'breachesUp' : after < before ? 'breachesDown' : 'breachesSame';
      out.push(t(`reports.conclusion.${key}`, { before, after }));
    }
  }
  return out;
}

function largestChange(input: ConclusionInput): Change | null {
  const candidates: Change[] = [];
  const push = (
    metric: Metric,
    group: ReportGroup | null,
    a: SatisfactionFigures,
    b: SatisfactionFigures,
  ) => {
    const before = a[metric];
    const after = b[metric];
    if (before === null || after === null) return;
    candidates.push({
      metric,
      group,
      before,
      after,
      delta: Math.round((after - before) * 10) / 10,
    });
  };
  for (const m of METRICS) push(m, null, input.previous.total, input.current.total);
  const previousByKey = new Map(input.previous.groups.map((g) => [g.key, g]));
  for (const g of [...input.current.groups].sort(byLabel)) {
    const p = previousByKey.get(g.key);
    if (!p) continue;
    for (const m of ['nps', 'csat'] as const) {
      const field = COUNT_OF[m];
      if ((g[field] as number) >= input.minResponses && (p[field] as number) >= input.minResponses)
        push(m, g, p, g);
    }
  }
  let best: Change | null = null;
  for (const c of candidates) if (!best || Math.abs(c.delta) > Math.abs(best.delta)) best = c;
  return best;
}

function weakestAndStrongest(groups: ReportGroup[], min: number) {
  for (const metric of ['nps', 'csat'] as const) {
    const field = COUNT_OF[metric];
    const eligible = groups
      .filter((g) => g[metric] !== null && (g[field] as number) >= min)
      .sort(byLabel);
    if (eligible.length < 2) continue;
    let weak = eligible[0];
    let strong = eligible[0];
    for (const g of eligible) {
      if (g[metric]! < weak[metric]!) weak = g;
      if (g[metric]! > strong[metric]!) strong = g;
    }
    return { metric, weak, strong };
  }
  return null;
}

function topCategory(c: ComplaintFigures) {
  let top: { category: string; count: number } | null = null;
  for (const x of [...c.byCategory].sort((a, b) => (a.category < b.category ? -1 : 1))) {
    if (x.count > 0 && (!top || x.count > top.count)) top = x;
  }
  return top;
}
