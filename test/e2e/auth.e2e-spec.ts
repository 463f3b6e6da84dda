import { JwtService } from '@nestjs/jwt';
import { MessagingService } from '../../src/modules/messaging';
import { MembersService } from '../../src/modules/members';
import { startTestApp, TestApp, TEST_JWT_SECRET } from '../utils/test-app';

describe('auth', () => {
  let t: TestApp;
  let admin: { email: string; password: string; token: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.staff('admin');
  });
  afterAll(() => t.close());

  describe('staff login', () => {
    it('returns a token and the roles for the right password', async () => {
      const res = await t.http
        .post('/api/auth/login')
        .send({ email: admin.email, password: admin.password });
      expect(res.status).toBe(200);
      expect(res.body.roles).toEqual(['admin']);
      expect(res.body.tokenType).toBe('Bearer');
      const payload = new JwtService({ secret: TEST_JWT_SECRET }).verify(res.body.accessToken);
      expect(payload).toMatchObject({ kind: 'staff', roles: ['admin'] });
      expect(payload.exp - payload.iat).toBe(t.config.JWT_TTL_SECONDS);
    });

    it('accepts the email in any case', async () => {
      const res = await t.http
        .post('/api/auth/login')
        .send({ email: admin.email.toUpperCase(), password: admin.password });
      expect(res.status).toBe(200);
    });

    it('gives the same 401 for a wrong password and an unknown user', async () => {
      const wrong = await t.http
        .post('/api/auth/login')
        .send({ email: admin.email, password: 'wrong-password' });
      const unknown = await t.http
        .post('/api/auth/login')
        .send({ email: 'nobody@example.com', password: 'wrong-password' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.message).toBe(unknown.body.message);
      expect(wrong.body).toMatchObject({
        statusCode: 401,
        error: 'Unauthorized',
        code: 'auth.bad_credentials',
      });
    });

    it('refuses a deactivated user', async () => {
      const user = await t.staff('cashier');
      await t.http
        .patch(`/api/staff/${user.id}`)
        .set('Authorization', `Bearer ${admin.token}`)
        .send({ active: false })
        .expect(200);
      const res = await t.http
        .post('/api/auth/login')
        .send({ email: user.email, password: user.password });
      expect(res.status).toBe(401);
    });

    it('names the bad fields of a malformed body and rejects unknown ones', async () => {
      const res = await t.http.post('/api/auth/login').send({ email: 'not-an-email', extra: true });
      expect(res.status).toBe(400);
      const fields = res.body.details.map((d: { field: string }) => d.field).sort();
      expect(fields).toEqual(['email', 'extra', 'password']);
      expect(res.body.details.find((d: { field: string }) => d.field === 'extra').reason).toBe(
        'unknown field',
      );
    });

    it('answers malformed JSON with a 400 naming the body', async () => {
      const res = await t.http
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email":');
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        { field: 'body', reason: 'request body is not valid JSON' },
      ]);
      expect(res.body.requestId).toEqual(res.headers['x-request-id']);
    });
  });

  describe('tokens', () => {
    const jwt = new JwtService({ secret: TEST_JWT_SECRET });

    it('refuses a request without a token', async () => {
      const res = await t.http.get('/api/stores');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('auth.unauthenticated');
    });

    it('refuses an expired token', async () => {
      const token = jwt.sign({ sub: 'x', kind: 'staff', roles: ['admin'] }, { expiresIn: -10 });
      const res = await t.http.get('/api/stores').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('auth.token_expired');
    });

    it('refuses a tampered token (payload changed, signature kept)', async () => {
      const cashier = await t.staff('cashier');
      const [h, , s] = cashier.token.split('.');
      const forged = Buffer.from(
        JSON.stringify({ sub: cashier.id, kind: 'staff', roles: ['admin'], exp: 9999999999 }),
      ).toString('base64url');
      const res = await t.http.get('/api/staff').set('Authorization', `Bearer ${h}.${forged}.${s}`);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('auth.token_invalid');
    });

    it('refuses a token signed with another secret and the "none" algorithm', async () => {
      const other = new JwtService({ secret: 'another-secret-another-secret-another-secret' }).sign(
        { sub: 'x', kind: 'staff', roles: ['admin'] },
      );
      expect((await t.http.get('/api/stores').set('Authorization', `Bearer ${other}`)).status).toBe(
        401,
      );
      const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"x","kind":"staff","roles":["admin"]}').toString('base64url')}.`;
      expect((await t.http.get('/api/stores').set('Authorization', `Bearer ${none}`)).status).toBe(
        401,
      );
    });
  });

  describe('POS API keys', () => {
    it('creates a key shown once, authenticates as a cashier of its store, and stops after revocation', async () => {
      const store = await t.store();
      const created = await t.http
        .post('/api/api-keys')
        .set('Authorization', `Bearer ${admin.token}`)
        .send({ name: 'Till 1', storeId: store.id });
      expect(created.status).toBe(201);
      expect(created.body.key).toMatch(/^fdl_/);
      expect(created.body.keyHash).toBeUndefined();
      const list = await t.http.get('/api/api-keys').set('Authorization', `Bearer ${admin.token}`);
      expect(JSON.stringify(list.body)).not.toContain(created.body.key);

      const stores = await t.http.get('/api/stores').set('X-Api-Key', created.body.key);
      expect(stores.status).toBe(200);
      // a cashier may not administer
      expect((await t.http.get('/api/staff').set('X-Api-Key', created.body.key)).status).toBe(403);

      await t.http
        .patch(`/api/api-keys/${created.body.id}`)
        .set('Authorization', `Bearer ${admin.token}`)
        .send({ revoked: true })
        .expect(200);
      const after = await t.http.get('/api/stores').set('X-Api-Key', created.body.key);
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('auth.bad_api_key');
    });

    it('refuses a made-up key', async () => {
      const res = await t.http
        .get('/api/stores')
        .set('X-Api-Key', 'fdl_AAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      expect(res.status).toBe(401);
    });
  });

  describe('member one-time code', () => {
    let email: string;
    let memberId: string;
    const lastCode = async () => {
      const [msg] = await t.app.get(MessagingService).pendingFor(email, 'member-login-code');
      return String(msg.payload.code);
    };

    // A member per case: the guesses and codes allowed are counted per member (issue 13).
    beforeEach(async () => {
      email = `member-${Date.now()}-${Math.random()}@example.com`;
      const { member } = await t.app
        .get(MembersService)
        .enrol(
          { firstName: 'Ana', lastName: 'García', email, consents: { terms: true } },
          { channel: 'web' },
        );
      memberId = member.id;
    });

    it('queues a code by email and exchanges it once for a member session', async () => {
      await t.http.post('/api/auth/member/code').send({ email }).expect(202);
      const code = await lastCode();
      expect(code).toMatch(/^\d{6}$/);
      const ok = await t.http.post('/api/auth/member/session').send({ email, code });
      expect(ok.status).toBe(200);
      expect(ok.body.memberId).toBe(memberId);
      const me = await t.http
        .get(`/api/members/${memberId}`)
        .set('Authorization', `Bearer ${ok.body.accessToken}`);
      expect(me.status).toBe(200);
      expect(me.body.email).toBe(email);
      // the same code cannot be used twice
      expect((await t.http.post('/api/auth/member/session').send({ email, code })).status).toBe(
        401,
      );
    });

    it('answers an unknown email exactly like a known one', async () => {
      const res = await t.http
        .post('/api/auth/member/code')
        .send({ email: 'nobody-here@example.com' });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ sent: true });
    });

    it('burns the code after five wrong tries', async () => {
      await t.http.post('/api/auth/member/code').send({ email }).expect(202);
      const code = await lastCode();
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++)
        expect(
          (await t.http.post('/api/auth/member/session').send({ email, code: wrong })).status,
        ).toBe(401);
      expect((await t.http.post('/api/auth/member/session').send({ email, code })).status).toBe(
        401,
      );
    });

    it('refuses an expired code', async () => {
      await t.http.post('/api/auth/member/code').send({ email }).expect(202);
      const code = await lastCode();
      t.clock.advance(11 * 60_000);
      try {
        expect((await t.http.post('/api/auth/member/session').send({ email, code })).status).toBe(
          401,
        );
      } finally {
        t.clock.reset();
      }
    });

    it('gives a member no staff routes and no other member', async () => {
      await t.http.post('/api/auth/member/code').send({ email }).expect(202);
      const session = await t.http
        .post('/api/auth/member/session')
        .send({ email, code: await lastCode() });
      const bearer = { Authorization: `Bearer ${session.body.accessToken}` };
      expect((await t.http.get('/api/stores').set(bearer)).status).toBe(403);
      const { member: other } = await t.app.get(MembersService).enrol(
        {
          firstName: 'Otro',
          lastName: 'Socio',
          email: `other-${Date.now()}@example.com`,
          consents: { terms: true },
        },
        { channel: 'web' },
      );
      expect((await t.http.get(`/api/members/${other.id}`).set(bearer)).status).toBe(404);
    });
  });
});

