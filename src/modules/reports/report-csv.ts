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

/** The report as CSV (RFC 4180, CRLF): one row per group, then the total. */
export function reportCsv(groups: ReportGroup[], total: SatisfactionFigures): string {
  const rows = [['key', 'label', ...COLUMNS].join(',')];
  for (const g of groups)
    rows.push([g.key, g.label, ...COLUMNS.map((c) => g[c])].map(csvField).join(','));
  rows.push(['', 'total', ...COLUMNS.map((c) => total[c])].map(csvField).join(','));
  return rows.join('\r\n') + '\r\n';
}
