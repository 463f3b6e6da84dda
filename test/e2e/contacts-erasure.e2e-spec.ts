import { randomUUID } from 'node:crypto';
import { FollowupDispatcher } from '../../src/modules/followup';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Issue 10, contacts without a card: a customer who left only a phone and an email is reachable
 * by export and erasure like a member (`/api/contacts/*`). Their data is first written into every
 * table that holds contact data — follow-up contacts and purchases, call notes, survey answers,
 * the outbox, cases — then erased, and every text-like column of every table is searched.
 */
describe('contacts: export and erasure by email or phone', () => {
  let t: TestApp;
  let supervisor: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set('2026-11-27T10:00:00Z'); // a Friday, 11:00 in Madrid: no quiet hours
    supervisor = await t.auth(['supervisor', 'marketing']);
  });
  afterAll(() => t.close());

  async function columnsContaining(markers: string[]): Promise<string[]> {
    const columns: { table_name: string; column_name: string }[] = await t.dataSource.query(
      `SELECT c.table_name, c.column_name
         FROM information_schema.columns c
         JOIN information_schema.tables tb
           ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
        WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE'
          AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')
        ORDER BY 1, 2`,
    );
    expect(columns.length).toBeGreaterThan(50);
    const patterns = markers.map((m) => `%${m.toLowerCase()}%`);
    const hits: string[] = [];
    for (const { table_name, column_name } of columns) {
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM "${table_name}" WHERE lower("${column_name}"::text) LIKE ANY($1)`,
        [patterns],
      );
      if (n > 0) hits.push(`${table_name}.${column_name}`);
    }
    return hits;
  }

  it('refuses a request without a key or with a bad phone, and staff other than admin/supervisor', async () => {
    const none = await t.http.post('/api/contacts/erase').set(supervisor).send({}).expect(400);
    expect(none.body.details[0].field).toBe('email');
    const phone = await t.http.get('/api/contacts/export?phone=12').set(supervisor).expect(400);
    expect(phone.body.details[0].field).toBe('phone');
    const email = await t.http
      .post('/api/contacts/erase')
      .set(supervisor)
      .send({ email: 'not-an-email' })
      .expect(400);
    expect(email.body.details[0].field).toBe('email');
    await t.http.post('/api/contacts/erase').send({ email: 'a@b.es' }).expect(401);
    await t.http
      .post('/api/contacts/erase')
      .set(await t.auth('agent'))
      .send({ email: 'a@b.es' })
      .expect(403);
  });

  it('exports, then erases the contact from every table', async () => {
    const tag = randomUUID().slice(0, 8);
    const name = `Zenobia Castellanos${tag}`;
    const email = `zenobia.${tag}@example.com`;
    const national = '611222333';
    const store = await t.store();
    const cashier = await t.auth('cashier', { storeId: store.id });
    const agent = await t.auth('agent');
    for (const plan of [
      { name: 'Email CSAT', channel: 'email', delay: 'PT0S', surveyKind: 'csat' },
      { name: 'SMS NPS', channel: 'sms', delay: 'PT0S', surveyKind: 'nps' },
      { name: 'Call', channel: 'call', delay: 'PT0S' },
    ])
      await t.http.post('/api/followup-plans').set(supervisor).send(plan).expect(201);

    // The till: a purchase for a contact who left name, email and phone (and a ticket number
    // naming them).
    // The till's own key names the ticket: a caller-supplied key is personal data too.
    const bought = await t.http
      .post('/api/followup/contact-purchases')
      .set(cashier)
      .set('Idempotency-Key', `till-T-${tag}-${randomUUID().slice(0, 8)}`)
      .send({
        currency: 'EUR',
        externalId: `T-${tag}-${email}`,
        lines: [{ sku: 'COAT-1', category: 'coats', quantity: 1, unitPriceCents: 9000 }],
        contact: {
          name,
          email,
          phone: `${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6)}`,
          consents: { followup: true, calls: true },
        },
      })
      .expect(201);
    const contactId = bought.body.contactId as string;

    // The scheduler: survey invitations and outbox rows (email and SMS), the call in the queue.
    const dispatched = await t.app.get(FollowupDispatcher).dispatchDue();
    expect(dispatched).toMatchObject({ sent: 2, queued: 1 });

    // The customer answers the email survey with a low score (an incident for the contact).
    const [message] = await t.dataSource.query(
      `SELECT payload FROM outbox WHERE recipient = $1 AND template = 'survey-invitation'`,
      [email],
    );
    const token = String(message.payload.surveyUrl).split('/s/')[1];
    const answer = await t.http
      .post(`/api/public/surveys/${token}`)
      .send({ score: 1, comment: `Soy ${name}, llamadme al ${national}` });
    expect(answer.status).toBe(201);
    expect(answer.body.escalated).toBe(true);

    // The agent calls: no answer, with notes naming the contact.
    const [call] = await t.dataSource.query(
      `SELECT id FROM followup_tasks WHERE contact_id = $1 AND channel = 'call'`,
      [contactId],
    );
    await t.http
      .post(`/api/followups/${call.id}/attempts`)
      .set(agent)
      .send({ outcome: 'no_answer', notes: `${name} no contesta en ${national}` })
      .expect(201);

    // A complaint taken by phone for the same person (phone typed with spaces), with the
    // receipt they sent filed on it under their name.
    const complaint = await t.http
      .post('/api/cases')
      .set(agent)
      .send({
        kind: 'complaint',
        channel: 'phone',
        contact: { name, email: email.toUpperCase(), phone: `+34 ${national}` },
        category: 'product',
        department: 'customer_care',
        subject: `Queja de ${name}`,
        description: `${name} (${email}) dice que el abrigo llegó roto.`,
      })
      .expect(201);
    const filed = await t.http
      .post(`/api/cases/${complaint.body.id}/documents`)
      .set(agent)
      .field('kind', 'invoice')
      .attach(
        'file',
        Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
        `ticket ${name}.pdf`,
      )
      .expect(201);

    const markers = [name, email, national, `T-${tag}`];
    const before = await columnsContaining(markers);
    for (const table of [
      'followup_contacts.name',
      'followup_contacts.email',
      'followup_contacts.phone',
      'followup_contact_purchases.external_id',
      'contact_attempts.notes',
      'survey_responses.comment',
      'outbox.recipient',
      'outbox.payload',
      'cases.contact_email',
      'cases.description',
      'document_versions.file_name',
      'idempotency_keys.key',
    ])
      expect(before).toContain(table);

    // Export by phone alone finds the follow-up contact, its messages and cases.
    const exported = await t.http
      .get(`/api/contacts/export?phone=${encodeURIComponent(`+34${national}`)}`)
      .set(supervisor)
      .expect(200);
    expect(exported.body.format).toBe('fidelia.contact-export/1');
    expect(exported.body.followup.contacts[0]).toMatchObject({ name, email, purchases: [{}] });
    expect(exported.body.followup.attempts[0].notes).toContain(name);
    expect(exported.body.followup.surveys.responses[0]).toMatchObject({ score: 1 });
    expect(exported.body.messages.some((m: { channel: string }) => m.channel === 'sms')).toBe(true);
    expect(exported.body.cases.cases.length).toBeGreaterThanOrEqual(1);
    expect(exported.body.cases.documents).toEqual([
      expect.objectContaining({
        registryNumber: filed.body.registryNumber,
        versions: [expect.objectContaining({ fileName: `ticket ${name}.pdf` })],
      }),
    ]);
    expect(exported.body.followup.storedResponses).toEqual([
      expect.objectContaining({ key: expect.stringContaining(`T-${tag}`), status: 201 }),
    ]);
    const byEmail = await t.http
      .get(`/api/contacts/export?email=${encodeURIComponent(email.toUpperCase())}`)
      .set(supervisor)
      .expect(200);
    expect(byEmail.body.messages.some((m: { channel: string }) => m.channel === 'email')).toBe(
      true,
    );

    const erased = await t.http
      .post('/api/contacts/erase')
      .set(supervisor)
      .send({ email, phone: national })
      .expect(200);
    expect(erased.body.erased).toMatchObject({ followup: 1 });
    expect(erased.body.erased.messages).toBeGreaterThanOrEqual(2);
    expect(erased.body.erased.cases).toBeGreaterThanOrEqual(1);
    const [document] = await t.dataSource.query(`SELECT status FROM documents WHERE id = $1`, [
      filed.body.id,
    ]);
    expect(document).toEqual({ status: 'deleted' });

    expect(await columnsContaining(markers)).toEqual([]);

    // Figures stay for the reports; nothing more is sent or called; the erasure is audited
    // without the email or phone.
    const [response] = await t.dataSource.query(
      `SELECT score, comment FROM survey_responses WHERE contact_id = $1`,
      [contactId],
    );
    expect(response).toEqual({ score: 1, comment: null });
    const open = await t.dataSource.query(
      `SELECT id FROM followup_tasks WHERE contact_id = $1 AND status IN ('scheduled','due','claimed')`,
      [contactId],
    );
    expect(open).toEqual([]);
    const [audit] = await t.dataSource.query(
      `SELECT details FROM audit_log WHERE action = 'contact.erase' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.details).toMatchObject({ by: 'email+phone' });
  });
});
