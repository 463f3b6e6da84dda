import { randomUUID } from 'node:crypto';
import { SearchRegistry } from '../../src/common';
import { startTestApp, TestApp, TestMember } from '../utils/test-app';

describe('crm: timeline, search, knowledge base, audit', () => {
  let t: TestApp;
  let storeId: string;
  let cashier: Record<string, string>;
  let agent: { id: string; token: string };
  let agentAuth: Record<string, string>;
  let supervisor: Record<string, string>;
  let admin: Record<string, string>;
  let category: string;

  beforeAll(async () => {
    t = await startTestApp();
    storeId = (await t.store()).id;
    cashier = await t.auth('cashier', { storeId });
    agent = await t.staff('agent');
    agentAuth = { Authorization: `Bearer ${agent.token}` };
    supervisor = await t.auth('supervisor');
    admin = await t.auth('admin');
    const res = await t.http
      .post('/api/kb/categories')
      .set(supervisor)
      .send({ slug: 'faq', nameEs: 'Preguntas frecuentes', nameEn: 'FAQ' });
    expect(res.status).toBe(201);
    category = res.body.id;
  });
  afterAll(async () => {
    await t.expectLedgerClean();
    await t.close();
  });

  const buy = (m: TestMember, cents: number, sku = 'SKU-1') =>
    t.http
      .post('/api/checkout/purchases')
      .set(cashier)
      .set('Idempotency-Key', randomUUID())
      .send({
        code: m.number,
        storeId,
        currency: 'EUR',
        lines: [{ sku, category: 'shoes', quantity: 1, unitPriceCents: cents }],
      });

  const article = (slug: string, body: Partial<Record<string, unknown>> = {}) =>
    t.http
      .post('/api/kb/articles')
      .set(supervisor)
      .send({
        slug,
        categoryId: category,
        titleEs: 'Devoluciones y cambios',
        bodyEs:
          'Puedes devolver cualquier compra en 30 días con el ticket.\n\nEl reembolso se hace en el mismo medio de pago.',
        titleEn: 'Returns and exchanges',
        bodyEn:
          'You can return any purchase within 30 days with the receipt.\n\nRefunds go back to the same payment method.',
        ...body,
      });

  const timeline = (id: string, query = '', who = agentAuth) =>
    t.http.get(`/api/members/${id}/timeline${query}`).set(who);

  const auditRows = (action: string, memberId?: string) =>
    t.dataSource.query<{ actor_type: string; actor_id: string; member_id: string }[]>(
      `SELECT actor_type, actor_id, member_id FROM audit_log
        WHERE action = $1 AND ($2::uuid IS NULL OR member_id = $2) ORDER BY id`,
      [action, memberId ?? null],
    );

  describe('timeline', () => {
    it('merges every module newest first and pages across kinds, each entry once', async () => {
      const ana = await t.member({ phone: '+34600111000' });
      const sale = await buy(ana, 5000);
      expect(sale.status).toBe(201);
      await buy(ana, 2000, 'SKU-2').expect(201);
      await t.http
        .post(`/api/checkout/purchases/${sale.body.purchaseId}/returns`)
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({ lines: [{ sku: 'SKU-1', quantity: 1 }] })
        .expect(201);
      await t.http
        .post(`/api/members/${ana.id}/consents`)
        .set(agentAuth)
        .send({ consents: { marketing_email: true } })
        .expect(200);
      const reward = await t.http
        .post('/api/rewards')
        .set(await t.auth('marketing'))
        .send({
          nameEs: 'Café gratis',
          nameEn: 'Free coffee',
          kind: 'free_product',
          sku: 'C-1',
          costPoints: 10,
        });
      expect(reward.status).toBe(201);
      const coupon = await t.http
        .post(`/api/rewards/${reward.body.id}/redeem`)
        .set(ana.auth)
        .send({ memberId: ana.id });
      expect(coupon.status).toBe(201);
      await t.http
        .post('/api/coupons/use')
        .set(cashier)
        .send({ code: coupon.body.code, storeId })
        .expect(200);
      // Five consent rows at the very same instant: the keyset must still show each once.
      await t.dataSource.query(
        `INSERT INTO consents (member_id, purpose, granted, channel, text_version, recorded_by_type, created_at)
         SELECT $1, 'calls', g % 2 = 0, 'phone', 'test', 'system', '2026-01-01T10:00:00.123456Z'
           FROM generate_series(1, 5) g`,
        [ana.id],
      );

      const all = await timeline(ana.id, '?limit=200&lang=en');
      expect(all.status).toBe(200);
      const kinds = new Set(all.body.items.map((i: { kind: string }) => i.kind));
      for (const kind of [
        'enrolment',
        'consent',
        'purchase',
        'return',
        'points',
        'reward',
        'coupon_used',
      ])
        expect(kinds).toContain(kind);
      expect(all.body.nextCursor).toBeNull();
      const at = all.body.items.map((i: { at: string }) => Date.parse(i.at));
      expect([...at].sort((a, b) => b - a)).toEqual(at);
      expect(all.body.items[0].title).toEqual(expect.any(String));
      const purchase = all.body.items.find((i: { kind: string }) => i.kind === 'purchase');
      expect(purchase.ref.purchaseId).toEqual(expect.any(String));
      expect(purchase.titles.es).toMatch(/^Compra de/);
      const used = all.body.items.find((i: { kind: string }) => i.kind === 'coupon_used');
      expect(used).toMatchObject({ title: 'Coupon used: Free coffee', ref: { storeId } });

      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await timeline(
          ana.id,
          `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        paged.push(...res.body.items.map((i: { id: string }) => i.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all.body.items.map((i: { id: string }) => i.id));
      expect(new Set(paged).size).toBe(paged.length);
    });

    it('filters by kind and dates; refuses unknown kinds and bad cursors naming the field', async () => {
      const bea = await t.member();
      await buy(bea, 1000).expect(201);
      const only = await timeline(bea.id, '?kinds=purchase,points');
      expect(only.body.items.map((i: { kind: string }) => i.kind).sort()).toEqual([
        'points',
        'purchase',
      ]);
      const past = await timeline(bea.id, '?to=2000-01-01T00:00:00Z');
      expect(past.body.items).toEqual([]);
      const bad = await timeline(bea.id, '?kinds=purchase,nonsense');
      expect(bad.status).toBe(400);
      expect(bad.body.details).toEqual([{ field: 'kinds', reason: 'unknown: nonsense' }]);
      const cursor = await timeline(bea.id, '?cursor=zzz');
      expect(cursor.status).toBe(400);
      expect(cursor.body.details[0].field).toBe('cursor');
      expect((await timeline(bea.id, '?from=yesterday')).status).toBe(400);
      expect((await timeline(randomUUID())).status).toBe(404);
    });

    it('is the member’s own at /api/me/timeline; staff roles only at /api/members/:id', async () => {
      const cris = await t.member();
      const mine = await t.http.get('/api/me/timeline').set(cris.auth);
      expect(mine.status).toBe(200);
      expect(mine.body.items.some((i: { kind: string }) => i.kind === 'enrolment')).toBe(true);
      expect((await timeline(cris.id, '', cris.auth)).status).toBe(403);
      expect((await timeline(cris.id, '', await t.auth('marketing'))).status).toBe(403);
      expect((await t.http.get(`/api/members/${cris.id}/timeline`)).status).toBe(401);
      // The member reading their own timeline is not a staff access: no audit row.
      expect(await auditRows('member.timeline.read', cris.id)).toEqual([]);
    });
  });

  describe('search', () => {
    let ana: TestMember;
    let juana: TestMember;

    beforeAll(async () => {
      ana = await t.member({
        firstName: 'Ana',
        lastName: 'Muñoz García',
        email: 'ana.munoz@example.com',
        phone: '+34 611 22 33 44',
      });
      juana = await t.member({
        firstName: 'Juana',
        lastName: 'Garcíales',
        email: 'x.ana.munoz@example.com',
        phone: '+34611223345',
      });
    });

    const search = (q: string, who = agentAuth, kinds?: string) =>
      t.http
        .get('/api/search')
        .query({ q, ...(kinds ? { kinds } : {}) })
        .set(who);

    it('puts the exact card number first and marks it', async () => {
      const res = await search(ana.number.replace(/(\d{4})/g, '$1 ').trim());
      expect(res.status).toBe(200);
      expect(res.body.items[0]).toMatchObject({
        kind: 'member',
        id: ana.id,
        title: 'Ana Muñoz García',
        match: `«${ana.number}»`,
        rank: 1000,
      });
      expect(res.body.groups[0].kind).toBe('member');
    });

    it('finds names without accents or case, whole names first', async () => {
      const res = await search('ana munoz garcia');
      expect(res.body.items[0]).toMatchObject({ id: ana.id, match: '«Ana Muñoz García»' });
      const garcia = await search('GARCIA');
      const ids = garcia.body.items.map((i: { id: string }) => i.id);
      expect(ids).toEqual(expect.arrayContaining([ana.id, juana.id]));
    });

    it('finds an exact email first, and part of an address in any member', async () => {
      const exact = await search('Ana.Munoz@example.com');
      expect(exact.body.items[0]).toMatchObject({
        id: ana.id,
        rank: 900,
        match: '«ana.munoz@example.com»',
      });
      const part = await search('ana.munoz@');
      expect(part.body.items.map((i: { id: string }) => i.id).sort()).toEqual(
        [ana.id, juana.id].sort(),
      );
    });

    it('finds a phone written in any format, the exact number first', async () => {
      for (const q of ['611 22 33 44', '+34 611-22-33-44', '(611) 223.344']) {
        const res = await search(q);
        expect(res.body.items[0]).toMatchObject({ id: ana.id, rank: 900 });
        expect(res.body.items[0].match).toMatch(/^\+(34)?«(34)?611223344»$/);
      }
    });

    it('ranks an exact registry number (a case provider’s) above text matches', async () => {
      // The cases module is not in this branch: a provider of our own stands in for it.
      const registry = t.app.get(SearchRegistry);
      registry.register({
        kind: 'case',
        search: async (_reader, q) =>
          q === 'REC-2026-000042'
            ? [
                {
                  kind: 'case',
                  id: 'case-42',
                  title: 'Reclamación',
                  match: '«REC-2026-000042»',
                  rank: 1000,
                },
              ]
            : [{ kind: 'case', id: 'case-7', title: 'Otra', match: q, rank: 50 }],
      });
      await article('registro-reclamaciones', {
        titleEs: 'Cómo citar REC-2026-000042',
        bodyEs: 'Ejemplo de número de registro REC-2026-000042 en una reclamación.',
      }).expect(201);
      const res = await search('REC-2026-000042');
      expect(res.body.items[0]).toMatchObject({ kind: 'case', id: 'case-42' });
      expect(res.body.groups.map((g: { kind: string }) => g.kind)).toEqual(['case', 'article']);
    });

    it('decides kinds by role: cashier members and articles, marketing articles only', async () => {
      const asCashier = await search('ana', cashier);
      expect(asCashier.status).toBe(200);
      expect(asCashier.body.groups.every((g: { kind: string }) => g.kind !== 'case')).toBe(true);
      const refused = await search('ana', cashier, 'case');
      expect(refused.status).toBe(403);
      expect(refused.body.details).toEqual([{ field: 'kinds', reason: 'not allowed: case' }]);
      const marketing = await search('ana', await t.auth('marketing'));
      expect(marketing.body.items.every((i: { kind: string }) => i.kind === 'article')).toBe(true);
      expect((await search('ana', ana.auth)).status).toBe(403);
      expect((await search('', agentAuth)).status).toBe(400);
      expect((await search('x', agentAuth, 'member,planets')).status).toBe(400);
    });
  });

  describe('knowledge base', () => {
    it('keeps every edit as a version, shows the published one, finds it by a word', async () => {
      const created = await article('devoluciones');
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ latestVersion: 1, publishedVersion: 1 });
      const id = created.body.id as string;
      const draft = await t.http.post(`/api/kb/articles/${id}/versions`).set(supervisor).send({
        titleEs: 'Devoluciones y cambios (2027)',
        bodyEs: 'Ahora tienes 45 días para devolver tus compras.',
        titleEn: 'Returns and exchanges (2027)',
        bodyEn: 'You now have 45 days to return your purchases.',
        publish: false,
      });
      expect(draft.body).toMatchObject({ latestVersion: 2, publishedVersion: 1 });
      expect(draft.body.version.version).toBe(1);
      // Spanish stemming without accents: "devolucion" finds "Devoluciones"; words in the body too.
      for (const q of ['devolucion', 'reembolso', 'refunds']) {
        const res = await t.http.get('/api/search').query({ q, kinds: 'article' }).set(agentAuth);
        expect(res.body.items.map((i: { id: string }) => i.id)).toContain(id);
      }
      const hit = (
        await t.http.get('/api/search').query({ q: 'reembolso' }).set(agentAuth)
      ).body.items.find((i: { id: string }) => i.id === id);
      expect(hit.match).toContain('«reembolso»');
      // The draft's words are not searchable until published.
      const before = await t.http
        .get('/api/search')
        .query({ q: '45 días', kinds: 'article' })
        .set(agentAuth);
      expect(before.body.items.map((i: { id: string }) => i.id)).not.toContain(id);
      await t.http
        .post(`/api/kb/articles/${id}/publish`)
        .set(supervisor)
        .send({ version: 2 })
        .expect(200);
      const after = await t.http
        .get('/api/search')
        .query({ q: '45 días', kinds: 'article' })
        .set(agentAuth);
      expect(after.body.items.map((i: { id: string }) => i.id)).toContain(id);
      const versions = await t.http.get(`/api/kb/articles/${id}`).set(agentAuth);
      expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(
        (await t.http.post(`/api/kb/articles/${id}/publish`).set(supervisor).send({ version: 9 }))
          .body.details,
      ).toEqual([{ field: 'version', reason: 'no such version of this article' }]);
      expect(
        (await t.http.post(`/api/kb/articles/${id}/versions`).set(agentAuth).send({})).status,
      ).toBe(403);
      expect((await article('devoluciones')).status).toBe(409);
      expect((await article('Bad Slug')).body.details[0].field).toBe('slug');
    });

    it('sends an article by email in one step: outbox (service), timeline, audit', async () => {
      const eva = await t.member({ locale: 'en' });
      const id = (await article('envio-email')).body.id as string;
      const sent = await t.http
        .post(`/api/kb/articles/${id}/send`)
        .set(agentAuth)
        .send({ memberId: eva.id, channel: 'email' });
      expect(sent.status).toBe(201);
      const [outbox] = await t.dataSource.query(
        `SELECT channel, recipient, template, locale, payload FROM outbox WHERE id = $1`,
        [sent.body.outboxId],
      );
      expect(outbox).toMatchObject({
        channel: 'email',
        recipient: eva.email,
        template: 'knowledge-article',
        locale: 'en',
      });
      expect(outbox.payload.title).toBe('Returns and exchanges');
      const tl = await timeline(eva.id, '?kinds=article_sent');
      expect(tl.body.items).toHaveLength(1);
      expect(tl.body.items[0]).toMatchObject({
        kind: 'article_sent',
        title: 'Artículo enviado por email: Devoluciones y cambios',
        ref: { articleId: id, version: 1 },
      });
      expect(await auditRows('kb.article.send', eva.id)).toEqual([
        expect.objectContaining({ actor_type: 'staff', actor_id: agent.id }),
      ]);
      const exported = await t.http.get('/api/me/export').set(eva.auth);
      expect(exported.body.articlesSent).toEqual([
        expect.objectContaining({ articleId: id, channel: 'email' }),
      ]);
    });

    it('refuses an SMS to a member without a phone, naming the channel', async () => {
      const noPhone = await t.member();
      const id = (await article('envio-sms')).body.id as string;
      const res = await t.http
        .post(`/api/kb/articles/${id}/send`)
        .set(agentAuth)
        .send({ memberId: noPhone.id, channel: 'sms' });
      expect(res.status).toBe(422);
      expect(res.body.details).toEqual([{ field: 'channel', reason: 'member has no phone' }]);
      const bad = await t.http
        .post(`/api/kb/articles/${id}/send`)
        .set(agentAuth)
        .send({ memberId: 'nope', channel: 'fax' });
      expect(bad.status).toBe(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'channel',
        'memberId',
      ]);
      expect(
        (
          await t.http
            .post(`/api/kb/articles/${id}/send`)
            .set(cashier)
            .send({ memberId: noPhone.id, channel: 'email' })
        ).status,
      ).toBe(403);
    });

    it('shows public articles at /kb/<slug> and the programme terms at /terms', async () => {
      await article('programme-terms', {
        public: true,
        titleEs: 'Condiciones del programa',
        bodyEs: 'Primera condición.\n\nSegunda condición.',
        titleEn: 'Programme terms',
        bodyEn: 'First term.\n\nSecond term.',
      }).expect(201);
      const terms = await t.http.get('/terms?lang=en');
      expect(terms.status).toBe(200);
      expect(terms.text).toContain('Programme terms');
      expect(terms.text).toContain('<p>Second term.</p>');
      const es = await t.http.get('/kb/programme-terms').set('Accept-Language', 'es');
      expect(es.text).toContain('Condiciones del programa');
      // Internal articles are not public.
      expect((await t.http.get('/kb/devoluciones')).status).toBe(404);
      expect((await t.http.get('/api/public/kb/devoluciones')).status).toBe(404);
      expect((await t.http.get('/api/public/kb/programme-terms')).body.version.titleEn).toBe(
        'Programme terms',
      );
      expect((await t.http.get('/join')).text).toContain('href="/terms"');
    });
  });

  describe('audit', () => {
    it('records each staff read of personal data and each sign-in', async () => {
      const dora = await t.member();
      await t.http.get(`/api/members/${dora.id}`).set(agentAuth).expect(200);
      await timeline(dora.id).expect(200);
      await t.http.get(`/api/members/${dora.id}/export`).set(supervisor).expect(200);
      await t.http.get('/api/search').query({ q: dora.number }).set(agentAuth).expect(200);
      for (const action of ['member.read', 'member.timeline.read', 'member.export'])
        expect(await auditRows(action, dora.id)).toHaveLength(1);
      const [search] = await t.dataSource.query(
        `SELECT actor_id, details FROM audit_log WHERE action = 'search' ORDER BY id DESC LIMIT 1`,
      );
      expect(search.actor_id).toBe(agent.id);
      expect(search.details.memberIds).toEqual([dora.id]);
      expect(search.details).not.toHaveProperty('q');
      expect((await auditRows('auth.login')).map((r) => r.actor_id)).toContain(agent.id);
    });

    it('lists the trail for admins with filters and a cursor; others get 403', async () => {
      const ema = await t.member();
      await t.http.get(`/api/members/${ema.id}`).set(agentAuth).expect(200);
      await t.http.get(`/api/members/${ema.id}`).set(agentAuth).expect(200);
      await timeline(ema.id).expect(200);
      const res = await t.http
        .get('/api/audit')
        .query({ memberId: ema.id, action: 'member.read', limit: 1 })
        .set(admin);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0]).toMatchObject({
        actorType: 'staff',
        actorId: agent.id,
        action: 'member.read',
        memberId: ema.id,
      });
      const next = await t.http
        .get('/api/audit')
        .query({ memberId: ema.id, action: 'member.read', cursor: res.body.nextCursor })
        .set(admin);
      expect(next.body.items).toHaveLength(1);
      expect(next.body.nextCursor).toBeNull();
      expect(Number(next.body.items[0].id)).toBeLessThan(Number(res.body.items[0].id));
      const byActor = await t.http
        .get('/api/audit')
        .query({ actorId: agent.id, memberId: ema.id })
        .set(admin);
      expect(byActor.body.items.map((i: { action: string }) => i.action).sort()).toEqual([
        'member.read',
        'member.read',
        'member.timeline.read',
      ]);
      const none = await t.http
        .get('/api/audit')
        .query({ memberId: ema.id, to: '2000-01-01' })
        .set(admin);
      expect(none.body.items).toEqual([]);
      expect((await t.http.get('/api/audit').set(supervisor)).status).toBe(403);
      expect(
        (await t.http.get('/api/audit').query({ memberId: 'x' }).set(admin)).body.details[0].field,
      ).toBe('memberId');
    });

    it('shows the member who read their data, in their export', async () => {
      const fran = await t.member();
      await t.http.get(`/api/members/${fran.id}`).set(agentAuth).expect(200);
      const exported = await t.http.get('/api/me/export').set(fran.auth);
      expect(exported.body.auditLog).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'member.read', actorType: 'staff', actorId: agent.id }),
        ]),
      );
    });

    it('is append-only: updates and deletes refused, erasure may clear addresses', async () => {
      const [row] = await t.dataSource.query(`SELECT id FROM audit_log ORDER BY id LIMIT 1`);
      await expect(
        t.dataSource.query(`UPDATE audit_log SET action = 'forged' WHERE id = $1`, [row.id]),
      ).rejects.toThrow(/append-only/);
      await expect(
        t.dataSource.query(`DELETE FROM audit_log WHERE id = $1`, [row.id]),
      ).rejects.toThrow(/append-only/);
      await expect(t.dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
      await t.dataSource.query(`UPDATE audit_log SET ip = NULL WHERE id = $1`, [row.id]);
      const gone = await t.member();
      await t.http.post('/api/me/erase').set(gone.auth).expect(200);
    });
  });
});
