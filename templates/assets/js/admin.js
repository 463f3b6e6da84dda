// /admin: stores, staff users, POS API keys, programme settings and product categories.
(function () {
  'use strict';
  const { api, t, $, show, requireStaff, STAFF_TOKEN, errorText, fmt } = window.Fidelia;
  const session = requireStaff(['admin']);
  if (!session) return;
  show($('#admin'), true);
  let stores = [];

  function cell(row, text) {
    const td = document.createElement('td');
    td.textContent = text == null ? '' : String(text);
    row.appendChild(td);
    return td;
  }
  function button(td, label, onClick, testId) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.textContent = label;
    if (testId) b.dataset.testid = testId;
    b.addEventListener('click', onClick);
    td.appendChild(b);
    return b;
  }
  function status(active) {
    return active ? t('admin.active') : t('admin.inactive');
  }
  function fail(el, e) {
    el.textContent = errorText(e);
    show(el, true);
  }
  function ok(el, text) {
    el.textContent = text;
    show(el, true);
  }
  function storeName(id) {
    const s = stores.find((x) => x.id === id);
    return s ? s.code + ' · ' + s.name : '';
  }
  /** A submit handler that clears the form's messages and reports a failure in its error line. */
  function onSubmit(form, errorEl, work) {
    $(form).addEventListener('submit', async (event) => {
      event.preventDefault();
      const el = $(errorEl);
      show(el, false);
      const submit = $(form).querySelector('button[type=submit]');
      submit.disabled = true;
      try {
        await work();
      } catch (e) {
        fail(el, e);
      } finally {
        submit.disabled = false;
      }
    });
  }

  // --- stores ----------------------------------------------------------------------------------
  async function loadStores() {
    stores = (await api('GET', '/api/stores')).items;
    const list = $('#stores-list');
    list.innerHTML = '';
    for (const s of stores) {
      const tr = document.createElement('tr');
      tr.dataset.store = s.code;
      cell(tr, s.code);
      cell(tr, s.name);
      cell(tr, s.timeZone);
      cell(tr, s.region);
      cell(tr, s.locality);
      cell(tr, status(s.active));
      const td = cell(tr, '');
      button(td, t('admin.edit'), () => editStore(s), 'edit-store');
      button(td, s.active ? t('admin.deactivate') : t('admin.activate'), async () => {
        await api('PATCH', '/api/stores/' + s.id, { active: !s.active });
        await loadStores();
      });
      list.appendChild(tr);
    }
    for (const sel of ['#staff-store', '#key-store']) {
      const select = $(sel);
      const keep = select.value;
      select.innerHTML = '';
      if (sel === '#staff-store') select.appendChild(new Option(t('admin.staff.noStore'), ''));
      for (const s of stores.filter((x) => x.active))
        select.appendChild(new Option(s.code + ' · ' + s.name, s.id));
      if (keep) select.value = keep;
    }
  }
  function editStore(s) {
    $('#store-id').value = s.id;
    $('#store-code').value = s.code;
    $('#store-name').value = s.name;
    $('#store-tz').value = s.timeZone;
    $('#store-region').value = s.region || '';
    $('#store-locality').value = s.locality || '';
    $('#store-form-heading').textContent = t('admin.stores.edit', { code: s.code });
    show($('#store-cancel'), true);
    $('#store-name').focus();
  }
  function resetStoreForm() {
    $('#store-form').reset();
    $('#store-id').value = '';
    $('#store-form-heading').textContent = t('admin.stores.new');
    show($('#store-cancel'), false);
  }
  $('#store-cancel').addEventListener('click', resetStoreForm);
  onSubmit('#store-form', '#store-error', async () => {
    show($('#store-ok'), false);
    const body = {
      code: $('#store-code').value.trim(),
      name: $('#store-name').value.trim(),
      timeZone: $('#store-tz').value.trim() || undefined,
    };
    const region = $('#store-region').value.trim().toUpperCase();
    const locality = $('#store-locality').value.trim();
    if (region) body.region = region;
    if (locality) body.locality = locality;
    const id = $('#store-id').value;
    const saved = id
      ? await api('PATCH', '/api/stores/' + id, body)
      : await api('POST', '/api/stores', body);
    resetStoreForm();
    ok($('#store-ok'), t('admin.stores.saved', { code: saved.code }));
    await loadStores();
  });

  // --- staff -----------------------------------------------------------------------------------
  async function loadStaff() {
    const users = (await api('GET', '/api/staff')).items;
    const list = $('#staff-list');
    list.innerHTML = '';
    for (const u of users) {
      const tr = document.createElement('tr');
      tr.dataset.staff = u.email;
      cell(tr, u.email);
      cell(tr, u.name);
      cell(tr, u.roles.map((r) => t('admin.role.' + r)).join(', '));
      cell(tr, storeName(u.storeId));
      cell(tr, status(u.active));
      const td = cell(tr, '');
      if (u.id !== session.userId) {
        button(
          td,
          u.active ? t('admin.deactivate') : t('admin.activate'),
          async () => {
            await api('PATCH', '/api/staff/' + u.id, { active: !u.active });
            await loadStaff();
          },
          'toggle-staff',
        );
      }
      button(
        td,
        t('admin.staff.reset'),
        () => {
          $('#reset-id').value = u.id;
          $('#reset-who').textContent = u.email;
          show($('#reset-form'), true);
          $('#reset-password').focus();
        },
        'reset-staff',
      );
      list.appendChild(tr);
    }
  }
  onSubmit('#staff-form', '#staff-error', async () => {
    show($('#staff-ok'), false);
    const roles = Array.from(document.querySelectorAll('input[name=staff-role]:checked')).map(
      (i) => i.value,
    );
    const body = {
      email: $('#staff-email').value.trim(),
      name: $('#staff-name').value.trim(),
      password: $('#staff-password').value,
      roles,
    };
    if ($('#staff-store').value) body.storeId = $('#staff-store').value;
    const user = await api('POST', '/api/staff', body);
    $('#staff-form').reset();
    ok($('#staff-ok'), t('admin.staff.created', { email: user.email }));
    await loadStaff();
  });
  $('#reset-cancel').addEventListener('click', () => show($('#reset-form'), false));
  onSubmit('#reset-form', '#reset-error', async () => {
    await api('PATCH', '/api/staff/' + $('#reset-id').value, {
      password: $('#reset-password').value,
    });
    $('#reset-form').reset();
    show($('#reset-form'), false);
    ok($('#staff-ok'), t('admin.staff.passwordChanged'));
  });

  // --- API keys --------------------------------------------------------------------------------
  async function loadKeys() {
    const keys = (await api('GET', '/api/api-keys')).items;
    const list = $('#keys-list');
    list.innerHTML = '';
    for (const k of keys) {
      const tr = document.createElement('tr');
      tr.dataset.key = k.name;
      cell(tr, k.name);
      cell(tr, k.prefix);
      cell(tr, storeName(k.storeId));
      cell(tr, k.lastUsedAt ? fmt.dateTime(k.lastUsedAt) : '—');
      cell(tr, k.revokedAt ? t('admin.keys.revoked') : t('admin.active'));
      const td = cell(tr, '');
      if (!k.revokedAt) {
        button(
          td,
          t('admin.keys.revoke'),
          async () => {
            if (!window.confirm(t('admin.keys.confirmRevoke', { name: k.name }))) return;
            await api('PATCH', '/api/api-keys/' + k.id, { revoked: true });
            await loadKeys();
          },
          'revoke-key',
        );
      }
      list.appendChild(tr);
    }
  }
  onSubmit('#key-form', '#key-error', async () => {
    const created = await api('POST', '/api/api-keys', {
      name: $('#key-name').value.trim(),
      storeId: $('#key-store').value,
    });
    $('#key-form').reset();
    $('#key-value').value = created.key;
    show($('#key-created'), true);
    $('#key-value').focus();
    $('#key-value').select();
    await loadKeys();
  });

  // --- settings --------------------------------------------------------------------------------
  async function loadSettings() {
    const s = await api('GET', '/api/settings');
    $('#set-point-value').value = s.pointValueCents;
    $('#set-expiry').value = s.pointsExpiryMonths;
    $('#set-deadline').value = s.complaintDeadline;
  }
  onSubmit('#settings-form', '#settings-error', async () => {
    show($('#settings-ok'), false);
    await api('PATCH', '/api/settings', {
      pointValueCents: Number($('#set-point-value').value),
      pointsExpiryMonths: Number($('#set-expiry').value),
      complaintDeadline: $('#set-deadline').value,
    });
    ok($('#settings-ok'), t('admin.saved'));
    await loadSettings();
  });

  // --- categories ------------------------------------------------------------------------------
  async function loadCategories() {
    const cats = (await api('GET', '/api/product-categories?all=true')).items;
    const list = $('#categories-list');
    list.innerHTML = '';
    for (const c of cats) {
      const tr = document.createElement('tr');
      tr.dataset.category = c.code;
      cell(tr, c.code);
      cell(tr, c.nameEs);
      cell(tr, c.nameEn);
      cell(tr, status(c.active));
      const td = cell(tr, '');
      button(td, c.active ? t('admin.deactivate') : t('admin.activate'), async () => {
        await api('PATCH', '/api/product-categories/' + c.id, { active: !c.active });
        await loadCategories();
      });
      list.appendChild(tr);
    }
  }
  onSubmit('#category-form', '#category-error', async () => {
    await api('POST', '/api/product-categories', {
      code: $('#cat-code').value.trim().toLowerCase(),
      nameEs: $('#cat-es').value.trim(),
      nameEn: $('#cat-en').value.trim(),
    });
    $('#category-form').reset();
    await loadCategories();
  });

  $('#admin-logout').addEventListener('click', () => {
    sessionStorage.removeItem(STAFF_TOKEN);
    location.href = '/login';
  });

  (async () => {
    try {
      await loadStores();
      await Promise.all([loadStaff(), loadKeys(), loadSettings(), loadCategories()]);
    } catch (e) {
      fail($('#store-error'), e);
    }
  })();
})();
