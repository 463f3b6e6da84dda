import type { Browser } from 'playwright-core';
import { describeBrowser, useBrowserApp } from '../utils/browser';
import { TestApp } from '../utils/test-app';

jest.setTimeout(90_000);

/**
 * Departments through the pages: an admin adds one on /admin/departments (linked from /admin);
 * a supervisor given that department opens /supervisor on their own queue and may widen it.
 */
describeBrowser('departments: /admin/departments → /supervisor queue filter', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  useBrowserApp((app) => ({ t, browser, base } = app));

  const signedIn = async (token: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript((value) => {
      sessionStorage.setItem('fidelia.staffToken', value);
    }, token);
    return context.newPage();
  };

  it('creates a department and filters the desk by it', async () => {
    const admin = await signedIn((await t.staff('admin')).token);
    await admin.goto(`${base}/admin?lang=en`);
    expect(await admin.getAttribute('[data-testid=departments-link]', 'href')).toBe(
      '/admin/departments',
    );
    await admin.goto(`${base}/admin/departments?lang=en`);
    await admin.waitForSelector('tr[data-department=after_sales]');
    await admin.fill('#dep-code', 'returns');
    await admin.fill('#dep-es', 'Devoluciones');
    await admin.fill('#dep-en', 'Returns');
    await admin.click('#department-form button[type=submit]');
    await admin.waitForSelector('tr[data-department=returns]');

    const agent = await t.auth('agent');
    const file = (department: string, subject: string) =>
      t.http
        .post('/api/cases')
        .set(agent)
        .send({
          kind: 'query',
          channel: 'phone',
          contact: { name: 'Ana' },
          department,
          subject,
          description: 'A question.',
        })
        .expect(201);
    await file('returns', 'Return a coat');
    await file('online_store', 'Parcel late');

    const supervisor = await t.staff('supervisor');
    await t.http
      .put(`/api/departments/staff/${supervisor.id}`)
      .set(await t.auth('admin'))
      .send({ department: 'returns' })
      .expect(200);
    const desk = await signedIn(supervisor.token);
    await desk.goto(`${base}/supervisor?lang=en`);
    await desk.locator('[data-testid=case-row]', { hasText: 'Return a coat' }).waitFor();
    expect(await desk.inputValue('[data-testid=desk-department]')).toBe('returns');
    expect(await desk.locator('[data-testid=case-row]', { hasText: 'Parcel late' }).count()).toBe(
      0,
    );
    await desk.selectOption('[data-testid=desk-department]', '');
    await desk.locator('[data-testid=case-row]', { hasText: 'Parcel late' }).waitFor();
  });
});
