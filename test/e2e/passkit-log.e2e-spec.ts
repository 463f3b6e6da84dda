import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Issue 13, defects 10 and 2 (device ids): `/passkit/v1/log` is rate-limited per address and its
 * output capped for the whole process; wallet device ids never reach the request log.
 */
describe('PassKit device log and wallet paths in the request log', () => {
  const lines: string[] = [];
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(
      { LOG_LEVEL: 'info', AUTH_RATE_LIMIT_PER_MINUTE: '10' },
      { logDestination: { write: (line) => void lines.push(line) } },
    );
  });
  afterAll(() => t.close());

  const settle = async () => {
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  };

  it('30 large log posts from one address add a few KB at most, and then answer 429', async () => {
    const before = lines.join('').length;
    const statuses: number[] = [];
    const logs = Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(1990)}`);
    for (let i = 0; i < 30; i++)
      statuses.push((await t.http.post('/passkit/v1/log').send({ logs })).status);
    await settle();
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    expect(lines.join('').length - before).toBeLessThan(64 * 1024);
  });

  it('masks the device library id in request-log paths', async () => {
    const device = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    await t.http.get(`/passkit/v1/devices/${device}/registrations/pass.example.fidelia`);
    await t.http.delete(`/passkit/v1/devices/${device}/registrations/pass.example.fidelia/123`);
    await settle();
    const all = lines.join('\n');
    expect(all).toContain('/passkit/v1/devices/');
    expect(all).not.toContain(device);
  });
});
