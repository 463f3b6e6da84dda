import type { Browser, Page } from 'playwright-core';
import { describeBrowser, useBrowserApp } from '../utils/browser';
import type { TestApp } from '../utils/test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describeBrowser('public knowledge article with a brochure', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;

  useBrowserApp((app) => ({ t, browser, base } = app));
  beforeEach(async () => {
    page = await browser.newPage({ locale: 'es-ES', acceptDownloads: true });
  });
  afterEach(() => page.close());

  it('a customer opens the public article and downloads its brochure', async () => {
    const supervisor = await t.auth('supervisor');
    const category = await t.http
      .post('/api/kb/categories')
      .set(supervisor)
      .send({ slug: 'brochures', nameEs: 'Folletos', nameEn: 'Brochures' })
      .expect(201);
    const article = await t.http
      .post('/api/kb/articles')
      .set(supervisor)
      .send({
        slug: 'trail-collection',
        categoryId: category.body.id,
        public: true,
        titleEs: 'Colección Trail',
        bodyEs: 'Toda la colección en el folleto.',
        titleEn: 'Trail collection',
        bodyEn: 'The whole collection in the brochure.',
      })
      .expect(201);
    await t.http
      .post(`/api/kb/articles/${article.body.id}/attachments`)
      .set(await t.auth('marketing'))
      .attach('file', PDF, 'folleto-trail.pdf')
      .expect(201);

    await page.goto(`${base}/kb/trail-collection`);
    const link = page.locator('.kb-attachments a', { hasText: 'folleto-trail.pdf' });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('folleto-trail.pdf');
    expect(await download.failure()).toBeNull();
  });
});
