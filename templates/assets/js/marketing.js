// The marketing area: promotions (list, editor with conditions and effects as form rows,
// publish/pause/end, versions), a basket simulator, tiers and rewards. Everything goes through
// the JSON API with the staff token; the server validates and answers 400 naming the field.
(function () {
  'use strict';
  const F = window.Fidelia;
  const { api, t, $, show } = F;
  const data = F.pageData();

  const session = F.requireStaff(['marketing']);
  if (!session) return;
  show($('#mk-loading'), false);
  show($('#marketing'), true);

  const SPECS = Object.fromEntries(data.conditionTypes.map((c) => [c.type, c]));
  const state = { current: null, rewards: [], stores: [], categories: [], simMemberId: null };

  // ---------------------------------------------------------------------------------------------
  // Helpers

  const { el, eurosToCents, centsToEuros } = F;
  const option = (value, label, selected) => {
    const o = el('option', { value, text: label });
    if (selected) o.selected = true;
    return o;
  };
  const name = (obj) => (data.locale === 'en' ? obj.nameEn : obj.nameEs);

  const list = (text) =>
    String(text || '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);

  function errorLines(e) {
    const details = e && e.body && e.body.details;
    // Each detail with its reason in the page's language (Fidelia.errorText), never the API's English.
    if (details && details.length)
      return details.map((d) => F.errorText({ status: 400, body: { details: [d] } }));
    if (e && e.status === 0) return [t('common.networkError')];
    return [F.errorText(e)];
  }
  function showErrors(sel, e) {
    const node = $(sel);
    node.replaceChildren(...errorLines(e).map((line) => el('li', { text: line })));
    show(node, true);
  }
  function showText(sel, text) {
    const node = $(sel);
    node.textContent = text;
    show(node, !!text);
  }

  // ---------------------------------------------------------------------------------------------
  // Tabs and sign-out

  document.querySelectorAll('[data-tab]').forEach((button) =>
    button.addEventListener('click', () => {
      document.querySelectorAll('[data-tab]').forEach((b) => {
        b.classList.toggle('secondary', b !== button);
        b.classList.toggle('active', b === button);
      });
      document
        .querySelectorAll('[data-panel]')
        .forEach((p) => show(p, p.dataset.panel === button.dataset.tab));
    }),
  );
  $('#mk-logout').addEventListener('click', () => {
    sessionStorage.removeItem(F.STAFF_TOKEN);
    location.href = '/login?next=/marketing';
  });

  // ---------------------------------------------------------------------------------------------
  // Promotions list

  async function loadPromotions() {
    show($('#list-error'), false);
    try {
      const status = $('#list-status').value;
      const res = await api('GET', '/api/promotions' + (status ? '?status=' + status : ''));
      const rows = res.items.map((p) =>
        el('tr', { dataset: { id: p.id } }, [
          el('td', { text: name(p) }),
          el('td', { text: t('marketing.status.' + p.status), dataset: { status: p.status } }),
          el('td', { text: String(p.version) }),
          el('td', { text: String(p.priority) }),
          el('td', {
            text: p.budgetPoints == null ? '—' : `${p.budgetUsed || 0} / ${p.budgetPoints}`,
          }),
          el('td', {}, [
            (() => {
              const b = el('button', {
                type: 'button',
                class: 'secondary',
                text: t('marketing.list.edit'),
              });
              b.addEventListener('click', () => openEditor(p));
              return b;
            })(),
          ]),
        ]),
      );
      $('#promotion-list').replaceChildren(
        ...(rows.length
          ? rows
          : [el('tr', {}, [el('td', { colspan: '6', text: t('marketing.list.empty') })])]),
      );
    } catch (e) {
      showText('#list-error', errorLines(e).join(' '));
    }
  }
  $('#list-status').addEventListener('change', loadPromotions);

  // ---------------------------------------------------------------------------------------------
  // Editor: conditions

  function valueText(spec, op, value) {
    if (value === undefined || value === null) return '';
    const one = (v) => (spec.type === 'basket_total' ? centsToEuros(v) : String(v));
    return Array.isArray(value) ? value.map(one).join(', ') : one(value);
  }

  function conditionRow(c) {
    const row = el('div', { dataset: { row: '' } });
    const type = el('select', {
      'data-field': 'type',
      'aria-label': t('marketing.conditions.heading'),
    });
    for (const ct of data.conditionTypes)
      type.appendChild(option(ct.type, t('marketing.type.' + ct.type), c && c.type === ct.type));
    const op = el('select', { 'data-field': 'op', 'aria-label': 'op' });
    const value = el('input', {
      'data-field': 'value',
      placeholder: t('marketing.conditions.value'),
    });
    const bool = el(
      'select',
      { 'data-field': 'bool', 'aria-label': t('marketing.conditions.value') },
      [option('true', '✓'), option('false', '✗')],
    );
    const cats = el('input', {
      'data-field': 'categories',
      placeholder: t('marketing.conditions.categories'),
    });
    const remove = el('button', {
      type: 'button',
      class: 'secondary',
      text: t('marketing.remove'),
    });
    remove.addEventListener('click', () => row.remove());

    function refresh() {
      const spec = SPECS[type.value];
      const keep = op.value;
      op.replaceChildren(...spec.ops.map((o) => option(o, t('marketing.op.' + o), o === keep)));
      show(value, spec.kind !== 'boolean');
      show(bool, spec.kind === 'boolean');
      show(cats, !!spec.targeted);
    }
    type.addEventListener('change', refresh);
    refresh();
    if (c) {
      op.value = c.op;
      const spec = SPECS[c.type];
      if (spec.kind === 'boolean') bool.value = String(c.value);
      else value.value = valueText(spec, c.op, c.value);
      if (c.target && c.target.categories) cats.value = c.target.categories.join(', ');
    }
    row.append(type, op, value, bool, cats, remove);
    return row;
  }

  /** One row → a condition, with values typed as the server expects (numbers as numbers). */
  function readCondition(row) {
    const type = row.querySelector('[data-field=type]').value;
    const op = row.querySelector('[data-field=op]').value;
    const spec = SPECS[type];
    if (spec.kind === 'boolean')
      return { type, op, value: row.querySelector('[data-field=bool]').value === 'true' };
    const raw = row.querySelector('[data-field=value]').value;
    const convert = (s) => {
      if (type === 'basket_total') {
        const cents = eurosToCents(s);
        return cents === null ? s : cents;
      }
      if (spec.kind === 'number') return /^-?\d+$/.test(s) ? Number(s) : s;
      return s;
    };
    const value =
      op === 'in' || op === 'nin' || op === 'between'
        ? list(raw).map(convert)
        : convert(raw.trim());
    const c = { type, op, value };
    const cats = list(row.querySelector('[data-field=categories]').value);
    if (spec.targeted && cats.length) c.target = { categories: cats };
    return c;
  }

  // ---------------------------------------------------------------------------------------------
  // Editor: effects

  const EFFECT_FIELDS = {
    points_per_unit: ['points', 'perEuros', 'categories', 'skus'],
    multiplier: ['factor'],
    fixed_bonus: ['points'],
    bonus_per_unit: ['points', 'categories', 'skus'],
    percent_of_value: ['percent', 'categories', 'skus'],
    issue_reward: ['reward'],
    stamps: ['stamps', 'perUnit', 'categories', 'skus'],
  };

  function effectRow(e) {
    const row = el('div', { dataset: { row: '' } });
    const type = el('select', {
      'data-field': 'type',
      'aria-label': t('marketing.effects.heading'),
    });
    for (const et of data.effectTypes)
      type.appendChild(option(et, t('marketing.effect.' + et), e && e.type === et));
    const input = (field, label, attrs) =>
      el(
        'input',
        Object.assign({ 'data-field': field, placeholder: label, 'aria-label': label }, attrs),
      );
    const fields = {
      points: input('points', t('marketing.effects.points'), { type: 'number', min: '1' }),
      perEuros: input('perEuros', t('marketing.effects.perEuros'), { inputmode: 'decimal' }),
      factor: input('factor', t('marketing.effects.factor'), { inputmode: 'decimal' }),
      percent: input('percent', t('marketing.effects.percent'), {
        type: 'number',
        min: '1',
        max: '100',
      }),
      stamps: input('stamps', t('marketing.effects.stamps'), { type: 'number', min: '1' }),
      categories: input('categories', t('marketing.effects.categories')),
      skus: input('skus', t('marketing.effects.skus')),
      reward: el('select', {
        'data-field': 'reward',
        'aria-label': t('marketing.form.stampReward'),
      }),
      perUnit: el('label', {}, [
        el('input', { type: 'checkbox', 'data-field': 'perUnit' }),
        document.createTextNode(t('marketing.effects.perUnit')),
      ]),
    };
    for (const r of state.rewards) fields.reward.appendChild(option(r.id, name(r)));
    const remove = el('button', {
      type: 'button',
      class: 'secondary',
      text: t('marketing.remove'),
    });
    remove.addEventListener('click', () => row.remove());
    function refresh() {
      const wanted = EFFECT_FIELDS[type.value];
      for (const [k, node] of Object.entries(fields)) show(node, wanted.includes(k));
    }
    type.addEventListener('change', refresh);
    refresh();
    if (e) {
      if (e.points) fields.points.value = e.points;
      if (e.perCents) fields.perEuros.value = centsToEuros(e.perCents);
      if (e.factorPercent) fields.factor.value = String(e.factorPercent / 100);
      if (e.percent) fields.percent.value = e.percent;
      if (e.stamps) fields.stamps.value = e.stamps;
      if (e.rewardId) fields.reward.value = e.rewardId;
      if (e.perUnit) fields.perUnit.querySelector('input').checked = true;
      if (e.target && e.target.categories) fields.categories.value = e.target.categories.join(', ');
      if (e.target && e.target.skus) fields.skus.value = e.target.skus.join(', ');
    } else fields.perEuros.value = '1';
    row.append(type, ...Object.values(fields), remove);
    return row;
  }

  function readEffect(row) {
    const type = row.querySelector('[data-field=type]').value;
    const get = (f) => row.querySelector(`[data-field=${f}]`);
    const int = (f) => {
      const v = get(f).value.trim();
      return /^\d+$/.test(v) ? Number(v) : v === '' ? undefined : v;
    };
    const e = { type };
    const wanted = EFFECT_FIELDS[type];
    if (wanted.includes('points')) e.points = int('points');
    if (wanted.includes('perEuros')) {
      const cents = eurosToCents(get('perEuros').value);
      e.perCents = cents === null ? get('perEuros').value : cents;
    }
    if (wanted.includes('factor')) {
      const f = Number(String(get('factor').value).replace(',', '.'));
      e.factorPercent = Number.isFinite(f) ? Math.round(f * 100) : get('factor').value;
    }
    if (wanted.includes('percent')) e.percent = int('percent');
    if (wanted.includes('stamps')) {
      e.stamps = int('stamps');
      if (get('perUnit').checked) e.perUnit = true;
    }
    if (wanted.includes('reward')) e.rewardId = get('reward').value;
    if (wanted.includes('categories')) {
      const target = {};
      const cats = list(get('categories').value);
      const skus = list(get('skus').value);
      if (cats.length) target.categories = cats;
      if (skus.length) target.skus = skus;
      if (cats.length || skus.length) e.target = target;
    }
    return e;
  }

  // ---------------------------------------------------------------------------------------------
  // Editor: the promotion

  const localInput = (iso) => {
    if (!iso) return '';
    const d = new Date(iso);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };

  function openEditor(p) {
    state.current = p || null;
    show($('#form-errors'), false);
    show($('#form-ok'), false);
    $('#editor-title').textContent = p
      ? t('marketing.editor.edit', { name: name(p), version: p.version })
      : t('marketing.editor.new');
    const set = (id, v) => ($(id).value = v === undefined || v === null ? '' : v);
    set('#p-nameEs', p && p.nameEs);
    set('#p-nameEn', p && p.nameEn);
    set('#p-descriptionEs', p && p.descriptionEs);
    set('#p-descriptionEn', p && p.descriptionEn);
    set('#p-priority', p ? p.priority : 0);
    set('#p-startsAt', p && localInput(p.startsAt));
    set('#p-endsAt', p && localInput(p.endsAt));
    set('#p-cap', p && p.maxPointsPerPurchase);
    set('#p-budget', p && p.budgetPoints);
    set('#p-limitCount', p && p.memberLimit && p.memberLimit.count);
    set('#p-limitPeriod', (p && p.memberLimit && p.memberLimit.period) || 'day');
    set('#p-stampsRequired', p && p.stampCard && p.stampCard.stampsRequired);
    set('#p-stampReward', (p && p.stampCard && p.stampCard.rewardId) || '');
    $('#p-exclusive').checked = !!(p && p.exclusive);
    $('#p-base').checked = !!(p && p.base);
    const c = p && p.conditions;
    const group = c && (c.all ? 'all' : c.any ? 'any' : null);
    $('#c-match').value = group || 'all';
    const leaves = !c ? [] : group ? c[group] : [c];
    $('#conditions').replaceChildren(...leaves.filter((x) => x.type).map(conditionRow));
    $('#effects').replaceChildren(...(p ? p.effects : [null]).map(effectRow));
    refreshActions();
    loadVersions();
    show($('#editor'), true);
    $('#p-nameEs').focus();
  }

  function refreshActions() {
    const p = state.current;
    $('#promotion-status').textContent = p
      ? t('marketing.status.' + p.status)
      : t('marketing.status.draft');
    $('#promotion-status').dataset.status = p ? p.status : 'draft';
    show($('#publish'), !!p && (p.status === 'draft' || p.status === 'paused'));
    show($('#pause'), !!p && p.status === 'active');
    show($('#end'), !!p && p.status !== 'ended');
    show($('#save-promotion'), !p || p.status !== 'ended');
  }

  function readPromotion() {
    const body = {
      nameEs: $('#p-nameEs').value.trim(),
      nameEn: $('#p-nameEn').value.trim(),
      priority: Number($('#p-priority').value || 0),
      exclusive: $('#p-exclusive').checked,
      base: $('#p-base').checked,
      effects: [...$('#effects').children].map(readEffect),
    };
    const optText = (id, key) => {
      const v = $(id).value.trim();
      if (v) body[key] = v;
    };
    const optInt = (id, key) => {
      const v = $(id).value.trim();
      if (v !== '') body[key] = /^\d+$/.test(v) ? Number(v) : v;
    };
    optText('#p-descriptionEs', 'descriptionEs');
    optText('#p-descriptionEn', 'descriptionEn');
    const when = (id, key) => {
      const v = $(id).value;
      if (v) body[key] = new Date(v).toISOString();
    };
    when('#p-startsAt', 'startsAt');
    when('#p-endsAt', 'endsAt');
    optInt('#p-cap', 'maxPointsPerPurchase');
    optInt('#p-budget', 'budgetPoints');
    const limit = $('#p-limitCount').value.trim();
    if (limit) body.memberLimit = { count: Number(limit), period: $('#p-limitPeriod').value };
    const stamps = $('#p-stampsRequired').value.trim();
    if (stamps && $('#p-stampReward').value)
      body.stampCard = { stampsRequired: Number(stamps), rewardId: $('#p-stampReward').value };
    const leaves = [...$('#conditions').children].map(readCondition);
    if (leaves.length) body.conditions = { [$('#c-match').value]: leaves };
    return body;
  }

  $('#new-promotion').addEventListener('click', () => openEditor(null));
  $('#add-condition').addEventListener('click', () =>
    $('#conditions').appendChild(conditionRow(null)),
  );
  $('#add-effect').addEventListener('click', () => $('#effects').appendChild(effectRow(null)));

  $('#promotion-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    show($('#form-errors'), false);
    show($('#form-ok'), false);
    const body = readPromotion();
    const unknown = unknownCategories(body);
    if (unknown.length) {
      showText('#form-errors', t('marketing.categories.unknown', { codes: unknown.join(', ') }));
      return;
    }
    const button = $('#save-promotion');
    button.disabled = true;
    try {
      const saved = state.current
        ? await api('PATCH', '/api/promotions/' + state.current.id, body)
        : await api('POST', '/api/promotions', body);
      state.current = saved;
      $('#editor-title').textContent = t('marketing.editor.edit', {
        name: name(saved),
        version: saved.version,
      });
      showText('#form-ok', t('marketing.form.saved', { version: saved.version }));
      refreshActions();
      await Promise.all([loadPromotions(), loadVersions()]);
    } catch (e) {
      showErrors('#form-errors', e);
    } finally {
      button.disabled = false;
    }
  });

  async function transition(action, doneKey) {
    if (!state.current) return;
    show($('#form-errors'), false);
    try {
      state.current = await api('POST', `/api/promotions/${state.current.id}/${action}`);
      showText('#form-ok', t(doneKey));
      refreshActions();
      await loadPromotions();
    } catch (e) {
      showErrors('#form-errors', e);
    }
  }
  $('#publish').addEventListener('click', () => transition('publish', 'marketing.form.published'));
  $('#pause').addEventListener('click', () => transition('pause', 'marketing.form.paused'));
  $('#end').addEventListener('click', () => transition('end', 'marketing.form.ended'));

  async function loadVersions() {
    const p = state.current;
    show($('#versions-block'), !!p);
    if (!p) return;
    try {
      const res = await api('GET', `/api/promotions/${p.id}/versions`);
      const fmt = new Intl.DateTimeFormat(data.locale === 'en' ? 'en-GB' : 'es-ES', {
        dateStyle: 'short',
        timeStyle: 'short',
      });
      $('#versions').replaceChildren(
        ...res.items.map((v) =>
          el('li', {
            text: t('marketing.versions.item', {
              version: v.version,
              date: fmt.format(new Date(v.createdAt)),
            }),
          }),
        ),
      );
    } catch {
      /* the list is a convenience */
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Simulator

  function simLine(line) {
    const cell = (field, value, attrs) =>
      el('td', {}, [
        el('input', Object.assign({ 'data-field': field, value: value || '' }, attrs)),
      ]);
    const row = el('tr', {}, [
      cell('sku', line && line.sku, { 'aria-label': t('marketing.sim.sku') }),
      cell('category', line && line.category, {
        'aria-label': t('marketing.sim.category'),
        list: 'category-list',
      }),
      cell('quantity', (line && line.quantity) || '1', {
        type: 'number',
        min: '1',
        'aria-label': t('marketing.sim.quantity'),
      }),
      cell('price', line && line.price, {
        inputmode: 'decimal',
        'aria-label': t('marketing.sim.price'),
      }),
    ]);
    const remove = el('button', {
      type: 'button',
      class: 'secondary',
      text: t('marketing.remove'),
    });
    remove.addEventListener('click', () => row.remove());
    row.appendChild(el('td', {}, [remove]));
    return row;
  }
  $('#sim-add-line').addEventListener('click', () => $('#sim-lines').appendChild(simLine(null)));
  $('#sim-lines').appendChild(simLine(null));

  $('#simulate').addEventListener('click', async () => {
    show($('#sim-error'), false);
    const lines = [];
    const rows = [...$('#sim-lines').children];
    for (const [i, row] of rows.entries()) {
      const get = (f) => row.querySelector(`[data-field=${f}]`).value.trim();
      if (!get('sku')) continue;
      const cents = eurosToCents(get('price'));
      if (cents === null) return showText('#sim-error', t('marketing.sim.badPrice', { n: i + 1 }));
      const line = {
        sku: get('sku'),
        quantity: Number(get('quantity') || 1),
        unitPriceCents: cents,
      };
      if (get('category')) line.category = get('category');
      lines.push(line);
    }
    const body = { storeId: $('#sim-store').value, lines };
    const typed = $('#sim-member').value.trim();
    const memberId = /^[0-9a-f-]{36}$/i.test(typed) ? typed : typed ? state.simMemberId : null;
    if (memberId) body.memberId = memberId;
    else
      body.member = {
        firstPurchase: $('#sim-first').checked,
        profilingConsent: $('#sim-profiling').checked,
        ...($('#sim-tier').value.trim() ? { tier: $('#sim-tier').value.trim() } : {}),
      };
    // The promotion being edited, as its form stands now (saved or not).
    const editing = state.current && state.current.status !== 'ended' ? state.current : null;
    if (editing) body.includePromotionIds = [editing.id];
    const draft = readPromotion();
    if (draft.nameEs && draft.nameEn && draft.effects && draft.effects.length) {
      body.draft = draft;
      if (editing) body.draftOf = editing.id;
    }
    try {
      const res = await api('POST', '/api/promotions/simulate', body);
      $('#sim-points').textContent = String(res.pointsEarned);
      $('#sim-breakdown').replaceChildren(
        ...res.breakdown.map((b) =>
          el('tr', { dataset: { id: b.promotionId } }, [
            el('td', { text: b.name }),
            el('td', { text: b.version ? String(b.version) : '—' }),
            el('td', { text: String(b.points) + (b.stamps ? ` (+${b.stamps} ✓)` : '') }),
          ]),
        ),
      );
      $('#sim-not-applied').replaceChildren(
        ...res.notApplied.map((n) => el('li', { text: `${n.name}: ${explainReason(n.reason)}` })),
      );
      show($('#sim-result'), true);
    } catch (e) {
      showText('#sim-error', errorLines(e).join(' · '));
    }
  });

  // The member for the simulator, picked by name, email or phone (never by typing an id).
  $('#sim-member').addEventListener('input', () => (state.simMemberId = null));
  $('#sim-member-find').addEventListener('click', async () => {
    const q = $('#sim-member').value.trim();
    const results = $('#sim-member-results');
    results.replaceChildren();
    if (!q) return show(results, false);
    try {
      const found = await api('GET', '/api/members?limit=8&q=' + encodeURIComponent(q));
      for (const m of found.items) {
        const label = [m.firstName, m.lastName].filter(Boolean).join(' ') + ' · ' + (m.email || '');
        const pick = el('button', { type: 'button', class: 'secondary', text: label });
        pick.addEventListener('click', () => {
          state.simMemberId = m.id;
          $('#sim-member').value = [m.firstName, m.lastName].filter(Boolean).join(' ');
          show(results, false);
        });
        results.appendChild(el('li', {}, [pick]));
      }
      if (!found.items.length) results.appendChild(el('li', { text: t('marketing.sim.noMember') }));
      show(results, true);
    } catch (e) {
      showText('#sim-error', F.errorText(e));
    }
  });

  /**
   * An unmet condition in words and euros ("basket_total gte 3000 does not hold" → "Total de la
   * cesta (€) al menos 30 €: no se cumple"); other reasons as the engine gives them.
   */
  function explainReason(reason) {
    const m = /(?:^|: )([a-z_]+) ([a-z]+) (.+) does not hold$/.exec(String(reason || ''));
    if (!m || !SPECS[m[1]]) return reason;
    const [, type, op, raw] = m;
    let value = raw;
    try {
      const parsed = JSON.parse(raw);
      const money = (v) => (type === 'basket_total' ? F.fmt.money(Number(v)) : String(v));
      value = Array.isArray(parsed) ? parsed.map(money).join(', ') : money(parsed);
    } catch (e) {
      value = raw;
    }
    return t('marketing.sim.unmet', {
      condition: t('marketing.type.' + type),
      op: t('marketing.op.' + op),
      value,
    });
  }

  /** The managed product categories (admin), offered in the simulator and checked on save. */
  async function loadCategories() {
    try {
      state.categories = (await api('GET', '/api/product-categories')).items || [];
    } catch (e) {
      state.categories = [];
    }
    $('#category-list').replaceChildren(
      ...state.categories.map((c) => el('option', { value: c.code, label: name(c) })),
    );
  }
  void loadCategories();

  /** Categories a promotion names that are not in the managed list (a typo would miss sales). */
  function unknownCategories(body) {
    if (!state.categories.length) return [];
    const known = new Set(state.categories.map((c) => c.code));
    const named = [];
    const walk = (node) => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        if (k === 'categories' && Array.isArray(v)) named.push(...v);
        else if (k === 'type' && v === 'line_category' && node.value !== undefined)
          named.push(...(Array.isArray(node.value) ? node.value : [node.value]));
        else walk(v);
      }
    };
    walk(body);
    return [...new Set(named.map(String))].filter((c) => !known.has(c));
  }

  // ---------------------------------------------------------------------------------------------
  // Tiers and rewards

  async function loadTiers() {
    const res = await api('GET', '/api/tiers');
    $('#tier-list').replaceChildren(
      ...res.items.map((x) =>
        el('tr', {}, [
          el('td', { text: x.code }),
          el('td', { text: x.nameEs }),
          el('td', { text: x.nameEn }),
          el('td', { text: String(x.thresholdPoints) }),
          el('td', { text: `${x.multiplierPercent} %` }),
        ]),
      ),
    );
  }
  $('#tier-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    show($('#tier-error'), false);
    try {
      await api('POST', '/api/tiers', {
        code: $('#t-code').value.trim(),
        nameEs: $('#t-nameEs').value.trim(),
        nameEn: $('#t-nameEn').value.trim(),
        thresholdPoints: Number($('#t-threshold').value || 0),
        multiplierPercent: Number($('#t-multiplier').value || 100),
      });
      $('#tier-form').reset();
      await loadTiers();
    } catch (e) {
      showText('#tier-error', errorLines(e).join(' · '));
    }
  });

  async function loadRewards() {
    const res = await api('GET', '/api/rewards');
    state.rewards = res.items;
    $('#reward-list').replaceChildren(
      ...res.items.map((r) =>
        el('tr', {}, [
          el('td', { text: r.nameEs }),
          el('td', { text: r.nameEn }),
          el('td', { text: t('marketing.kind.' + r.kind) }),
          el('td', { text: String(r.costPoints) }),
          el('td', { text: r.stock == null ? t('marketing.rewards.unlimited') : String(r.stock) }),
        ]),
      ),
    );
    const keep = $('#p-stampReward').value;
    $('#p-stampReward').replaceChildren(
      option('', t('marketing.form.noReward')),
      ...res.items.map((r) => option(r.id, name(r), r.id === keep)),
    );
  }
  $('#reward-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    show($('#reward-error'), false);
    const body = {
      nameEs: $('#r-nameEs').value.trim(),
      nameEn: $('#r-nameEn').value.trim(),
      kind: $('#r-kind').value,
      costPoints: Number($('#r-cost').value || 0),
    };
    const discount = $('#r-discount').value.trim();
    if (discount) body.discountCents = eurosToCents(discount) ?? discount;
    if ($('#r-sku').value.trim()) body.sku = $('#r-sku').value.trim();
    if ($('#r-stock').value.trim()) body.stock = Number($('#r-stock').value);
    try {
      await api('POST', '/api/rewards', body);
      $('#reward-form').reset();
      await loadRewards();
    } catch (e) {
      showText('#reward-error', errorLines(e).join(' · '));
    }
  });

  // ---------------------------------------------------------------------------------------------
  // Start

  $('#p-limitPeriod').replaceChildren(
    ...data.limitPeriods.map((p) => option(p, t('marketing.period.' + p))),
  );
  $('#r-kind').replaceChildren(...data.rewardKinds.map((k) => option(k, t('marketing.kind.' + k))));

  (async function start() {
    try {
      const stores = await api('GET', '/api/stores');
      state.stores = stores.items;
      $('#sim-store').replaceChildren(...stores.items.map((s) => option(s.id, s.name)));
    } catch (e) {
      showText('#sim-error', errorLines(e).join(' '));
    }
    await Promise.all([
      loadPromotions(),
      loadRewards().catch(() => {}),
      loadTiers().catch(() => {}),
    ]);
    document.body.dataset.ready = 'marketing';
  })();
})();
