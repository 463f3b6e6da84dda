import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Response } from 'supertest';
import { CardsErrorCode, CardsService } from '../../src/modules/cards';
import { startTestApp, TestApp } from '../utils/test-app';

/** Reads a PNG response body back into the text of its QR code, with an independent decoder. */
function decodeQr(png: Buffer): string | undefined {
  const img = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data;
}

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('cards: routes and QR codes', () => {
  let t: TestApp;
  let staff: Record<string, string>;
  let cards: CardsService;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await t.auth('cashier');
    cards = t.app.get(CardsService);
  });
  afterAll(() => t.close());

  const enrol = () => t.member({ consents: { terms: true } });

  const resolve = async (code: string) => {
    try {
      return (await cards.resolveCode(t.dataSource.manager, code)).memberId;
    } catch (err) {
      return (err as { code: string }).code;
    }
  };

  it('shows the card to staff and to its member, and hides it from another member', async () => {
    const ana = await enrol();
    const bob = await enrol();
    const res = await t.http.get(`/api/members/${ana.id}/card`).set(staff).expect(200);
    expect(res.body).toMatchObject({
      memberId: ana.id,
      number: ana.number,
      status: 'active',
      version: 1,
    });
    expect(res.body.staticCode).toMatch(new RegExp(`^FDL1\\.${ana.number}\\.[A-Z2-7]{16}$`));
    expect(await resolve(res.body.staticCode)).toBe(ana.id);

    const own = await t.http.get(`/api/members/${ana.id}/card`).set(ana.auth).expect(200);
    expect(own.body.number).toBe(ana.number);
    for (const path of ['card', 'card/qr.png', 'card/qr.svg', 'card/qr.svg?rotating=1']) {
      const other = await t.http.get(`/api/members/${ana.id}/${path}`).set(bob.auth);
      expect([path, other.status]).toEqual([path, 404]);
      const anonymous = await t.http.get(`/api/members/${ana.id}/${path}`);
      expect([path, anonymous.status]).toEqual([path, 401]);
    }
  });

  it('serves a PNG QR that decodes to the static code, and to a rotating code the till accepts', async () => {
    const ana = await enrol();
    const png = await t.http
      .get(`/api/members/${ana.id}/card/qr.png`)
      .set(ana.auth)
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('Content-Type', /image\/png/);
    expect(png.headers['cache-control']).toBe('private, no-store');
    const staticCode = decodeQr(png.body as Buffer);
    const card = await t.http.get(`/api/members/${ana.id}/card`).set(staff);
    expect(staticCode).toBe(card.body.staticCode);

    const rotatingPng = await t.http
      .get(`/api/members/${ana.id}/card/qr.png?rotating=1&scale=4`)
      .set(ana.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const rotating = decodeQr(rotatingPng.body as Buffer);
    expect(rotating).toMatch(new RegExp(`^FDL2\\.${card.body.id}\\.\\d{8}$`));
    expect(Number(rotatingPng.headers['x-code-expires-in'])).toBeGreaterThan(0);
    expect(await resolve(rotating!)).toBe(ana.id);
    // A screenshot of the same code, scanned again in the same 30 s: refused.
    expect(await resolve(rotating!)).toBe(CardsErrorCode.Reused);
    t.clock.advance(90_000);
    try {
      const again = await t.http
        .get(`/api/members/${ana.id}/card/qr.png?rotating=1`)
        .set(ana.auth)
        .buffer(true)
        .parse(binary);
      expect(await resolve(decodeQr(again.body as Buffer)!)).toBe(ana.id);
    } finally {
      t.clock.reset();
    }
  });

  it('serves an SVG QR', async () => {
    const ana = await enrol();
    const res = await t.http
      .get(`/api/members/${ana.id}/card/qr.svg?rotating=1`)
      .set(staff)
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('Content-Type', /image\/svg\+xml/);
    const svg = (res.body as Buffer).toString('utf8');
    expect(svg).toMatch(/^<svg[^>]+viewBox="0 0 \d+ \d+"/);
    expect(svg).toContain('<path');
  });

  it('rejects a malformed QR query', async () => {
    const ana = await enrol();
    const res = await t.http
      .get(`/api/members/${ana.id}/card/qr.png?rotating=maybe&x=1`)
      .set(staff);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'rotating',
      'x',
    ]);
  });

  it('gives the member its card with the current rotating code and seconds left', async () => {
    const ana = await enrol();
    t.clock.set('2026-11-27T12:00:20Z');
    try {
      const res = await t.http.get('/api/me/card').set(ana.auth).expect(200);
      expect(res.body).toMatchObject({ memberId: ana.id, number: ana.number, expiresIn: 10 });
      expect(res.body.rotatingCode).toMatch(/^FDL2\./);
      expect(await resolve(res.body.rotatingCode)).toBe(ana.id);
      expect((await t.http.get('/api/me/card').set(staff)).status).toBe(403);
    } finally {
      t.clock.reset();
    }
  });

  it('replaces a lost card: new number and serial, the old codes refused as replaced', async () => {
    const ana = await enrol();
    const before = await t.http.get(`/api/members/${ana.id}/card`).set(staff);
    const { body: oldRotating } = await t.http.get('/api/me/card').set(ana.auth);

    expect((await t.http.post(`/api/members/${ana.id}/card/replace`).set(ana.auth)).status).toBe(
      403,
    );
    const res = await t.http.post(`/api/members/${ana.id}/card/replace`).set(staff).expect(201);
    expect(res.body).toMatchObject({ memberId: ana.id, status: 'active', version: 2 });
    expect(res.body.replacedCardId).toBe(before.body.id);
    expect(res.body.number).not.toBe(ana.number);
    expect(res.body.passSerial).not.toBe(before.body.passSerial);

    for (const code of [ana.number, before.body.staticCode, oldRotating.rotatingCode]) {
      expect(await resolve(code)).toBe(CardsErrorCode.Replaced);
    }
    expect(await resolve(res.body.staticCode)).toBe(ana.id);
    const now = await t.http.get(`/api/members/${ana.id}/card`).set(ana.auth).expect(200);
    expect(now.body.number).toBe(res.body.number);

    const audit = await t.dataSource.query(
      `SELECT action, entity_id FROM audit_log WHERE member_id = $1 AND action = 'card.replace'`,
      [ana.id],
    );
    expect(audit).toEqual([{ action: 'card.replace', entity_id: res.body.id }]);
  });

  it('answers 404 for a member without a card', async () => {
    const res = await t.http
      .get('/api/members/00000000-0000-4000-8000-000000000000/card')
      .set(staff);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe(CardsErrorCode.NoActiveCard);
  });
});
