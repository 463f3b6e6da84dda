import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, useBrowserApp } from '../utils/browser';
import { screenshot } from '../utils/pages';
import { TEST_JWT_SECRET, type TestApp } from '../utils/test-app';

/** Issue 14 in the browser: the admin console, the till that keeps up, the member area. */
describeBrowser('admin console, till and member area', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let storeId: string;
  let cashier: { email: string; password: string };
  let staffHeaders: Record<string, string>;
  let n = 0;

  useBrowserApp((app) => ({ t, browser, base } = app));
  beforeAll(async () => {
    storeId = (await t.store()).id;
    cashier = await t.staff('cashier', { storeId });
    staffHeaders = await t.auth('cashier', { storeId });
  });

  async function enrol(firstName: string, lastName = 'Till') {
    const res = await t.http
      .post('/api/members')
      .set(staffHeaders)
      .send({
        firstName,
        lastName,
        email: `${firstName.toLowerCase()}-${++n}-${Date.now()}@example.com`,
        locale: 'es',
        consents: { terms: true },
      });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, number: res.body.card.number as string };
  }
  const purchasesOf = (memberId: string) =>
    t.dataSource.query<{ id: string; idempotency_key: string; external_id: string | null }[]>(
      `SELECT id, idempotency_key, external_id FROM purchases WHERE member_id = $1 ORDER BY created_at`,
      [memberId],
    );

  async function tillPage(context?: BrowserContext): Promise<Page> {
    const page = await (context ?? (await browser.newContext({ locale: 'es-ES' }))).newPage();
    await page.goto(`${base}/login?next=/till`);
    await page.fill('#email', cashier.email);
    await page.fill('#password', cashier.password);
    await Promise.all([page.waitForURL(`${base}/till`), page.click('#login-submit')]);
    await page.waitForSelector('#till:not([hidden])');
    return page;
  }
  const row = (i: number, field: string) =>
    `#basket-lines tr[data-line="${i}"] [data-field=${field}]`;
  async function findByCard(page: Page, number: string) {
    await page.fill('#code', number);
    await page.press('#code', 'Enter');
    await page.waitForSelector('#basket-section:not([hidden])');
  }
  async function fillLine(page: Page, i: number, sku: string, qty: string, price: string) {
    if (i > 0) await page.click('#add-line');
    await page.fill(row(i, 'sku'), sku);
    await page.fill(row(i, 'quantity'), qty);
    await page.fill(row(i, 'price'), price);
  }

  it('lets an admin create a store, a cashier and a POS key that then works at the till', async () => {
    const admin = await t.staff('admin');
    const context = await browser.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('#email', admin.email);
    await page.fill('#password', admin.password);
    await Promise.all([page.waitForURL(`${base}/admin`), page.click('#login-submit')]);
    await page.waitForSelector('#admin:not([hidden])');

    // A store with its time zone and region, by keyboard only.
    await page.focus('#store-code');
    await page.keyboard.type('BCN-01');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Barcelona Gràcia');
    await page.fill('#store-tz', 'Europe/Madrid');
    await page.fill('#store-region', 'es-ct');
    await page.fill('#store-locality', 'Barcelona');
    await page.press('#store-locality', 'Enter');
    await page.waitForSelector('#stores-list tr[data-store="BCN-01"]');
    const [store] = await t.dataSource.query<{ id: string; region: string; locality: string }[]>(
      `SELECT id, region, locality FROM stores WHERE code = 'BCN-01'`,
    );
    expect(store).toMatchObject({ region: 'ES-CT', locality: 'Barcelona' });

    // A refused field is named in Spanish with its reason, not in developer English.
    await page.fill('#staff-email', 'no-es-un-correo');
    await page.fill('#staff-name', 'Nadie');
    await page.fill('#staff-password', 'corta');
    await page.check('#staff-role-cashier');
    await page.click('#staff-submit');
    await page.waitForSelector('#staff-error:not([hidden])');
    expect(await page.textContent('#staff-error')).toMatch(
      /^El correo electrónico no es una dirección de correo válida, p\. ej\. nombre@ejemplo\.es\./,
    );

    const email = `caja-bcn-${Date.now()}@example.com`;
    await page.fill('#staff-email', email);
    await page.fill('#staff-password', 'una-clave-bien-larga');
    await page.selectOption('#staff-store', store.id);
    await page.click('#staff-submit');
    await page.waitForSelector(`#staff-list tr[data-staff="${email}"]`);

    await page.fill('#key-name', 'TPV 1 Gràcia');
    await page.selectOption('#key-store', store.id);
    await page.click('#key-submit');
    await page.waitForSelector('#key-created:not([hidden])');
    const key = await page.inputValue('#key-value');
    expect(key).toMatch(/^fdl_/);
    await screenshot(page, 'flow-admin-after-create');
    await context.close();

    // The key works at the till of its store, and only there.
    const member = await enrol('Pau');
    const sale = await t.http
      .post('/api/checkout/purchases')
      .set('X-Api-Key', key)
      .set('Idempotency-Key', randomUUID())
      .send({
        code: member.number,
        currency: 'EUR',
        lines: [{ sku: 'A', quantity: 1, unitPriceCents: 1500 }],
      });
    expect(sale.status).toBe(201);
    expect(sale.body.storeId).toBe(store.id);

    // The new cashier signs in and lands on the till, in the new store.
    const till = await (await browser.newContext({ locale: 'es-ES' })).newPage();
    await till.goto(`${base}/login`);
    await till.fill('#email', email);
    await till.fill('#password', 'una-clave-bien-larga');
    await Promise.all([till.waitForURL(`${base}/till`), till.click('#login-submit')]);
    await till.waitForSelector('#till:not([hidden])');
    await till.waitForFunction(
      (id) => (document.querySelector('#store') as HTMLSelectElement).value === id,
      store.id,
    );
    await till.context().close();
  });

  it('finds a member by name with a picker, shows a preview that matches the receipt, and ignores empty lines', async () => {
    const member = await enrol('Eulalia', 'Pickwick');
    const page = await tillPage();
    await page.fill('#code', 'pickwick');
    await page.press('#code', 'Enter');
    await page.waitForSelector('#lookup:not([hidden]) [data-testid=lookup-pick]');
    expect(await page.textContent('#lookup-count')).toBe('1 socio coincide: elíjalo.');
    // The picker has the focus: Enter picks.
    await page.keyboard.press('Enter');
    await page.waitForSelector('#basket-section:not([hidden])');
    expect(await page.textContent('#member-name')).toBe('Eulalia Pickwick');

    await fillLine(page, 0, 'SKU-1', '2', '12,50');
    await page.click('#add-line'); // an empty line left behind
    await page.waitForSelector('#estimate:not([hidden])');
    await page.waitForFunction(() =>
      document.querySelector('#estimate-total')?.textContent?.includes('25'),
    );
    const preview = {
      points: await page.textContent('#estimate-points'),
      total: await page.textContent('#estimate-total'),
      balance: await page.textContent('#estimate-balance'),
    };
    await page.click('#purchase-submit');
    await page.waitForSelector('#receipt:not([hidden])');
    expect(await page.textContent('#receipt-points')).toBe(preview.points);
    expect(await page.textContent('#receipt-total')).toBe(preview.total);
    expect(await page.textContent('#receipt-balance')).toBe(preview.balance);
    expect(await purchasesOf(member.id)).toHaveLength(1);
    // The figures beside the member come from the server's answer.
    await page.waitForFunction(
      (b) => document.querySelector('#member-balance')?.textContent === b,
      preview.balance,
    );
    await screenshot(page, 'flow-till-receipt');
    await page.context().close();
  });

  it('takes a return by the ticket number and shows the balance after it', async () => {
    const member = await enrol('Tomasa');
    const sold = await t.http
      .post('/api/checkout/purchases')
      .set(staffHeaders)
      .set('Idempotency-Key', randomUUID())
      .send({
        code: member.number,
        storeId,
        currency: 'EUR',
        externalId: 'T-1001',
        lines: [{ sku: 'SHOE', quantity: 2, unitPriceCents: 3000 }],
      });
    expect(sold.status).toBe(201);
    const page = await tillPage();
    await page.click('#returns-details summary');
    await page.fill('#return-purchase-id', 'T-1001');
    await page.fill('#return-lines tr:nth-child(1) [data-field=lineNo]', '1');
    await page.fill('#return-lines tr:nth-child(1) [data-field=quantity]', '1');
    await page.click('#return-submit');
    await page.waitForSelector('#return-result:not([hidden])');
    expect(await page.textContent('#return-result')).toContain('30 pts retirados');
    expect(await page.textContent('#return-result')).toContain('saldo 30 pts');
    const [line] = await t.dataSource.query<{ returned_quantity: number }[]>(
      `SELECT returned_quantity FROM purchase_lines WHERE purchase_id = $1`,
      [sold.body.purchaseId],
    );
    expect(line.returned_quantity).toBe(1);
    await page.context().close();
  });

  it('keeps the basket when the session expires mid-sale: sign-in in place, then the sale goes through once', async () => {
    const member = await enrol('Sesión');
    const page = await tillPage();
    await findByCard(page, member.number);
    await fillLine(page, 0, 'SKU-9', '1', '40');
    await page.waitForSelector('#estimate:not([hidden])');
    // The session runs out while the cashier rings up.
    const expired = new JwtService({ secret: TEST_JWT_SECRET }).sign(
      { sub: randomUUID(), kind: 'staff', roles: ['cashier'], storeId },
      { expiresIn: -10 },
    );
    await page.evaluate((token) => sessionStorage.setItem('fidelia.staffToken', token), expired);
    await page.click('#purchase-submit');
    await page.waitForSelector('#relogin[open]');
    expect(new URL(page.url()).pathname).toBe('/till');
    // Nothing was sent yet and the basket is still on screen behind the dialog.
    expect(await purchasesOf(member.id)).toHaveLength(0);
    expect(await page.inputValue(row(0, 'sku'))).toBe('SKU-9');
    expect(await page.inputValue(row(0, 'price'))).toBe('40');
    await page.fill('#relogin-email', cashier.email);
    await page.fill('#relogin-password', cashier.password);
    await page.press('#relogin-password', 'Enter');
    await page.waitForSelector('#receipt:not([hidden])');
    const purchases = await purchasesOf(member.id);
    expect(purchases).toHaveLength(1);
    expect(await page.textContent('#receipt-total')).toContain('40');
    await page.context().close();
  });

  it('keeps purchases made offline with their keys, shows them pending, and syncs each once when back', async () => {
    const ana = await enrol('Offline');
    const bea = await enrol('Desconectada');
    const context = await browser.newContext({ locale: 'es-ES' });
    const page = await tillPage(context);
    const batches: string[][] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/checkout/purchases/batch'))
        batches.push(
          (r.postDataJSON() as { items: { idempotencyKey: string }[] }).items.map(
            (i) => i.idempotencyKey,
          ),
        );
    });
    await findByCard(page, ana.number);
    await context.setOffline(true);
    await fillLine(page, 0, 'SKU-1', '1', '10');
    await page.click('#purchase-submit');
    await page.waitForSelector('#queued:not([hidden])');
    await page.click('#queued-next');
    // The next customer, found by the card number with no connection.
    await page.fill('#code', bea.number);
    await page.press('#code', 'Enter');
    await page.waitForSelector('#basket-section:not([hidden])');
    await fillLine(page, 0, 'SKU-2', '2', '7,50');
    await page.click('#purchase-submit');
    await page.waitForSelector('#queued:not([hidden])');
    expect(await page.textContent('#queue-count')).toBe('2 compras pendientes de enviar');
    const queued = await page.evaluate(() =>
      JSON.parse(localStorage.getItem('fidelia.till.queue') ?? '[]'),
    );
    expect(queued).toHaveLength(2);
    expect(await purchasesOf(ana.id)).toHaveLength(0);
    await screenshot(page, 'flow-till-offline-queue');

    await context.setOffline(false);
    await page.waitForSelector('#queue-result:not([hidden])');
    expect(await page.textContent('#queue-result')).toBe('2 compras enviadas.');
    expect(await page.isHidden('#queue')).toBe(true);
    // A second "online" (or a reload) sends nothing again.
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.reload();
    await page.waitForSelector('#till:not([hidden])');
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual(queued.map((q: { key: string }) => q.key));
    const [a, b] = [await purchasesOf(ana.id), await purchasesOf(bea.id)];
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect([a[0].idempotency_key, b[0].idempotency_key]).toEqual(batches[0]);
    await context.close();
  });

  it('shows the member area in Spanish and in English: tier, coupons, history by locale', async () => {
    const marketing = await t.auth('marketing');
    await t.http
      .post('/api/tiers')
      .set(marketing)
      .send({ code: 'silver', nameEs: 'Plata', nameEn: 'Silver', thresholdPoints: 100 })
      .expect(201);
    const member = await t.member();
    await t.http
      .post('/api/checkout/purchases')
      .set(staffHeaders)
      .set('Idempotency-Key', randomUUID())
      .send({
        code: member.number,
        storeId,
        currency: 'EUR',
        lines: [{ sku: 'A', quantity: 1, unitPriceCents: 4100 }],
      })
      .expect(201);
    const texts = async (lang: 'es' | 'en') => {
      const context = await browser.newContext({ locale: lang === 'es' ? 'es-ES' : 'en-GB' });
      await context.addInitScript(
        (token) => sessionStorage.setItem('fidelia.memberToken', token),
        member.auth.Authorization.slice(7),
      );
      const page = await context.newPage();
      await page.goto(`${base}/me?lang=${lang}`);
      await page.waitForSelector('#tier-area:not([hidden])');
      await page.waitForSelector('#points-history:not([hidden]) tr');
      await screenshot(page, `flow-me-${lang}`);
      const out = {
        balance: await page.textContent('#points-balance'),
        tier: await page.textContent('#tier-name'),
        next: await page.textContent('#tier-next'),
        entry: await page.textContent('#points-history tr td:nth-child(2)'),
        date: await page.textContent('#points-history tr td:nth-child(1)'),
        terms: await page.getAttribute('#terms-link', 'href'),
      };
      await context.close();
      return out;
    };
    const es = await texts('es');
    expect(es).toMatchObject({
      balance: '41 puntos',
      tier: 'Aún no tienes nivel',
      next: 'Te faltan 59 puntos para Plata',
      terms: '/terms',
    });
    const en = await texts('en');
    expect(en).toMatchObject({
      balance: '41 points',
      tier: 'No tier yet',
      next: '59 points to go for Silver',
    });
    expect(es.entry).toMatch(/^Puntos por una compra/);
    expect(en.entry).toMatch(/^Points for a purchase/);
    // Dates as written in Spain, in each language: "1 dic 2026" / "1 Dec 2026", never 12/1/2026.
    expect(es.date).not.toMatch(/\//);
    expect(en.date).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
  });
});
