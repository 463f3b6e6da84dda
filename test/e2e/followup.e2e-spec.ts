import { randomUUID } from 'node:crypto';
import { FollowupDispatcher } from '../../src/modules/followup/followup-dispatcher.service';
import { TimelineRegistry } from '../../src/common';
import { startTestApp, TestApp } from '../utils/test-app';

/** Follow-up: plans, tasks born with the purchase, the scheduler, the agents' queue and calls. */
describe('followup: plans, tasks, scheduler, queue, attempts', () => {
  let t: TestApp;
  let dispatcher: FollowupDispatcher;
  let storeId: string;
  let marketing: Record<string, string>;
  let cashier: Record<string, string>;
  let agent: { id: string; token: string };
  let agentAuth: Record<string, string>;
  let otherAgent: Record<string, string>;

  // Friday 27 Nov 2026, 11:00 in Madrid.
  const START = '2026-11-27T10:00:00Z';

  beforeAll(async () => {
    t = await startTestApp({ FOLLOWUP_CLAIM_MINUTES: '20', FOLLOWUP_GOODWILL_CAP_AGENT: '200' });
    t.clock.set(START);
    storeId = (await t.store()).id;
    dispatcher = t.app.get(FollowupDispatcher);
    marketing = await t.auth('marketing');
    cashier = await t.auth('cashier', { storeId });
    agent = await t.staff('agent');
    agentAuth = { Authorization: `Bearer ${agent.token}` };
    otherAgent = await t.auth('agent');
  });
  afterAll(async () => {
    await t.expectLedgerClean();
    await t.close();
  });

  const plan = async (body: Record<string, unknown>) => {
    const res = await t.http.post('/api/followup-plans').set(marketing).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const deactivate = (id: string) =>
    t.http.patch(`/api/followup-plans/${id}`).set(marketing).send({ active: false }).expect(200);

  const buy = (
    member: { number: string },
    lines: Record<string, unknown>[] = [
      { sku: 'SHOE-1', category: 'shoes', quantity: 1, unitPriceCents: 5999 },
    ],
    key = randomUUID(),
  ) =>
    t.http
      .post('/api/checkout/purchases')
      .set(cashier)
      .set('Idempotency-Key', key)
      .send({ code: member.number, storeId, currency: 'EUR', lines });

  const tasksOf = (purchaseId: string) =>
    t.dataSource.query(
      `SELECT id, plan_id, status, due_at, channel, attempts FROM followup_tasks WHERE purchase_id = $1`,
      [purchaseId],
    );

  it('plans: marketing writes, supervisors read; bad duration, channel or condition → 400 naming the field', async () => {
    const bad = await t.http
      .post('/api/followup-plans')
      .set(marketing)
      .send({ name: 'x', channel: 'call', delay: '3 days' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([
      expect.objectContaining({ field: 'delay', reason: expect.stringContaining('ISO-8601') }),
    ]);
    const channel = await t.http
      .post('/api/followup-plans')
      .set(marketing)
      .send({ name: 'x', channel: 'fax', delay: 'P1D' });
    expect(channel.status).toBe(400);
    expect(channel.body.details[0].field).toBe('channel');
    const condition = await t.http
      .post('/api/followup-plans')
      .set(marketing)
      .send({ name: 'x', channel: 'sms', delay: 'P1D', conditions: { minTotalCents: -1 } });
    expect(condition.status).toBe(400);
    expect(condition.body.details[0].field).toBe('conditions.minTotalCents');
    const quiet = await t.http
      .post('/api/followup-plans')
      .set(marketing)
      .send({
        name: 'x',
        channel: 'sms',
        delay: 'P1D',
        quietHours: { from: '25:00', to: '09:00' },
      });
    expect(quiet.body.details[0].field).toBe('quietHours.from');
    const supervisor = await t.auth('supervisor');
    await t.http
      .post('/api/followup-plans')
      .set(supervisor)
      .send({ name: 'x', channel: 'sms', delay: 'P1D' })
      .expect(403);
    const created = await plan({
      name: 'Call after shoes',
      channel: 'call',
      delay: 'P3D',
      surveyKind: 'csat',
      conditions: { categories: ['shoes'], minTotalCents: 3000 },
      maxAttempts: 2,
      retryDelay: 'PT4H',
      quietHours: { from: '21:00', to: '09:00' },
    });
    const list = await t.http.get('/api/followup-plans').set(supervisor).expect(200);
    expect(list.body.items.map((p: { id: string }) => p.id)).toContain(created.id);
    const patched = await t.http
      .patch(`/api/followup-plans/${created.id}`)
      .set(marketing)
      .send({ retryDelay: 'PT2H' })
      .expect(200);
    expect(patched.body).toMatchObject({ retryDelay: 'PT2H', version: 2, delay: 'P3D' });
    await t.http
      .patch(`/api/followup-plans/${created.id}`)
      .set(marketing)
      .send({ retryDelay: 'later' })
      .expect(400);
    await deactivate(created.id);
  });

  it('a call plan: task in the purchase, once per purchase, only with the consents; the queue, claims and a call to the end', async () => {
    const p = await plan({
      name: 'Call',
      channel: 'call',
      delay: 'P3D',
      surveyKind: 'csat',
      conditions: { categories: ['shoes'] },
      maxAttempts: 2,
      retryDelay: 'PT4H',
    });
    try {
      const ana = await t.member({ phone: '+34600111222' });
      const key = randomUUID();
      const first = await buy(ana, undefined, key);
      expect(first.status).toBe(201);
      const replay = await buy(ana, undefined, key);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      const tasks = await tasksOf(first.body.purchaseId);
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ status: 'scheduled', channel: 'call' });
      expect(new Date(tasks[0].due_at).toISOString()).toBe('2026-11-30T10:00:00.000Z');

      // No `calls` consent, no phone, or socks only: no task, and the purchase says nothing.
      const noCalls = await t.member({
        phone: '+34600111223',
        consents: { terms: true, followup: true, calls: false },
      });
      const noPhone = await t.member();
      for (const m of [noCalls, noPhone]) {
        const r = await buy(m);
        expect(r.status).toBe(201);
        expect(await tasksOf(r.body.purchaseId)).toEqual([]);
      }
      const socks = await buy(ana, [
        { sku: 'S', category: 'socks', quantity: 1, unitPriceCents: 500 },
      ]);
      expect(await tasksOf(socks.body.purchaseId)).toEqual([]);

      // Not due yet: nothing in the queue.
      expect((await dispatcher.dispatchDue()).queued).toBe(0);
      t.clock.advance(3 * 86_400_000);
      expect((await dispatcher.dispatchDue()).queued).toBe(1);
      const taskId = tasks[0].id as string;
      const queue = await t.http.get('/api/followups').set(agentAuth).expect(200);
      expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(taskId);
      expect(queue.body.items.find((i: { id: string }) => i.id === taskId)).toMatchObject({
        memberId: ana.id,
        planId: p.id,
        status: 'due',
        planName: 'Call',
      });
      await t.http.get('/api/followups').set(cashier).expect(403);
      await t.http.get('/api/followups?status=bogus').set(agentAuth).expect(400);

      // Claim: one agent at a time; another agent's attempt → 409; the claim lapses.
      await t.http.post(`/api/followups/${taskId}/claim`).set(agentAuth).expect(200);
      const taken = await t.http.post(`/api/followups/${taskId}/claim`).set(otherAgent);
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('followup.claimed_by_another');
      const foreign = await t.http
        .post(`/api/followups/${taskId}/attempts`)
        .set(otherAgent)
        .send({ outcome: 'reached' });
      expect(foreign.status).toBe(409);
      const mine = await t.http.get('/api/followups?assignee=me').set(agentAuth).expect(200);
      expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([taskId]);
      t.clock.advance(21 * 60_000);
      await t.http.post(`/api/followups/${taskId}/claim`).set(otherAgent).expect(200);
      t.clock.advance(21 * 60_000);
      await t.http.post(`/api/followups/${taskId}/claim`).set(agentAuth).expect(200);

      // The desk's view: customer context and the plan.
      const detail = await t.http.get(`/api/followups/${taskId}`).set(agentAuth).expect(200);
      expect(detail.body.customer).toMatchObject({
        type: 'member',
        memberId: ana.id,
        phone: '+34600111222',
        name: 'Ana García',
      });
      expect(detail.body.customer.lastPurchases.length).toBeGreaterThan(0);

      // No answer → again after the retry delay; the second no answer uses the attempts up.
      const noAnswer = await t.http
        .post(`/api/followups/${taskId}/attempts`)
        .set(agentAuth)
        .send({ outcome: 'no_answer', durationSeconds: 30, notes: 'sin respuesta' });
      expect(noAnswer.status).toBe(201);
      expect(noAnswer.body.task).toMatchObject({ status: 'scheduled', attempts: 1 });
      expect(noAnswer.body.escalated).toBe(false);
      t.clock.advance(3 * 3600_000);
      expect((await dispatcher.dispatchDue()).queued).toBe(0);
      t.clock.advance(3600_000);
      expect((await dispatcher.dispatchDue()).queued).toBe(1);

      // A callback at the asked time.
      const callbackAt = new Date(t.clock.now().getTime() + 26 * 3600_000).toISOString();
      const cb = await t.http
        .post(`/api/followups/${taskId}/attempts`)
        .set(agentAuth)
        .send({ outcome: 'callback_requested', callbackAt });
      expect(cb.status).toBe(201);
      expect(cb.body.task).toMatchObject({ status: 'scheduled', attempts: 2, dueAt: callbackAt });
      t.clock.set(callbackAt);
      expect((await dispatcher.dispatchDue()).queued).toBe(1);

      // Reached, with a low score: escalated (the cases module opens a case for it).
      const reached = await t.http
        .post(`/api/followups/${taskId}/attempts`)
        .set(agentAuth)
        .send({
          outcome: 'reached',
          durationSeconds: 180,
          notes: 'zapatos rotos',
          satisfaction: { kind: 'csat', score: 2, comment: 'se rompieron' },
        });
      expect(reached.status).toBe(201);
      // The cases module opens the incident for supervisors (through the Escalations port).
      expect(reached.body).toMatchObject({ escalated: true, caseId: expect.any(String) });
      const [incident] = await t.dataSource.query(`SELECT kind FROM cases WHERE id = $1`, [
        reached.body.caseId,
      ]);
      expect(incident).toEqual({ kind: 'incident' });
      expect(reached.body.task).toMatchObject({ status: 'done', escalated: true, attempts: 3 });
      const [resp] = await t.dataSource.query(
        `SELECT kind, score, channel, agent_id, store_id, categories FROM survey_responses WHERE attempt_id = $1`,
        [reached.body.attempt.id],
      );
      expect(resp).toEqual({
        kind: 'csat',
        score: 2,
        channel: 'phone',
        agent_id: agent.id,
        store_id: storeId,
        categories: ['shoes'],
      });
      const closed = await t.http
        .post(`/api/followups/${taskId}/attempts`)
        .set(agentAuth)
        .send({ outcome: 'reached' });
      expect(closed.status).toBe(409);

      // The member's timeline has the calls and the survey answer.
      const entries = (
        await Promise.all(
          t.app
            .get(TimelineRegistry)
            .all()
            .filter((c) => ['followup', 'satisfaction'].includes(c.name))
            .map((c) => c.entries(t.dataSource.manager, { memberId: ana.id, limit: 10 })),
        )
      ).flat();
      expect(entries.filter((e) => e.kind === 'followup_attempt')).toHaveLength(3);
      expect(entries.filter((e) => e.kind === 'survey')).toHaveLength(1);
      expect(JSON.stringify(entries)).not.toContain('zapatos rotos');
    } finally {
      await deactivate(p.id);
      t.clock.set(START);
    }
  });

  it('max attempts → failed; goodwill capped by role (403 with the cap) and idempotent; a reward coupon offered', async () => {
    const p = await plan({ name: 'Quick call', channel: 'call', delay: 'PT0S', maxAttempts: 1 });
    try {
      const ana = await t.member({ phone: '+34600111224' });
      const first = await buy(ana);
      const second = await buy(ana);
      await dispatcher.dispatchDue();
      const [a] = await tasksOf(first.body.purchaseId);
      const [b] = await tasksOf(second.body.purchaseId);
      const busy = await t.http
        .post(`/api/followups/${a.id}/attempts`)
        .set(agentAuth)
        .send({ outcome: 'busy' });
      expect(busy.body.task.status).toBe('failed');

      const over = await t.http
        .post(`/api/followups/${b.id}/attempts`)
        .set(agentAuth)
        .set('Idempotency-Key', randomUUID())
        .send({ outcome: 'reached', goodwill: { points: 201, reason: 'late delivery' } });
      expect(over.status).toBe(403);
      expect(over.body.details).toEqual([
        { field: 'goodwill.points', reason: 'at most 200 for your role' },
      ]);
      const noReason = await t.http
        .post(`/api/followups/${b.id}/attempts`)
        .set(agentAuth)
        .send({ outcome: 'reached', goodwill: { points: 50 } });
      expect(noReason.status).toBe(400);
      expect(noReason.body.details[0].field).toBe('goodwill.reason');

      const reward = await t.http.post('/api/rewards').set(marketing).send({
        nameEs: 'Café',
        nameEn: 'Coffee',
        kind: 'discount',
        costPoints: 0,
        discountCents: 300,
      });
      expect(reward.status).toBe(201);
      const before = (await t.http.get(`/api/members/${ana.id}/points`).set(cashier)).body.balance;
      const key = randomUUID();
      const body = {
        outcome: 'reached',
        goodwill: { points: 150, reason: 'late delivery' },
        offer: { rewardId: reward.body.id },
      };
      const ok = await t.http
        .post(`/api/followups/${b.id}/attempts`)
        .set(agentAuth)
        .set('Idempotency-Key', key)
        .send(body);
      expect(ok.status).toBe(201);
      expect(ok.body.attempt.goodwill).toMatchObject({ points: 150, reason: 'late delivery' });
      expect(ok.body.attempt.offer).toMatchObject({ type: 'reward', rewardId: reward.body.id });
      const again = await t.http
        .post(`/api/followups/${b.id}/attempts`)
        .set(agentAuth)
        .set('Idempotency-Key', key)
        .send(body);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(ok.body);
      const after = (await t.http.get(`/api/members/${ana.id}/points`).set(cashier)).body.balance;
      expect(after - before).toBe(150);
      const coupons = await t.http.get(`/api/members/${ana.id}/coupons`).set(cashier);
      expect(JSON.stringify(coupons.body)).toContain(ok.body.attempt.offer.couponCode);
    } finally {
      await deactivate(p.id);
    }
  });

  it('email and SMS: quiet hours defer, then an invitation and an outbox message; consent withdrawn → cancelled; full return cancels', async () => {
    const p = await plan({
      name: 'Survey by email',
      channel: 'email',
      delay: 'PT10H',
      surveyKind: 'nps',
      quietHours: { from: '21:00', to: '09:00' },
    });
    try {
      const ana = await t.member({ locale: 'en' });
      const bea = await t.member();
      const carl = await t.member();
      const purchase = await buy(ana);
      const withdrawn = await buy(bea);
      const returned = await buy(carl);
      expect(await tasksOf(purchase.body.purchaseId)).toHaveLength(1);
      // 11:00 + 10 h = 21:00 in Madrid: quiet. Deferred to 09:00 next morning, not dropped.
      t.clock.advance(10 * 3600_000);
      await t.http
        .post(`/api/members/${bea.id}/consents`)
        .set(await t.auth('supervisor'))
        .send({ consents: { followup: false }, channel: 'phone' })
        .expect((r) => expect([200, 201]).toContain(r.status));
      await t.http
        .post(`/api/checkout/purchases/${returned.body.purchaseId}/returns`)
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({ lines: [{ lineNo: 1, quantity: 1 }] })
        .expect(201);
      expect((await tasksOf(returned.body.purchaseId))[0].status).toBe('cancelled');
      const deferred = await dispatcher.dispatchDue();
      expect(deferred.deferred).toBe(2);
      const [task] = await tasksOf(purchase.body.purchaseId);
      expect(new Date(task.due_at).toISOString()).toBe('2026-11-28T08:00:00.000Z');
      t.clock.set('2026-11-28T08:00:00Z');
      const sent = await dispatcher.dispatchDue();
      expect(sent).toMatchObject({ sent: 1, cancelled: 1 });
      expect((await tasksOf(withdrawn.body.purchaseId))[0].status).toBe('cancelled');
      const [msg] = await t.dataSource.query(
        `SELECT channel, recipient, template, locale, payload FROM outbox WHERE member_id = $1 AND template = 'survey-invitation'`,
        [ana.id],
      );
      expect(msg).toMatchObject({ channel: 'email', recipient: ana.email, locale: 'en' });
      expect(msg.payload.surveyUrl).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
      expect(msg.payload.reason).toContain('agreed to be contacted');
      const [inv] = await t.dataSource.query(
        `SELECT kind, channel, store_id, categories FROM survey_invitations WHERE task_id = $1`,
        [task.id],
      );
      expect(inv).toEqual({
        kind: 'nps',
        channel: 'email',
        store_id: storeId,
        categories: ['shoes'],
      });
      // The customer answers from the link.
      const token = String(msg.payload.surveyUrl).split('/s/')[1];
      await t.http.post(`/api/public/surveys/${token}`).send({ score: 9 }).expect(201);
      expect((await dispatcher.dispatchDue()).claimed).toBe(0);
    } finally {
      await deactivate(p.id);
      t.clock.set(START);
    }
  });

  it('a contact without a card: purchase without points, a call, and enrolment on the call keeps the history', async () => {
    const p = await plan({ name: 'Call contacts', channel: 'call', delay: 'PT0S' });
    try {
      const bad = await t.http
        .post('/api/followup/contact-purchases')
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({
          currency: 'EUR',
          lines: [{ sku: 'X', quantity: 1, unitPriceCents: 100 }],
          contact: { phone: '12', consents: { followup: true, calls: true } },
        });
      expect(bad.status).toBe(400);
      expect(bad.body.details[0].field).toBe('contact.phone');
      const res = await t.http
        .post('/api/followup/contact-purchases')
        .set(cashier)
        .set('Idempotency-Key', randomUUID())
        .send({
          currency: 'EUR',
          externalId: 'T-77',
          lines: [{ sku: 'SHOE-9', category: 'shoes', quantity: 1, unitPriceCents: 8000 }],
          contact: {
            name: 'Dora Pérez',
            phone: '600 111 999',
            consents: { followup: true, calls: true },
          },
        });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ pointsEarned: 0, totalCents: 8000 });
      await dispatcher.dispatchDue();
      const [task] = await tasksOf(res.body.purchaseId);
      expect(task.status).toBe('due');
      const detail = await t.http.get(`/api/followups/${task.id}`).set(agentAuth).expect(200);
      expect(detail.body.customer).toMatchObject({
        type: 'contact',
        name: 'Dora Pérez',
        phone: '+34600111999',
      });
      const goodwill = await t.http
        .post(`/api/followups/${task.id}/attempts`)
        .set(agentAuth)
        .set('Idempotency-Key', randomUUID())
        .send({ outcome: 'reached', goodwill: { points: 10, reason: 'sorry' } });
      expect(goodwill.status).toBe(422);
      const enrol = await t.http
        .post(`/api/followups/${task.id}/attempts`)
        .set(agentAuth)
        .send({
          outcome: 'reached',
          satisfaction: { kind: 'nps', score: 10 },
          offer: {
            enrol: true,
            member: {
              firstName: 'Dora',
              lastName: 'Pérez',
              email: `dora-${randomUUID()}@example.com`,
            },
          },
        });
      expect(enrol.status).toBe(201);
      const memberId = enrol.body.attempt.offer.memberId as string;
      expect(enrol.body.task).toMatchObject({ memberId, status: 'done' });
      const [resp] = await t.dataSource.query(
        `SELECT member_id FROM survey_responses WHERE attempt_id = $1`,
        [enrol.body.attempt.id],
      );
      expect(resp.member_id).toBe(memberId);
      const exported = await t.http
        .get(`/api/members/${memberId}/export`)
        .set(await t.auth('supervisor'))
        .expect(200);
      expect(JSON.stringify(exported.body)).toContain('T-77');
      const member = await t.http.get(`/api/members/${memberId}`).set(cashier).expect(200);
      expect(member.body.phone).toBe('+34600111999');
    } finally {
      await deactivate(p.id);
    }
  });

  it('two schedulers on separate connections over 2,000 due tasks: each task runs once', async () => {
    const p = await plan({ name: 'Bulk', channel: 'sms', delay: 'PT0S', surveyKind: 'csat' });
    await deactivate(p.id);
    const contactId = randomUUID();
    await t.dataSource.query(
      `INSERT INTO followup_contacts (id, phone, followup_consent, recorded_by_type, created_at)
       VALUES ($1, '+34600999000', true, 'system', now())`,
      [contactId],
    );
    await t.dataSource.query(
      `INSERT INTO followup_tasks (id, plan_id, purchase_id, contact_id, store_id, channel,
         survey_kind, due_at, max_attempts, created_at, updated_at)
       SELECT gen_random_uuid(), $1, gen_random_uuid(), $2, $3, 'sms', 'csat',
              $4::timestamptz - (g * interval '1 second'), 1, now(), now()
         FROM generate_series(1, 2000) g`,
      [p.id, contactId, storeId, START],
    );
    const [one, two] = await Promise.all([dispatcher.dispatchDue(50), dispatcher.dispatchDue(50)]);
    expect(one.claimed + two.claimed).toBe(2000);
    expect(one.claimed).toBeGreaterThan(0);
    expect(two.claimed).toBeGreaterThan(0);
    const [counts] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM outbox WHERE recipient = '+34600999000') AS messages,
              (SELECT count(DISTINCT task_id)::int FROM survey_invitations WHERE contact_id = $1) AS invited,
              (SELECT count(*)::int FROM followup_tasks WHERE contact_id = $1 AND status = 'done') AS done`,
      [contactId],
    );
    expect(counts).toEqual({ messages: 2000, invited: 2000, done: 2000 });

    // The queue's keyset pages: every task once, in due order.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/followups?status=done&planId=${p.id}&limit=200${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await t.http.get(query).set(agentAuth).expect(200);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBe(10);
    expect(new Set(seen).size).toBe(2000);
  });
});
