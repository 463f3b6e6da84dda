import jsQR from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { CardsErrorCode, CardsService } from '../../src/modules/cards';
import { MembersService } from '../../src/modules/members';
import { MessagingService } from '../../src/modules/messaging';
import { describeBrowser, launchBrowser, listen } from '../utils/browser';
import { startTestApp, TestApp } from '../utils/test-app';

// jest applies `testTimeout` only from the root config, not per project: set it here.
jest.setTimeout(90_000);

/** A phone-sized window, as a member shows the card at the till. */
const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/** White border added around a screenshot, so the decoder always has a quiet zone. */
const QUIET_ZONE = 32;

/** Decodes the QR in a PNG screenshot with an independent decoder (jsQR), after padding it. */
function decodeScreenshot(png: Buffer): string | undefined {
  const shot = PNG.sync.read(png);
  const width = shot.width + 2 * QUIET_ZONE;
  const height = shot.height + 2 * QUIET_ZONE;
  const padded = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < shot.height; y++) {
    const row = shot.data.subarray(y * shot.width * 4, (y + 1) * shot.width * 4);
    padded.set(row, ((y + QUIET_ZONE) * width + QUIET_ZONE) * 4);
  }
  return jsQR(padded, width, height)?.data;
}

describeBrowser('member card at the till (QR on /me → POST /api/checkout/scan)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let cashier: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    browser = await launchBrowser();
    const { id: storeId } = await t.store();
    cashier = await t.auth('cashier', { storeId });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ ...PHONE, locale: 'es-ES' });
    page = await context.newPage();
  });
  afterEach(async () => {
    t.clock.reset();
    await context.close();
  });

  const scan = (code: string) => t.http.post('/api/checkout/scan').set(cashier).send({ code });

  it('joins, signs in, and the QR shown on /me is accepted once at the till', async () => {
    // Server time stands still, so the QR on screen and the till's check share one time step.
    t.clock.set(new Date());
    const email = `qr-till-${Date.now()}@example.com`;

    // enrol on /join
    await page.goto(`${base}/join`);
    await page.fill('#firstName', 'Marta');
    await page.fill('#lastName', 'Escáner');
    await page.fill('#email', email);
    await page.check('#consent-terms');
    await page.click('#join-submit');
    await page.waitForSelector('#joined:not([hidden])');
    const member = (await t.app.get(MembersService).findByEmail(email))!;
    expect(member).toMatchObject({ firstName: 'Marta', enrolmentChannel: 'web' });

    // sign in on /me with the one-time code from the outbox
    await Promise.all([page.waitForURL(/\/me\?sent=1&email=/), page.click('#go-to-me')]);
    await page.waitForSelector('#code-form:not([hidden])');
    const [message] = await t.app.get(MessagingService).pendingFor(email, 'member-welcome');
    await page.fill('#me-code', String(message.payload.code));
    await page.click('#verify-code');
    await page.waitForSelector('#member-area:not([hidden])');

    // the card number on /me is the one in the database
    const rows = await t.dataSource.query(
      `SELECT id, number FROM cards WHERE member_id = $1 AND status = 'active'`,
      [member.id],
    );
    expect(rows).toHaveLength(1);
    const [card] = rows as { id: string; number: string }[];
    const shownNumber = (await page.textContent('#member-area [data-testid=card-number]'))!;
    expect(shownNumber.replace(/\s/g, '')).toBe(card.number);
    expect(shownNumber).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);

    // wait for the QR image to be fetched, decoded and painted
    await page.waitForSelector('#qr-area:not([hidden])');
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#qr-image');
      return Boolean(img && img.src.startsWith('blob:') && img.complete && img.naturalWidth > 0);
    });
    await page.evaluate(() => document.querySelector<HTMLImageElement>('#qr-image')!.decode());
    const screenshot = await page.locator('#qr-image').screenshot({ type: 'png' });

    // screenshot → independent decoder → the rotating FDL2 code of this member's card, for now
    const code = decodeScreenshot(screenshot);
    expect(code).toMatch(new RegExp(`^FDL2\\.${card.id}\\.\\d{8}$`));
    const cards = t.app.get(CardsService);
    expect(code).toBe((await cards.rotatingCodeOf(t.dataSource.manager, { id: card.id })).code);

    // the till accepts it and names the member
    const first = await scan(code!);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      memberId: member.id,
      cardId: card.id,
      codeKind: 'rotating',
      name: 'Marta Escáner',
      firstName: 'Marta',
      balance: 0,
    });

    // the same code again, in the same time step: refused (a rotating code is used once per step)
    const again = await scan(code!);
    expect(again.status).toBe(422);
    expect(again.body.code).toBe(CardsErrorCode.Reused);

    // while the static code (wallet pass) and the number typed as shown still work, repeatedly
    const staticCode = cards.staticCodeOf(
      (await cards.activeCardOf(t.dataSource.manager, member.id))!,
    );
    for (const other of [staticCode, staticCode, shownNumber, shownNumber]) {
      const res = await scan(other);
      expect([other, res.status]).toEqual([other, 200]);
      expect(res.body).toMatchObject({ memberId: member.id, cardId: card.id });
      expect(res.body.codeKind).toBe(other === staticCode ? 'static' : 'number');
    }

    // a screenshot of the QR kept for later is refused as expired a few steps on
    t.clock.advance(3 * 30_000);
    const later = await scan(code!);
    expect(later.status).toBe(422);
    expect(later.body.code).toBe(CardsErrorCode.Expired);
  });
});
