import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { PersonalDataRegistry } from '../../src/common';
import { AuthService } from '../../src/modules/auth';
import { CardsService } from '../../src/modules/cards';
import { AppConfig } from '../../src/config';
import { MemberSearchService, MembersService } from '../../src/modules/members';
import { MessagingService } from '../../src/modules/messaging';
import { startTestApp, TestApp } from '../utils/test-app';

// jest applies `testTimeout` only from the root config, not per project: set it here.
jest.setTimeout(60_000);

type Headers = Record<string, string>;

let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now()}-${++seq}@example.com`;

const body = (over: Record<string, unknown> = {}) => ({
  firstName: 'Ana',
  lastName: 'García',
  email: unique('ana'),
  phone: '+34600111222',
  locale: 'es',
  birthDate: '1990-04-01',
  consents: {
    terms: true,
    followup: true,
    calls: true,
    marketing_email: false,
    marketing_sms: false,
    profiling: false,
  },
  ...over,
});

const fields = (res: { body: { details?: { field: string }[] } }) =>
  (res.body.details ?? []).map((d) => d.field).sort();

/** Every value of every column of every table, as text: what a pg_dump would contain. */
async function dumpDatabase(ds: DataSource): Promise<string> {
  const columns: { table_name: string; column_name: string }[] = await ds.query(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const c of columns)
    byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
  const out: string[] = [];
  for (const [table, cols] of byTable) {
    const rows: Record<string, string | null>[] = await ds.query(
      `SELECT ${cols.map((c, i) => `"${c}"::text AS c${i}`).join(', ')} FROM "${table}"`,
    );
    for (const row of rows) out.push(`${table}: ${Object.values(row).join(' | ')}`);
  }
  return out.join('\n');
}

describe('members', () => {
  let t: TestApp;
  let cashier: Headers;
  let supervisor: Headers;
  let marketing: Headers;
  let supervisorId: string;

  const enrol = async (over: Record<string, unknown> = {}, headers: Headers = cashier) => {
    const res = await t.http.post('/api/members').set(headers).send(body(over));
    if (res.status !== 201) throw new Error(`enrol: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; email: string; card: { number: string } };
  };
  const memberAuth = async (memberId: string): Promise<Headers> => {
    const { accessToken } = await t.app.get(AuthService).issueMemberToken(memberId);
    return { Authorization: `Bearer ${accessToken}` };
  };
  const auditFor = (
    memberId: string,
  ): Promise<
    { action: string; actor_type: string; actor_id: string; details: Record<string, unknown> }[]
  > => t.dataSource.query(`SELECT * FROM audit_log WHERE member_id = $1 ORDER BY id`, [memberId]);

  beforeAll(async () => {
    t = await startTestApp();
    cashier = await t.auth('cashier');
    marketing = await t.auth('marketing');
    const sup = await t.staff('supervisor');
    supervisorId = sup.id;
    supervisor = { Authorization: `Bearer ${sup.token}` };
  });
  afterAll(() => t.close());

  describe('enrolment', () => {
    it('enrols at the till with a card, the phone in E.164 and each consent in the history', async () => {
      const email = unique('till');
      const res = await t.http
        .post('/api/members')
        .set(supervisor)
        .send(body({ email, phone: '600 11 12 22' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        email,
        phone: '+34600111222',
        status: 'active',
        enrolmentChannel: 'till',
        card: { status: 'active' },
      });
      expect(res.body.card.number).toMatch(/^\d{16}$/);
      const history = await t.http.get(`/api/members/${res.body.id}/consents`).set(supervisor);
      expect(history.status).toBe(200);
      expect(history.body.items).toHaveLength(6);
      const terms = history.body.items.find((c: { purpose: string }) => c.purpose === 'terms');
      expect(terms).toMatchObject({
        granted: true,
        channel: 'till',
        textVersion: '2026-11',
        recordedBy: { type: 'staff', id: supervisorId },
      });
      const audit = await auditFor(res.body.id);
      expect(audit.map((a) => a.action)).toContain('member.enrol');
    });

    it('enrols through the public form as a web member who recorded their own consent', async () => {
      const values = body({ phone: '+44 7911 123456', locale: 'en' });
      const res = await t.http.post('/api/public/enrol').send(values);
      // The card and a sign-in code go by email: the answer says nothing about the account.
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ sent: true });
      const member = (await t.app.get(MembersService).findByEmail(values.email))!;
      expect(member).toMatchObject({
        enrolmentChannel: 'web',
        locale: 'en',
        phone: '+447911123456',
      });
      const [welcome] = await t.app
        .get(MessagingService)
        .pendingFor(values.email, 'member-welcome');
      expect(welcome.payload).toMatchObject({ firstName: member.firstName });
      expect(String(welcome.payload.cardNumber)).toMatch(/^\d{16}$/);
      expect(String(welcome.payload.code)).toMatch(/^\d{6}$/);
      const rows = await t.dataSource.query(
        `SELECT recorded_by_type, recorded_by_id, channel FROM consents WHERE member_id = $1`,
        [member.id],
      );
      expect(rows.length).toBe(6);
      for (const row of rows)
        expect(row).toEqual({
          recorded_by_type: 'member',
          recorded_by_id: member.id,
          channel: 'web',
        });
    });

    it.each([
      ['a malformed email', { email: 'not-an-email' }, ['email']],
      ['a malformed phone', { phone: '12ab' }, ['phone']],
      ['a phone that cannot exist', { phone: '+34 123' }, ['phone']],
      ['missing terms', { consents: { followup: true } }, ['consents.terms']],
      ['terms refused', { consents: { terms: false } }, ['consents.terms']],
      [
        'an unknown consent purpose',
        { consents: { terms: true, lottery: true } },
        ['consents.lottery'],
      ],
      ['an extra field', { favouriteColour: 'blue' }, ['favouriteColour']],
      ['a locale outside es|en', { locale: 'fr' }, ['locale']],
      ['a malformed birth date', { birthDate: '01/04/1990' }, ['birthDate']],
      ['no consents at all', { consents: undefined }, ['consents']],
    ])('answers 400 naming the field for %s', async (_, over, expected) => {
      for (const path of ['/api/members', '/api/public/enrol']) {
        const req = t.http.post(path);
        if (path === '/api/members') void req.set(cashier);
        const res = await req.send(body(over));
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('common.validation');
        expect(fields(res)).toEqual(expected);
      }
    });

    it('names why an unknown purpose and an extra field are refused', async () => {
      const res = await t.http
        .post('/api/public/enrol')
        .send(body({ channel: 'till', consents: { terms: true, lottery: true } }));
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual(
        expect.arrayContaining([
          { field: 'channel', reason: 'unknown field', constraint: 'unknown' },
          { field: 'consents.lottery', reason: 'unknown field', constraint: 'unknown' },
        ]),
      );
    });

    it('staff enrolling a duplicate email get a 409 naming it', async () => {
      const email = unique('dup');
      await enrol({ email });
      const res = await t.http
        .post('/api/members')
        .set(cashier)
        .send(body({ email: email.toUpperCase() }));
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'members.email_taken',
        details: [{ field: 'email' }],
      });
    });

    it('the public form answers an enrolled email like a new one, in like time, and emails its owner (issue 13, defect 9)', async () => {
      const taken = unique('taken');
      const owner = await enrol({ email: taken });
      const fresh = () => unique('fresh');
      const answer = async (email: string) => {
        const t0 = performance.now();
        const res = await t.http.post('/api/public/enrol').send(body({ email }));
        return { status: res.status, body: res.body, ms: performance.now() - t0 };
      };
      const known = await answer(taken.toUpperCase());
      const unknown = await answer(fresh());
      expect(known.status).toBe(202);
      expect(known.body).toEqual(unknown.body);
      expect(unknown.status).toBe(202);
      // No second member; the owner is told, with a code to sign in.
      const rows = await t.dataSource.query(`SELECT id FROM members WHERE lower(email) = $1`, [
        taken.toLowerCase(),
      ]);
      expect(rows).toEqual([{ id: owner.id }]);
      const [notice] = await t.app
        .get(MessagingService)
        .pendingFor(owner.email, 'member-already-enrolled');
      expect(notice).toMatchObject({ memberId: owner.id });
      // Both are held to the same floor, so neither is quicker: the enrolment's and the sign-in
      // code's answers (6.3 ms known against 2.3 ms unknown before). The floor is raised here so
      // a loaded test machine's slow enrolment stays under it.
      const config = t.app.get(AppConfig);
      const floor = config.PUBLIC_ANSWER_FLOOR_MS;
      config.PUBLIC_ANSWER_FLOOR_MS = 500;
      try {
        const code = async (email: string) => {
          const t0 = performance.now();
          await t.http.post('/api/auth/member/code').send({ email }).expect(202);
          return performance.now() - t0;
        };
        const times = { known: [] as number[], unknown: [] as number[] };
        for (let i = 0; i < 3; i++) {
          times.known.push((await answer(taken)).ms, await code(taken));
          times.unknown.push((await answer(fresh())).ms, await code(fresh()));
        }
        for (const ms of [...times.known, ...times.unknown]) expect(ms).toBeGreaterThanOrEqual(499);
        const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
        expect(Math.abs(median(times.known) - median(times.unknown))).toBeLessThan(150);
      } finally {
        config.PUBLIC_ANSWER_FLOOR_MS = floor;
      }
    });

    it("requires a guardian's consent under the minimum age", async () => {
      t.clock.set('2026-11-27T12:00:00Z');
      try {
        const minor = body({ birthDate: '2013-11-28' }); // 12 years and 364 days
        const refused = await t.http.post('/api/public/enrol').send(minor);
        expect(refused.status).toBe(400);
        expect(refused.body).toMatchObject({
          code: 'members.guardian_required',
          details: [{ field: 'guardianName' }],
        });
        const ok = await t.http
          .post('/api/public/enrol')
          .send({ ...minor, guardianName: 'María García' });
        expect(ok.status).toBe(202);
        expect((await t.app.get(MembersService).findByEmail(minor.email))!.guardianName).toBe(
          'María García',
        );
        // 14 today: no guardian needed
        const adult = await t.http
          .post('/api/public/enrol')
          .send(body({ birthDate: '2012-11-27' }));
        expect(adult.status).toBe(202);
      } finally {
        t.clock.reset();
      }
    });
  });

  describe('search', () => {
    const tag = `Zq${Date.now().toString(36)}`;
    let people: { id: string; email: string; card: { number: string } }[];

    beforeAll(async () => {
      people = [];
      for (let i = 0; i < 5; i++) {
        people.push(
          await enrol({
            firstName: `Lucía${i}`,
            lastName: `${tag} Pérez`,
            email: unique(`${tag.toLowerCase()}${i}`),
            phone: `+3461234567${i}`,
          }),
        );
      }
    });

    const search = (q: string, extra: Record<string, unknown> = {}, headers: Headers = cashier) =>
      t.http
        .get('/api/members')
        .query({ q, ...extra })
        .set(headers);

    it('finds by part of the name, in any case, newest first', async () => {
      const res = await search(tag.toLowerCase());
      expect(res.status).toBe(200);
      expect(res.body.items.map((m: { id: string }) => m.id)).toEqual(
        [...people].reverse().map((p) => p.id),
      );
      expect(res.body.items[0]).toMatchObject({
        firstName: 'Lucía4',
        card: { number: people[4].card.number, status: 'active' },
      });
      // without accents or case, as a cashier types it
      const plain = await search(`LUCIA3 ${tag.toUpperCase()}`);
      expect(plain.body.items.map((m: { id: string }) => m.id)).toEqual([people[3].id]);
      const full = await search(`lucía2 ${tag}`);
      expect(full.body.items.map((m: { id: string }) => m.id)).toEqual([people[2].id]);
    });

    it('finds by email, phone digits and card number prefix', async () => {
      expect(
        (await search(people[1].email.toUpperCase())).body.items.map((m: { id: string }) => m.id),
      ).toEqual([people[1].id]);
      expect((await search('612 345 673')).body.items.map((m: { id: string }) => m.id)).toEqual([
        people[3].id,
      ]);
      expect((await search('+34612345670')).body.items.map((m: { id: string }) => m.id)).toEqual([
        people[0].id,
      ]);
      expect(
        (await search(people[2].card.number)).body.items.map((m: { id: string }) => m.id),
      ).toEqual([people[2].id]);
      expect(
        (await search(people[2].card.number.slice(0, 12))).body.items.map(
          (m: { id: string }) => m.id,
        ),
      ).toContain(people[2].id);
    });

    it('treats LIKE wildcards literally', async () => {
      expect((await search('%')).body.items).toEqual([]);
      expect((await search('_')).body.items).toEqual([]);
    });

    it('pages with a cursor without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await search(tag, { limit: 2, ...(cursor ? { cursor } : {}) });
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((m: { id: string }) => m.id));
        cursor = res.body.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([...people].reverse().map((p) => p.id));
    });

    it('refuses a forged cursor, a bad limit and unknown parameters with 400', async () => {
      expect((await search(tag, { cursor: 'garbage' })).status).toBe(400);
      expect(fields(await search(tag, { limit: 0 }))).toEqual(['limit']);
      expect(fields(await search(tag, { page: 2 }))).toEqual(['page']);
    });

    it('uses the indexes for every branch of the match', async () => {
      await t.dataSource.query(
        `INSERT INTO members (first_name, last_name, email, phone, enrolment_channel)
         SELECT 'Nombre' || i, 'Apellido' || i, 'bulk' || i || '@example.com',
                '+3491' || lpad(i::text, 7, '0'), 'import'
           FROM generate_series(1, 3000) i`,
      );
      // as autovacuum would: move the GIN pending lists into the indexes and refresh statistics
      await t.dataSource.query(`VACUUM ANALYZE members`);
      await t.dataSource.query(`VACUUM ANALYZE cards`);
      const members = t.app.get(MemberSearchService);
      const byName = await members.explainSearch('pérez');
      expect(byName).toContain('members_name_search_idx');
      expect(byName).toContain('members_email_trgm_idx');
      const byNumber = await members.explainSearch('4012345678');
      expect(byNumber).toContain('members_phone_trgm_idx');
      expect(byNumber).toContain('cards_number_pattern_idx');
    });

    it('is for staff only and is audited without the search terms', async () => {
      expect((await t.http.get('/api/members').query({ q: tag })).status).toBe(401);
      const member = await memberAuth(people[0].id);
      expect((await search(tag, {}, member)).status).toBe(403);
      const rows: { details: { results: number; memberIds: string[] } }[] =
        await t.dataSource.query(
          `SELECT details FROM audit_log WHERE action = 'member.search' ORDER BY id DESC LIMIT 1`,
        );
      expect(JSON.stringify(rows[0].details)).not.toContain(tag);
      expect(rows[0].details.memberIds).toEqual(expect.arrayContaining([people[0].id]));
    });
  });

  describe('read and update', () => {
    it('reads a member with the card and current consents, and audits the read', async () => {
      const m = await enrol();
      const res = await t.http.get(`/api/members/${m.id}`).set(marketing);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: m.id,
        card: { number: m.card.number },
        consents: { terms: true, followup: true, marketing_email: false },
      });
      const audit = await auditFor(m.id);
      expect(audit.at(-1)).toMatchObject({ action: 'member.read', actor_type: 'staff' });
    });

    it('updates given fields, normalises the phone, and audits field names only', async () => {
      const m = await enrol();
      const res = await t.http
        .patch(`/api/members/${m.id}`)
        .set(cashier)
        .send({ lastName: 'García Ruiz', phone: '611 22 33 44', birthDate: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        lastName: 'García Ruiz',
        phone: '+34611223344',
        birthDate: null,
      });
      const audit = (await auditFor(m.id)).filter((a) => a.action === 'member.update');
      expect(audit).toHaveLength(1);
      expect(audit[0].details).toEqual({ fields: ['lastName', 'phone', 'birthDate'] });
      expect(JSON.stringify(audit)).not.toContain('611223344');
    });

    it('answers 409 for an email already used and 400 for bad or empty changes', async () => {
      const a = await enrol();
      const b = await enrol();
      const taken = await t.http
        .patch(`/api/members/${b.id}`)
        .set(cashier)
        .send({ email: a.email.toUpperCase() });
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('members.email_taken');
      expect(
        fields(await t.http.patch(`/api/members/${b.id}`).set(cashier).send({ phone: 'x' })),
      ).toEqual(['phone']);
      expect(
        fields(await t.http.patch(`/api/members/${b.id}`).set(cashier).send({ status: 'erased' })),
      ).toEqual(['status']);
      const empty = await t.http.patch(`/api/members/${b.id}`).set(cashier).send({});
      expect(empty.status).toBe(400);
      expect(empty.body.code).toBe('members.nothing_to_update');
      t.clock.set('2026-11-27T12:00:00Z');
      try {
        const minor = await t.http
          .patch(`/api/members/${b.id}`)
          .set(cashier)
          .send({ birthDate: '2016-01-01' });
        expect(minor.status).toBe(400);
        expect(minor.body.code).toBe('members.guardian_required');
      } finally {
        t.clock.reset();
      }
    });

    it('lets marketing read but not edit, and 404s an unknown id', async () => {
      const m = await enrol();
      expect(
        (await t.http.patch(`/api/members/${m.id}`).set(marketing).send({ firstName: 'X' })).status,
      ).toBe(403);
      const unknown = await t.http
        .get('/api/members/00000000-0000-4000-8000-000000000000')
        .set(cashier);
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('members.not_found');
      expect((await t.http.get('/api/members/not-a-uuid').set(cashier)).status).toBe(400);
    });
  });

  describe('consents', () => {
    it('appends only the changes, with channel, text version and who recorded them', async () => {
      const m = await enrol();
      const res = await t.http
        .post(`/api/members/${m.id}/consents`)
        .set(supervisor)
        .send({
          consents: { marketing_email: true, followup: true, calls: false },
          channel: 'phone',
        });
      expect(res.status).toBe(200);
      expect(res.body.changed.sort()).toEqual(['calls', 'marketing_email']);
      expect(res.body.consents).toMatchObject({
        marketing_email: true,
        followup: true,
        calls: false,
      });
      const history = await t.http
        .get(`/api/members/${m.id}/consents`)
        .query({ limit: 2 })
        .set(supervisor);
      expect(history.body.items).toHaveLength(2);
      for (const row of history.body.items)
        expect(row).toMatchObject({
          channel: 'phone',
          textVersion: '2026-11',
          recordedBy: { type: 'staff', id: supervisorId },
        });
      expect(
        history.body.items
          .map((r: { purpose: string; granted: boolean }) => [r.purpose, r.granted])
          .sort(),
      ).toEqual([
        ['calls', false],
        ['marketing_email', true],
      ]);
      const rest = await t.http
        .get(`/api/members/${m.id}/consents`)
        .query({ limit: 50, cursor: history.body.nextCursor })
        .set(supervisor);
      expect(rest.body.items).toHaveLength(6);
      expect(rest.body.nextCursor).toBeNull();
      const audit = (await auditFor(m.id)).filter((a) => a.action === 'member.consents.change');
      expect(audit[0].details).toEqual({
        channel: 'phone',
        changes: { calls: false, marketing_email: true },
      });
    });

    it('refuses to withdraw the terms, unknown purposes and unknown channels', async () => {
      const m = await enrol();
      const terms = await t.http
        .post(`/api/members/${m.id}/consents`)
        .set(cashier)
        .send({ consents: { terms: false } });
      expect(terms.status).toBe(400);
      expect(terms.body.code).toBe('members.terms_required');
      expect(
        fields(
          await t.http
            .post(`/api/members/${m.id}/consents`)
            .set(cashier)
            .send({ consents: { spam: true } }),
        ),
      ).toEqual(['consents.spam']);
      expect(
        fields(
          await t.http
            .post(`/api/members/${m.id}/consents`)
            .set(cashier)
            .send({ consents: {}, channel: 'pigeon' }),
        ),
      ).toEqual(['channel']);
    });
  });

  describe('/api/me', () => {
    it('shows, updates and changes consents of the signed-in member only', async () => {
      const m = await enrol();
      const me = await memberAuth(m.id);
      const got = await t.http.get('/api/me').set(me);
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ id: m.id, email: m.email, card: { number: m.card.number } });
      const patched = await t.http
        .patch('/api/me')
        .set(me)
        .send({ firstName: 'Anita', locale: 'en' });
      expect(patched.body).toMatchObject({ firstName: 'Anita', locale: 'en' });
      const consent = await t.http
        .post('/api/me/consents')
        .set(me)
        .send({ consents: { profiling: true } });
      expect(consent.status).toBe(200);
      expect(consent.body.consents.profiling).toBe(true);
      const history = await t.http.get('/api/me/consents').set(me);
      expect(history.body.items[0]).toMatchObject({
        purpose: 'profiling',
        granted: true,
        channel: 'web',
        recordedBy: { type: 'member', id: m.id },
      });
      // a member cannot pick the channel, and staff have no /api/me
      expect(
        fields(
          await t.http.post('/api/me/consents').set(me).send({ consents: {}, channel: 'till' }),
        ),
      ).toEqual(['channel']);
      expect((await t.http.get('/api/me').set(cashier)).status).toBe(403);
      expect((await t.http.get('/api/me')).status).toBe(401);
      const audit = await auditFor(m.id);
      expect(audit.filter((a) => a.actor_type === 'member').map((a) => a.action)).toEqual(
        expect.arrayContaining(['member.read', 'member.update', 'member.consents.change']),
      );
    });
  });

  describe('ownership', () => {
    it('gives a member 404 or 403 on every route of another member', async () => {
      const mine = await enrol();
      const theirs = await enrol();
      const me = await memberAuth(mine.id);
      const id = theirs.id;
      const calls: [string, () => Promise<{ status: number }>][] = [
        ['GET member', () => t.http.get(`/api/members/${id}`).set(me)],
        ['PATCH member', () => t.http.patch(`/api/members/${id}`).set(me).send({ firstName: 'X' })],
        ['GET consents', () => t.http.get(`/api/members/${id}/consents`).set(me)],
        [
          'POST consents',
          () =>
            t.http
              .post(`/api/members/${id}/consents`)
              .set(me)
              .send({ consents: { calls: true } }),
        ],
        ['GET export', () => t.http.get(`/api/members/${id}/export`).set(me)],
        ['POST erase', () => t.http.post(`/api/members/${id}/erase`).set(me)],
        ['search', () => t.http.get('/api/members').query({ q: theirs.email }).set(me)],
        ['enrol as staff', () => t.http.post('/api/members').set(me).send(body())],
      ];
      for (const [name, call] of calls) {
        const { status } = await call();
        expect([name, [403, 404].includes(status)]).toEqual([name, true]);
      }
      // nothing changed for the other member
      const after = await t.http.get(`/api/members/${id}`).set(supervisor);
      expect(after.body).toMatchObject({
        firstName: 'Ana',
        status: 'active',
        consents: { calls: true },
      });
      // while their own routes work
      expect((await t.http.get(`/api/members/${mine.id}`).set(me)).status).toBe(200);
      expect((await t.http.get(`/api/members/${mine.id}/export`).set(me)).status).toBe(200);
    });

    it('keeps export and erasure to supervisors among staff', async () => {
      const m = await enrol();
      for (const role of ['cashier', 'agent', 'marketing', 'admin'] as const) {
        const h = await t.auth(role);
        expect((await t.http.get(`/api/members/${m.id}/export`).set(h)).status).toBe(403);
        expect((await t.http.post(`/api/members/${m.id}/erase`).set(h)).status).toBe(403);
      }
      expect((await t.http.get(`/api/members/${m.id}`).set(supervisor)).body.status).toBe('active');
    });
  });

  describe('data-protection rights', () => {
    const NOTE = 'Me atendió fatal el dependiente de la tienda de Sol';
    const SECRET_NOTE = 'Compré el regalo para mi vecina Remedios';

    beforeAll(async () => {
      // A module of our own standing in for ledger, cases, surveys…: it holds a free text the
      // member wrote and registers with the personal-data registry like the real ones do.
      await t.dataSource.query(
        `CREATE TABLE test_member_notes (member_id uuid NOT NULL, note text)`,
      );
      t.app.get(PersonalDataRegistry).register({
        category: 'test_notes',
        export: (em: EntityManager, memberId: string) =>
          em.query(`SELECT note FROM test_member_notes WHERE member_id = $1`, [memberId]),
        erase: async (em: EntityManager, memberId: string) => {
          await em.query(`UPDATE test_member_notes SET note = NULL WHERE member_id = $1`, [
            memberId,
          ]);
        },
      });
    });

    it('exports every category of the member’s data as JSON', async () => {
      const m = await enrol({ email: unique('export') });
      await t.dataSource.query(`INSERT INTO test_member_notes VALUES ($1, $2)`, [m.id, NOTE]);
      await t.http.post('/api/auth/member/code').send({ email: m.email }).expect(202);
      await t.http
        .post(`/api/members/${m.id}/consents`)
        .set(cashier)
        .send({ consents: { profiling: true } });
      const res = await t.http.get(`/api/members/${m.id}/export`).set(supervisor);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        format: 'fidelia.member-export/1',
        member: { id: m.id, email: m.email, phone: '+34600111222', birthDate: '1990-04-01' },
        cards: [{ number: m.card.number, status: 'active' }],
        test_notes: [{ note: NOTE }],
      });
      expect(res.body.consents).toHaveLength(7);
      expect(res.body.messages).toEqual([
        expect.objectContaining({ template: 'member-login-code', recipient: m.email, payload: {} }),
      ]);
      expect(res.body.auditLog.map((a: { action: string }) => a.action)).toEqual(
        expect.arrayContaining(['member.enrol', 'member.consents.change']),
      );
      // every category another module registered is there (points, purchases, …)
      const categories = t.app
        .get(PersonalDataRegistry)
        .all()
        .map((c) => c.category);
      expect(categories.length).toBeGreaterThan(1);
      for (const category of categories) expect(res.body).toHaveProperty([category]);
      // no card secrets
      expect(JSON.stringify(res.body)).not.toMatch(/secret|passAuthToken/);
      // the member gets the same through /api/me/export, and the export is audited
      const own = await t.http.get('/api/me/export').set(await memberAuth(m.id));
      expect(own.status).toBe(200);
      expect(own.body.member.id).toBe(m.id);
      expect((await auditFor(m.id)).filter((a) => a.action === 'member.export')).toHaveLength(2);
    });

    it('erases personal data everywhere in one go, blocks the card and keeps the ids', async () => {
      t.clock.set('2026-11-27T12:00:00Z');
      const values = {
        firstName: 'Zacarías',
        lastName: 'Olvidadizo-Borrable',
        email: unique('zacarias.olvidadizo'),
        phone: '+34 699 887 766',
        birthDate: '2014-02-03',
        guardianName: 'Filomena Tutora-Legal',
      };
      let m: { id: string; card: { number: string } };
      try {
        m = await enrol(values);
      } finally {
        t.clock.reset();
      }
      const other = await enrol({ firstName: 'Otra', lastName: 'Persona' });
      await t.dataSource.query(`INSERT INTO test_member_notes VALUES ($1, $2)`, [
        m.id,
        SECRET_NOTE,
      ]);
      // leave traces: a sign-in, a consent change, a search, a read, an export
      await t.http.post('/api/auth/member/code').send({ email: values.email }).expect(202);
      const [codeMsg] = await t.app
        .get(MessagingService)
        .pendingFor(values.email, 'member-login-code');
      const session = await t.http
        .post('/api/auth/member/session')
        .send({ email: values.email, code: String(codeMsg.payload.code) });
      const me = { Authorization: `Bearer ${session.body.accessToken}` };
      await t.http
        .post('/api/me/consents')
        .set(me)
        .send({ consents: { marketing_sms: true } })
        .expect(200);
      await t.http.patch('/api/me').set(me).send({ phone: '699887766' }).expect(200);
      await t.http.get('/api/members').query({ q: 'Olvidadizo' }).set(cashier).expect(200);
      await t.http.get(`/api/members/${m.id}/export`).set(supervisor).expect(200);
      await t.http.post('/api/auth/member/code').send({ email: values.email }).expect(202);
      await t.http
        .post(`/api/members/${m.id}/points/adjustments`)
        .set(supervisor)
        .set('Idempotency-Key', randomUUID())
        .send({ points: 150, reason: 'welcome gift' })
        .expect(201);
      const books = async () =>
        (
          await t.dataSource.query(
            `SELECT (SELECT balance FROM point_accounts WHERE member_id = $1) AS balance,
                    (SELECT sum(points) FROM ledger_entries WHERE member_id = $1) AS member_sum,
                    (SELECT sum(points) FROM ledger_entries) AS global_sum,
                    (SELECT count(*) FROM ledger_entries) AS entries`,
            [m.id],
          )
        )[0];
      const booksBefore = await books();
      expect(booksBefore.balance).toBe(150);
      const consentsBefore = Number(
        (await t.dataSource.query(`SELECT count(*) FROM consents WHERE member_id = $1`, [m.id]))[0]
          .count,
      );

      const needles = [
        values.firstName,
        values.lastName,
        values.email,
        '+34699887766',
        '699887766',
        values.birthDate,
        values.guardianName,
        SECRET_NOTE,
      ];
      const before = (await dumpDatabase(t.dataSource)).toLowerCase();
      for (const needle of needles)
        expect([needle, before.includes(needle.toLowerCase())]).toEqual([needle, true]);

      const res = await t.http.post(`/api/members/${m.id}/erase`).set(supervisor);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: m.id, status: 'erased', cardsBlocked: 1 });
      expect(res.body.categories).toContain('test_notes');

      const after = (await dumpDatabase(t.dataSource)).toLowerCase();
      for (const needle of needles)
        expect([needle, after.includes(needle.toLowerCase())]).toEqual([needle, false]);

      // the books are untouched: same balance, same sums, no entry removed
      expect(await books()).toEqual(booksBefore);
      // ids, consent history and the other member stay
      const [row] = await t.dataSource.query(
        `SELECT id, status, erased_at FROM members WHERE id = $1`,
        [m.id],
      );
      expect(row.status).toBe('erased');
      expect(
        Number(
          (
            await t.dataSource.query(`SELECT count(*) FROM consents WHERE member_id = $1`, [m.id])
          )[0].count,
        ),
      ).toBe(consentsBefore);
      expect(
        (
          await t.dataSource.query(`SELECT count(*) FROM test_member_notes WHERE member_id = $1`, [
            m.id,
          ])
        )[0].count,
      ).toBe('1');
      expect((await t.http.get(`/api/members/${other.id}`).set(supervisor)).body.lastName).toBe(
        'Persona',
      );
      // the card is blocked, pending messages are cancelled
      expect(await t.app.get(CardsService).activeCardOf(t.dataSource.manager, m.id)).toBeNull();
      const [card] = await t.dataSource.query(`SELECT status FROM cards WHERE number = $1`, [
        m.card.number,
      ]);
      expect(card.status).toBe('blocked');
      const outbox = await t.dataSource.query(
        `SELECT recipient, status FROM outbox WHERE member_id = $1`,
        [m.id],
      );
      expect(outbox.length).toBe(2);
      for (const msg of outbox)
        expect(msg).toEqual({ recipient: `erased:${m.id}`, status: 'cancelled' });
      expect((await auditFor(m.id)).at(-1)).toMatchObject({
        action: 'member.erase',
        actor_type: 'staff',
      });

      // cannot be found, read, signed in or erased again
      expect(
        (await t.http.get('/api/members').query({ q: 'Olvidadizo' }).set(cashier)).body.items,
      ).toEqual([]);
      expect((await t.http.get(`/api/members/${m.id}`).set(supervisor)).status).toBe(404);
      expect((await t.http.get('/api/me').set(me)).status).toBe(404);
      expect((await t.http.get(`/api/members/${m.id}/export`).set(supervisor)).status).toBe(404);
      expect((await t.http.post(`/api/members/${m.id}/erase`).set(supervisor)).status).toBe(404);
      await t.http.post('/api/auth/member/code').send({ email: values.email }).expect(202);
      expect(await t.app.get(MessagingService).pendingFor(values.email)).toEqual([]);
      expect(
        (
          await t.http
            .post('/api/auth/member/session')
            .send({ email: values.email, code: '123456' })
        ).status,
      ).toBe(401);
      // the email is free again for a new enrolment
      expect(
        (await t.http.post('/api/public/enrol').send(body({ email: values.email }))).status,
      ).toBe(202);
      expect((await t.app.get(MembersService).findByEmail(values.email))!.id).not.toBe(m.id);
    });

    it('lets a member erase their own account, and then their session stops working', async () => {
      const m = await enrol();
      const me = await memberAuth(m.id);
      const res = await t.http.post('/api/me/erase').set(me);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('erased');
      const [row] = await t.dataSource.query(
        `SELECT first_name, email, status FROM members WHERE id = $1`,
        [m.id],
      );
      expect(row).toEqual({ first_name: null, email: null, status: 'erased' });
      expect((await auditFor(m.id)).at(-1)).toMatchObject({
        action: 'member.erase',
        actor_type: 'member',
        ip: null,
      });
      expect((await t.http.get('/api/me').set(me)).status).toBe(404);
      expect((await t.http.get('/api/me/export').set(me)).status).toBe(404);
    });
  });
});

describe('members with the minimum age raised to 16', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ MEMBER_MIN_AGE: '16' });
    t.clock.set('2026-11-27T12:00:00Z');
  });
  afterAll(() => t.close());

  it('asks a 15-year-old for a guardian and lets a 16-year-old enrol alone', async () => {
    const fifteen = await t.http.post('/api/public/enrol').send(body({ birthDate: '2011-06-01' }));
    expect(fifteen.status).toBe(400);
    expect(fifteen.body.message).toContain('under 16');
    const sixteen = await t.http.post('/api/public/enrol').send(body({ birthDate: '2010-11-27' }));
    expect(sixteen.status).toBe(202);
  });
});

describe('public enrolment rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once an address enrols too often', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await t.http.post('/api/public/enrol').send(body())).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const res = await t.http.post('/api/public/enrol').send(body());
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    // staff enrolment at the till is not limited by it
    const cashier = await t.auth('cashier');
    expect((await t.http.post('/api/members').set(cashier).send(body())).status).toBe(201);
  });
});
