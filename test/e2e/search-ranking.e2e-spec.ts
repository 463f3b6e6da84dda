import { startTestApp, TestApp } from '../utils/test-app';

/**
 * `/api/search` with every real provider (members, cases, documents, articles): exact
 * identifiers first, and an exact identifier ends the member search.
 */
describe('search ranking across the real providers', () => {
  let t: TestApp;
  let agent: Record<string, string>;
  let supervisor: Record<string, string>;
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

  beforeAll(async () => {
    t = await startTestApp();
    agent = await t.auth('agent');
    supervisor = await t.auth('supervisor');
  });
  afterAll(() => t.close());

  const search = (q: string) => t.http.get('/api/search').query({ q }).set(agent).expect(200);

  it('puts an exact case or document registry number above an article quoting it', async () => {
    const c = await t.http
      .post('/api/cases')
      .set(agent)
      .send({
        kind: 'incident',
        channel: 'phone',
        contact: { name: 'Luis Pérez', email: 'luis@example.com' },
        category: 'product',
        department: 'customer_care',
        subject: 'Cremallera rota',
        description: 'La cremallera se rompió a los dos días.',
      })
      .expect(201);
    const doc = await t.http
      .post(`/api/cases/${c.body.id}/documents`)
      .set(agent)
      .field('kind', 'invoice')
      .attach('file', PDF, 'factura.pdf')
      .expect(201);
    const category = await t.http
      .post('/api/kb/categories')
      .set(supervisor)
      .send({ slug: 'faq', nameEs: 'Preguntas', nameEn: 'FAQ' })
      .expect(201);
    await t.http
      .post('/api/kb/articles')
      .set(supervisor)
      .send({
        slug: 'registro',
        categoryId: category.body.id,
        titleEs: `Cómo citar ${c.body.registryNumber} y ${doc.body.registryNumber}`,
        bodyEs: `Ejemplos: ${c.body.registryNumber}, ${doc.body.registryNumber}.`,
        titleEn: 'Registry numbers',
        bodyEn: `Examples: ${c.body.registryNumber}, ${doc.body.registryNumber}.`,
      })
      .expect(201);
    const byCase = await search(c.body.registryNumber);
    expect(byCase.body.items[0]).toMatchObject({ kind: 'case', id: c.body.id, rank: 1000 });
    const byDoc = await search(doc.body.registryNumber.toLowerCase());
    expect(byDoc.body.items[0]).toMatchObject({ kind: 'document', id: doc.body.id, rank: 1000 });
  });

  it('answers an exact card, email or phone with that member alone; fragments only without one', async () => {
    const ana = await t.member({
      firstName: 'Ana',
      lastName: 'Ruiz',
      email: 'ana.ruiz@example.com',
      phone: '+34 622 33 44 55',
    });
    const other = await t.member({
      firstName: 'Eva',
      lastName: 'Ruiz',
      email: 'x.ana.ruiz@example.com',
      phone: '+34 622 33 44 56',
    });
    const members = (body: { items: { kind: string; id: string }[] }) =>
      body.items.filter((i) => i.kind === 'member').map((i) => i.id);
    expect(members((await search('ana.ruiz@example.com')).body)).toEqual([ana.id]);
    expect(members((await search('622 33 44 55')).body)).toEqual([ana.id]);
    expect(members((await search(ana.number)).body)).toEqual([ana.id]);
    // No exact match: the parts (email fragment, phone digits) find both.
    expect(members((await search('ana.ruiz@')).body).sort()).toEqual([ana.id, other.id].sort());
    expect(members((await search('62233445')).body).sort()).toEqual([ana.id, other.id].sort());
    // An unknown card number finds no one (the exact lookup misses, no fragment applies).
    expect(members((await search('4000 0000 0000 0000')).body)).toEqual([]);
  });

  it('fills the page with whole words before looking inside words', async () => {
    const whole = await t.member({ firstName: 'Iker', lastName: 'Zubiri' });
    const inside = await t.member({ firstName: 'Jon', lastName: 'Azubiria' });
    // Fewer whole-word matches than the page holds: the fragment ("inside a word") follows.
    const res = await search('zubiri');
    const ids = res.body.items.map((i: { id: string }) => i.id);
    expect(ids.slice(0, 2)).toEqual([whole.id, inside.id]);
    expect(res.body.items[0].rank).toBeGreaterThan(res.body.items[1].rank);
    // A page already full of whole-word matches (limit 1): the whole word, alone.
    const full = await t.http
      .get('/api/search')
      .query({ q: 'zubiri', kinds: 'member', limit: 1 })
      .set(agent)
      .expect(200);
    expect(full.body.items.map((i: { id: string }) => i.id)).toEqual([whole.id]);
  });
});
