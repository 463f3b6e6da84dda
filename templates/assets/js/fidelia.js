// Shared page helpers: page data, texts, and calls to the JSON API with the session token.
(function () {
  'use strict';
  const dataEl = document.getElementById('page-data');
  const pageData = dataEl ? JSON.parse(dataEl.textContent || '{}') : {};
  const STAFF_TOKEN = 'fidelia.staffToken';
  const MEMBER_TOKEN = 'fidelia.memberToken';

  const locale = pageData.locale || document.documentElement.lang || 'es';
  /** Dates and numbers as written in Spain, in Spanish or English ("1 Dec 2026"). */
  const intlLocale = locale === 'en' ? 'en-GB' : 'es-ES';
  const ICU = window.IntlMessageFormat && window.IntlMessageFormat.IntlMessageFormat;
  const compiled = new Map();

  function plain(text, params) {
    return text.replace(/\{(\w+)\}/g, (m, k) => (params && k in params ? String(params[k]) : m));
  }

  /** The page's text for `key`, as an ICU message (plurals, numbers) in the page's language. */
  function t(key, params) {
    const text = (pageData.messages && pageData.messages[key]) || key;
    if (!ICU || text.indexOf('{') < 0) return plain(text, params);
    let format = compiled.get(text);
    if (format === undefined) {
      try {
        format = new ICU(text, locale);
      } catch (e) {
        format = null;
      }
      compiled.set(text, format);
    }
    if (format) {
      try {
        return String(format.format(params || {}));
      } catch (e) {
        // a value is missing: plain replacement keeps the others
      }
    }
    return plain(text, params);
  }

  /** Numbers, money and dates in the page's language. */
  const fmt = {
    number: (n) => new Intl.NumberFormat(intlLocale).format(n),
    money: (cents, currency) =>
      new Intl.NumberFormat(intlLocale, { style: 'currency', currency: currency || 'EUR' }).format(
        cents / 100,
      ),
    date: (d) => new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium' }).format(new Date(d)),
    dateTime: (d) =>
      new Intl.DateTimeFormat(intlLocale, { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(d),
      ),
  };

  /**
   * What a person reads for a failed call: the text for the error's code in the page's language,
   * the fields named in words for a validation error, never the server's developer English.
   */
  /** A field's name in words: as a sentence's subject ("el nombre") or in a list ("nombre"). */
  function fieldWords(field, asSubject) {
    const has = (key) => pageData.messages && pageData.messages[key];
    const name =
      String(field || '')
        .split('.')
        .filter((p) => !/^\d+$/.test(p))
        .pop() || '';
    const clean = name.replace(/\[\d+\]$/, '');
    if (asSubject && has('errors.subject.' + clean)) return t('errors.subject.' + clean);
    // No words for it: the whole path says which one (the second condition's value), not "value".
    return has('errors.field.' + clean) ? t('errors.field.' + clean) : String(field || '');
  }

  /**
   * One validation detail with its reason (`errors.constraint.<constraint>` with its `args`),
   * as src/common/error-text.ts does for the API's message; undefined when there is no text.
   */
  function detailText(d) {
    const key = d && d.constraint ? 'errors.constraint.' + d.constraint : '';
    if (!key || !(pageData.messages && pageData.messages[key])) return undefined;
    const out = t(key, Object.assign({}, d.args || {}, { field: fieldWords(d.field, true) }));
    return out.charAt(0).toLocaleUpperCase(locale) + out.slice(1);
  }

  /** "Too many attempts: wait 30 seconds", from the 429's Retry-After. */
  function tooManyText(seconds) {
    if (!(seconds > 0)) return t('errors.tooMany');
    const unit = seconds < 90 ? 'seconds' : 'minutes';
    return t('errors.tooManyWait', { seconds, minutes: Math.ceil(seconds / 60), unit });
  }

  function errorText(e) {
    const body = (e && e.body) || {};
    const has = (key) => pageData.messages && pageData.messages[key];
    if (!e || e.status === 0) return t('errors.network');
    if (body.code && has('errors.' + body.code)) return t('errors.' + body.code);
    if (e.status === 429) return tooManyText(Number(body.retryAfterSeconds || e.retryAfter || 0));
    if (body.details && body.details.length) {
      const details = body.details.slice(0, 5);
      const texts = details.map(detailText);
      if (texts.every((x) => x)) return texts.filter((x, i) => texts.indexOf(x) === i).join(' ');
      const fields = [];
      for (const d of body.details) {
        const label = fieldWords(d.field, false);
        if (label && fields.indexOf(label) < 0) fields.push(label);
      }
      return t('errors.validation', { count: fields.length, fields: fields.join(', ') });
    }
    if (e.status === 401) return t('errors.sessionExpired');
    if (e.status === 403) return t('errors.forbidden');
    return t('errors.generic', { status: e.status });
  }

  class ApiError extends Error {
    constructor(status, body, network) {
      super((body && body.message) || 'HTTP ' + status);
      this.status = status;
      this.body = body;
      /** No answer at all (offline, server down): the till may queue the operation. */
      this.network = !!network;
    }
  }

  async function api(method, path, body, opts) {
    const options = opts || {};
    const headers = { Accept: 'application/json' };
    const token =
      options.token !== undefined
        ? options.token
        : sessionStorage.getItem(options.member ? MEMBER_TOKEN : STAFF_TOKEN);
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.headers) Object.assign(headers, options.headers);
    let res;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, { message: t('common.networkError') }, true);
    }
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (e) {
      json = null;
    }
    if (!res.ok) throw new ApiError(res.status, json);
    return json;
  }

  function decodeToken(token) {
    try {
      return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    } catch (e) {
      return null;
    }
  }

  function staffSession() {
    const token = sessionStorage.getItem(STAFF_TOKEN);
    const payload = token && decodeToken(token);
    if (!payload || payload.exp * 1000 < Date.now()) return null;
    return {
      token,
      roles: payload.roles || [],
      userId: payload.sub,
      storeId: payload.storeId || null,
    };
  }

  /** Staff pages: the session, or a redirect to the sign-in page that comes back here. */
  function requireStaff(roles) {
    const session = staffSession();
    if (!session || (roles && !roles.some((r) => session.roles.includes(r)))) {
      location.href = '/login?next=' + encodeURIComponent(location.pathname + location.search);
      return null;
    }
    return session;
  }

  /** An element with attributes (`text` sets its text, `dataset` its data-*) and children. */
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'text') node.textContent = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else node.setAttribute(k, v);
    }
    for (const child of children || []) node.appendChild(child);
    return node;
  }

  /** "12,5" / "12.50" / "12" → 1250 (integer cents, no floating point); null if not an amount. */
  function eurosToCents(text) {
    const clean = String(text || '')
      .trim()
      .replace(/\s/g, '')
      .replace(',', '.');
    const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(clean);
    if (!m) return null;
    return Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0'));
  }

  /** 1250 → "12.50", 1200 → "12" (for an input field; money for reading is Intl's). */
  const centsToEuros = (c) => (Number(c) / 100).toFixed(2).replace(/\.00$/, '');

  function show(el, visible) {
    if (el) el.hidden = !visible;
  }
  function $(sel) {
    return document.querySelector(sel);
  }

  window.Fidelia = {
    pageData: () => pageData,
    t,
    fmt,
    errorText,
    locale,
    api,
    ApiError,
    decodeToken,
    staffSession,
    requireStaff,
    show,
    $,
    el,
    eurosToCents,
    centsToEuros,
    STAFF_TOKEN,
    MEMBER_TOKEN,
    uuid: () =>
      crypto.randomUUID
        ? crypto.randomUUID()
        : ([1e7] + -1e3 + -4e3 + -8e3 + -1e11).replace(/[018]/g, (c) =>
            (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16),
          ),
  };
})();
