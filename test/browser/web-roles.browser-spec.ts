import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, useBrowserApp } from '../utils/browser';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AxeFinding, axeViolations, screenshot, SCREENSHOT_DIR } from '../utils/pages';
import type { TestApp } from '../utils/test-app';

/**
 * Pages other branches are building (follow-up, cases, reports, CRM). The crawl skips links to
 * them until they are merged. LEAD: delete this constant (and its one use) after merging them.
 */
const NOT_YET_BUILT_PAGES = [
  '/agent',
  '/supervisor',
  '/supervisor/reports',
  '/complaints',
  '/crm',
  '/terms',
];

/** Where each role lands after signing in. */
const HOMES = {
  cashier: '/till',
  marketing: '/marketing',
  agent: '/agent',
  supervisor: '/supervisor',
  admin: '/admin',
} as const;
type StaffRoleName = keyof typeof HOMES;

/** Pages that are not ours to judge (Swagger UI): their status is checked, not their contents. */
const THIRD_PARTY = ['/api/docs'];
const MAX_PAGES = 40;
/** A crawl loads some twenty pages in a browser: give it time on a busy machine. */
const CRAWL_MS = 240_000;
/** Pages already screenshotted and checked with axe-core, as path + query. */
const JUDGED = new Set<string>();

describeBrowser(
  'every role: its home after sign-in, no dead link, no serious accessibility fault',
  () => {
    let t: TestApp;
    let browser: Browser;
    let base: string;
    const findings: AxeFinding[] = [];

    useBrowserApp((app) => ({ t, browser, base } = app));
    afterAll(() => {
      // Every page any crawl visited: each fault once, with the pages where it was found.
      const faults = new Map<string, { pages: string[] } & Omit<AxeFinding, 'page'>>();
      for (const { page, ...f } of findings) {
        const key = `${f.id} ${f.nodes.join(',')}`;
        const seen = faults.get(key) ?? { ...f, pages: [] };
        seen.pages.push(page);
        faults.set(key, seen);
      }
      mkdirSync(dirname(SCREENSHOT_DIR), { recursive: true });
      writeFileSync(
        join(dirname(SCREENSHOT_DIR), 'axe-findings.json'),
        JSON.stringify([...faults.values()], null, 2),
      );
      expect([...faults.values()]).toEqual([]);
    });

    /**
     * Visits `start`, then every same-origin link found on each page (our pages only), each URL
     * once: a 4xx/5xx answer is a dead link. Each page is screenshotted and checked with axe-core.
     */
    async function crawl(page: Page, who: string, start: string[]) {
      const seen = new Set<string>();
      const queue = start.map((p) => new URL(p, base).href);
      const dead: string[] = [];
      const visited: string[] = [];
      while (queue.length && seen.size < MAX_PAGES) {
        const url = queue.shift()!;
        if (seen.has(url)) continue;
        seen.add(url);
        const { pathname, search } = new URL(url);
        if (NOT_YET_BUILT_PAGES.includes(pathname)) continue;
        const res = await page.goto(url);
        await page.waitForLoadState('networkidle');
        if (!res || res.status() >= 400) {
          dead.push(`${pathname}${search} → ${res?.status()}`);
          continue;
        }
        visited.push(pathname + search);
        if (THIRD_PARTY.some((p) => pathname.startsWith(p))) continue;
        if (!(await page.$('#page-data'))) continue;
        // Each page is judged and photographed once (by the first role that reaches it); every
        // role still follows every link.
        const variant =
          who === 'member' ? ':member' : pathname === '/login' && who !== 'visitor' ? ':staff' : '';
        const judged = JUDGED.has(pathname + search + variant);
        JUDGED.add(pathname + search + variant);
        const name = `${who}${pathname === '/' ? '-home' : pathname.replace(/\//g, '-')}${search.replace(/[?=&]/g, '-')}`;
        if (!judged) {
          await screenshot(page, name);
          findings.push(...(await axeViolations(page, name)));
        }
        const links = await page.$$eval('a[href]', (as) =>
          as.map((a) => (a as HTMLAnchorElement).href),
        );
        for (const link of links) {
          const target = new URL(link);
          if (target.origin !== new URL(base).origin) continue;
          if (/^\/(assets|vendor)\//.test(target.pathname)) continue;
          target.hash = '';
          if (!seen.has(target.href)) queue.push(target.href);
        }
      }
      return { dead, visited };
    }

    async function signedIn(role: StaffRoleName): Promise<{ context: BrowserContext; page: Page }> {
      const user = await t.staff(role, role === 'cashier' ? { storeId: (await t.store()).id } : {});
      const context = await browser.newContext({ locale: 'es-ES' });
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.fill('#email', user.email);
      await page.fill('#password', user.password);
      await Promise.all([
        page.waitForURL((u) => u.pathname === HOMES[role]),
        page.click('#login-submit'),
      ]);
      return { context, page };
    }

    it(
      'shows the public pages to a visitor with no dead link',
      async () => {
        const context = await browser.newContext({ locale: 'es-ES' });
        const page = await context.newPage();
        const { dead, visited } = await crawl(page, 'visitor', ['/', '/join', '/me', '/login']);
        await context.close();
        expect(dead).toEqual([]);
        expect(visited).toEqual(
          expect.arrayContaining(['/', '/join', '/me', '/login', '/?lang=en']),
        );
      },
      CRAWL_MS,
    );

    it(
      'shows a member their area with no dead link',
      async () => {
        const ana = await t.member();
        const context = await browser.newContext({ locale: 'es-ES' });
        await context.addInitScript(
          (token) => sessionStorage.setItem('fidelia.memberToken', token),
          ana.auth.Authorization.slice(7),
        );
        const page = await context.newPage();
        const { dead, visited } = await crawl(page, 'member', ['/me', '/me?lang=en']);
        await context.close();
        expect(dead).toEqual([]);
        expect(visited).toContain('/me');
      },
      CRAWL_MS,
    );

    it.each(Object.keys(HOMES) as StaffRoleName[])(
      'lands %s on its home after sign-in, and no link of its pages is dead',
      async (role) => {
        const { context, page } = await signedIn(role);
        expect(new URL(page.url()).pathname).toBe(HOMES[role]);
        const { dead, visited } = await crawl(page, role, [HOMES[role], '/login', '/']);
        await context.close();
        expect(dead).toEqual([]);
        if (!NOT_YET_BUILT_PAGES.includes(HOMES[role])) expect(visited).toContain(HOMES[role]);
      },
      CRAWL_MS,
    );
  },
);
