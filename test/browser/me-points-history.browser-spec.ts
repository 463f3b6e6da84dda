import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { describeBrowser, useBrowserApp } from '../utils/browser';
import type { TestApp } from '../utils/test-app';

/** "Why did I get these points": /me lists each ledger entry with what it was and the rules behind it. */
describeBrowser('/me: points history', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  useBrowserApp((app) => ({ t, browser, base } = app));

  it('shows a purchase with its rule, a redemption and a return, newest first, in the member language', async () => {
    const storeId = (await t.store()).id;
    const cashier = await t.auth('cashier', { storeId });
    const ana = await t.member();
    const buy = await t.http
      .post('/api/checkout/purchases')
      .set(cashier)
      .set('Idempotency-Key', randomUUID())
      .send({
        code: ana.number,
        storeId,
        currency: 'EUR',
        externalId: 'T-1',
        lines: [
          { sku: 'SHOE-1', category: 'shoes', quantity: 1, unitPriceCents: 5999 },
          { sku: 'SOCK-1', category: 'socks', quantity: 1, unitPriceCents: 1000 },
        ],
      });
    expect(buy.status).toBe(201);
    const earned = buy.body.pointsEarned as number;
    expect(earned).toBeGreaterThan(0);
    await t.http
      .post('/api/checkout/redemptions')
      .set(cashier)
      .set('Idempotency-Key', randomUUID())
      .send({ code: ana.number, storeId, points: 20 })
      .expect(201);
    const ret = await t.http
      .post(`/api/checkout/purchases/${buy.body.purchaseId}/returns`)
      .set(cashier)
      .set('Idempotency-Key', randomUUID())
      .send({ storeId, lines: [{ sku: 'SOCK-1', quantity: 1 }] });
    expect(ret.status).toBe(201);

    const rows = async (lang: 'es' | 'en') => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      await context.addInitScript(
        (value) => sessionStorage.setItem('fidelia.memberToken', value),
        ana.auth.Authorization.slice(7),
      );
      const page = await context.newPage();
      await page.goto(`${base}/me?lang=${lang}`);
      await page.waitForSelector('#points-history:not([hidden]) tr');
      const cells = await page.$$eval('#points-history tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent)),
      );
      await context.close();
      return cells;
    };

    const es = await rows('es');
    expect(es).toHaveLength(3);
    expect(es[0][0]).toBe('Puntos retirados por una devolución');
    expect(Number(es[0][1])).toBeLessThan(0);
    expect(es[1]).toEqual(['Puntos canjeados', '-20']);
    expect(es[2][0]).toMatch(/^Puntos por una compra · por /);
    expect(es[2][1]).toBe(`+${earned}`);
    const en = await rows('en');
    expect(en.map((r) => r[0].split(' · ')[0])).toEqual([
      'Points taken back for a return',
      'Points redeemed',
      'Points for a purchase',
    ]);
  });
});
