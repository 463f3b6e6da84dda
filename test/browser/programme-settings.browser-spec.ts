import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { describeBrowser, useBrowserApp } from '../utils/browser';
import { screenshot } from '../utils/pages';
import type { TestApp } from '../utils/test-app';

/** Issue 14: the till and /me say what the points are worth at the admin's point value. */
describeBrowser('the point value set at /admin on the till and in the member area', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  useBrowserApp((app) => ({ t, browser, base } = app));

  it('shows euros per the new point value at the till and on /me', async () => {
    const storeId = (await t.store()).id;
    const cashier = await t.staff('cashier', { storeId });
    const admin = await t.auth('admin');
    await t.http.patch('/api/settings').set(admin).send({ pointValueCents: 5 }).expect(200);
    const member = await t.member();
    await t.http
      .post('/api/checkout/purchases')
      .set(await t.auth('cashier', { storeId }))
      .set('Idempotency-Key', randomUUID())
      .send({
        code: member.number,
        storeId,
        currency: 'EUR',
        lines: [{ sku: 'A', quantity: 1, unitPriceCents: 4100 }],
      })
      .expect(201);

    // The till: 41 points at 5 cents.
    const till = await (await browser.newContext({ locale: 'es-ES' })).newPage();
    await till.goto(`${base}/login?next=/till`);
    await till.fill('#email', cashier.email);
    await till.fill('#password', cashier.password);
    await Promise.all([till.waitForURL(`${base}/till`), till.click('#login-submit')]);
    await till.waitForSelector('#till:not([hidden])');
    await till.fill('#code', member.number);
    await till.press('#code', 'Enter');
    await till.waitForFunction(() =>
      (document.querySelector('#member-available')?.textContent ?? '').includes('€'),
    );
    // Intl writes a no-break space before the euro sign.
    const spaces = (text: string | null) => (text ?? '').replace(/\s/g, ' ');
    expect(spaces(await till.textContent('#member-available'))).toBe('41 pts (2,05 €)');
    await screenshot(till, 'till-point-value');
    await till.context().close();

    // The member area, in both languages.
    for (const [lang, expected] of [
      ['es', 'Valen 2,05 € en tu próxima compra.'],
      ['en', 'Worth €2.05 off your next purchase.'],
    ]) {
      const context = await browser.newContext({ locale: lang === 'es' ? 'es-ES' : 'en-GB' });
      await context.addInitScript(
        (token) => sessionStorage.setItem('fidelia.memberToken', token),
        member.auth.Authorization.slice(7),
      );
      const page = await context.newPage();
      await page.goto(`${base}/me?lang=${lang}`);
      await page.waitForSelector('#points-worth:not([hidden])');
      expect(spaces(await page.textContent('#points-worth'))).toBe(expected);
      await screenshot(page, `me-point-value-${lang}`);
      await context.close();
    }
  });
});
