// The member area: sign in with a one-time code, then the card (number, rotating QR, wallet),
// points, consents with toggles, "download my data" and "erase my account".
(function () {
  'use strict';
  const { api, t, $, show, pageData, decodeToken, MEMBER_TOKEN } = window.Fidelia;
  const data = pageData();
  const purposes = data.purposes || [];
  const refreshSeconds = data.qrRefreshSeconds || 30;
  let memberId = null;
  let qrTimer = null;
  let qrUrl = null;

  function session() {
    const token = sessionStorage.getItem(MEMBER_TOKEN);
    const payload = token && decodeToken(token);
    if (!payload || payload.kind !== 'member' || payload.exp * 1000 < Date.now()) return null;
    return { token, memberId: payload.sub };
  }

  function signInError(message) {
    $('#signin-error').textContent = message;
    show($('#signin-error'), Boolean(message));
  }

  function areaError(message) {
    $('#area-error').textContent = message;
    show($('#area-error'), Boolean(message));
  }

  function formatNumber(number) {
    return number.replace(/(\d{4})(?=\d)/g, '$1 ');
  }

  function signOut(message) {
    sessionStorage.removeItem(MEMBER_TOKEN);
    if (qrTimer) clearTimeout(qrTimer);
    if (qrUrl) URL.revokeObjectURL(qrUrl);
    memberId = null;
    show($('#member-area'), false);
    show($('#signin'), true);
    show($('#code-form'), false);
    show($('#code-request-form'), true);
    signInError(message || '');
  }

  /** Authenticated GET of a non-JSON resource (QR image, pass file) as a Blob, or null. */
  async function fetchBlob(path) {
    const s = session();
    if (!s) return null;
    const res = await fetch(path, { headers: { Authorization: 'Bearer ' + s.token } });
    if (!res.ok) return { status: res.status };
    return { status: res.status, blob: await res.blob(), headers: res.headers };
  }

  // ---- sign-in ----------------------------------------------------------------------------

  $('#code-request-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    signInError('');
    const email = $('#me-email').value.trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return signInError(t('me.invalidEmail'));
    const button = $('#request-code');
    button.disabled = true;
    try {
      await api('POST', '/api/auth/member/code', { email }, { token: null });
      show($('#code-request-form'), false);
      show($('#code-form'), true);
      $('#me-code').value = '';
      $('#me-code').focus();
    } catch (e) {
      signInError(
        e.status === 429
          ? window.Fidelia.errorText(e)
          : e.status === 400
            ? t('me.invalidEmail')
            : window.Fidelia.errorText(e),
      );
    } finally {
      button.disabled = false;
    }
  });

  $('#code-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    signInError('');
    const code = $('#me-code').value.replace(/\s/g, '');
    if (!/^\d{6}$/.test(code)) return signInError(t('me.invalidCode'));
    const button = $('#verify-code');
    button.disabled = true;
    try {
      const result = await api(
        'POST',
        '/api/auth/member/session',
        { email: $('#me-email').value.trim(), code },
        { token: null },
      );
      sessionStorage.setItem(MEMBER_TOKEN, result.accessToken);
      await loadArea();
    } catch (e) {
      signInError(
        e.status === 401
          ? t('me.badCode')
          : e.status === 429
            ? window.Fidelia.errorText(e)
            : window.Fidelia.errorText(e),
      );
    } finally {
      button.disabled = false;
    }
  });

  $('#other-email').addEventListener('click', () => {
    show($('#code-form'), false);
    show($('#code-request-form'), true);
    signInError('');
  });

  // ---- the member area --------------------------------------------------------------------

  async function loadArea() {
    const s = session();
    if (!s) return signOut();
    memberId = s.memberId;
    let me;
    try {
      me = await api('GET', '/api/me', undefined, { member: true });
    } catch (e) {
      return signOut(
        e.status === 401 || e.status === 404 ? t('me.sessionExpired') : window.Fidelia.errorText(e),
      );
    }
    show($('#signin'), false);
    show($('#member-area'), true);
    $('#member-name').textContent = t('me.hello', { name: me.firstName || '' });
    $('#me-card-number').textContent = me.card ? formatNumber(me.card.number) : '';
    for (const purpose of purposes) {
      const box = $('#consent-' + purpose);
      if (box) box.checked = Boolean(me.consents && me.consents[purpose]);
    }
    await Promise.all([
      loadQr(),
      loadPoints(),
      loadWallet(),
      loadStamps(),
      loadTier(),
      loadCoupons(),
    ]);
  }

  /** The rotating QR, fetched with the session and refreshed when the code changes. */
  async function loadQr() {
    if (qrTimer) clearTimeout(qrTimer);
    if (!memberId) return;
    let result;
    try {
      result = await fetchBlob('/api/members/' + memberId + '/card/qr.svg?rotating=1');
    } catch (e) {
      result = null;
    }
    if (!result || !result.blob) {
      // Not available (yet): hide the area; try again later unless the route does not exist.
      show($('#qr-area'), false);
      if (result && result.status !== 404 && result.status !== 401) {
        qrTimer = setTimeout(loadQr, refreshSeconds * 1000);
      }
      return;
    }
    const previous = qrUrl;
    qrUrl = URL.createObjectURL(result.blob);
    $('#qr-image').src = qrUrl;
    if (previous) URL.revokeObjectURL(previous);
    show($('#qr-area'), true);
    const left = Number(result.headers.get('X-Code-Expires-In'));
    const wait = left > 0 && left <= refreshSeconds ? left : refreshSeconds;
    qrTimer = setTimeout(loadQr, wait * 1000 + 250);
  }

  async function loadPoints() {
    try {
      const points = await api('GET', '/api/members/' + memberId + '/points', undefined, {
        member: true,
      });
      $('#points-balance').textContent = t('me.balance', { points: points.balance });
      const worth = typeof points.valueCents === 'number' && points.valueCents > 0;
      if (worth)
        $('#points-worth').textContent = t('me.worth', {
          money: window.Fidelia.fmt.money(points.valueCents),
        });
      show($('#points-worth'), worth);
      const pending = Number(points.pending || 0);
      $('#points-pending').textContent = t('me.pending', { points: pending });
      show($('#points-pending'), pending > 0);
      show($('#points-area'), true);
    } catch (e) {
      show($('#points-area'), false);
      return;
    }
    historyCursor = null;
    $('#points-history tbody').innerHTML = '';
    await loadHistory();
  }

  /** "Why did I get these points": each entry with its date, what it was, and the rules behind it. */
  let historyCursor = null;
  async function loadHistory() {
    let page;
    try {
      const query =
        '?limit=10' + (historyCursor ? '&cursor=' + encodeURIComponent(historyCursor) : '');
      page = await api('GET', '/api/members/' + memberId + '/points/entries' + query, undefined, {
        member: true,
      });
    } catch (e) {
      show($('#points-history'), false);
      return;
    }
    const body = $('#points-history tbody');
    for (const entry of page.items) {
      const row = document.createElement('tr');
      row.dataset.kind = entry.kind;
      const date = document.createElement('td');
      date.textContent = window.Fidelia.fmt.date(entry.createdAt);
      const what = document.createElement('td');
      what.textContent = entryReason(entry);
      const points = document.createElement('td');
      points.className = 'num';
      const amount = entry.points + (entry.pendingPoints || 0);
      points.textContent =
        (amount > 0 ? '+' : amount < 0 ? '-' : '') + window.Fidelia.fmt.number(Math.abs(amount));
      row.append(date, what, points);
      body.appendChild(row);
    }
    historyCursor = page.nextCursor || null;
    show($('#points-history'), body.children.length > 0);
    show($('#points-history-empty'), body.children.length === 0);
    show($('#points-history-more'), Boolean(historyCursor));
  }

  /** Why an entry is there, in the member's words: what happened and the rules behind it. */
  function entryReason(entry) {
    const kind =
      entry.kind === 'earn' && entry.purchaseId
        ? 'purchase'
        : entry.kind === 'redeem' && entry.purchaseId
          ? 'redeemPurchase'
          : entry.kind;
    const parts = [t('me.kind.' + kind)];
    const en = document.documentElement.lang === 'en';
    const rules = (entry.promotions || [])
      .filter((p) => p.points)
      .map((p) => (p.name && typeof p.name === 'object' ? (en ? p.name.en : p.name.es) : p.name))
      .filter(Boolean);
    if (rules.length) parts.push(t('me.reason.promotions', { names: rules.join(', ') }));
    // An adjustment's reason is written by the programme's staff for the member to read.
    if (entry.kind === 'adjust' && entry.reason)
      parts.push(t('me.reason.adjust', { reason: entry.reason }));
    return parts.join(' · ');
  }

  /** The member's tier and how many points are missing for the next one. */
  async function loadTier() {
    let p;
    try {
      p = await api('GET', '/api/members/' + memberId + '/tier', undefined, { member: true });
    } catch (e) {
      show($('#tier-area'), false);
      return;
    }
    const en = document.documentElement.lang === 'en';
    const name = (tier) => (tier ? (en ? tier.nameEn : tier.nameEs) : '');
    $('#tier-name').textContent = p.current
      ? t('me.tier', { name: name(p.current) })
      : t('me.tierNone');
    $('#tier-next').textContent = p.next
      ? t('me.tierNext', { missing: p.missing, name: name(p.next) })
      : t('me.tierTop');
    $('#tier-progress').value = p.percent;
    show($('#tier-progress'), !!p.next);
    show($('#tier-area'), !!(p.current || p.next));
  }

  /** Coupons the member holds (from a reward or a promotion), with their code and expiry. */
  async function loadCoupons() {
    let items = [];
    try {
      items = (
        await api('GET', '/api/members/' + memberId + '/coupons', undefined, { member: true })
      ).items;
    } catch (e) {
      items = [];
    }
    const en = document.documentElement.lang === 'en';
    const list = $('#coupons-list');
    list.replaceChildren();
    for (const c of items) {
      const li = document.createElement('li');
      li.dataset.code = c.code;
      const name = document.createElement('strong');
      name.textContent = c.rewardName ? (en ? c.rewardName.en : c.rewardName.es) : '';
      const code = document.createElement('code');
      code.textContent = c.code;
      const when = document.createElement('span');
      when.className = 'muted';
      const status =
        c.status === 'used' || c.status === 'expired' ? t('me.couponStatus.' + c.status) : null;
      when.textContent =
        status ||
        (c.expiresAt
          ? t('me.couponExpires', { date: window.Fidelia.fmt.date(c.expiresAt) })
          : t('me.couponNoExpiry'));
      li.append(name, document.createTextNode(' '), code, document.createTextNode(' · '), when);
      list.appendChild(li);
    }
    show($('#coupons-area'), items.length > 0);
  }

  /** The member's stamp cards (promotions that give stamps): a dot per stamp, filled so far. */
  async function loadStamps() {
    let cards;
    try {
      cards = (
        await api('GET', '/api/members/' + memberId + '/stamps', undefined, { member: true })
      ).items;
    } catch (e) {
      cards = [];
    }
    const list = $('#stamp-cards');
    list.replaceChildren();
    const en = document.documentElement.lang === 'en';
    for (const card of cards || []) {
      const item = document.createElement('li');
      item.dataset.promotionId = card.promotionId;
      const name = document.createElement('strong');
      name.textContent = en ? card.name.en : card.name.es;
      const row = document.createElement('div');
      row.className = 'stamp-row';
      row.setAttribute('role', 'img');
      row.setAttribute(
        'aria-label',
        t('me.stampsCount', { stamps: card.stamps, required: card.stampsRequired }),
      );
      for (let i = 0; i < card.stampsRequired; i++) {
        const dot = document.createElement('span');
        dot.className = i < card.stamps ? 'stamp on' : 'stamp';
        row.appendChild(dot);
      }
      const count = document.createElement('p');
      count.className = 'muted';
      count.dataset.testid = 'stamp-count';
      count.textContent =
        t('me.stampsCount', { stamps: card.stamps, required: card.stampsRequired }) +
        ' · ' +
        t('me.stampsLeft', { left: card.stampsRequired - card.stamps }) +
        (card.cardsCompleted > 0
          ? ' · ' + t('me.stampsCompleted', { count: card.cardsCompleted })
          : '');
      item.append(name, row, count);
      list.appendChild(item);
    }
    show($('#stamps-area'), (cards || []).length > 0);
  }

  async function loadWallet() {
    let card;
    try {
      card = await api('GET', '/api/me/card', undefined, { member: true });
    } catch (e) {
      show($('#wallet-area'), false);
      return;
    }
    const links = (card && card.links) || {};
    show($('#apple-wallet'), Boolean(links.applePass));
    show($('#google-wallet'), Boolean(links.googleWallet));
    show($('#wallet-area'), Boolean(links.applePass || links.googleWallet));
    $('#apple-wallet').onclick = async () => {
      const result = await fetchBlob(links.applePass);
      if (!result || !result.blob) return areaError(t('common.genericError'));
      download(result.blob, 'fidelia.pkpass');
    };
    $('#google-wallet').onclick = async () => {
      try {
        const res = await api('GET', links.googleWallet, undefined, { member: true });
        const url = res && (res.saveUrl || res.url);
        if (url) location.href = url;
      } catch (e) {
        areaError(t('common.genericError'));
      }
    };
  }

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  for (const purpose of purposes) {
    const box = $('#consent-' + purpose);
    if (!box) continue;
    box.addEventListener('change', async () => {
      const status = $('#consent-status');
      show(status, false);
      box.disabled = true;
      try {
        const result = await api(
          'POST',
          '/api/me/consents',
          { consents: { [purpose]: box.checked } },
          { member: true },
        );
        box.checked = Boolean(result.consents[purpose]);
        status.textContent = t('me.consentSaved');
        show(status, true);
      } catch (e) {
        box.checked = !box.checked;
        areaError(window.Fidelia.errorText(e));
      } finally {
        box.disabled = false;
      }
    });
  }

  $('#download-data').addEventListener('click', async () => {
    try {
      const data = await api('GET', '/api/me/export', undefined, { member: true });
      const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      download(blob, 'fidelia-my-data.json');
    } catch (e) {
      areaError(window.Fidelia.errorText(e));
    }
  });

  $('#erase-account').addEventListener('click', () => {
    show($('#erase-confirm'), true);
    $('#erase-confirm-no').focus();
  });
  $('#erase-confirm-no').addEventListener('click', () => show($('#erase-confirm'), false));
  $('#erase-confirm-yes').addEventListener('click', async () => {
    const button = $('#erase-confirm-yes');
    button.disabled = true;
    try {
      await api('POST', '/api/me/erase', undefined, { member: true });
      signOut();
      show($('#signin'), false);
      show($('#erased'), true);
    } catch (e) {
      areaError(window.Fidelia.errorText(e));
    } finally {
      button.disabled = false;
    }
  });

  $('#sign-out').addEventListener('click', () => signOut());

  // Coming from /join: the email is already known.
  $('#points-history-more').addEventListener('click', () => void loadHistory());
  const params = new URLSearchParams(location.search);
  const email = params.get('email');
  if (email) $('#me-email').value = email;
  // From /join the code is already on its way: straight to the code.
  if (email && params.get('sent') === '1' && !session()) {
    show($('#code-request-form'), false);
    show($('#code-form'), true);
    const status = $('#code-sent');
    if (status) status.textContent = t('me.codeSentByJoin');
    $('#me-code').focus();
  }
  if (session()) void loadArea();
})();
