import { MembersService } from '../../src/modules/members';
import { MessagingService } from '../../src/modules/messaging';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Issue 13, defect 8: limits per account as well as per address, forwarded addresses trusted
 * only when configured, and a new one-time code does not restore the guesses.
 */
describe('limits per account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIGN_IN_FAILURES_PER_ACCOUNT: '10' });
  });
  afterAll(() => t.close());

  const login = (email: string, password: string, from: string) =>
    t.http.post('/api/auth/login').set('X-Forwarded-For', from).send({ email, password });

  it('40 wrong passwords for one account from 40 addresses end in 429, even for the right one', async () => {
    const user = await t.staff('admin');
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++)
      statuses.push((await login(user.email, 'wrong', `203.0.113.${i}`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(new Set(statuses.slice(10))).toEqual(new Set([429]));
    const right = await login(user.email, user.password, '198.51.100.1');
    expect(right.status).toBe(429);
    expect(right.headers['retry-after']).toBeDefined();
    t.clock.advance(16 * 60_000);
    try {
      expect((await login(user.email, user.password, '198.51.100.1')).status).toBe(200);
    } finally {
      t.clock.reset();
    }
  });

  it('an unknown email is limited the same way (no hint that it does not exist)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await login('nobody@example.com', 'wrong', `203.0.113.${i}`)).status);
    expect(statuses.slice(9)).toEqual([401, 429, 429]);
  });

  describe('member one-time codes', () => {
    let email: string;
    beforeEach(async () => {
      email = `limits-${Date.now()}-${Math.random()}@example.com`;
      await t.app
        .get(MembersService)
        .enrol(
          { firstName: 'Ana', lastName: 'García', email, consents: { terms: true } },
          { channel: 'web' },
        );
    });
    const codes = async () =>
      (await t.app.get(MessagingService).pendingFor(email, 'member-login-code')).map((m) =>
        String(m.payload.code),
      );

    it('25 requests for one email send at most 3 codes, all answered alike', async () => {
      for (let i = 0; i < 25; i++) {
        const res = await t.http.post('/api/auth/member/code').send({ email });
        expect(res.status).toBe(202);
        expect(res.body).toEqual({ sent: true });
      }
      expect((await codes()).length).toBe(3);
    });

    it('a new code does not restore the guesses', async () => {
      await t.http.post('/api/auth/member/code').send({ email }).expect(202);
      const [first] = await codes();
      const wrong = first === '000000' ? '111111' : '000000';
      for (let i = 0; i < 4; i++)
        await t.http.post('/api/auth/member/session').send({ email, code: wrong }).expect(401);
      await t.http.post('/api/auth/member/code').send({ email }).expect(202);
      const [second] = await codes();
      const wrong2 = second === '000000' ? '111111' : '000000';
      await t.http.post('/api/auth/member/session').send({ email, code: wrong2 }).expect(401);
      // Five guesses spent across the two codes: the right one is refused too.
      await t.http.post('/api/auth/member/session').send({ email, code: second }).expect(401);
    });
  });
});

describe('forwarded addresses', () => {
  it('are not trusted by default: the per-address limit holds whatever X-Forwarded-For says', async () => {
    const t = await startTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++)
        statuses.push(
          (
            await t.http
              .post('/api/auth/login')
              .set('X-Forwarded-For', `203.0.113.${i}`)
              .send({ email: `someone-${i}@example.com`, password: 'wrong' })
          ).status,
        );
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    } finally {
      await t.close();
    }
  });

  it('are trusted from the proxies TRUST_PROXY names', async () => {
    const t = await startTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '5', TRUST_PROXY: 'loopback' });
    try {
      for (let i = 0; i < 7; i++) {
        const res = await t.http
          .post('/api/auth/login')
          .set('X-Forwarded-For', `203.0.113.${i}`)
          .send({ email: `someone-${i}@example.com`, password: 'wrong' });
        expect(res.status).toBe(401);
      }
    } finally {
      await t.close();
    }
  });
});
