import { randomUUID } from 'node:crypto';
import { FollowupDispatcher } from '../../src/modules/followup/followup-dispatcher.service';
import type { Browser } from 'playwright-core';
import { describeBrowser, useBrowserApp } from '../utils/browser';
import type { TestApp } from '../utils/test-app';

/** An agent works a follow-up call to the end on /agent; a low score shows as escalated. */
describeBrowser('agent desk', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  useBrowserApp((app) => ({ t, browser, base } = app));

  it('claims the call, sees the customer, records a low CSAT and sees it escalated', async () => {
    t.clock.set('2026-11-27T10:00:00Z');
    const storeId = (await t.store()).id;
    const marketing = await t.auth('marketing');
    await t.http
      .post('/api/followup-plans')
      .set(marketing)
      .send({ name: 'Llamada zapatos', channel: 'call', delay: 'PT0S', surveyKind: 'csat' })
      .expect(201);
    const ana = await t.member({ phone: '+34600123456' });
    await t.http
      .post('/api/checkout/purchases')
      .set(await t.auth('cashier', { storeId }))
      .set('Idempotency-Key', randomUUID())
      .send({
        code: ana.number,
        storeId,
        currency: 'EUR',
        lines: [{ sku: 'SHOE-1', category: 'shoes', quantity: 1, unitPriceCents: 5999 }],
      })
      .expect(201);
    await t.app.get(FollowupDispatcher).dispatchDue();
    const [task] = await t.dataSource.query(`SELECT id FROM followup_tasks WHERE member_id = $1`, [
      ana.id,
    ]);
    const agent = await t.staff('agent');

    const page = await browser.newPage();
    try {
      await page.goto(`${base}/agent?lang=es`);
      await page.waitForURL(/\/login\?next=%2Fagent/);
      await page.fill('#email', agent.email);
      await page.fill('#password', agent.password);
      await Promise.all([page.waitForURL(/:\d+\/agent(\?|$)/), page.click('#login-submit')]);
      await page.click(`[data-testid="claim-${task.id}"]`);
      await page.waitForSelector('#task:not([hidden])');
      await page.waitForFunction(() =>
        document.querySelector('#customer-name')?.textContent?.includes('Ana García'),
      );
      expect(await page.textContent('#customer-facts')).toContain('+34600123456');
      expect(await page.textContent('#call-script')).toContain('Ana');
      await page.selectOption('#outcome', 'reached');
      await page.fill('#duration', '120');
      await page.fill('#notes', 'Los zapatos llegaron rotos');
      await page.selectOption('#sat-score', '2');
      await page.fill('#sat-comment', 'Muy decepcionada');
      await page.click('#attempt-submit');
      await page.waitForSelector('[data-testid="attempt-result"]:not([hidden])');
      expect(await page.isVisible('[data-testid="escalated"]')).toBe(true);
      expect(await page.textContent('[data-testid="attempt-result"]')).toContain('hecha');
    } finally {
      await page.close();
    }
    const [row] = await t.dataSource.query(
      `SELECT status, escalated, attempts FROM followup_tasks WHERE id = $1`,
      [task.id],
    );
    expect(row).toEqual({ status: 'done', escalated: true, attempts: 1 });
  });
});
