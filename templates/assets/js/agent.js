// The follow-up desk (/agent): the call queue, claim, the customer's context, and the outcome
// form (satisfaction, callback, goodwill, offer). Every save carries an Idempotency-Key, so a
// retry after a network error records the call once.
(function () {
  'use strict';
  const F = window.Fidelia;
  const { api, t, $, show } = F;
  const data = F.pageData();
  const session = F.requireStaff(['agent', 'supervisor']);
  if (!session) return;

  const locale = data.locale === 'en' ? 'en-IE' : 'es-ES';
  const when = (iso) =>
    iso ? new Date(iso).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' }) : '';
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' });
  const state = { cursor: null, task: null, detail: null, pendingKey: null, rewards: [] };

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const child of children || []) node.appendChild(child);
    return node;
  }

  $('#agent-user').textContent = session.userId;
  $('#agent-logout').addEventListener('click', () => {
    sessionStorage.removeItem(F.STAFF_TOKEN);
    location.href = '/login?next=/agent';
  });
  show($('#desk'), true);

  // ------------------------------------------------------------------------------- the queue

  async function loadQueue(more) {
    show($('#queue-error'), false);
    const params = new URLSearchParams({ limit: '25' });
    if ($('#queue-mine').checked) params.set('assignee', 'me');
    if (more && state.cursor) params.set('cursor', state.cursor);
    try {
      const page = await api('GET', '/api/followups?' + params.toString());
      if (!more) $('#queue').replaceChildren();
      for (const item of page.items) $('#queue').appendChild(queueRow(item));
      state.cursor = page.nextCursor;
      show($('#queue-more'), !!page.nextCursor);
      show($('#queue-empty'), !more && page.items.length === 0);
    } catch (e) {
      $('#queue-error').textContent = F.errorText(e);
      show($('#queue-error'), true);
    }
  }

  function queueRow(item) {
    const mine = item.status === 'claimed' && item.claimedBy === session.userId;
    const other = item.status === 'claimed' && !mine;
    const button = el('button', {
      type: 'button',
      class: other ? 'secondary' : '',
      'data-testid': 'claim-' + item.id,
      text: mine ? t('agent.open') : t('agent.claim'),
    });
    if (other) button.disabled = true;
    button.addEventListener('click', () => claim(item.id, mine));
    const label = item.planName || item.channel;
    return el('div', { class: 'queue-item', 'data-task': item.id }, [
      el('div', {}, [
        el('strong', { text: label }),
        el('div', {
          class: 'meta',
          text:
            t('agent.due', { when: when(item.dueAt) }) +
            ' · ' +
            money.format(item.totalCents / 100) +
            (mine
              ? ' · ' + t('agent.claimedByYou')
              : other
                ? ' · ' + t('agent.claimedByOther')
                : ''),
        }),
      ]),
      button,
    ]);
  }

  async function claim(id, alreadyMine) {
    try {
      if (!alreadyMine) await api('POST', '/api/followups/' + id + '/claim');
      await openTask(id);
    } catch (e) {
      $('#queue-error').textContent = F.errorText(e);
      show($('#queue-error'), true);
      await loadQueue(false);
    }
  }

  // ------------------------------------------------------------------------------- one task

  async function openTask(id) {
    const detail = await api('GET', '/api/followups/' + id);
    state.detail = detail;
    state.task = detail.task;
    state.pendingKey = null;
    const c = detail.customer;
    $('#customer-name').textContent =
      (c.name || '—') + ' · ' + (c.type === 'member' ? t('agent.member') : t('agent.contact'));
    $('#task-status').textContent = t('agent.status.' + detail.task.status);
    $('#task-due').textContent = t('agent.due', { when: when(detail.task.dueAt) });
    const facts = $('#customer-facts');
    facts.replaceChildren();
    const fact = (label, value) => {
      facts.appendChild(el('dt', { text: label }));
      facts.appendChild(
        el('dd', { text: value === null || value === undefined ? '—' : String(value) }),
      );
    };
    fact(t('agent.phone'), c.phone || t('agent.notAllowed'));
    fact(t('agent.email'), c.email || '—');
    if (c.type === 'member') {
      fact(t('agent.tier'), c.tier);
      fact(t('agent.points'), c.points ? c.points.balance : null);
      fact(t('agent.lastCsat'), c.satisfaction && c.satisfaction.csat);
      fact(t('agent.lastNps'), c.satisfaction && c.satisfaction.nps);
    }
    const purchases = $('#customer-purchases');
    purchases.replaceChildren();
    for (const p of c.lastPurchases || []) {
      purchases.appendChild(
        el('li', {
          text:
            when(p.createdAt) +
            ' · ' +
            money.format(p.totalCents / 100) +
            (p.categories && p.categories.length ? ' · ' + p.categories.join(', ') : ''),
        }),
      );
    }
    const attempts = $('#task-attempts');
    attempts.replaceChildren();
    if (!detail.attempts.length) attempts.appendChild(el('li', { text: t('agent.noAttempts') }));
    for (const a of detail.attempts) {
      attempts.appendChild(
        el('li', {
          text:
            when(a.createdAt) +
            ' · ' +
            t('agent.outcome.' + a.outcome) +
            (a.satisfaction
              ? ' · ' + a.satisfaction.kind.toUpperCase() + ' ' + a.satisfaction.score
              : '') +
            (a.notes ? ' · ' + a.notes : ''),
        }),
      );
    }
    const first = c.name ? ' ' + String(c.name).split(' ')[0] : '';
    $('#call-script').textContent =
      t('agent.scriptText', { name: first, store: data.programme || 'Fidelia' }) +
      (c.type === 'contact' ? ' ' + t('agent.scriptContact') : '');
    const kind = (detail.plan && detail.plan.surveyKind) || 'csat';
    $('#sat-kind').value = kind;
    fillScores();
    show($('#offer-enrol-block'), c.type === 'contact');
    show($('#offer-reward-block'), c.type === 'member');
    show($('#goodwill-block'), c.type === 'member');
    $('#attempt-form').reset();
    $('#sat-kind').value = kind;
    fillScores();
    show($('#attempt-form'), true);
    show($('#attempt-result'), false);
    show($('#attempt-error'), false);
    show($('#task'), true);
  }

  function fillScores() {
    const kind = $('#sat-kind').value;
    const select = $('#sat-score');
    select.replaceChildren(el('option', { value: '', text: '—' }));
    const [from, to] = kind === 'nps' ? [0, 10] : [1, 5];
    for (let i = from; i <= to; i++)
      select.appendChild(el('option', { value: String(i), text: String(i) }));
    $('#satisfaction-question').textContent = t(
      kind === 'nps' ? 'agent.npsQuestion' : 'agent.csatQuestion',
    );
  }
  $('#sat-kind').addEventListener('change', fillScores);

  function attemptBody() {
    const body = { outcome: $('#outcome').value };
    const notes = $('#notes').value.trim();
    if (notes) body.notes = notes;
    const duration = $('#duration').value;
    if (duration !== '') body.durationSeconds = Number(duration);
    const score = $('#sat-score').value;
    if (score !== '') {
      body.satisfaction = { kind: $('#sat-kind').value, score: Number(score) };
      const comment = $('#sat-comment').value.trim();
      if (comment) body.satisfaction.comment = comment;
    }
    const callback = $('#callback-at').value;
    if (callback) body.callbackAt = new Date(callback).toISOString();
    const points = $('#goodwill-points').value;
    if (points !== '')
      body.goodwill = { points: Number(points), reason: $('#goodwill-reason').value.trim() };
    const reward = $('#offer-reward').value;
    if (reward) body.offer = { rewardId: reward };
    if ($('#offer-enrol').checked) {
      body.offer = {
        enrol: true,
        member: {
          firstName: $('#enrol-first').value.trim(),
          lastName: $('#enrol-last').value.trim(),
          email: $('#enrol-email').value.trim(),
        },
      };
    }
    return body;
  }

  $('#attempt-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    show($('#attempt-error'), false);
    const body = attemptBody();
    // The same key until the server answers, so a retry cannot record the call twice.
    state.pendingKey = state.pendingKey || F.uuid();
    $('#attempt-submit').disabled = true;
    try {
      const result = await api('POST', '/api/followups/' + state.task.id + '/attempts', body, {
        headers: { 'Idempotency-Key': state.pendingKey },
      });
      state.pendingKey = null;
      show($('#attempt-form'), false);
      $('#attempt-summary').textContent = t('agent.saved', {
        status: t('agent.status.' + result.task.status),
      });
      show($('#escalated-badge'), !!result.escalated);
      show($('#attempt-result'), true);
      await loadQueue(false);
    } catch (e) {
      if (e.status && e.status < 500) state.pendingKey = null;
      $('#attempt-error').textContent = F.errorText(e);
      show($('#attempt-error'), true);
    } finally {
      $('#attempt-submit').disabled = false;
    }
  });

  $('#queue-refresh').addEventListener('click', () => loadQueue(false));
  $('#queue-mine').addEventListener('change', () => loadQueue(false));
  $('#queue-more').addEventListener('click', () => loadQueue(true));

  api('GET', '/api/rewards')
    .then((rewards) => {
      const list = Array.isArray(rewards) ? rewards : (rewards && rewards.items) || [];
      for (const r of list.filter((x) => x.active !== false)) {
        const name = (data.locale === 'en' ? r.nameEn : r.nameEs) || r.nameEs || r.id;
        $('#offer-reward').appendChild(el('option', { value: r.id, text: name }));
      }
    })
    .catch(() => undefined);
  loadQueue(false);
})();
