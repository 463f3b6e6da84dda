import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { describeBrowser, useBrowserApp } from '../utils/browser';
import { TestApp, TEST_JWT_SECRET } from '../utils/test-app';

jest.setTimeout(90_000);

/**
 * Promotions on the member pages: /me shows the stamp cards (promotions that give stamps) in
 * the member's language; /join?ref=CODE enrols with a friend's invitation code.
 */
describeBrowser('member pages: stamp cards on /me, invitation codes on /join', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  useBrowserApp((app) => ({ t, browser, base } = app));

  it('shows each stamp card with its stamps filled so far, in Spanish and English', async () => {
    const storeId = (await t.store()).id;
    const marketing = await t.auth('marketing');
    const cashier = await t.auth('cashier', { storeId });
    const reward = await t.http
      .post('/api/rewards')
      .set(marketing)
      .send({ nameEs: 'Café de regalo', nameEn: 'Coffee on us', kind: 'coupon', costPoints: 0 });
    const promo = await t.http
      .post('/api/promotions')
      .set(marketing)
      .send({
        nameEs: 'Tarjeta de cafés',
        nameEn: 'Coffee card',
        conditions: { type: 'line_category', op: 'eq', value: 'coffee' },
        effects: [{ type: 'stamps', stamps: 1, perUnit: true, target: { categories: ['coffee'] } }],
        stampCard: { stampsRequired: 5, rewardId: reward.body.id },
      });
    expect(promo.status).toBe(201);
    await t.http.post(`/api/promotions/${promo.body.id}/publish`).set(marketing).expect(200);
    const enrolled = await t.http
      .post('/api/members')
      .set(cashier)
      .send({
        firstName: 'Sara',
        lastName: 'Sellos',
        email: `sara-${Date.now()}@example.com`,
        consents: { terms: true },
      });
    expect(enrolled.status).toBe(201);
    const memberId = enrolled.body.id as string;
    await t.http
      .post('/api/checkout/purchases')
      .set(cashier)
      .set('Idempotency-Key', randomUUID())
      .send({
        code: enrolled.body.card.number,
        storeId,
        currency: 'EUR',
        lines: [{ sku: 'COFFEE-1', category: 'coffee', quantity: 2, unitPriceCents: 150 }],
      })
      .expect(201);

    const token = new JwtService({ secret: TEST_JWT_SECRET }).sign(
      { sub: memberId, kind: 'member' },
      { expiresIn: '1h' },
    );
    for (const [lang, name, count] of [
      ['es', 'Tarjeta de cafés', '2 de 5 sellos · Te faltan 3 sellos para tu premio.'],
      ['en', 'Coffee card', '2 of 5 stamps · 3 stamps to go for your reward.'],
    ] as const) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      await context.addInitScript((value) => {
        sessionStorage.setItem('fidelia.memberToken', value);
      }, token);
      const page = await context.newPage();
      await page.goto(`${base}/me?lang=${lang}`);
      await page.waitForSelector('#stamps-area:not([hidden])');
      const item = page.locator('#stamp-cards li');
      expect(await item.count()).toBe(1);
      expect(await item.locator('strong').textContent()).toBe(name);
      expect(await item.locator('[data-testid=stamp-count]').textContent()).toBe(count);
      expect(await item.locator('.stamp').count()).toBe(5);
      expect(await item.locator('.stamp.on').count()).toBe(2);
      await context.close();
    }
  });

  it("/join?ref=CODE: the friend's code is filled in and rewards both; an unknown one is shown on its field", async () => {
    const marketing = await t.auth('marketing');
    const cashier = await t.auth('cashier');
    await t.http
      .post('/api/earning-rules')
      .set(marketing)
      .send({ code: 'referral_enrolment', nameEs: 'Invitar', nameEn: 'Invite', points: 40 })
      .expect(201);
    const friend = await t.http
      .post('/api/members')
      .set(cashier)
      .send({
        firstName: 'Rita',
        lastName: 'Referente',
        email: `rita-${Date.now()}@example.com`,
        consents: { terms: true },
      });
    const code = (await t.http.get(`/api/members/${friend.body.id}/referral-code`).set(cashier))
      .body.code as string;
    const balance = async () =>
      (await t.http.get(`/api/members/${friend.body.id}/points`).set(cashier)).body
        .balance as number;
    const before = await balance();

    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const fill = async (email: string) => {
      await page.fill('#firstName', 'Nico');
      await page.fill('#lastName', 'Nuevo');
      await page.fill('#email', email);
      await page.check('#consent-terms');
    };
    await page.goto(`${base}/join?lang=es&ref=NOPE1234`);
    expect(await page.inputValue('#referralCode')).toBe('NOPE1234');
    await fill(`nico-bad-${Date.now()}@example.com`);
    await page.click('#join-submit');
    await page.waitForSelector('[data-error-for=referralCode]:not([hidden])');
    expect(await page.textContent('[data-error-for=referralCode]')).toBe(
      'Este código de invitación no existe. Revísalo o déjalo en blanco.',
    );
    expect(await balance()).toBe(before);

    await page.goto(`${base}/join?lang=es&ref=${code}`);
    expect(await page.inputValue('#referralCode')).toBe(code);
    await fill(`nico-${Date.now()}@example.com`);
    await page.click('#join-submit');
    await page.waitForSelector('#joined:not([hidden])');
    expect(await balance()).toBe(before + 40);
    await context.close();
  });
});
