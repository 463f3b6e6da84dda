import type { ReportGroup, SatisfactionFigures } from './report-maths';

const COLUMNS: (keyof SatisfactionFigures)[] = [
  'responses',
  'invitations',
  'responseRate',
  'npsResponses',
  'promoters',
  'detractors',
  'nps',
  'csatResponses',
  'csatSatisfied',
  'csat',
];

/** One CSV field: quoted when needed; a leading = + - @ cannot start a spreadsheet formula. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Complaint figures of one row (a group, the total or a complaint category). */
export interface ComplaintCells {
  cases: number;
  slaBreaches: number;
  meanResolutionHours: number | null;
  p90ResolutionHours: number | null;
}

const COMPLAINT_COLUMNS: (keyof ComplaintCells)[] = [
  'cases',
  'slaBreaches',
  'meanResolutionHours',
  'p90ResolutionHours',
];
const COMPLAINT_HEADER = ['complaints', 'slaBreaches', 'meanResolutionHours', 'p90ResolutionHours'];

export interface CsvComplaints {
  total: ComplaintCells;
  /** Per report group key, when the grouping applies to cases (store, month); else null. */
  byGroupKey: Map<string, ComplaintCells> | null;
  /** The typology: one row each, keyed `complaint-category`. */
  byCategory: ({ label: string } & ComplaintCells)[];
}

/**
 * The report as CSV (RFC 4180, CRLF): one row per group, then the total. With complaint figures,
 * four more columns (filled on group rows where the grouping applies to cases, and on the total),
 * then one `complaint-category` row per category of the typology.
 */
export function reportCsv(
  groups: ReportGroup[],
  total: SatisfactionFigures,
  complaints?: CsvComplaints | null,
): string {
  const extra = complaints ? COMPLAINT_HEADER : [];
  const cells = (c: ComplaintCells | null | undefined) =>
    complaints ? COMPLAINT_COLUMNS.map((k) => (c ? c[k] : null)) : [];
  const none: ComplaintCells = {
    cases: 0,
    slaBreaches: 0,
    meanResolutionHours: null,
    p90ResolutionHours: null,
  };
  const rows = [['key', 'label', ...COLUMNS, ...extra].join(',')];
  for (const g of groups) {
    const c = complaints?.byGroupKey ? (complaints.byGroupKey.get(g.key) ?? none) : null;
    rows.push([g.key, g.label, ...COLUMNS.map((k) => g[k]), ...cells(c)].map(csvField).join(','));
  }
  rows.push(
    ['', 'total', ...COLUMNS.map((c) => total[c]), ...cells(complaints?.total)]
      .map(csvField)
      .join(','),
  );
  for (const c of complaints?.byCategory ?? [])
    rows.push(
      ['complaint-category', c.label, ...COLUMNS.map(() => null), ...cells(c)]
        .map(csvField)
        .join(','),
    );
  return rows.join('\r\n') + '\r\n';
}
