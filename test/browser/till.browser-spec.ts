import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import type { Response } from 'supertest';
import { describeBrowser, launchBrowser, listen } from '../utils/browser';
import { startTestApp, TestApp } from '../utils/test-app';
import { writeY4mClip } from '../utils/y4m';

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describeBrowser('till page', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let page: Page;
  let clipDir: string;
  let cashier: { email: string; password: string };
  let staffHeaders: Record<string, string>;
  /** The member whose QR the fake camera shows. */
  let camMember: { id: string; number: string };
  let n = 0;

  async function enrol(firstName: string) {
    const res = await t.http
      .post('/api/members')
      .set(staffHeaders)
      .send({
        firstName,
        lastName: 'Till',
        email: `${firstName.toLowerCase()}-${++n}-${Date.now()}@example.com`,
        locale: 'es',
        consents: { terms: true },
      });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, number: res.body.card.number as string };
  }

  const purchasesOf = async (memberId: string) =>
    t.dataSource.query<{ id: string; idempotency_key: string; total_cents: number }[]>(
      `SELECT id, idempotency_key, total_cents FROM purchases WHERE member_id = $1`,
      [memberId],
    );
  const pointsOf = async (memberId: string) => {
    const rows = await t.dataSource.query<{ balance: number; pending: number }[]>(
      `SELECT balance, pending FROM point_accounts WHERE member_id = $1`,
      [memberId],
    );
    return rows[0] ? rows[0].balance + rows[0].pending : 0;
  };

  async function signIn() {
    await page.goto(`${base}/till`);
    await page.waitForURL(/\/login\?next=%2Ftill/);
    await page.fill('#email', cashier.email);
    await page.fill('#password', cashier.password);
    await Promise.all([page.waitForURL(`${base}/till`), page.click('#login-submit')]);
    await page.waitForSelector('#till:not([hidden])');
  }

  async function fillBasket() {
    await page.waitForSelector('#basket-section:not([hidden])');
    const row = (i: number, field: string) =>
      `#basket-lines tr[data-line="${i}"] [data-field=${field}]`;
    await page.fill(row(0, 'sku'), 'SKU-1');
    await page.fill(row(0, 'category'), 'shoes');
    await page.fill(row(0, 'quantity'), '2');
    await page.fill(row(0, 'price'), '12,50');
    await page.click('#add-line');
    await page.fill(row(1, 'sku'), 'SKU-2');
    await page.fill(row(1, 'price'), '4.99');
  }

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    const store = await t.store();
    cashier = await t.staff('cashier', { storeId: store.id });
    staffHeaders = await t.auth('cashier');
    camMember = await enrol('Camila');
    // The member's QR as the till would see it: the card's static code from the API.
    const qr = await t.http
      .get(`/api/members/${camMember.id}/card/qr.png`)
      .set(staffHeaders)
      .buffer(true)
      .parse(binary);
    expect(qr.status).toBe(200);
    clipDir = mkdtempSync(join(tmpdir(), 'fidelia-till-'));
    const clip = join(clipDir, 'camera.y4m');
    writeY4mClip(qr.body as Buffer, clip, { frames: 20 });
    browser = await launchBrowser([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${clip}`,
    ]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    if (clipDir) rmSync(clipDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    page = await browser.newPage({ locale: 'es-ES' });
  });
  afterEach(() => page.close());

  it('finds the member from the camera and records the purchase once', async () => {
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) external.push(r.url());
    });
    await signIn();
    const before = await pointsOf(camMember.id);
    await page.click('#camera-start');
    await page.waitForSelector('#member:not([hidden])', { timeout: 20000 });
    expect(await page.textContent('#member-name')).toBe('Camila Till');
    // The ZXing WebAssembly decoder came from our server.
    expect(await page.getAttribute('#camera', 'data-decoder')).toBe('zxing-wasm');
    expect(await page.isHidden('#camera')).toBe(true);

    await fillBasket();
    expect(await page.textContent('#basket-total')).toMatch(/29,99/);
    await page.click('#purchase-submit');
    await page.waitForSelector('#receipt:not([hidden])');

    const purchases = await purchasesOf(camMember.id);
    expect(purchases).toHaveLength(1);
    expect(purchases[0].total_cents).toBe(2 * 1250 + 499);
    expect(await page.textContent('#receipt-id')).toBe(purchases[0].id);
    const earned = Number((await page.textContent('#receipt-points'))!.replace(/\D/g, ''));
    expect(earned).toBeGreaterThan(0);
    expect(await pointsOf(camMember.id)).toBe(before + earned);
    expect(await page.evaluate(() => localStorage.getItem('fidelia.till.pending'))).toBeNull();
    expect(external).toEqual([]);
  });

  it('finds a member by the typed card number (Enter submits) and shows the receipt in English', async () => {
    const member = await enrol('Teo');
    await signIn();
    await page.goto(`${base}/till?lang=en`);
    await page.waitForSelector('#till:not([hidden])');
    expect(await page.textContent('h1')).toBe('Till');
    await page.fill('#code', member.number);
    await page.press('#code', 'Enter');
    await page.waitForSelector('#member:not([hidden])');
    expect(await page.textContent('#member-name')).toBe('Teo Till');
    await fillBasket();
    await page.click('#purchase-submit');
    await page.waitForSelector('#receipt:not([hidden])');
    expect(await page.textContent('#receipt-total')).toMatch(/29\.99/);
    expect(await purchasesOf(member.id)).toHaveLength(1);
  });

  it("offers the member's coupon and the rewards the balance covers, and uses the coupon once", async () => {
    const member = await enrol('Cora');
    const marketing = await t.auth('marketing');
    const reward = await t.http
      .post('/api/rewards')
      .set(marketing)
      .send({
        nameEs: 'Descuento 2 €',
        nameEn: '€2 off',
        kind: 'discount',
        costPoints: 0,
        discountCents: 200,
      })
      .expect(201);
    const redeemed = await t.http
      .post('/api/checkout/redemptions')
      .set(staffHeaders)
      .set('Idempotency-Key', `coupon-${member.id}`)
      .send({ memberId: member.id, rewardId: reward.body.id })
      .expect(201);
    const code = redeemed.body.coupon.code as string;
    await signIn();
    await page.fill('#code', member.number);
    await page.press('#code', 'Enter');
    await page.waitForSelector('#member-rewards-block:not([hidden])');
    const offered = await page.$$eval('#member-rewards li span', (spans) =>
      spans.map((x) => x.textContent),
    );
    expect(offered).toEqual([`Descuento 2 € · ${code} `, 'Descuento 2 € · 0 pts ']);
    await page.click('[data-testid=use-coupon]');
    await fillBasket();
    await page.click('#purchase-submit');
    await page.waitForSelector('#receipt:not([hidden])');
    const [purchase] = await purchasesOf(member.id);
    expect(purchase.total_cents).toBe(2999 - 200);
    const [coupon] = await t.dataSource.query<{ status: string }[]>(
      `SELECT status FROM coupons WHERE code = $1`,
      [code],
    );
    expect(coupon.status).toBe('used');
  });

  it('refuses an unknown card with the reason', async () => {
    await signIn();
    await page.fill('#code', '4000000000000002');
    await page.press('#code', 'Enter');
    await page.waitForSelector('#scan-error:not([hidden])');
    expect(await page.textContent('#scan-error')).toBe(
      'Tarjeta desconocida: no coincide con ninguna tarjeta del programa.',
    );
    expect(await page.isHidden('#member')).toBe(true);
  });

  it('queues a purchase whose answer is lost with its key, and the batch after a reload records it once', async () => {
    const member = await enrol('Rita');
    await signIn();
    const keys: string[] = [];
    page.on('request', (r: Request) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/checkout/purchases')) {
        keys.push(r.headers()['idempotency-key']);
      }
      if (r.method() === 'POST' && r.url().endsWith('/api/checkout/purchases/batch')) {
        for (const item of (r.postDataJSON() as { items: { idempotencyKey: string }[] }).items)
          keys.push(item.idempotencyKey);
      }
    });
    // The server records the purchase, but its answer never reaches the till.
    let lost = false;
    await page.route('**/api/checkout/purchases', async (route) => {
      if (lost) return route.continue();
      lost = true;
      const answer = await route.fetch();
      expect(answer.status()).toBe(201);
      await route.abort('connectionreset');
    });
    await page.fill('#code', member.number);
    await page.press('#code', 'Enter');
    await fillBasket();
    await page.click('#purchase-submit');
    await page.waitForSelector('#queue:not([hidden])');
    await page.waitForSelector('#queued:not([hidden])');
    expect(await purchasesOf(member.id)).toHaveLength(1);
    const queue = await page.evaluate(() =>
      JSON.parse(localStorage.getItem('fidelia.till.queue') ?? '[]'),
    );
    expect(queue.map((q: { key: string }) => q.key)).toEqual([keys[0]]);

    // The till is reloaded: the queue goes through the batch endpoint with the same key.
    await page.reload();
    await page.waitForSelector('#queue-result:not([hidden])');
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    const purchases = await purchasesOf(member.id);
    expect(purchases).toHaveLength(1);
    expect(purchases[0].idempotency_key).toBe(keys[0]);
    expect(await page.isHidden('#queue')).toBe(true);
    expect(await page.evaluate(() => localStorage.getItem('fidelia.till.queue'))).toBeNull();
  });

  it('redeems points and takes a return of the last purchase', async () => {
    const member = await enrol('Lola');
    await signIn();
    await page.fill('#code', member.number);
    await page.press('#code', 'Enter');
    await fillBasket();
    await page.click('#purchase-submit');
    await page.waitForSelector('#receipt:not([hidden])');
    const afterPurchase = await pointsOf(member.id);
    expect(afterPurchase).toBeGreaterThan(0);

    await page.fill('#redeem-only-points', '5');
    await page.click('#redeem-submit');
    await page.waitForSelector('#redeem-result:not([hidden])');
    expect(await pointsOf(member.id)).toBe(afterPurchase - 5);

    await page.click('#receipt-return');
    await page.fill('#return-lines tr:nth-child(1) [data-field=quantity]', '1');
    await page.click('#return-submit');
    await page.waitForSelector('#return-result:not([hidden])');
    const [line] = await t.dataSource.query<{ returned_quantity: number }[]>(
      `SELECT l.returned_quantity FROM purchase_lines l JOIN purchases p ON p.id = l.purchase_id
        WHERE p.member_id = $1 AND l.line_no = 1`,
      [member.id],
    );
    expect(line.returned_quantity).toBe(1);
    expect(await pointsOf(member.id)).toBeLessThan(afterPurchase - 5);
  });

  it('turns prices typed in euros into integer cents, refusing what is not a price', async () => {
    await signIn();
    const cents = await page.evaluate(() => {
      const till = (
        window as unknown as { FideliaTill: { eurosToCents(s: string): number | null } }
      ).FideliaTill;
      return ['12,50', '12.5', '0,99', '7', ' 1 234,5 ', '0.1', '19,999', '-3', 'abc', ''].map(
        (s) => till.eurosToCents(s),
      );
    });
    expect(cents).toEqual([1250, 1250, 99, 700, 123450, 10, null, null, null, null]);
  });

  it.each([
    ['a tablet held upright', 768, 1024],
    ['a phone', 390, 844],
  ])('fits %s, with touch-sized controls', async (_name, width, height) => {
    const member = await enrol('Tina');
    await page.setViewportSize({ width, height });
    await signIn();
    await page.fill('#code', member.number);
    await page.press('#code', 'Enter');
    await fillBasket();
    const layout = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      smallest: Math.min(
        ...['#scan-submit', '#camera-start', '#add-line', '#purchase-submit', '#code'].map(
          (sel) => document.querySelector(sel)!.getBoundingClientRect().height,
        ),
      ),
    }));
    expect(layout.overflow).toBeLessThanOrEqual(0);
    expect(layout.smallest).toBeGreaterThanOrEqual(44);
  });

  it('sends a signed-out visitor to the sign-in page', async () => {
    await page.goto(`${base}/till`);
    await page.waitForURL(`${base}/login?next=%2Ftill`);
    expect(await page.textContent('h1')).toBe('Acceso del personal');
  });
});
