import { DemoService } from '../../src/modules/demo';
import { startTestApp, TestApp } from '../utils/test-app';

describe('followup: demo plans and tasks', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set('2026-11-28T11:00:00Z'); // a Saturday, 12:00 in Madrid
    await t.app.get(DemoService).seed();
  }, 60_000);
  afterAll(() => t.close());

  it('seeds three plans; an agent signing in finds welcome calls due, the rest scheduled', async () => {
    const plans = await t.http
      .get('/api/followup-plans')
      .set(await t.auth('supervisor'))
      .expect(200);
    expect(
      plans.body.items.map((p: { channel: string; delay: string }) => [p.channel, p.delay]),
    ).toEqual(
      expect.arrayContaining([
        ['call', 'PT0S'],
        ['call', 'P3D'],
        ['email', 'P7D'],
      ]),
    );
    const queue = await t.http
      .get('/api/followups')
      .set(await t.auth('agent'))
      .expect(200);
    expect(queue.body.items.length).toBeGreaterThanOrEqual(2);
    expect(queue.body.items.every((i: { status: string }) => i.status === 'due')).toBe(true);
    const [{ scheduled }] = await t.dataSource.query(
      `SELECT count(*)::int AS scheduled FROM followup_tasks WHERE status = 'scheduled'`,
    );
    expect(scheduled).toBeGreaterThanOrEqual(4);
  });
});
