import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Issue 13, defects 4 and 5: hostile JSON and control characters are refused with a 400 in the
 * JSON error shape, on every kind of route, before validation runs.
 */
describe('hostile input', () => {
  let t: TestApp;
  let staff: Record<string, string>;
  let member: Awaited<ReturnType<TestApp['member']>>;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await t.auth(['admin', 'cashier', 'marketing', 'supervisor']);
    member = await t.member();
  });
  afterAll(() => t.close());

  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

  it.each([
    ['/passkit/v1/log', 'logs'],
    ['/api/public/enrol', 'firstName'],
    ['/api/auth/login', 'email'],
    ['/api/checkout/purchases', 'lines'],
    ['/api/promotions', 'conditions'],
  ])('deeply nested JSON on %s is a cheap 400', async (path, field) => {
    const body = `{"${field}":${deep(100_000)}}`;
    const started = Date.now();
    const res = await t.http
      .post(path)
      .set(staff)
      .set('Idempotency-Key', 'deep-json-0001')
      .set('Content-Type', 'application/json')
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'common.body_too_deep' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a batch item that is not an object is a 400 (found by the fuzzer)', async () => {
    const res = await t.http
      .post('/api/checkout/purchases/batch')
      .set(staff)
      .send({ items: [[]] });
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toMatch(/^items/);
  });

  it.each(['0', '"x"', 'true', '[]'])(
    'a sign-in body %s that is not an object is a 400 naming the body (found by the fuzzer)',
    async (raw) => {
      const res = await t.http
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'common.validation',
        details: [{ field: 'body', reason: 'must be a JSON object', constraint: 'isObject' }],
      });
    },
  );

  it('a missing field is named once, as required', async () => {
    const res = await t.http.post('/api/auth/login').send({});
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { field: 'email', reason: 'is required', constraint: 'isDefined' },
      { field: 'password', reason: 'is required', constraint: 'isDefined' },
    ]);
  });

  it('a moderately nested body still parses', async () => {
    const res = await t.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(`{"email":${deep(10)}}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('common.validation');
  });

  it.each(['\u0000', '\u0007', '\u001b', '\u007f'])(
    'a control character (%j) in a body string is a 400 naming the field',
    async (ch) => {
      const res = await t.http.post('/api/public/enrol').send({
        firstName: `Ana${ch}`,
        lastName: 'García',
        email: 'nul@example.com',
        consents: { terms: true },
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        {
          field: 'firstName',
          reason: 'must not contain control characters',
          constraint: 'control',
        },
      ]);
    },
  );

  it('a NUL in a nested string names its path', async () => {
    const res = await t.http
      .post('/api/checkout/purchases')
      .set(staff)
      .set('Idempotency-Key', 'nul-nested-0001')
      .send({
        memberId: member.id,
        storeId: (await t.store()).id,
        currency: 'EUR',
        lines: [{ sku: 'A\u0000', quantity: 1, unitPriceCents: 100 }],
      });
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('lines.0.sku');
  });

  it('a NUL in a search query is a 400, not a database error', async () => {
    const res = await t.http.get('/api/members').query({ q: 'an\u0000a' }).set(staff);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { field: 'q', reason: 'must not contain control characters', constraint: 'control' },
    ]);
  });

  it('a NUL in a path parameter is a 400', async () => {
    const res = await t.http.get('/api/members/%00').set(staff);
    expect(res.status).toBe(400);
  });

  it('new lines and tabs in free text are kept', async () => {
    const res = await t.http
      .post(`/api/members/${member.id}/points/adjustments`)
      .set(staff)
      .set('Idempotency-Key', 'newline-0001')
      .send({ points: 5, reason: 'goodwill\n\tafter a call' });
    expect(res.status).toBe(201);
  });

  it('a name made only of spaces is refused', async () => {
    const res = await t.http.post('/api/public/enrol').send({
      firstName: '   ',
      lastName: 'García',
      email: 'blank@example.com',
      consents: { terms: true },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { field: 'firstName', reason: 'must not be blank', constraint: 'blank' },
    ]);
  });

  it('a phone with an extension is refused, not cut', async () => {
    const res = await t.http.post('/api/public/enrol').send({
      firstName: 'Ana',
      lastName: 'García',
      email: 'ext@example.com',
      phone: '+34600111222 ext. 45',
      consents: { terms: true },
    });
    expect(res.status).toBe(400);
    expect(res.body.details[0].field).toBe('phone');
  });
});

describe('unknown references (issue 13, defect 9)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('public enrolment with an unknown store is a 400 naming storeId, not a 500', async () => {
    const res = await t.http.post('/api/public/enrol').send({
      firstName: 'Ana',
      lastName: 'García',
      email: 'unknown-store@example.com',
      storeId: '00000000-0000-4000-8000-000000000000',
      consents: { terms: true },
    });
    expect(res.status).toBe(400);
    // Named after the column the store is kept in (members.enrolment_store_id).
    expect(res.body.code).toBe('common.unknown_reference');
    expect(res.body.details).toEqual([
      { field: expect.stringMatching(/storeid$/i), reason: 'no such record' },
    ]);
  });
});
