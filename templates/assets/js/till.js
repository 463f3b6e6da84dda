// The till: find the member (camera QR, USB scanner or typed number), enter the basket, record
// the purchase exactly once, redeem points, take returns.
//
// Exactly once: every write (purchase, redemption, return) gets an Idempotency-Key made here.
// The request and its key are kept in localStorage until the server answers, so a retry after a
// network error, a timeout or a reload sends the SAME key and body, and the server replays the
// first receipt instead of recording the purchase twice.
(function () {
  'use strict';
  const F = window.Fidelia;
  const { api, t, $, show } = F;
  const data = F.pageData();
  const PENDING_KEY = 'fidelia.till.pending';
  const STORE_KEY = 'fidelia.till.store';
  const CURRENCY = data.currency || 'EUR';

  const session = F.requireStaff(['cashier', 'admin', 'supervisor']);
  if (!session) return;

  const state = {
    estimateSeq: 0,
    preview: null,
    code: null, // what identified the member (typed number or scanned code)
    summary: null, // the scan answer
    lines: [],
    estimateAvailable: true,
    estimateTimer: null,
    lastPurchase: null, // { receipt, lines }
    coupons: [], // coupon codes of the member to use on this purchase
    scanner: null,
  };

  // ---------------------------------------------------------------------------------------------
  // Formatting and parsing

  const money = new Intl.NumberFormat(data.locale === 'en' ? 'en-IE' : 'es-ES', {
    style: 'currency',
    currency: CURRENCY,
  });
  const number = new Intl.NumberFormat(data.locale === 'en' ? 'en-IE' : 'es-ES');
  const formatCents = (cents) => money.format((Number(cents) || 0) / 100);
  const formatPoints = (points) => t('till.points', { count: Number(points) || 0 });

  const { el, eurosToCents } = F;

  /** The message the cashier sees for an API error: a translated code when we have one. */
  function errorText(e) {
    const code = e && e.body && e.body.code;
    if (code) {
      const key = 'till.error.' + code;
      const text = t(key);
      if (text !== key) return text;
    }
    if (e && e.status === 401) return t('till.error.session');
    if (e && e.status === 403) return t('till.error.forbidden');
    return F.errorText(e);
  }

  /** The staff token expired: sign in again in place; the basket and the pending write stay. */
  function signInAgainOn401(e) {
    if (!e || e.status !== 401) return;
    void signInInPlace();
  }

  function signInInPlace() {
    return window.FideliaSession.signIn();
  }

  function showError(sel, e) {
    signInAgainOn401(e);
    const node = $(sel);
    node.textContent = typeof e === 'string' ? e : errorText(e);
    show(node, true);
  }

  // ---------------------------------------------------------------------------------------------
  // Exactly-once writes

  function readPending() {
    try {
      return JSON.parse(localStorage.getItem(PENDING_KEY) || 'null');
    } catch (e) {
      return null;
    }
  }

  /** The server answered for good (success or a final refusal): the key may be forgotten. */
  function isFinal(e) {
    if (!e || e.status === 0 || e.status >= 500 || e.status === 401) return false;
    if (e.status === 409 && e.body && e.body.code === 'idempotency.in_progress') return false;
    return true;
  }

  /**
   * Sends a write with its Idempotency-Key, keeping both in localStorage until an answer comes.
   * `request` = { kind, path, body, key, label }.
   */
  async function sendOnce(request) {
    localStorage.setItem(PENDING_KEY, JSON.stringify(request));
    renderPending();
    try {
      const result = await window.FideliaSession.withSession(() =>
        api('POST', request.path, request.body, {
          headers: { 'Idempotency-Key': request.key },
        }),
      );
      localStorage.removeItem(PENDING_KEY);
      renderPending();
      return result;
    } catch (e) {
      if (isFinal(e)) localStorage.removeItem(PENDING_KEY);
      renderPending();
      signInAgainOn401(e);
      throw e;
    }
  }

  function renderPending() {
    const pending = readPending();
    show($('#pending'), !!pending);
    show($('#pending-error'), false);
    if (pending) {
      $('#pending-text').textContent = pending.label || '';
      $('#pending').dataset.key = pending.key;
    }
  }

  async function retryPending() {
    const pending = readPending();
    if (!pending) return;
    $('#pending-retry').disabled = true;
    try {
      const result = await sendOnce(pending);
      onWriteAnswer(pending, result);
    } catch (e) {
      if (isFinal(e)) onWriteRefused(pending, e);
      else {
        renderPending();
        showError('#pending-error', e);
      }
    } finally {
      $('#pending-retry').disabled = false;
    }
  }

  function onWriteAnswer(request, result) {
    if (request.kind === 'purchase') showReceipt(result, request.body.lines);
    else if (request.kind === 'redemption') showRedemption(result);
    else if (request.kind === 'return') showReturn(result);
  }

  function onWriteRefused(request, e) {
    const target =
      request.kind === 'purchase'
        ? '#purchase-error'
        : request.kind === 'redemption'
          ? '#redeem-error'
          : '#return-error';
    showError(target, e);
  }

  // ---------------------------------------------------------------------------------------------
  // Store and session

  async function loadStores() {
    const select = $('#store');
    let stores = [];
    try {
      stores = (await api('GET', '/api/stores')).items || [];
    } catch (e) {
      stores = [];
    }
    const preferred = session.storeId || localStorage.getItem(STORE_KEY);
    select.innerHTML = '';
    for (const s of stores.filter((x) => x.active !== false)) {
      select.appendChild(el('option', { value: s.id, text: s.code + ' · ' + s.name }));
    }
    if (preferred && stores.some((s) => s.id === preferred)) select.value = preferred;
    if (session.storeId) select.disabled = true;
    select.addEventListener('change', () => localStorage.setItem(STORE_KEY, select.value));
  }

  const storeId = () => $('#store').value || session.storeId;

  /** The programme's categories, suggested in each line (a typo would miss a promotion). */
  async function loadCategories() {
    try {
      const cats = (await api('GET', '/api/product-categories')).items || [];
      const list = $('#categories');
      list.innerHTML = '';
      for (const c of cats) {
        list.appendChild(
          el('option', { value: c.code, label: data.locale === 'en' ? c.nameEn : c.nameEs }),
        );
      }
    } catch (e) {
      // Suggestions only: the till works without them.
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Finding the member

  /** A card number (16 digits) or a card code; anything else is looked up as a name, email or phone. */
  const isCardCode = (text) =>
    /^FDL[12]\./i.test(text) || /^\d{16}$/.test(text.replace(/[\s-]/g, ''));

  async function scan(code) {
    const clean = String(code || '').trim();
    show($('#scan-error'), false);
    show($('#lookup'), false);
    if (!clean) return;
    if (!isCardCode(clean)) return lookup(clean);
    $('#scan-submit').disabled = true;
    try {
      const summary = await window.FideliaSession.withSession(() =>
        api('POST', '/api/checkout/scan', { code: clean }),
      );
      state.code = clean;
      state.summary = summary;
      state.coupons = [];
      renderMember();
      $('#code').value = '';
      // What the points are worth comes with the figures (the programme's point value).
      void reloadFigures();
    } catch (e) {
      if (e.network) {
        // No connection: the sale can still be taken with the card number and queued.
        state.code = clean;
        state.summary = { offline: true, name: t('till.offline.member'), balance: 0 };
        state.coupons = [];
        renderMember();
        $('#code').value = '';
        showError('#scan-error', t('till.offline.scan'));
        return;
      }
      clearMember();
      showError('#scan-error', e);
    } finally {
      $('#scan-submit').disabled = false;
    }
  }

  /** Name, email or phone → the members found, to pick one (each picks by its card number). */
  async function lookup(text) {
    $('#scan-submit').disabled = true;
    const list = $('#lookup-results');
    list.innerHTML = '';
    try {
      const found = await window.FideliaSession.withSession(() =>
        api('GET', '/api/members?limit=8&q=' + encodeURIComponent(text)),
      );
      const items = (found.items || []).filter((m) => m.card);
      $('#lookup-count').textContent = t('till.lookup.count', { count: items.length });
      for (const m of items) {
        const name = [m.firstName, m.lastName].filter(Boolean).join(' ') || t('till.member.noName');
        const detail = [m.email, m.phone, '···· ' + m.card.number.slice(-4)]
          .filter(Boolean)
          .join(' · ');
        const pick = el('button', { type: 'button', class: 'secondary till-pick', text: name });
        pick.dataset.testid = 'lookup-pick';
        pick.addEventListener('click', () => {
          show($('#lookup'), false);
          void scan(m.card.number);
        });
        list.appendChild(el('li', {}, [pick, el('span', { class: 'muted', text: ' ' + detail })]));
      }
      show($('#lookup'), true);
      const first = list.querySelector('button');
      if (first) first.focus();
    } catch (e) {
      showError('#scan-error', e);
    } finally {
      $('#scan-submit').disabled = false;
    }
  }

  /** Tolerant reader of the scan answer: `{ member: {...}, points: {...} }` or flat. */
  function summaryView(s) {
    const m = s.member || s;
    const p = s.points || s.account || s;
    const name =
      s.name ||
      m.name ||
      [m.firstName, m.lastName].filter(Boolean).join(' ') ||
      t('till.member.noName');
    const balance = p.balance ?? 0;
    return {
      memberId: m.id || s.memberId,
      name,
      tier: m.tier || s.tier || t('till.member.noTier'),
      card: (s.card && s.card.number) || s.cardNumber || '',
      codeKind: s.codeKind || '',
      balance,
      available: p.available ?? Math.max(balance, 0),
      availableCents: p.availableCents ?? s.availableCents,
      pending: p.pending ?? 0,
      warnings: s.warnings || [],
      rewards: s.rewards || s.usableRewards || [],
    };
  }

  function renderMember() {
    const v = summaryView(state.summary);
    $('#member-name').textContent = v.name;
    $('#member-tier').textContent = v.tier;
    $('#member-card').textContent = v.card
      ? '···· ' + String(v.card).slice(-4)
      : v.codeKind
        ? t('till.codeKind.' + v.codeKind)
        : '';
    refreshFigures();
    const warnings = $('#member-warnings');
    warnings.innerHTML = '';
    for (const w of v.warnings) {
      const code = typeof w === 'string' ? w : w.code;
      const key = 'till.warning.' + code;
      const text = t(key) !== key ? t(key) : (w && w.message) || code;
      warnings.appendChild(el('li', { class: 'error', text }));
    }
    renderRewards(v);
    show($('#member'), true);
    show($('#basket-section'), true);
    show($('#redeem-section'), !state.summary.offline);
    show($('#receipt'), false);
    $('#member').dataset.memberId = v.memberId || '';
    if (state.lines.length === 0) addLine();
    renderBasket();
    if (v.memberId) void loadRecentPurchases(v.memberId);
  }

  function renderRewards(v) {
    const rewards = $('#member-rewards');
    rewards.innerHTML = '';
    for (const r of v.rewards) {
      const name =
        r.name && typeof r.name === 'object' ? r.name[data.locale] || r.name.es : r.name || r.id;
      const isCoupon = r.source === 'coupon';
      const button = el('button', {
        type: 'button',
        class: 'secondary',
        text: t(isCoupon ? 'till.coupon.use' : 'till.redeem.reward'),
      });
      button.dataset.testid = isCoupon ? 'use-coupon' : 'redeem-reward';
      button.addEventListener('click', () => {
        if (!isCoupon) return void redeemReward(r, button);
        // A coupon the member holds: used (once) by the next purchase of this basket.
        const used = state.coupons.includes(r.code);
        state.coupons = used
          ? state.coupons.filter((c) => c !== r.code)
          : [...state.coupons, r.code];
        button.textContent = t(used ? 'till.coupon.use' : 'till.coupon.added');
        scheduleEstimate();
      });
      const label = isCoupon
        ? name + ' · ' + r.code + ' '
        : name + ' · ' + formatPoints(r.points || r.costPoints || 0) + ' ';
      rewards.appendChild(el('li', {}, [el('span', { text: label }), button]));
    }
    show($('#member-rewards-block'), v.rewards.length > 0);
  }

  /**
   * Balance, spendable, pending and rewards read again from the server after each operation, so
   * no figure on screen is older than the last answer.
   */
  async function reloadFigures() {
    const memberId = state.summary && summaryView(state.summary).memberId;
    if (!memberId) return;
    try {
      const figures = await window.FideliaSession.withSession(() =>
        api('GET', '/api/checkout/members/' + memberId + '/figures'),
      );
      if (!state.summary || summaryView(state.summary).memberId !== memberId) return;
      Object.assign(state.summary, {
        balance: figures.balance,
        available: figures.available,
        availableCents: figures.availableCents,
        pending: figures.pending,
        rewards: figures.rewards,
      });
      const v = summaryView(state.summary);
      refreshFigures();
      renderRewards(v);
      void loadRecentPurchases(memberId);
    } catch (e) {
      // The receipt's own figures stay on screen.
    }
  }

  function clearMember() {
    state.preview = null;
    $('#recent-purchases').innerHTML = '';
    show($('#recent-block'), false);
    state.code = null;
    state.summary = null;
    state.lines = [];
    show($('#member'), false);
    show($('#basket-section'), false);
    show($('#redeem-section'), false);
    show($('#purchase-error'), false);
    show($('#redeem-result'), false);
    show($('#redeem-error'), false);
    $('#basket-lines').innerHTML = '';
    $('#external-id').value = '';
    $('#redeem-points').value = '0';
  }

  // Camera -------------------------------------------------------------------------------------

  async function startCamera() {
    show($('#scan-error'), false);
    const video = $('#camera');
    if (!window.FideliaScanner) return showError('#scan-error', t('till.scan.noCamera'));
    state.scanner =
      state.scanner ||
      window.FideliaScanner.create({
        video,
        config: data.scanner,
        onCode: (value) => {
          cameraShown(false);
          void scan(value);
        },
      });
    cameraShown(true);
    $('#camera-status').textContent = t('till.scan.looking');
    try {
      await state.scanner.start();
    } catch (e) {
      cameraShown(false);
      showError(
        '#scan-error',
        e && e.name === 'NotAllowedError' ? t('till.scan.cameraDenied') : t('till.scan.noCamera'),
      );
    }
  }

  function cameraShown(on) {
    show($('#camera'), on);
    show($('#camera-status'), on);
    show($('#camera-stop'), on);
    show($('#camera-start'), !on);
  }

  // ---------------------------------------------------------------------------------------------
  // Basket

  function addLine(line) {
    state.lines.push(Object.assign({ sku: '', category: '', quantity: 1, price: '' }, line || {}));
    renderBasket();
  }

  function lineCents(line) {
    const unit = eurosToCents(line.price);
    const qty = Number(line.quantity);
    if (unit === null || !Number.isInteger(qty) || qty < 1) return null;
    return { unitPriceCents: unit, amountCents: unit * qty };
  }

  function renderBasket() {
    const body = $('#basket-lines');
    body.innerHTML = '';
    state.lines.forEach((line, i) => {
      const input = (field, attrs) => {
        const node = el(
          'input',
          Object.assign({ 'data-field': field, 'data-line': String(i) }, attrs),
        );
        node.value = line[field];
        node.addEventListener('input', () => {
          line[field] = node.value;
          updateTotals();
        });
        return node;
      };
      const remove = el('button', { type: 'button', class: 'secondary till-remove', text: '×' });
      remove.setAttribute('aria-label', t('till.basket.remove'));
      remove.addEventListener('click', () => {
        state.lines.splice(i, 1);
        renderBasket();
      });
      body.appendChild(
        el('tr', { 'data-line': String(i) }, [
          el('td', {}, [input('sku', { type: 'text', 'aria-label': t('till.basket.sku') })]),
          el('td', {}, [
            input('category', {
              type: 'text',
              list: 'categories',
              'aria-label': t('till.basket.category'),
            }),
          ]),
          el('td', {}, [
            input('quantity', {
              type: 'number',
              min: '1',
              step: '1',
              inputmode: 'numeric',
              'aria-label': t('till.basket.quantity'),
            }),
          ]),
          el('td', {}, [
            input('price', {
              type: 'text',
              inputmode: 'decimal',
              'aria-label': t('till.basket.unitPrice'),
            }),
          ]),
          el('td', { class: 'till-amount' }),
          el('td', {}, [remove]),
        ]),
      );
    });
    updateTotals();
  }

  /** The lines as the API wants them, or an error text naming the first bad line. */
  function apiLines() {
    const out = [];
    for (let i = 0; i < state.lines.length; i++) {
      const line = state.lines[i];
      // A line left empty (no product, no price) is ignored rather than blocking the sale.
      if (!String(line.sku).trim() && !String(line.price).trim()) continue;
      const cents = lineCents(line);
      if (!line.sku.trim() || !cents) return { error: t('till.basket.badLine', { n: i + 1 }) };
      out.push({
        sku: line.sku.trim(),
        ...(line.category.trim() ? { category: line.category.trim() } : {}),
        quantity: Number(line.quantity),
        unitPriceCents: cents.unitPriceCents,
      });
    }
    if (out.length === 0) return { error: t('till.basket.empty') };
    return { lines: out };
  }

  function updateTotals() {
    let total = 0;
    $('#basket-lines')
      .querySelectorAll('tr')
      .forEach((row, i) => {
        const cents = lineCents(state.lines[i]);
        row.querySelector('.till-amount').textContent = cents
          ? formatCents(cents.amountCents)
          : '—';
        if (cents) total += cents.amountCents;
      });
    $('#basket-total').textContent = formatCents(total);
    scheduleEstimate();
  }

  function scheduleEstimate() {
    if (!state.estimateAvailable) return;
    clearTimeout(state.estimateTimer);
    state.estimateTimer = setTimeout(() => void estimate(), 350);
  }

  /**
   * What the basket will give, from the server's preview (the purchase worked out and rolled
   * back): points earned and spent, coupons, money off, what is left to pay, the balance after.
   */
  async function estimate() {
    const built = apiLines();
    const memberId = state.summary && summaryView(state.summary).memberId;
    show($('#estimate-error'), false);
    if (built.error || !memberId) {
      show($('#estimate'), false);
      $('#estimate-breakdown').innerHTML = '';
      return;
    }
    const seq = ++state.estimateSeq;
    try {
      const result = await api('POST', '/api/checkout/preview', purchaseBody(built));
      if (seq !== state.estimateSeq) return; // a newer basket is on its way
      state.preview = result;
      $('#estimate-points').textContent = formatPoints(result.pointsEarned);
      $('#estimate-discount').textContent = formatCents(result.discountCents || 0);
      $('#estimate-total').textContent = formatCents(result.totalCents);
      $('#estimate-balance').textContent = formatPoints(result.balance + (result.pending || 0));
      renderBreakdown($('#estimate-breakdown'), result.breakdown || [], result.coupons || []);
      show($('#estimate'), true);
    } catch (e) {
      if (seq !== state.estimateSeq) return;
      state.preview = null;
      show($('#estimate'), false);
      $('#estimate-breakdown').innerHTML = '';
      if (e.status === 401) return void signInInPlace();
      if (e.status >= 400 && e.status < 500) showError('#estimate-error', e);
    }
  }

  /** The purchase as the API takes it (also what the preview is asked about). */
  function purchaseBody(built) {
    const redeem = Number($('#redeem-points').value || 0);
    const externalId = $('#external-id').value.trim();
    return {
      ...memberRef(),
      storeId: storeId(),
      currency: CURRENCY,
      redeemPoints: Number.isInteger(redeem) && redeem > 0 ? redeem : 0,
      lines: built.lines,
      ...(externalId ? { externalId } : {}),
      ...(state.coupons.length ? { coupons: state.coupons } : {}),
    };
  }

  function renderBreakdown(list, breakdown, coupons) {
    list.innerHTML = '';
    for (const b of breakdown) {
      const name = b.name && typeof b.name === 'object' ? b.name[data.locale] || b.name.es : b.name;
      list.appendChild(
        el('li', { text: (name || b.promotionId || '') + ': ' + formatPoints(b.points) }),
      );
    }
    for (const c of coupons || []) {
      const name = c.rewardName ? c.rewardName[data.locale] || c.rewardName.es : c.code;
      list.appendChild(
        el('li', {
          text: t('till.receipt.coupon', {
            name,
            code: c.code,
            amount: formatCents(c.discountCents),
          }),
        }),
      );
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Purchase

  /**
   * Who the write is for: the member id the scan returned (a rotating code is accepted once, at
   * the scan), else the code itself.
   */
  function memberRef() {
    const memberId = state.summary && summaryView(state.summary).memberId;
    return memberId ? { memberId } : { code: state.code };
  }

  async function recordPurchase() {
    show($('#purchase-error'), false);
    if (readPending()) return showError('#purchase-error', t('till.pending.first'));
    const built = apiLines();
    if (built.error) return showError('#purchase-error', built.error);
    const redeem = Number($('#redeem-points').value || 0);
    if (!Number.isInteger(redeem) || redeem < 0) {
      return showError('#purchase-error', t('till.basket.badRedeem'));
    }
    const body = purchaseBody(built);
    const request = {
      kind: 'purchase',
      path: '/api/checkout/purchases',
      body,
      key: F.uuid(),
      label: t('till.pending.purchase', {
        total: formatCents(built.lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0)),
      }),
    };
    if (navigator.onLine === false) return queueOffline(request);
    $('#purchase-submit').disabled = true;
    try {
      showReceipt(await sendOnce(request), built.lines);
      state.coupons = [];
    } catch (e) {
      if (e.network) {
        // No answer: the purchase joins the offline queue with its key (sent once, later).
        localStorage.removeItem(PENDING_KEY);
        renderPending();
        queueOffline(request);
      } else {
        showError(
          '#purchase-error',
          isFinal(e) ? e : t('till.pending.kept', { reason: errorText(e) }),
        );
      }
    } finally {
      $('#purchase-submit').disabled = false;
    }
  }

  function showReceipt(receipt, lines) {
    state.lastPurchase = { receipt, lines };
    $('#receipt-id').textContent = receipt.purchaseId || receipt.id || '';
    $('#receipt-total').textContent = formatCents(receipt.totalCents);
    $('#receipt-discount').textContent = formatCents(receipt.discountCents || 0);
    $('#receipt-points').textContent = formatPoints(receipt.pointsEarned);
    $('#receipt-redeemed').textContent = formatPoints(receipt.pointsRedeemed || 0);
    $('#receipt-balance').textContent = formatPoints(receipt.balance);
    renderBreakdown($('#receipt-breakdown'), receipt.breakdown || [], receipt.coupons || []);
    // What else the purchase gave: stamps on the member's cards, coupons from promotions.
    for (const card of receipt.stamps || []) {
      const cardName = card.name ? card.name[data.locale] || card.name.es : '';
      $('#receipt-breakdown').appendChild(
        el('li', {
          text: t('till.receipt.stamps', {
            name: cardName,
            stamps: card.stamps,
            required: card.stampsRequired,
          }),
        }),
      );
    }
    for (const code of receipt.couponsIssued || []) {
      $('#receipt-breakdown').appendChild(
        el('li', { text: t('till.receipt.couponIssued', { code }) }),
      );
    }
    show($('#receipt'), true);
    show($('#basket-section'), false);
    show($('#purchase-error'), false);
    if (state.summary) {
      const p = state.summary.points || state.summary.account || state.summary;
      if (typeof receipt.balance === 'number') p.balance = receipt.balance;
      if (typeof receipt.available === 'number') p.available = receipt.available;
      if (typeof receipt.pending === 'number') p.pending = receipt.pending;
      if (typeof receipt.balance === 'number') p.available = Math.max(receipt.balance, 0);
      refreshFigures();
      void reloadFigures();
    }
    state.lines = [];
  }

  function refreshFigures() {
    const v = summaryView(state.summary);
    $('#member-balance').textContent = formatPoints(v.balance);
    $('#member-available').textContent =
      typeof v.availableCents === 'number'
        ? t('till.member.worth', {
            points: formatPoints(v.available),
            money: F.fmt.money(v.availableCents),
          })
        : formatPoints(v.available);
    $('#member-pending').textContent = formatPoints(v.pending);
  }

  // ---------------------------------------------------------------------------------------------
  // Redemptions

  async function redeemPoints() {
    show($('#redeem-result'), false);
    show($('#redeem-error'), false);
    if (readPending()) return showError('#redeem-error', t('till.pending.first'));
    const points = Number($('#redeem-only-points').value);
    if (!Number.isInteger(points) || points < 1)
      return showError('#redeem-error', t('till.redeem.bad'));
    await redeem({ ...memberRef(), storeId: storeId(), points }, $('#redeem-submit'));
  }

  async function redeemReward(reward, button) {
    show($('#redeem-result'), false);
    show($('#redeem-error'), false);
    if (readPending()) return showError('#redeem-error', t('till.pending.first'));
    await redeem(
      { ...memberRef(), storeId: storeId(), rewardId: reward.rewardId || reward.id },
      button,
    );
  }

  async function redeem(body, button) {
    const request = {
      kind: 'redemption',
      path: '/api/checkout/redemptions',
      body,
      key: F.uuid(),
      label: t('till.pending.redemption'),
    };
    button.disabled = true;
    try {
      showRedemption(await sendOnce(request));
    } catch (e) {
      showError('#redeem-error', isFinal(e) ? e : t('till.pending.kept', { reason: errorText(e) }));
    } finally {
      button.disabled = false;
    }
  }

  function showRedemption(result) {
    const parts = [t('till.redeem.done', { points: formatPoints(result.pointsRedeemed || 0) })];
    if (result.discountCents)
      parts.push(t('till.redeem.discount', { amount: formatCents(result.discountCents) }));
    const couponCode = result.couponCode || (result.coupon && result.coupon.code);
    if (couponCode) parts.push(t('till.redeem.coupon', { code: couponCode }));
    if (typeof result.balance === 'number') {
      parts.push(t('till.redeem.balance', { points: formatPoints(result.balance) }));
      if (state.summary) {
        const p = state.summary.points || state.summary.account || state.summary;
        p.balance = result.balance;
        if (typeof result.available === 'number') p.available = result.available;
        else if ('available' in p) p.available = Math.max(result.balance, 0);
        refreshFigures();
        void reloadFigures();
      }
    }
    $('#redeem-result').textContent = parts.join(' · ');
    show($('#redeem-result'), true);
    $('#redeem-only-points').value = '';
  }

  // ---------------------------------------------------------------------------------------------
  // Returns

  const returnLines = [];

  function addReturnLine(line) {
    returnLines.push(Object.assign({ lineNo: '', sku: '', quantity: 1 }, line || {}));
    renderReturnLines();
  }

  function renderReturnLines() {
    const body = $('#return-lines');
    body.innerHTML = '';
    returnLines.forEach((line, i) => {
      const input = (field, attrs) => {
        const node = el('input', Object.assign({ 'data-field': field }, attrs));
        node.value = line[field];
        node.addEventListener('input', () => (line[field] = node.value));
        return node;
      };
      const remove = el('button', { type: 'button', class: 'secondary till-remove', text: '×' });
      remove.setAttribute('aria-label', t('till.basket.remove'));
      remove.addEventListener('click', () => {
        returnLines.splice(i, 1);
        renderReturnLines();
      });
      body.appendChild(
        el('tr', {}, [
          el('td', {}, [
            input('lineNo', {
              type: 'number',
              min: '1',
              step: '1',
              inputmode: 'numeric',
              'aria-label': t('till.returns.line'),
            }),
          ]),
          el('td', { text: line.sku || '' }),
          el('td', {}, [
            input('quantity', {
              type: 'number',
              min: '0',
              step: '1',
              inputmode: 'numeric',
              'aria-label': t('till.returns.quantity'),
            }),
          ]),
          el('td', {}, [remove]),
        ]),
      );
    });
  }

  function prefillReturn() {
    if (!state.lastPurchase) return;
    const { receipt, lines } = state.lastPurchase;
    $('#return-purchase-id').value = receipt.purchaseId || receipt.id || '';
    if (receipt.externalId) $('#return-purchase-id').value = receipt.externalId;
    returnLines.length = 0;
    lines.forEach((l, i) => returnLines.push({ lineNo: String(i + 1), sku: l.sku, quantity: '0' }));
    renderReturnLines();
    $('#returns-details').open = true;
    $('#returns-details').scrollIntoView({ behavior: 'smooth' });
  }

  async function recordReturn() {
    show($('#return-result'), false);
    show($('#return-error'), false);
    if (readPending()) return showError('#return-error', t('till.pending.first'));
    const ticket = $('#return-purchase-id').value.trim();
    if (!ticket) return showError('#return-error', t('till.returns.badId'));
    const which = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ticket)
      ? { purchaseId: ticket }
      : { externalId: ticket, storeId: storeId() };
    const lines = [];
    for (const l of returnLines) {
      const lineNo = Number(l.lineNo);
      const quantity = Number(l.quantity);
      if (!Number.isInteger(quantity) || quantity === 0) continue;
      if (!Number.isInteger(lineNo) || lineNo < 1 || quantity < 0) {
        return showError('#return-error', t('till.returns.badLine'));
      }
      lines.push({ lineNo, quantity });
    }
    if (lines.length === 0) return showError('#return-error', t('till.returns.empty'));
    const request = {
      kind: 'return',
      path: '/api/checkout/returns',
      body: { ...which, lines },
      key: F.uuid(),
      label: t('till.pending.return'),
    };
    $('#return-submit').disabled = true;
    try {
      showReturn(await sendOnce(request));
    } catch (e) {
      showError('#return-error', isFinal(e) ? e : t('till.pending.kept', { reason: errorText(e) }));
    } finally {
      $('#return-submit').disabled = false;
    }
  }

  function showReturn(result) {
    const parts = [t('till.returns.done')];
    if (typeof result.refundCents === 'number')
      parts.push(t('till.returns.refund', { amount: formatCents(result.refundCents) }));
    if (typeof result.pointsReversed === 'number')
      parts.push(t('till.returns.reversed', { points: formatPoints(result.pointsReversed) }));
    if (typeof result.pointsRecredited === 'number' && result.pointsRecredited) {
      parts.push(t('till.returns.recredited', { points: formatPoints(result.pointsRecredited) }));
    }
    if (typeof result.balance === 'number') {
      parts.push(t('till.redeem.balance', { points: formatPoints(result.balance) }));
      // The receipt of the purchase returned, if still on screen, shows the balance now.
      const shown = state.lastPurchase && state.lastPurchase.receipt;
      if (shown && shown.purchaseId === result.purchaseId)
        $('#receipt-balance').textContent = formatPoints(result.balance);
      if (state.summary && summaryView(state.summary).memberId === result.memberId) {
        Object.assign(state.summary, { balance: result.balance, pending: result.pending });
        refreshFigures();
        void reloadFigures();
      }
    }
    $('#return-result').textContent = parts.join(' · ');
    show($('#return-result'), true);
  }

  /** The member's latest purchases, each with a button that prepares its return. */
  async function loadRecentPurchases(memberId) {
    let items = [];
    try {
      items = (await api('GET', '/api/checkout/members/' + memberId + '/purchases?limit=5')).items;
    } catch (e) {
      items = [];
    }
    const list = $('#recent-purchases');
    list.innerHTML = '';
    for (const p of items) {
      const label = [
        p.externalId || t('till.returns.noTicket'),
        F.fmt.dateTime(p.createdAt),
        formatCents(p.totalCents),
      ].join(' · ');
      const pick = el('button', {
        type: 'button',
        class: 'secondary',
        text: t('till.returns.pick'),
      });
      pick.dataset.testid = 'recent-return';
      pick.setAttribute('aria-label', t('till.returns.pickLabel', { purchase: label }));
      pick.addEventListener('click', () => {
        $('#return-purchase-id').value = p.externalId || p.id;
        returnLines.length = 0;
        for (const l of p.lines) {
          if (l.quantity > l.returnedQuantity)
            returnLines.push({ lineNo: String(l.lineNo), sku: l.sku, quantity: '0' });
        }
        renderReturnLines();
        $('#returns-details').open = true;
        const first = $('#return-lines [data-field=quantity]');
        if (first) first.focus();
      });
      list.appendChild(el('li', {}, [el('span', { text: label + ' ' }), pick]));
    }
    show($('#recent-block'), items.length > 0);
  }

  // ---------------------------------------------------------------------------------------------
  // Wiring

  $('#till-user').textContent = t('till.signedInAs', { roles: session.roles.join(', ') });
  $('#till-logout').addEventListener('click', () => {
    sessionStorage.removeItem(F.STAFF_TOKEN);
    location.href = '/login?next=/till';
  });
  $('#scan-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void scan($('#code').value);
  });
  $('#camera-start').addEventListener('click', () => void startCamera());
  $('#camera-stop').addEventListener('click', () => {
    if (state.scanner) state.scanner.stop();
    cameraShown(false);
  });
  $('#member-clear').addEventListener('click', () => {
    clearMember();
    $('#code').focus();
  });
  $('#add-line').addEventListener('click', () => addLine());
  $('#redeem-points').addEventListener('input', scheduleEstimate);
  $('#purchase-submit').addEventListener('click', () => void recordPurchase());
  $('#receipt-next').addEventListener('click', () => {
    show($('#receipt'), false);
    clearMember();
    $('#code').focus();
  });
  $('#receipt-return').addEventListener('click', prefillReturn);
  $('#redeem-submit').addEventListener('click', () => void redeemPoints());
  $('#return-add-line').addEventListener('click', () => addReturnLine());
  $('#return-submit').addEventListener('click', () => void recordReturn());
  $('#pending-retry').addEventListener('click', () => void retryPending());
  $('#pending-discard').addEventListener('click', () => {
    if (!window.confirm(t('till.pending.confirmDiscard'))) return;
    localStorage.removeItem(PENDING_KEY);
    renderPending();
  });
  window.addEventListener('online', () => {
    if (readPending()) void retryPending();
    void syncQueue();
  });
  $('#queue-sync').addEventListener('click', () => void syncQueue());
  $('#enrol-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void enrol();
  });

  // ---------------------------------------------------------------------------------------------
  // Offline queue: purchases taken with no connection, kept with their keys, sent once by batch

  function queueOffline(request) {
    window.FideliaTillQueue.add(request);
    renderQueue();
    const total = request.body.lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0);
    show($('#basket-section'), false);
    show($('#purchase-error'), false);
    $('#queued-text').textContent = t('till.offline.queued', { total: formatCents(total) });
    show($('#queued'), true);
    state.lines = [];
    state.coupons = [];
    $('#queued-next').focus();
  }

  function renderQueue() {
    const queue = window.FideliaTillQueue.read();
    show($('#queue'), queue.length > 0);
    $('#queue-count').textContent = t('till.offline.count', { count: queue.length });
    const list = $('#queue-list');
    list.innerHTML = '';
    for (const item of queue) list.appendChild(el('li', { text: item.label || item.key }));
  }

  async function syncQueue() {
    if (!window.FideliaTillQueue.read().length || navigator.onLine === false) return;
    $('#queue-sync').disabled = true;
    show($('#queue-error'), false);
    try {
      const outcome = await window.FideliaTillQueue.sync();
      const refused = outcome.refused.map(
        (r) => (r.item.label || r.item.key) + ': ' + errorText({ status: r.status, body: r.error }),
      );
      $('#queue-result').textContent = t('till.offline.synced', { count: outcome.done.length });
      show($('#queue-result'), outcome.done.length > 0);
      if (refused.length) showError('#queue-error', refused.join(' · '));
    } catch (e) {
      showError('#queue-error', e);
    } finally {
      $('#queue-sync').disabled = false;
      renderQueue();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Quick enrolment at the till, with the customer's own consent choices

  async function enrol() {
    show($('#enrol-error'), false);
    if (!$('#enrol-terms').checked) return showError('#enrol-error', t('till.enrol.termsRequired'));
    const consents = { terms: true };
    document.querySelectorAll('#enrol-form input[data-purpose]').forEach((box) => {
      consents[box.dataset.purpose] = box.checked;
    });
    const phone = $('#enrol-phone').value.trim();
    const body = {
      firstName: $('#enrol-first').value.trim(),
      lastName: $('#enrol-last').value.trim(),
      email: $('#enrol-email').value.trim(),
      ...(phone ? { phone } : {}),
      locale: $('#enrol-locale').value,
      ...(storeId() ? { storeId: storeId() } : {}),
      consents,
    };
    $('#enrol-submit').disabled = true;
    try {
      const member = await window.FideliaSession.withSession(() =>
        api('POST', '/api/members', body),
      );
      $('#enrol-form').reset();
      $('#enrol-details').open = false;
      await scan(member.card.number);
    } catch (e) {
      showError('#enrol-error', e);
    } finally {
      $('#enrol-submit').disabled = false;
    }
  }

  $('#queued-next').addEventListener('click', () => {
    show($('#queued'), false);
    clearMember();
    $('#code').focus();
  });
  addReturnLine();
  renderPending();
  renderQueue();
  window.FideliaSession.start();
  if (navigator.onLine !== false) void syncQueue();
  show($('#till-loading'), false);
  show($('#till'), true);
  void loadStores();
  void loadCategories();
  $('#code').focus();

  // For tests and support: what the page would resend.
  window.FideliaTill = {
    pending: readPending,
    queue: () => window.FideliaTillQueue.read(),
    eurosToCents,
  };
})();
