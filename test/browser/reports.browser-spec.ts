import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { StaffPrincipal } from '../../src/common';
import { CasesService } from '../../src/modules/cases';
import { SatisfactionService } from '../../src/modules/satisfaction';
import { StoresService } from '../../src/modules/stores';
import { describeBrowser, launchBrowser, listen } from '../utils/browser';
import { startTestApp, TestApp } from '../utils/test-app';

describeBrowser('supervisor reports page', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  let supervisor: { email: string; password: string };

  beforeAll(async () => {
    t = await startTestApp({ REPORTS_MIN_GROUP_RESPONSES: '1' });
    base = await listen(t);
    const stores = t.app.get(StoresService);
    const centro = await stores.create({ code: 'CEN', name: 'Centro', timeZone: 'Europe/Madrid' });
    const norte = await stores.create({ code: 'NOR', name: 'Norte', timeZone: 'Europe/Madrid' });
    const answers: [string, number, string][] = [
      [centro.id, 3, '2026-03-05T10:00:00Z'],
      [centro.id, 9, '2026-03-06T10:00:00Z'],
      [norte.id, 10, '2026-03-07T10:00:00Z'],
      [centro.id, 10, '2026-02-10T10:00:00Z'],
    ];
    for (const [storeId, score, at] of answers)
      await t.dataSource.query(
        `INSERT INTO survey_responses (id, kind, score, channel, store_id, answered_at)
         VALUES ($1, 'nps', $2, 'email', $3, $4)`,
        [randomUUID(), score, storeId, at],
      );
    // Written around the service: the report's roll-up is recomputed from the raw rows.
    await t.app.get(SatisfactionService).rebuildDaily();
    // One complaint filed in March, resolved 6 hours later.
    const staff: StaffPrincipal = { kind: 'staff', userId: 'agent-1', roles: ['admin'] };
    t.clock.set('2026-03-08T10:00:00Z');
    const filed = await t.app.get(CasesService).create(
      {
        kind: 'complaint',
        channel: 'phone',
        storeId: centro.id,
        category: 'delivery',
        contact: { name: 'Cliente' },
        subject: 'Entrega',
        description: 'Llegó tarde',
      },
      staff,
      { sendReceipt: false },
    );
    t.clock.set('2026-03-08T16:00:00Z');
    await t.app.get(CasesService).resolve(filed.id, { resolution: 'Reembolso' }, staff);
    t.clock.reset();
    supervisor = await t.staff('supervisor');
    browser = await launchBrowser();
  }, 60000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage({ locale: 'en-GB' });
  });
  afterEach(() => page.close());

  it('a supervisor opens the report, sees the chart and conclusions, saves a proposal', async () => {
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) external.push(r.url());
    });
    await page.goto(`${base}/supervisor/reports`);
    await page.waitForURL(/\/login\?next=%2Fsupervisor%2Freports/);
    await page.fill('#email', supervisor.email);
    await page.fill('#password', supervisor.password);
    await Promise.all([page.waitForURL(`${base}/supervisor/reports`), page.click('#login-submit')]);
    await page.waitForSelector('body[data-ready=reports]');

    await page.fill('#r-from', '2026-03-01');
    await page.fill('#r-to', '2026-03-31');
    await page.selectOption('#r-groupBy', 'store');
    await page.click('#r-show');
    await page.waitForSelector('#r-conclusions li:has-text("Centro")');
    const conclusions = await page.locator('#r-conclusions li').allTextContents();
    expect(conclusions).toEqual([
      'Largest change against the previous period: NPS for Centro fell 100 points, from 100 to 0.',
      'Weakest store: Centro (NPS 0); strongest: Norte (NPS 100).',
      'Top complaint category: delivery (1 of 1).',
      'SLA breaches held at 0.',
    ]);
    // The complaint figures: totals and the typology table.
    expect(await page.textContent('#r-complaints')).toContain('Filed: 1');
    expect(await page.locator('#r-typology tbody td').allTextContents()).toEqual([
      'delivery',
      '1',
      '0',
      '6',
      '6',
    ]);
    // The chart is the server's SVG, in the page: one NPS bar per store with answers.
    expect(await page.locator('#r-chart svg').count()).toBe(1);
    expect(await page.locator('#r-chart svg g[data-key]').count()).toBe(2);
    expect(await page.locator('#r-chart svg rect.nps').count()).toBe(2);
    expect(await page.locator('#r-chart svg rect.nps[width="0.0"]').count()).toBe(1); // Centro: 0
    expect(await page.textContent('#r-total')).toContain('NPS: 33.3');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#r-csv')]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain(',Centro,2,0,,2,1,1,0,0,0,');

    await page.fill('#p-text', 'Refuerzo de personal en Centro los sábados.');
    await page.click('#p-save');
    await page.waitForSelector('#p-list li:has-text("Refuerzo de personal en Centro")');
    expect(await page.isVisible('#p-saved')).toBe(true);
    expect(await page.textContent('#p-list li')).toContain(
      '2026-03-01…2026-03-31 (store, NPS 33.3)',
    );
    expect(external).toEqual([]);
  });
});
