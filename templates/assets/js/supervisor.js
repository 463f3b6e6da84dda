// The supervisor's desk: the case queue with deadline colours (escalations first), a case's
// history, notes and replies, resolution and closing, documents, and points adjustments.
(function () {
  'use strict';
  const { api, t, $, show, pageData, requireStaff, staffSession, uuid, ApiError } = window.Fidelia;
  if (!requireStaff(['supervisor'])) return;
  const locale = pageData().locale;
  const dateFmt = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'es-ES', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  let queue = 'desk';
  let current = null;

  const el = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };

  function message(which, text) {
    show($('#d-ok'), false);
    show($('#d-error'), false);
    if (!which) return;
    const node = $(which === 'ok' ? '#d-ok' : '#d-error');
    node.textContent = text;
    show(node, true);
  }

  function failure(err) {
    message('error', window.Fidelia.errorText(err));
  }

  async function loadQueue() {
    show($('#desk-error'), false);
    const department = $('#desk-department').value;
    const dep = department ? 'department=' + encodeURIComponent(department) : '';
    const path =
      queue === 'desk'
        ? '/api/cases/desk' + (dep ? '?' + dep : '')
        : '/api/cases?due=' + queue + '&limit=100' + (dep ? '&' + dep : '');
    try {
      const { items } = await api('GET', path);
      const body = $('#case-table tbody');
      body.replaceChildren();
      for (const c of items) {
        const tr = el('tr');
        tr.dataset.id = c.id;
        tr.dataset.testid = 'case-row';
        tr.setAttribute('data-testid', 'case-row');
        tr.append(
          el('td', c.registryNumber, 'mono'),
          el('td', t('cases.kind.' + c.kind)),
          el('td', c.subject),
          el('td', t('cases.status.' + c.status)),
          el('td', dateFmt.format(new Date(c.dueAt))),
        );
        const badge = el('span', t('cases.state.' + c.deadline), 'badge ' + c.deadline);
        const cell = el('td');
        cell.append(badge);
        tr.append(cell);
        tr.addEventListener('click', () => void openCase(c.id));
        body.append(tr);
      }
      show($('#desk-empty'), items.length === 0);
    } catch (err) {
      $('#desk-error').textContent = window.Fidelia.errorText(err);
      show($('#desk-error'), true);
    }
  }

  async function openCase(id) {
    message(null);
    try {
      current = await api('GET', '/api/cases/' + id);
    } catch (err) {
      failure(err);
      return;
    }
    const c = current;
    $('#d-number').textContent = c.registryNumber;
    $('#d-deadline').textContent = t('cases.state.' + c.deadline);
    $('#d-deadline').className = 'badge ' + c.deadline;
    $('#d-subject').textContent = c.subject;
    $('#d-status').textContent = t('cases.status.' + c.status);
    $('#d-status').dataset.status = c.status;
    const contact = c.contact || {};
    $('#d-customer').textContent =
      [contact.name, contact.email, contact.phone].filter(Boolean).join(' · ') ||
      (c.memberId ? c.memberId : '—');
    $('#d-description').textContent = c.description;
    const history = $('#d-history');
    history.replaceChildren();
    for (const e of c.events) {
      const li = el('li', null, e.visibility);
      li.append(el('strong', e.type), el('span', ' · ' + dateFmt.format(new Date(e.at))));
      if (e.text) li.append(el('div', e.text));
      history.append(li);
    }
    show($('#d-resume'), c.status === 'waiting');
    show($('#d-wait'), c.status !== 'waiting' && c.status !== 'resolved' && c.status !== 'closed');
    show($('#d-points'), Boolean(c.memberId));
    show($('#case-detail'), true);
    await loadDocuments();
  }

  async function loadDocuments() {
    const { items } = await api('GET', '/api/cases/' + current.id + '/documents');
    const list = $('#d-documents');
    list.replaceChildren();
    for (const d of items) {
      const li = el('li');
      const link = el('a', d.registryNumber + ' · ' + t('cases.docKind.' + d.kind));
      link.href = '#';
      link.addEventListener('click', (event) => {
        event.preventDefault();
        void view(d);
      });
      li.append(link, el('span', ' · v' + d.version + ' · ' + d.contentType));
      list.append(li);
    }
    show($('#d-no-documents'), items.length === 0);
  }

  /** Documents need the staff session: fetched, then opened from a local blob. */
  async function view(d) {
    const res = await fetch(d.contentUrl, {
      headers: { Authorization: 'Bearer ' + staffSession().token },
    });
    if (!res.ok) return failure(new ApiError(res.status, null));
    window.open(URL.createObjectURL(await res.blob()), '_blank', 'noopener');
  }

  async function act(fn) {
    message(null);
    try {
      await fn();
      message('ok', t('cases.supervisor.saved'));
      await openCase(current.id);
      await loadQueue();
    } catch (err) {
      failure(err);
    }
  }

  const event = (type) =>
    act(async () => {
      await api('POST', '/api/cases/' + current.id + '/events', {
        type,
        text: $('#d-text').value.trim() || undefined,
      });
      $('#d-text').value = '';
    });

  $('#d-note').addEventListener('click', () => void event('note'));
  $('#d-reply').addEventListener('click', () => void event('reply'));
  $('#d-wait').addEventListener('click', () => void event('wait'));
  $('#d-resume').addEventListener('click', () => void event('resume'));
  $('#d-resolve').addEventListener(
    'click',
    () =>
      void act(() =>
        api('POST', '/api/cases/' + current.id + '/resolve', {
          resolution: $('#d-resolution').value.trim(),
          reply: $('#d-resolve-reply').value.trim() || undefined,
        }),
      ),
  );
  $('#d-close').addEventListener(
    'click',
    () => void act(() => api('POST', '/api/cases/' + current.id + '/close', {})),
  );

  $('#d-upload').addEventListener('submit', (e) => {
    e.preventDefault();
    const file = $('#d-doc-file').files[0];
    if (!file) return;
    void act(async () => {
      const form = new FormData();
      form.append('kind', $('#d-doc-kind').value);
      form.append('file', file);
      const res = await fetch('/api/cases/' + current.id + '/documents', {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + staffSession().token },
        body: form,
      });
      if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
      $('#d-doc-file').value = '';
    });
  });

  $('#d-points-apply').addEventListener('click', () => {
    message(null);
    const points = Number($('#d-points-amount').value);
    const reason = $('#d-points-reason').value.trim();
    api(
      'POST',
      '/api/members/' + current.memberId + '/points/adjustments',
      { points, reason: reason ? reason + ' (' + current.registryNumber + ')' : '' },
      { headers: { 'Idempotency-Key': uuid() } },
    )
      .then((r) => message('ok', t('cases.supervisor.pointsDone', { balance: r.balance })))
      .catch(failure);
  });

  document.querySelectorAll('[data-queue]').forEach((button) =>
    button.addEventListener('click', () => {
      queue = button.dataset.queue;
      document
        .querySelectorAll('[data-queue]')
        .forEach((b) => b.classList.toggle('on', b === button));
      void loadQueue();
    }),
  );
  $('#desk-refresh').addEventListener('click', () => void loadQueue());
  $('#desk-department').addEventListener('change', () => void loadQueue());

  // The departments to filter by, the supervisor's own selected first (their default queue).
  async function loadDepartments() {
    try {
      const [{ items }, { department }] = await Promise.all([
        api('GET', '/api/departments'),
        api('GET', '/api/departments/mine'),
      ]);
      const select = $('#desk-department');
      for (const d of items) {
        const option = el('option', d.names[locale === 'en' ? 'en' : 'es']);
        option.value = d.code;
        select.append(option);
      }
      if (department) select.value = department;
    } catch (err) {
      failure(err);
    }
  }
  void loadDepartments().then(loadQueue);
})();
