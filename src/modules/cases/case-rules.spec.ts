import { deadlineState, nextStatus, registryNumber, REGISTRY_NUMBER } from './case-rules';
import { sniffContentType } from './file-sniff';
import { RateWindow } from './rate-window';

describe('case status machine', () => {
  it.each([
    ['open', 'note', 'open'],
    ['open', 'reply', 'in_progress'],
    ['open', 'assign', 'in_progress'],
    ['escalated', 'reply', 'escalated'],
    ['in_progress', 'escalate', 'escalated'],
    ['in_progress', 'wait', 'waiting'],
    ['waiting', 'resume', 'in_progress'],
    ['escalated', 'resolve', 'resolved'],
    ['resolved', 'close', 'closed'],
    ['resolved', 'reopen', 'in_progress'],
    ['closed', 'note', 'closed'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(nextStatus(from, action)).toEqual({ status: to });
  });

  it.each([
    ['open', 'close', /needs a resolution/],
    ['closed', 'close', /already closed/],
    ['closed', 'resolve', /cannot be resolved/],
    ['waiting', 'wait', /cannot wait/],
    ['open', 'resume', /only a waiting case/],
    ['resolved', 'escalate', /cannot be escalated/],
    ['closed', 'assign', /cannot be assigned/],
    ['open', 'reopen', /only a resolved case/],
  ] as const)('%s --%s--> refused', (from, action, reason) => {
    const r = nextStatus(from, action);
    expect('refused' in r && r.refused).toMatch(reason);
  });
});

describe('registry numbers', () => {
  it.each([
    ['REC', 2026, 123, 'REC-2026-000123'],
    ['DOC', 2026, 45, 'DOC-2026-000045'],
    ['REC', 2027, 1_234_567, 'REC-2027-1234567'],
  ] as const)('%s %i %i → %s', (series, year, value, expected) => {
    expect(registryNumber(series, year, value)).toBe(expected);
    expect(REGISTRY_NUMBER.test(expected)).toBe(true);
  });
});

describe('deadline colours', () => {
  const c = {
    escalateAt: new Date('2026-04-20T00:00:00Z'),
    dueAt: new Date('2026-04-23T00:00:00Z'),
  };
  it.each([
    ['2026-04-19T00:00:00Z', 'open', 'on_time'],
    ['2026-04-20T00:00:00Z', 'in_progress', 'at_risk'],
    ['2026-04-24T00:00:00Z', 'escalated', 'breached'],
    ['2026-04-24T00:00:00Z', 'waiting', 'paused'],
    ['2026-04-24T00:00:00Z', 'resolved', 'done'],
  ] as const)('%s %s → %s', (now, status, expected) => {
    expect(deadlineState(new Date(now), { ...c, status })).toBe(expected);
  });
});

describe('content sniffing', () => {
  const b = (...v: Array<number | string>) =>
    Uint8Array.from(
      v.flatMap((x) => (typeof x === 'string' ? [...x].map((c) => c.charCodeAt(0)) : [x])),
    );
  it.each([
    [b('%PDF-1.7\n'), 'application/pdf'],
    [b(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), 'image/jpeg'],
    [b(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0), 'image/png'],
    [b('RIFF', 0, 0, 0, 0, 'WEBPVP8 '), 'image/webp'],
    [b(0, 0, 0, 0x18, 'ftypheic', 0, 0), 'image/heic'],
    [b('II', 0x2a, 0), 'image/tiff'],
    [b('MZ', 0x90, 0), null],
    [b('<html><script>'), null],
    [b('%PD'), null],
    [b(), null],
  ])('%#', (bytes, expected) => expect(sniffContentType(bytes)).toBe(expected));
});

describe('rate window', () => {
  it('allows the limit per window and starts again after it', () => {
    const w = new RateWindow(2, 1000);
    expect([w.take('a', 0), w.take('a', 10), w.take('a', 20), w.take('b', 20)]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect(w.take('a', 1000)).toBe(true);
  });
});
