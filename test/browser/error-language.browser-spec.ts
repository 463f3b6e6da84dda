import type { Browser, Page } from 'playwright-core';
import { describeBrowser, useBrowserApp } from '../utils/browser';
import { screenshot } from '../utils/pages';
import type { TestApp } from '../utils/test-app';

/**
 * Issue 14, "every message a person reads in their language, with the reason": a bad join, till
 * and admin form in Spanish and in English shows which field and why, in the page's language,
 * and the API's own message follows Accept-Language.
 */
describeBrowser('validation errors in the reader’s language', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let n = 0;

  useBrowserApp((app) => ({ t, browser, base } = app));

  const LOCALES = [
    {
      browser: 'es-ES',
      phone: 'El teléfono debe estar en formato internacional, p. ej. +34 600 000 000.',
      name: 'El nombre no puede superar 80 caracteres.',
      pointValue: 'El valor del punto no puede ser más de 1000.',
    },
    {
      browser: 'en-GB',
      phone: 'Phone must be in international format, e.g. +34 600 000 000.',
      name: 'First name cannot be longer than 80 characters.',
      pointValue: 'Point value cannot be more than 1,000.',
    },
  ];

  async function pageIn(locale: string): Promise<Page> {
    const context = await browser.newContext({ locale });
    return context.newPage();
  }
  async function signIn(page: Page, user: { email: string; password: string }, next: string) {
    await page.goto(`${base}/login?next=${next}`);
    await page.fill('#email', user.email);
    await page.fill('#password', user.password);
    await Promise.all([page.waitForURL(`${base}${next}`), page.click('#login-submit')]);
  }

  it.each(LOCALES)('join: a bad phone says why ($browser)', async (l) => {
    const page = await pageIn(l.browser);
    await page.goto(`${base}/join`);
    await page.fill('#firstName', 'Lucía');
    await page.fill('#lastName', 'Prueba');
    await page.fill('#email', `lucia-${++n}@example.com`);
    await page.fill('#phone', '12345');
    await page.check('#consent-terms');
    await page.click('#join-submit');
    const error = page.locator('[data-error-for="phone"]');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toBe(l.phone);
    await screenshot(page, `join-phone-error-${l.browser}`);
    await page.context().close();
  });

  it.each(LOCALES)(
    'till: quick enrolment with a long name says the limit ($browser)',
    async (l) => {
      const storeId = (await t.store()).id;
      const cashier = await t.staff('cashier', { storeId });
      const page = await pageIn(l.browser);
      await signIn(page, cashier, '/till');
      await page.waitForSelector('#till:not([hidden])');
      await page.click('#enrol-details summary');
      await page.fill('#enrol-first', 'A'.repeat(90));
      await page.fill('#enrol-last', 'Prueba');
      await page.fill('#enrol-email', `till-${++n}@example.com`);
      await page.check('#enrol-terms');
      await page.click('#enrol-submit');
      const error = page.locator('#enrol-error');
      await error.waitFor({ state: 'visible' });
      expect(await error.textContent()).toBe(l.name);
      await screenshot(page, `till-enrol-error-${l.browser}`);
      await page.context().close();
    },
  );

  it.each(LOCALES)('admin: a point value over the limit says it ($browser)', async (l) => {
    const admin = await t.staff('admin');
    const page = await pageIn(l.browser);
    await signIn(page, admin, '/admin');
    await page.waitForSelector('#admin:not([hidden])');
    await page.waitForFunction(
      () => (document.querySelector('#set-point-value') as HTMLInputElement).value !== '',
    );
    await page.fill('#set-point-value', '5000');
    await page.click('#settings-form button[type=submit]');
    const error = page.locator('#settings-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toBe(l.pointValue);
    await screenshot(page, `admin-settings-error-${l.browser}`);
    await page.context().close();
  });

  it('the API’s message follows Accept-Language (English by default); details keep rule and arguments', async () => {
    const admin = await t.auth('admin');
    const send = (lang?: string) => {
      const req = t.http.patch('/api/settings').set(admin);
      if (lang) req.set('Accept-Language', lang);
      return req.send({ pointValueCents: 5000 });
    };
    const plain = await send();
    expect(plain.status).toBe(400);
    expect(plain.body).toMatchObject({
      code: 'common.validation',
      message: 'Point value cannot be more than 1,000.',
      details: [{ field: 'pointValueCents', constraint: 'max', args: { max: 1000 } }],
    });
    expect(plain.body.details[0].reason).toEqual(expect.any(String));
    expect((await send('es-ES,es;q=0.9,en;q=0.8')).body.message).toBe(
      'El valor del punto no puede ser más de 1000.',
    );
    const unknown = await t.http
      .patch('/api/settings')
      .set(admin)
      .set('Accept-Language', 'es')
      .send({ colour: 'red' });
    expect(unknown.body.details).toEqual([
      { field: 'colour', reason: 'unknown field', constraint: 'unknown' },
    ]);
  });
});
