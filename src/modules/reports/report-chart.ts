import type { ReportGroup } from './report-maths';

export interface ChartTexts {
  title: string;
  nps: string;
  csat: string;
  empty: string;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const LABEL_W = 170;
const PANEL_W = 240;
const GAP = 30;
const ROW_H = 26;
const TOP = 44;

/**
 * The report's chart, drawn on the server as SVG (no script, no external service): per group, its
 * NPS as a bar either side of zero (−100…100) and its CSAT as a bar from 0 to 100 %. A group
 * without answers shows "—".
 */
export function satisfactionChart(groups: ReportGroup[], texts: ChartTexts): string {
  const width = LABEL_W + PANEL_W * 2 + GAP * 2;
  const height = TOP + Math.max(groups.length, 1) * ROW_H + 16;
  const npsX = LABEL_W + GAP;
  const csatX = npsX + PANEL_W + GAP;
  const mid = npsX + PANEL_W / 2;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(texts.title)}" font-family="Arial, Helvetica, sans-serif" font-size="12">`,
    `<title>${esc(texts.title)}</title>`,
    `<text x="${npsX}" y="16" font-weight="bold">${esc(texts.nps)} (−100…100)</text>`,
    `<text x="${csatX}" y="16" font-weight="bold">${esc(texts.csat)} (0…100 %)</text>`,
    `<line x1="${mid}" y1="${TOP - 10}" x2="${mid}" y2="${height - 8}" stroke="#9aa5b1"/>`,
    `<line x1="${csatX}" y1="${TOP - 10}" x2="${csatX}" y2="${height - 8}" stroke="#9aa5b1"/>`,
  ];
  if (!groups.length) out.push(`<text x="${LABEL_W}" y="${TOP + 14}">${esc(texts.empty)}</text>`);
  groups.forEach((g, i) => {
    const y = TOP + i * ROW_H;
    const label = g.label.length > 26 ? `${g.label.slice(0, 25)}…` : g.label;
    out.push(`<g data-key="${esc(g.key)}">`);
    out.push(`<text x="${LABEL_W - 8}" y="${y + 13}" text-anchor="end">${esc(label)}</text>`);
    if (g.nps === null) out.push(`<text x="${mid + 4}" y="${y + 13}">—</text>`);
    else {
      const w = (Math.abs(g.nps) / 100) * (PANEL_W / 2);
      const x = g.nps >= 0 ? mid : mid - w;
      const fill = g.nps >= 0 ? '#2f9e44' : '#e03131';
      out.push(
        `<rect class="nps" x="${x.toFixed(1)}" y="${y + 2}" width="${w.toFixed(1)}" height="${ROW_H - 8}" fill="${fill}"><title>${esc(texts.nps)} ${g.nps}</title></rect>`,
        `<text x="${g.nps >= 0 ? (mid + w + 4).toFixed(1) : (mid - w - 4).toFixed(1)}" y="${y + 13}" text-anchor="${g.nps >= 0 ? 'start' : 'end'}">${g.nps}</text>`,
      );
    }
    if (g.csat === null) out.push(`<text x="${csatX + 4}" y="${y + 13}">—</text>`);
    else {
      const w = (g.csat / 100) * PANEL_W;
      out.push(
        `<rect class="csat" x="${csatX}" y="${y + 2}" width="${w.toFixed(1)}" height="${ROW_H - 8}" fill="#1971c2"><title>${esc(texts.csat)} ${g.csat}</title></rect>`,
        `<text x="${(csatX + w + 4).toFixed(1)}" y="${y + 13}">${g.csat}</text>`,
      );
    }
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}
