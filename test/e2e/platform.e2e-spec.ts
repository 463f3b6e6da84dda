import SwaggerParser from '@apidevtools/swagger-parser';
import { startTestApp, TestApp } from '../utils/test-app';

describe('platform: health, OpenAPI, headers, errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reports liveness and database readiness on /health', async () => {
    const res = await t.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('serves an OpenAPI document that a real validator accepts', async () => {
    const res = await t.http.get('/api/docs-json');
    expect(res.status).toBe(200);
    const api = await SwaggerParser.validate(structuredClone(res.body));
    expect(api.info.title).toBe('Fidelia API');
    expect(Object.keys(api.paths ?? {})).toEqual(
      expect.arrayContaining(['/api/auth/login', '/api/members', '/health']),
    );
    expect(JSON.stringify(res.body.paths['/api/auth/login'].post.requestBody)).toContain(
      '#/components/schemas/LoginDto',
    );
    expect(Object.keys(res.body.components.schemas)).toEqual(
      expect.arrayContaining(['LoginDto', 'EnrolMemberDto']),
    );
  });

  it('serves the API docs page from local assets', async () => {
    const res = await t.http.get('/api/docs/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui');
    expect(res.text).not.toMatch(/(src|href)="https?:\/\//);
  });

  it('sets security headers and a request id on every response', async () => {
    const res = await t.http.get('/login');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a sane incoming request id and replaces an unsafe one', async () => {
    const ok = await t.http.get('/health').set('X-Request-Id', 'till-7-req-000123');
    expect(ok.headers['x-request-id']).toBe('till-7-req-000123');
    const bad = await t.http.get('/health').set('X-Request-Id', 'bad id <script>');
    expect(bad.headers['x-request-id']).not.toContain('<');
  });

  it('names every bad field of a store and never answers 500 to bad ids', async () => {
    const admin = await t.auth('admin');
    const res = await t.http
      .post('/api/stores')
      .set(admin)
      .send({ code: 'bad code!', name: '', timeZone: 'Mars/Olympus', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'code',
      'colour',
      'name',
      'timeZone',
    ]);
    const badId = await t.http.get('/api/stores/not-a-uuid').set(admin);
    expect(badId.status).toBe(400);
    expect(badId.body.details).toEqual([
      { field: 'id', reason: 'must be a UUID', constraint: 'isUuid' },
    ]);
    const missing = await t.http.get('/api/stores/00000000-0000-4000-8000-000000000000').set(admin);
    expect(missing.status).toBe(404);
  });

  it('keeps store codes unique with a 409 naming the field', async () => {
    const admin = await t.auth('admin');
    await t.http.post('/api/stores').set(admin).send({ code: 'DUP-1', name: 'One' }).expect(201);
    const dup = await t.http.post('/api/stores').set(admin).send({ code: 'DUP-1', name: 'Two' });
    expect(dup.status).toBe(409);
    expect(dup.body.details).toEqual([{ field: 'code', reason: 'already used' }]);
  });
});
