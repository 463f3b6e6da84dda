import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, listen } from '../utils/browser';
import { startTestApp, TestApp } from '../utils/test-app';

describeBrowser('marketing page', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  let storeId: string;
  let marketing: { email: string; password: string };

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    storeId = (await t.store()).id;
    marketing = await t.staff('marketing');
    browser = await launchBrowser();
  }, 60000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage({ locale: 'es-ES' });
  });
  afterEach(() => page.close());

  const condition = (field: string) => `#conditions > div:nth-child(1) [data-field=${field}]`;
  const effect = (field: string) => `#effects > div:nth-child(1) [data-field=${field}]`;

  it('builds a promotion in the form, simulates, publishes; the next purchase earns it', async () => {
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) external.push(r.url());
    });
    await page.goto(`${base}/marketing`);
    await page.waitForURL(/\/login\?next=%2Fmarketing/);
    await page.fill('#email', marketing.email);
    await page.fill('#password', marketing.password);
    await Promise.all([page.waitForURL(`${base}/marketing`), page.click('#login-submit')]);
    await page.waitForSelector('body[data-ready=marketing]');

    await page.click('#new-promotion');
    await page.fill('#p-nameEs', 'Bono calzado');
    await page.fill('#p-nameEn', 'Shoes bonus');
    await page.fill('#p-priority', '20');
    await page.click('#add-condition');
    await page.selectOption(condition('type'), 'basket_total');
    await page.selectOption(condition('op'), 'gte');
    await page.fill(condition('value'), 'treinta');
    await page.selectOption(effect('type'), 'fixed_bonus');
    await page.fill(effect('points'), '40');

    // The server's 400 names the path of the bad value.
    await page.click('#save-promotion');
    await page.waitForSelector('#form-errors:not([hidden])');
    expect(await page.textContent('#form-errors')).toContain('conditions.all.0.value');

    await page.selectOption(condition('type'), 'line_category');
    await page.selectOption(condition('op'), 'eq');
    await page.fill(condition('value'), 'shoes');
    await page.click('#save-promotion');
    await page.waitForSelector('#form-ok:not([hidden])');
    expect(await page.getAttribute('#promotion-status', 'data-status')).toBe('draft');
    const [saved] = await t.dataSource.query<
      { id: string; conditions: unknown; effects: unknown }[]
    >(`SELECT id, conditions, effects FROM promotions WHERE name_es = 'Bono calzado'`);
    expect(saved.conditions).toEqual({
      all: [{ type: 'line_category', op: 'eq', value: 'shoes' }],
    });
    expect(saved.effects).toEqual([{ type: 'fixed_bonus', points: 40 }]);

    // Simulate the draft on a basket: base rate 59 + the bonus 40.
    await page.fill('#sim-lines tr:nth-child(1) [data-field=sku]', 'SHOE-1');
    await page.fill('#sim-lines tr:nth-child(1) [data-field=category]', 'shoes');
    await page.fill('#sim-lines tr:nth-child(1) [data-field=price]', '59,99');
    await page.click('#simulate');
    await page.waitForSelector('#sim-result:not([hidden])');
    expect(await page.textContent('#sim-points')).toBe('99');
    expect(await page.textContent(`#sim-breakdown tr[data-id="${saved.id}"]`)).toContain('40');

    await page.click('#publish');
    await page.waitForSelector('#promotion-status[data-status=active]');
    await page.waitForSelector(`#promotion-list tr[data-id="${saved.id}"] [data-status=active]`);

    // The next purchase at the till earns it.
    const cashier = await t.auth('cashier');
    const enrol = await t.http
      .post('/api/members')
      .set(cashier)
      .send({
        firstName: 'Lucía',
        lastName: 'Pérez',
        email: `lucia-${Date.now()}@example.com`,
        locale: 'es',
        consents: { terms: true },
      });
    const receipt = await t.http
      .post('/api/checkout/purchases')
      .set(cashier)
      .set('Idempotency-Key', randomUUID())
      .send({
        code: enrol.body.card.number,
        storeId,
        currency: 'EUR',
        lines: [{ sku: 'SHOE-1', category: 'shoes', quantity: 1, unitPriceCents: 5999 }],
      });
    expect(receipt.status).toBe(201);
    expect(receipt.body.pointsEarned).toBe(99);
    expect(receipt.body.breakdown).toContainEqual({
      promotionId: saved.id,
      version: 1,
      name: 'Bono calzado',
      points: 40,
    });

    // Pausing from the page stops it.
    await page.click('#pause');
    await page.waitForSelector('#promotion-status[data-status=paused]');
    expect(external).toEqual([]);
  });
});
