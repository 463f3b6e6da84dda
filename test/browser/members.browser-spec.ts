import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AuthService } from '../../src/modules/auth';
import { ConsentsService, MembersService } from '../../src/modules/members';
import { MessagingService } from '../../src/modules/messaging';
import { describeBrowser, useBrowserApp } from '../utils/browser';
import type { TestApp } from '../utils/test-app';

// jest applies `testTimeout` only from the root config, not per project: set it here.
jest.setTimeout(90_000);

/** A phone-sized window, as most members will see the pages. */
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

describeBrowser('member pages (/join and /me)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let context: BrowserContext;
  let page: Page;

  useBrowserApp((app) => ({ t, browser, base } = app));
  beforeEach(async () => {
    context = await browser.newContext({ ...PHONE, locale: 'es-ES' });
    page = await context.newPage();
  });
  afterEach(() => context.close());

  const noHorizontalScroll = () =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  const lastCode = async (email: string, template = 'member-login-code') => {
    const [message] = await t.app.get(MessagingService).pendingFor(email, template);
    return String(message.payload.code);
  };

  it('enrols on /join, then signs in on /me with the emailed code and manages the account', async () => {
    const email = `navegador-${Date.now()}@example.com`;
    await page.clock.install();
    await page.goto(`${base}/join`);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await noHorizontalScroll()).toBe(true);
    // every purpose is explained in plain words
    const helps = await page.$$eval('.consent .help', (els) =>
      els.map((e) => e.textContent.trim()),
    );
    expect(helps).toHaveLength(6);
    for (const help of helps) expect(help.length).toBeGreaterThan(20);

    await page.fill('#firstName', 'Lucía');
    await page.fill('#lastName', 'Navegante');
    await page.fill('#email', email);
    await page.fill('#phone', '600 99 88 77');
    await page.check('#consent-marketing_email');
    // the terms are required: the page says so without calling the server
    await page.click('#join-submit');
    await page.waitForSelector('[data-error-for="consents.terms"]:not([hidden])');
    expect(await page.textContent('[data-error-for="consents.terms"]')).toContain('condiciones');

    await page.check('#consent-terms');
    await page.click('#join-submit');
    await page.waitForSelector('#joined:not([hidden])');
    // The card and a code come by email (the page says nothing about whether it was new).
    expect(await page.textContent('#welcome')).toContain(email);
    const [welcome] = await t.app.get(MessagingService).pendingFor(email, 'member-welcome');
    const shown = String(welcome.payload.cardNumber).replace(/(\d{4})(?=\d)/g, '$1 ');
    expect(shown).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);

    const member = (await t.app.get(MembersService).findByEmail(email))!;
    expect(member).toMatchObject({
      firstName: 'Lucía',
      phone: '+34600998877',
      enrolmentChannel: 'web',
    });
    expect(await t.app.get(ConsentsService).current(t.dataSource.manager, member.id)).toMatchObject(
      {
        terms: true,
        marketing_email: true,
        followup: false,
      },
    );

    // on to /me: the email comes along and the code is already on its way
    await Promise.all([page.waitForURL(/\/me\?sent=1&email=/), page.click('#go-to-me')]);
    expect(await page.inputValue('#me-email')).toBe(email);
    await page.waitForSelector('#code-form:not([hidden])');
    // a wrong code first
    const code = await lastCode(email, 'member-welcome');
    await page.fill('#me-code', code === '000000' ? '111111' : '000000');
    await page.click('#verify-code');
    await page.waitForSelector('#signin-error:not([hidden])');
    await page.fill('#me-code', code);
    await page.click('#verify-code');
    await page.waitForSelector('#member-area:not([hidden])');
    expect(await page.textContent('[data-testid=member-name]')).toBe('Hola, Lucía');
    expect(await page.textContent('#member-area [data-testid=card-number]')).toBe(shown);
    const token = await page.evaluate(() => sessionStorage.getItem('fidelia.memberToken'));
    expect(token).toMatch(/^ey/);
    expect(await page.isChecked('#consent-marketing_email')).toBe(true);
    expect(await page.isChecked('#consent-calls')).toBe(false);
    expect(await noHorizontalScroll()).toBe(true);

    // the rotating QR (cards) and the balance (ledger)
    await page.waitForSelector('#qr-area:not([hidden])');
    const qrLoaded = () =>
      page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('#qr-image');
        return Boolean(img && img.src.startsWith('blob:') && img.complete && img.naturalWidth > 0);
      });
    await qrLoaded();
    const firstQr = await page.getAttribute('#qr-image', 'src');
    await page.waitForSelector('#points-area:not([hidden])');
    expect(await page.textContent('#points-balance')).toBe('0 puntos');
    // the code changes with the next time step, and the page follows on time
    t.clock.advance(30_000);
    try {
      await page.clock.fastForward(31_000);
      await page.waitForFunction(
        (before) => document.querySelector<HTMLImageElement>('#qr-image')!.src !== before,
        firstQr,
      );
      await qrLoaded();
    } finally {
      t.clock.reset();
    }

    // a toggle records a consent change at once
    await page.check('#consent-calls');
    await page.waitForSelector('#consent-status:not([hidden])');
    expect((await t.app.get(ConsentsService).current(t.dataSource.manager, member.id)).calls).toBe(
      true,
    );
    const [row] = await t.dataSource.query(
      `SELECT channel, recorded_by_type FROM consents WHERE member_id = $1 ORDER BY id DESC LIMIT 1`,
      [member.id],
    );
    expect(row).toEqual({ channel: 'web', recorded_by_type: 'member' });

    // download my data
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#download-data'),
    ]);
    expect(download.suggestedFilename()).toBe('fidelia-my-data.json');
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const exported = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    expect(exported.member).toMatchObject({ id: member.id, email });

    // erase, with a confirmation step that can be cancelled
    await page.click('#erase-account');
    await page.click('#erase-confirm-no');
    expect(await page.isHidden('#erase-confirm')).toBe(true);
    await page.click('#erase-account');
    await page.click('#erase-confirm-yes');
    await page.waitForSelector('#erased:not([hidden])');
    const [after] = await t.dataSource.query(`SELECT status, email FROM members WHERE id = $1`, [
      member.id,
    ]);
    expect(after).toEqual({ status: 'erased', email: null });
    expect(await page.evaluate(() => sessionStorage.getItem('fidelia.memberToken'))).toBeNull();
  });

  it('explains a duplicate email and asks for a guardian under the minimum age, in English', async () => {
    const existing = `taken-${Date.now()}@example.com`;
    await t.app
      .get(MembersService)
      .enrol(
        { firstName: 'Ana', lastName: 'Prior', email: existing, consents: { terms: true } },
        { channel: 'web' },
      );
    await page.goto(`${base}/join?lang=en`);
    expect(await page.textContent('h1')).toBe('Join the programme');
    await page.fill('#firstName', 'Tom');
    await page.fill('#lastName', 'Young');
    await page.fill('#email', existing);
    await page.check('#consent-terms');
    await page.click('#join-submit');
    // An enrolled email is answered like a new one; its owner is told by email (issue 13).
    await page.waitForSelector('#joined:not([hidden])');
    expect(await page.textContent('#welcome')).toContain(existing);
    expect(
      await t.app.get(MessagingService).pendingFor(existing, 'member-already-enrolled'),
    ).toHaveLength(1);

    await page.goto(`${base}/join?lang=en`);
    await page.fill('#firstName', 'Tom');
    await page.fill('#lastName', 'Young');
    await page.check('#consent-terms');
    await page.fill('#email', `young-${Date.now()}@example.com`);
    const young = new Date();
    young.setFullYear(young.getFullYear() - 10);
    await page.fill('#birthDate', young.toISOString().slice(0, 10));
    await page.waitForSelector('#guardian-block:not([hidden])');
    await page.click('#join-submit');
    await page.waitForSelector('[data-error-for=guardianName]:not([hidden])');
    await page.fill('#guardianName', 'Mary Young');
    await page.click('#join-submit');
    await page.waitForSelector('#joined:not([hidden])');
    expect(await page.textContent('#joined h1')).toBe('Check your email');
  });

  it('keeps a wrong code out and sends an erased or expired session back to sign-in', async () => {
    await page.goto(`${base}/me`);
    await page.evaluate(() => sessionStorage.setItem('fidelia.memberToken', 'not-a-token'));
    await page.reload();
    expect(await page.isVisible('#signin')).toBe(true);
    expect(await page.isHidden('#member-area')).toBe(true);
    await page.fill('#me-email', 'nobody@example.com');
    await page.click('#request-code');
    await page.waitForSelector('#code-form:not([hidden])');
    await page.fill('#me-code', '123456');
    await page.click('#verify-code');
    await page.waitForSelector('#signin-error:not([hidden])');
    expect(await page.textContent('#signin-error')).toContain('no es correcto');
  });

  it('hides the QR and balance areas when those services do not answer', async () => {
    const { member } = await t.app.get(MembersService).enrol(
      {
        firstName: 'Sin',
        lastName: 'Servicios',
        email: `sin-${Date.now()}@example.com`,
        consents: { terms: true },
      },
      { channel: 'web' },
    );
    const { accessToken } = await t.app.get(AuthService).issueMemberToken(member.id);
    await page.addInitScript(
      (token) => sessionStorage.setItem('fidelia.memberToken', token),
      accessToken,
    );
    await page.route(/\/card\/qr\.svg|\/points$|\/api\/me\/card$/, (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: '{"statusCode":404}' }),
    );
    await page.goto(`${base}/me?lang=en`);
    await page.waitForSelector('#member-area:not([hidden])');
    expect(await page.textContent('[data-testid=member-name]')).toBe('Hello, Sin');
    expect(await page.isHidden('#qr-area')).toBe(true);
    expect(await page.isHidden('#points-area')).toBe(true);
    expect(await page.isHidden('#wallet-area')).toBe(true);
  });
});
