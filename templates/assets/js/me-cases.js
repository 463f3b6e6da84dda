// The cases block on /me: the member's cases with their numbers and states, loaded once the
// member area shows (me.js signs the member in). Texts come from the block's data attributes.
(function () {
  'use strict';
  const { api, $, show, pageData, MEMBER_TOKEN } = window.Fidelia;
  const block = $('#me-cases');
  const area = $('#member-area');
  if (!block || !area) return;
  const locale = pageData().locale;
  const text = (name) => block.getAttribute('data-' + name) || '';

  async function load() {
    if (!sessionStorage.getItem(MEMBER_TOKEN)) return;
    let items;
    try {
      ({ items } = await api('GET', '/api/me/cases', undefined, { member: true }));
    } catch (e) {
      return;
    }
    const list = $('#me-cases-list');
    list.replaceChildren();
    for (const c of items) {
      const li = document.createElement('li');
      li.dataset.status = c.status;
      const number = document.createElement('strong');
      number.textContent = c.registryNumber;
      const status = document.createElement('span');
      status.setAttribute('data-testid', 'me-case-status');
      status.textContent = ' · ' + (text('status-' + c.status) || c.status);
      const subject = document.createElement('div');
      subject.textContent = c.subject;
      li.append(number, status, subject);
      if (c.status !== 'resolved' && c.status !== 'closed') {
        const due = document.createElement('div');
        due.className = 'muted';
        due.textContent = text('due').replace(
          '{date}',
          new Date(c.dueAt).toLocaleDateString(locale === 'en' ? 'en-GB' : 'es-ES', {
            dateStyle: 'long',
          }),
        );
        li.append(due);
      }
      if (c.resolution) {
        const resolution = document.createElement('div');
        resolution.textContent = c.resolution;
        li.append(resolution);
      }
      list.append(li);
    }
    $('#me-cases-empty').textContent = text('empty');
    show($('#me-cases-empty'), items.length === 0);
    show(block, true);
  }

  // me.js shows the member area after signing in; load when it appears (and if it already has).
  new MutationObserver(() => {
    if (!area.hidden) void load();
  }).observe(area, { attributes: true, attributeFilter: ['hidden'] });
  if (!area.hidden) void load();
})();
