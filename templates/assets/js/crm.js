// /crm: search (grouped, what matched marked), a member's timeline, an article sent to the member.
(function () {
  'use strict';
  const { api, t, $, show, requireStaff, pageData, STAFF_TOKEN } = window.Fidelia;
  const session = requireStaff(['agent', 'supervisor', 'admin']);
  if (!session) return;
  const locale = pageData().locale || 'es';
  const state = { member: null, article: null, cursor: null };

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') node.textContent = v;
      else if (k.startsWith('data-')) node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const child of children || []) node.appendChild(child);
    return node;
  }

  /** Text with «…» shown as <mark>…</mark>, built as DOM nodes (never as HTML). */
  function marked(text) {
    const span = el('span');
    const parts = String(text || '').split(/([«»])/);
    let inside = false;
    for (const part of parts) {
      if (part === '«') inside = true;
      else if (part === '»') inside = false;
      else if (part)
        span.appendChild(inside ? el('mark', { text: part }) : document.createTextNode(part));
    }
    return span;
  }

  function fail(err, where) {
    const box = where || $('#crm-error');
    box.textContent = t('crm.error.generic', { message: (err && err.message) || String(err) });
    show(box, true);
  }

  async function search(q) {
    show($('#crm-error'), false);
    const groups = $('#crm-groups');
    groups.innerHTML = '';
    try {
      const result = await api('GET', '/api/search?q=' + encodeURIComponent(q));
      show($('#crm-results-empty'), result.groups.length === 0);
      if (!result.groups.length) $('#crm-results-empty').textContent = t('crm.results.none', { q });
      for (const group of result.groups) {
        const list = el('ul');
        for (const hit of group.items) {
          const button = el(
            'button',
            { type: 'button', className: 'crm-hit', 'data-kind': hit.kind, 'data-id': hit.id },
            [
              el('strong', { text: hit.title }),
              el('span', { className: 'match' }, [marked(hit.match)]),
            ],
          );
          button.addEventListener('click', () => open(hit));
          list.appendChild(el('li', {}, [button]));
        }
        groups.appendChild(
          el('div', { className: 'crm-group', 'data-group': group.kind }, [
            el('h3', { text: t('crm.kind.' + group.kind) }),
            list,
          ]),
        );
      }
    } catch (err) {
      fail(err);
    }
  }

  function open(hit) {
    if (hit.kind === 'member') return openMember(hit.id);
    if (hit.kind === 'article') return openArticle(hit.id);
  }

  async function openMember(id) {
    try {
      const m = await api('GET', '/api/members/' + id);
      state.member = { id: m.id, name: [m.firstName, m.lastName].filter(Boolean).join(' ') };
      $('#member-name').textContent = state.member.name;
      const facts = $('#member-facts');
      facts.innerHTML = '';
      const rows = [
        ['crm.member.email', m.email],
        ['crm.member.phone', m.phone],
        ['crm.member.card', m.card && m.card.number],
        ['crm.member.tier', m.tier],
      ];
      for (const [key, value] of rows) {
        if (!value) continue;
        facts.appendChild(el('dt', { text: t(key) }));
        facts.appendChild(el('dd', { text: value }));
      }
      show($('#crm-member'), true);
      updateSendTarget();
      await loadTimeline(true);
    } catch (err) {
      fail(err);
    }
  }

  async function loadTimeline(reset) {
    if (!state.member) return;
    const list = $('#timeline');
    if (reset) {
      list.innerHTML = '';
      state.cursor = null;
    }
    const params = new URLSearchParams({ lang: locale, limit: '20' });
    const kind = $('#tl-kind').value;
    if (kind) params.set('kinds', kind);
    if (state.cursor) params.set('cursor', state.cursor);
    const page = await api('GET', '/api/members/' + state.member.id + '/timeline?' + params);
    for (const item of page.items) {
      list.appendChild(
        el('li', { 'data-kind': item.kind, 'data-entry': item.id }, [
          el('time', {
            text: new Date(item.at).toLocaleString(locale === 'en' ? 'en-GB' : 'es-ES'),
          }),
          el('span', { className: 'kind', text: item.kind }),
          el('span', { className: 'title', text: item.title }),
        ]),
      );
    }
    state.cursor = page.nextCursor;
    show($('#tl-more'), !!page.nextCursor);
    show($('#timeline-empty'), list.children.length === 0);
  }

  async function openArticle(id) {
    try {
      const a = await api('GET', '/api/kb/articles/' + id);
      state.article = a;
      const v = a.version;
      $('#article-title').textContent = locale === 'en' ? v.titleEn : v.titleEs;
      $('#article-meta').textContent = t('crm.article.meta', {
        category: a.category,
        version: v.version,
      });
      const body = $('#article-body');
      body.innerHTML = '';
      for (const p of (locale === 'en' ? v.bodyEn : v.bodyEs).split(/\n\s*\n/)) {
        if (p.trim()) body.appendChild(el('p', { text: p.trim() }));
      }
      show($('#send-ok'), false);
      show($('#send-error'), false);
      show($('#crm-article'), true);
      updateSendTarget();
    } catch (err) {
      fail(err);
    }
  }

  function updateSendTarget() {
    $('#send-to').textContent = state.member
      ? t('crm.send.to', { name: state.member.name })
      : t('crm.send.noMember');
    $('#send-article').disabled = !(state.member && state.article);
  }

  async function loadKinds() {
    const { items } = await api('GET', '/api/timeline/kinds');
    const select = $('#tl-kind');
    for (const kind of items) select.appendChild(el('option', { value: kind, text: kind }));
  }

  $('#crm-search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const q = $('#crm-q').value.trim();
    if (q) search(q);
  });
  $('#tl-kind').addEventListener('change', () => loadTimeline(true).catch((err) => fail(err)));
  $('#tl-more').addEventListener('click', () => loadTimeline(false).catch((err) => fail(err)));
  $('#send-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!state.member || !state.article) return;
    show($('#send-ok'), false);
    show($('#send-error'), false);
    try {
      await api('POST', '/api/kb/articles/' + state.article.id + '/send', {
        memberId: state.member.id,
        channel: $('#send-channel').value,
      });
      $('#send-ok').textContent = t('crm.send.ok');
      show($('#send-ok'), true);
      await loadTimeline(true);
    } catch (err) {
      fail(err, $('#send-error'));
    }
  });
  $('#crm-logout').addEventListener('click', () => {
    sessionStorage.removeItem(STAFF_TOKEN);
    location.href = '/login?next=/crm';
  });

  show($('#crm'), true);
  loadKinds()
    .catch(() => undefined)
    .finally(() => document.body.setAttribute('data-ready', 'crm'));
})();
