import type { Browser, Page } from 'playwright-core';
import { describeBrowser, useBrowserApp } from '../utils/browser';
import type { TestApp } from '../utils/test-app';

describeBrowser('crm page (customer 360)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;

  useBrowserApp((app) => ({ t, browser, base } = app));
  beforeEach(async () => {
    page = await browser.newPage({ locale: 'es-ES' });
  });
  afterEach(() => page.close());

  it('an agent finds an article by a word in it, sends it, and it shows on the timeline', async () => {
    const supervisor = await t.auth('supervisor');
    const category = await t.http
      .post('/api/kb/categories')
      .set(supervisor)
      .send({ slug: 'manuals', nameEs: 'Manuales', nameEn: 'Manuals' });
    await t.http
      .post('/api/kb/articles')
      .set(supervisor)
      .send({
        slug: 'running-shoes-care',
        categoryId: category.body.id,
        titleEs: 'Cuidado de las zapatillas',
        bodyEs: 'Lávalas a mano con agua fría.\n\nCambia las plantillas cada 500 km.',
        titleEn: 'Shoe care',
        bodyEn: 'Hand-wash in cold water.\n\nReplace the insoles every 500 km.',
      })
      .expect(201);
    const member = await t.member({ firstName: 'Lucía', lastName: 'Peñalver' });
    const agent = await t.staff('agent');
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) external.push(r.url());
    });

    await page.goto(`${base}/crm`);
    await page.waitForURL(/\/login\?next=%2Fcrm/);
    await page.fill('#email', agent.email);
    await page.fill('#password', agent.password);
    await Promise.all([page.waitForURL(`${base}/crm`), page.click('#login-submit')]);
    await page.waitForSelector('body[data-ready=crm]');

    // The member, by her name typed without accents.
    await page.fill('#crm-q', 'lucia penalver');
    await page.click('#crm-search');
    const hit = page.locator(`[data-group=member] [data-id="${member.id}"]`);
    await hit.waitFor();
    expect(await hit.locator('mark').first().textContent()).toBe('Lucía Peñalver');
    await hit.click();
    await page.waitForSelector('#timeline li[data-kind=enrolment]');
    expect(await page.textContent('#member-name')).toBe('Lucía Peñalver');

    // The article, by a word of its body.
    await page.fill('#crm-q', 'plantillas');
    await page.click('#crm-search');
    const article = page.locator('[data-group=article] .crm-hit').first();
    await article.waitFor();
    expect(await article.locator('mark').first().textContent()).toBe('plantillas');
    await article.click();
    await page.waitForSelector('#crm-article:not([hidden])');
    expect(await page.textContent('#article-title')).toBe('Cuidado de las zapatillas');
    expect(await page.textContent('#send-to')).toContain('Lucía Peñalver');

    await page.selectOption('#send-channel', 'email');
    await page.click('#send-article');
    await page.waitForSelector('#send-ok:not([hidden])');
    const sent = page.locator('#timeline li[data-kind=article_sent]');
    await sent.waitFor();
    expect(await sent.textContent()).toContain(
      'Artículo enviado por email: Cuidado de las zapatillas',
    );

    const [outbox] = await t.dataSource.query(
      `SELECT template, recipient FROM outbox WHERE member_id = $1 AND template = 'knowledge-article'`,
      [member.id],
    );
    expect(outbox).toEqual({ template: 'knowledge-article', recipient: member.email });
    expect(external).toEqual([]);
  });
});