describe('auth rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After after too many attempts, for logins and for member codes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await t.http.post('/api/auth/login').send({ email: 'x@example.com', password: 'wrong' }))
          .status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      codes.push(
        (
          await t.http
            .post('/api/auth/member/session')
            .send({ email: 'x@example.com', code: '123456' })
        ).status,
      );
    }
    expect(codes).toEqual([401, 401, 401, 429]);
    const res = await t.http
      .post('/api/auth/login')
      .send({ email: 'x@example.com', password: 'wrong' });
    expect(res.status).toBe(429);
    expect(res.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(res.headers['retry-after']).toBeDefined();
    // The wait, in the body and in the caller's language (English unless Spanish is preferred).
    const wait = Number(res.headers['retry-after']);
    expect(res.body.retryAfterSeconds).toBe(wait);
    expect(res.body.message).toMatch(
      /^Too many attempts\. Wait \d+ (seconds?|minutes?) and try again\.$/,
    );
    const es = await t.http
      .post('/api/auth/login')
      .set('Accept-Language', 'es-ES,es;q=0.9')
      .send({ email: 'x@example.com', password: 'wrong' });
    expect(es.status).toBe(429);
    expect(es.body.message).toMatch(
      /^Demasiados intentos\. Espera \d+ (segundos?|minutos?) y vuelve a probar\.$/,
    );
  });
});
