import { satisfactionChart } from './report-chart';
import { csvField, reportCsv } from './report-csv';
import { figures, ReportGroup, ZERO } from './report-maths';

const g = (key: string, label: string, over: Partial<typeof ZERO> = {}): ReportGroup => ({
  key,
  label,
  ...figures({ ...ZERO, ...over }),
});

describe('csvField', () => {
  it.each([
    [null, ''],
    [12, '12'],
    [-33.3, '-33.3'],
    ['Centro', 'Centro'],
    ['Norte, 2', '"Norte, 2"'],
    ['say "hi"', '"say ""hi"""'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['-1', "'-1"],
  ])('%p → %s', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});

describe('reportCsv', () => {
  it('writes a header, one row per group and the total', () => {
    const groups = [
      g('a', 'Centro', { responses: 2, invitations: 4, npsResponses: 2, promoters: 1 }),
    ];
    expect(
      reportCsv(
        groups,
        figures({ ...ZERO, responses: 2, invitations: 4, npsResponses: 2, promoters: 1 }),
      ),
    ).toBe(
      'key,label,responses,invitations,responseRate,npsResponses,promoters,detractors,nps,csatResponses,csatSatisfied,csat\r\n' +
        'a,Centro,2,4,50,2,1,0,50,0,0,\r\n' +
        ',total,2,4,50,2,1,0,50,0,0,\r\n',
    );
  });
});

describe('reportCsv with complaint figures', () => {
  it('adds four columns, fills groups the grouping applies to, then the typology', () => {
    const groups = [
      g('s1', 'Centro', { responses: 1, npsResponses: 1, promoters: 1 }),
      g('s2', 'Norte'),
    ];
    const cell = (cases: number, slaBreaches: number, mean: number | null, p90: number | null) => ({
      cases,
      slaBreaches,
      meanResolutionHours: mean,
      p90ResolutionHours: p90,
    });
    expect(
      reportCsv(groups, figures({ ...ZERO, responses: 1, npsResponses: 1, promoters: 1 }), {
        total: cell(3, 1, 12.5, 30),
        byGroupKey: new Map([['s1', cell(3, 1, 12.5, 30)]]),
        byCategory: [
          { label: '=product', ...cell(2, 1, 5, 5) },
          { label: 'staff', ...cell(1, 0, null, null) },
        ],
      }),
    ).toBe(
      'key,label,responses,invitations,responseRate,npsResponses,promoters,detractors,nps,csatResponses,csatSatisfied,csat,complaints,slaBreaches,meanResolutionHours,p90ResolutionHours\r\n' +
        's1,Centro,1,0,,1,1,0,100,0,0,,3,1,12.5,30\r\n' +
        's2,Norte,0,0,,0,0,0,,0,0,,0,0,,\r\n' +
        ',total,1,0,,1,1,0,100,0,0,,3,1,12.5,30\r\n' +
        "complaint-category,'=product,,,,,,,,,,,2,1,5,5\r\n" +
        'complaint-category,staff,,,,,,,,,,,1,0,,\r\n',
    );
  });
});

describe('satisfactionChart', () => {
  const texts = { title: 'NPS y CSAT', nps: 'NPS', csat: 'CSAT', empty: 'Sin datos' };

  it('draws NPS either side of zero and CSAT from zero; empty groups show a dash', () => {
    const svg = satisfactionChart(
      [
        g('1', 'Up', { npsResponses: 2, promoters: 2 }), // NPS 100
        g('2', 'Down', { npsResponses: 2, detractors: 1 }), // NPS −50
        g('3', 'Empty'),
        g('4', 'Csat', { csatResponses: 4, csatSatisfied: 3 }), // 75 %
      ],
      texts,
    );
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<rect class="nps" x="320.0" y="46" width="120.0"'); // mid 320, half-panel 120
    expect(svg).toContain('<rect class="nps" x="260.0" y="72" width="60.0"');
    expect(svg).toContain('<rect class="csat" x="470" y="124" width="180.0"');
    expect((svg.match(/>—</g) ?? []).length).toBe(5); // Empty ×2, Up/Down CSAT, Csat NPS
  });

  it('escapes labels and says when there is nothing to draw', () => {
    expect(satisfactionChart([g('x', '<script>&')], texts)).toContain('&lt;script&gt;&amp;');
    expect(satisfactionChart([], texts)).toContain('Sin datos');
  });
});
