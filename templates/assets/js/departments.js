// /admin/departments: the case queues (code, Spanish and English names, active), kept by admins.
(function () {
  'use strict';
  const { api, t, $, show, requireStaff } = window.Fidelia;
  if (!requireStaff(['admin'])) return;
  show($('#departments'), true);

  function fail(node, err) {
    const detail = err.body && err.body.details && err.body.details[0];
    node.textContent = detail ? detail.field + ': ' + detail.reason : err.message;
    show(node, true);
  }

  function cell(tr, text) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function button(td, text, work) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.textContent = text;
    b.addEventListener('click', () => {
      show($('#departments-error'), false);
      work().catch((err) => fail($('#departments-error'), err));
    });
    td.appendChild(b);
  }

  async function load() {
    const { items } = await api('GET', '/api/departments?all=true');
    const list = $('#departments-list');
    list.replaceChildren();
    for (const d of items) {
      const tr = document.createElement('tr');
      tr.dataset.department = d.code;
      cell(tr, d.code);
      cell(tr, d.names.es);
      cell(tr, d.names.en);
      cell(tr, d.active ? t('cases.departments.active') : t('cases.departments.inactive'));
      const td = cell(tr, '');
      button(
        td,
        d.active ? t('cases.departments.deactivate') : t('cases.departments.activate'),
        async () => {
          await api('PATCH', '/api/departments/' + d.code, { active: !d.active });
          await load();
        },
      );
      button(td, t('cases.departments.delete'), async () => {
        await api('DELETE', '/api/departments/' + d.code);
        await load();
      });
      list.appendChild(tr);
    }
  }

  $('#department-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    show($('#department-error'), false);
    try {
      await api('POST', '/api/departments', {
        code: $('#dep-code').value.trim().toLowerCase(),
        nameEs: $('#dep-es').value.trim(),
        nameEn: $('#dep-en').value.trim(),
      });
      $('#department-form').reset();
      await load();
    } catch (err) {
      fail($('#department-error'), err);
    }
  });

  load().catch((err) => fail($('#departments-error'), err));
})();
