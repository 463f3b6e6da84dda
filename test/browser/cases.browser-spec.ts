import { JwtService } from '@nestjs/jwt';
import type { Browser } from 'playwright-core';
import { describeBrowser, useBrowserApp } from '../utils/browser';
import { TestApp, TEST_JWT_SECRET } from '../utils/test-app';

jest.setTimeout(90_000);

/**
 * A complaint from start to end in the browser: the customer files it on /complaints and sees
 * its number; a supervisor finds it on /supervisor, replies and resolves it; the customer sees
 * it resolved on /me.
 */
describeBrowser('complaints: /complaints → /supervisor → /me', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  useBrowserApp((app) => ({ t, browser, base } = app));

  it('files, works and resolves a complaint through the pages', async () => {
    const member = await t.member({ locale: 'es' });
    const memberToken = new JwtService({ secret: TEST_JWT_SECRET }).sign(
      { sub: member.id, kind: 'member' },
      { expiresIn: '1h' },
    );
    const customer = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await customer.addInitScript((value) => {
      sessionStorage.setItem('fidelia.memberToken', value);
    }, memberToken);
    const page = await customer.newPage();
    await page.goto(`${base}/complaints?lang=es`);
    await page.waitForSelector('#signed-in-note:not([hidden])');
    await page.selectOption('#c-category', 'product');
    await page.fill('#c-subject', 'Zapatillas descosidas');
    await page.fill('#c-description', 'Se descosieron a la semana de comprarlas.');
    await page.click('#complaint-submit');
    await page.waitForSelector('#complaint-sent:not([hidden])');
    const number = (await page.textContent('[data-testid=complaint-number]'))!;
    expect(number).toMatch(/^REC-\d{4}-\d{6}$/);

    const staff = await t.staff('supervisor');
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await desk.addInitScript((value) => {
      sessionStorage.setItem('fidelia.staffToken', value);
    }, staff.token);
    const sup = await desk.newPage();
    await sup.goto(`${base}/supervisor?lang=es`);
    const row = sup.locator('[data-testid=case-row]', { hasText: number });
    await row.waitFor();
    expect(await row.locator('.badge').textContent()).toBe('En plazo');
    expect(await sup.getAttribute('[data-testid=reports-link]', 'href')).toBe(
      '/supervisor/reports',
    );
    await row.click();
    await sup.waitForSelector(`[data-testid=case-number]:text("${number}")`);
    await sup.fill('#d-text', 'Le enviamos un par nuevo esta semana.');
    await sup.click('#d-reply');
    await sup.waitForSelector('#d-history li.customer >> text=Le enviamos un par nuevo');
    await sup.fill('#d-resolution', 'Cambio por un par nuevo');
    await sup.click('#d-resolve');
    await sup.waitForSelector('[data-testid=case-status][data-status=resolved]');
    expect(await sup.textContent('[data-testid=case-status]')).toBe('Resuelto');

    await page.goto(`${base}/me?lang=es`);
    const mine = page.locator('[data-testid=me-cases] li', { hasText: number });
    await mine.waitFor();
    expect(await mine.locator('[data-testid=me-case-status]').textContent()).toBe(' · Resuelto');
    expect(await mine.textContent()).toContain('Cambio por un par nuevo');
    await customer.close();
    await desk.close();
  });
});
