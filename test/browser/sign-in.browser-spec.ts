import type { Browser, Page } from 'playwright-core';
import { describeBrowser, useBrowserApp } from '../utils/browser';
import type { TestApp } from '../utils/test-app';

describeBrowser('staff sign-in page', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;

  useBrowserApp((app) => ({ t, browser, base } = app));
  beforeEach(async () => {
    page = await browser.newPage({ locale: 'es-ES' });
  });
  afterEach(() => page.close());

  it('signs a cashier in, lands on the till, and lists the areas of the role', async () => {
    const cashier = await t.staff('cashier');
    await page.goto(`${base}/login`);
    await page.fill('#email', cashier.email);
    await page.fill('#password', cashier.password);
    await Promise.all([page.waitForURL(`${base}/till`), page.click('#login-submit')]);
    await page.goto(`${base}/login`);
    await page.waitForSelector('#signed-in:not([hidden])');
    expect(await page.textContent('#signed-in-roles')).toBe('cashier');
    const links = await page.$$eval('#area-links a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['/till', '/api/docs']);
    const token = await page.evaluate(() => sessionStorage.getItem('fidelia.staffToken'));
    expect(token).toMatch(/^ey/);
  });

  it('shows the error in Spanish for a wrong password, and in English after switching', async () => {
    await page.goto(`${base}/login`);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await page.fill('#email', 'nadie@example.com');
    await page.fill('#password', 'incorrecta');
    await page.click('#login-submit');
    await page.waitForSelector('#login-error:not([hidden])');
    expect(await page.textContent('#login-error')).toBe('Correo o contraseña incorrectos.');

    await page.click('[data-testid=switch-language]');
    await page.waitForLoadState('load');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('h1')).toBe('Staff sign-in');
    await page.fill('#email', 'nobody@example.com');
    await page.fill('#password', 'wrong');
    await page.click('#login-submit');
    await page.waitForSelector('#login-error:not([hidden])');
    expect(await page.textContent('#login-error')).toBe('Wrong email or password.');
  });

  it('returns to the page that asked for the sign-in', async () => {
    const admin = await t.staff('admin');
    await page.goto(`${base}/login?next=/api/docs`);
    await page.fill('#email', admin.email);
    await page.fill('#password', admin.password);
    await Promise.all([page.waitForURL(`${base}/api/docs`), page.click('#login-submit')]);
    expect(new URL(page.url()).pathname).toBe('/api/docs');
  });

  it('loads no resource from outside the server', async () => {
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(`${base}/login`);
    await page.goto(`${base}/`);
    expect(requested.length).toBeGreaterThan(2);
    expect(requested.filter((u) => !u.startsWith(base))).toEqual([]);
  });
});
