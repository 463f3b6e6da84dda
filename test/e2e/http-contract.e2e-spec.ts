import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../../src/common';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * What clients see of the HTTP server itself, whichever framework runs it: body parsing and its
 * errors, the error shape, static assets and their cache headers, the language cookie, no ETag
 * hashing of API answers.
 */
describe('HTTP contract: parsing, errors, assets, cookies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const expectErrorShape = (
    res: { body: Record<string, unknown>; headers: Record<string, string> },
    status: number,
  ) => {
    expect(res.body).toMatchObject({
      statusCode: status,
      error: expect.any(String),
      message: expect.any(String),
    });
    expect(res.body.requestId).toEqual(res.headers['x-request-id']);
  };

  it('answers a JSON body over 1 MB with a 413 in the error shape', async () => {
    const big = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(1024 * 1024) });
    const res = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(big);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'request entity too large',
      requestId: res.headers['x-request-id'],
    });
  });

  it('takes a JSON POST with an empty body as {} (the validation names the missing fields)', async () => {
    const res = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('');
    expect(res.status).toBe(400);
    expectErrorShape(res, 400);
    const fields = (res.body.details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['email', 'password']);
  });

  it('parses urlencoded forms', async () => {
    const staff = await t.staff('cashier');
    const res = await t.http
      .post('/api/auth/login')
      .type('form')
      .send({ email: staff.email, password: staff.password });
    expect(res.status).toBe(200);
    expect(typeof res.body.accessToken).toBe('string');
  });

  it('answers a malformed URL with a 400 in the error shape', async () => {
    const res = await t.http.get('/api/stores/%E0%A4%A');
    expect(res.status).toBe(400);
    expectErrorShape(res, 400);
  });

  it('refuses a body that is neither JSON nor a form with a 415 in the error shape', async () => {
    // Express ignored such a body (the validation then refused the empty request with a 400).
    const res = await t.http.post('/api/auth/login').set('Content-Type', 'text/plain').send('hi');
    expect(res.status).toBe(415);
    expectErrorShape(res, 415);
  });

  it('answers an unknown route with a 404 in the error shape', async () => {
    const res = await t.http.get('/api/no-such-thing');
    expect(res.status).toBe(404);
    expectErrorShape(res, 404);
  });

  it('does not hash API answers into an ETag', async () => {
    const res = await t.http.get('/api/stores').set(await t.auth('admin'));
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBeUndefined();
  });

  it('serves /assets/ uncached outside production, with the security headers', async () => {
    const res = await t.http.get('/assets/css/fidelia.css');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/css/);
    expect(res.headers['cache-control']).toBe('public, max-age=0');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toBeDefined();
    expect(res.text).toBe(
      readFileSync(join(templatesDir(), 'assets', 'css', 'fidelia.css'), 'utf8'),
    );
  });

  it('serves /vendor/ libraries cached for a day, files only', async () => {
    const res = await t.http.get('/vendor/jsqr/jsQR.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    expect((await t.http.get('/vendor/jsqr/')).status).toBe(404);
    // Refused in the error shape (Express said 404; @fastify/static's send says 403).
    const up = await t.http.get('/assets/../package.json');
    expect([403, 404]).toContain(up.status);
    expectErrorShape(up, up.status);
  });

  it('renders pages as uncached HTML and keeps the chosen language in a cookie', async () => {
    const res = await t.http.get('/login?lang=en');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('<html lang="en">');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^lang=en; /);
    expect(cookie).toContain('Max-Age=31536000');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('HttpOnly');

    const again = await t.http.get('/login').set('Cookie', 'other=1; lang=en');
    expect(again.text).toContain('<html lang="en">');
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('serves the wallet logo as a cacheable PNG file', async () => {
    const res = await t.http.get('/api/public/wallet/logo.png');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    expect(
      Buffer.compare(
        res.body as Buffer,
        readFileSync(join(templatesDir(), 'passes', 'loyalty.pass', 'icon@3x.png')),
      ),
    ).toBe(0);
  });
});
