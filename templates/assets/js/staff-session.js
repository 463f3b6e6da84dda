// Staff sessions that do not throw the work away: the token is renewed before it expires, and
// when it has expired anyway a sign-in form opens in place (a modal dialog) so that the page —
// the till's basket, the request waiting to be sent — stays as it is.
(function () {
  'use strict';
  const F = window.Fidelia;
  const { t } = F;
  /** Renew this long before the token expires. */
  const RENEW_BEFORE_MS = 2 * 60 * 1000;
  let timer = null;
  let waiting = null;
  let dialog = null;

  function schedule() {
    clearTimeout(timer);
    const session = F.staffSession();
    if (!session) return;
    const payload = F.decodeToken(session.token);
    const due = payload.exp * 1000 - Date.now() - RENEW_BEFORE_MS;
    timer = setTimeout(() => void renew(), Math.max(due, 10_000));
  }

  async function renew() {
    try {
      const result = await F.api('POST', '/api/auth/refresh');
      sessionStorage.setItem(F.STAFF_TOKEN, result.accessToken);
      schedule();
    } catch (e) {
      // Offline or already expired: the next call that gets a 401 opens the sign-in.
      if (e.status === 0) timer = setTimeout(() => void renew(), 30_000);
    }
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text) node.textContent = text;
    return node;
  }

  function build() {
    dialog = el('dialog', { id: 'relogin', 'aria-labelledby': 'relogin-title', class: 'card' });
    const form = el('form', { id: 'relogin-form', method: 'dialog', novalidate: '' });
    form.append(
      el('h2', { id: 'relogin-title' }, t('session.expiredTitle')),
      el('p', { class: 'muted' }, t('session.expiredExplain')),
      el('label', { for: 'relogin-email' }, t('session.email')),
      el('input', { id: 'relogin-email', type: 'email', autocomplete: 'username', required: '' }),
      el('label', { for: 'relogin-password' }, t('session.password')),
      el('input', {
        id: 'relogin-password',
        type: 'password',
        autocomplete: 'current-password',
        required: '',
      }),
      el('button', { type: 'submit', id: 'relogin-submit' }, t('session.submit')),
      el('p', { class: 'error', id: 'relogin-error', role: 'alert', hidden: '' }),
    );
    dialog.appendChild(form);
    // Escape would leave the cashier with no session and no form: keep it open.
    dialog.addEventListener('cancel', (event) => event.preventDefault());
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const error = form.querySelector('#relogin-error');
      error.hidden = true;
      try {
        const result = await F.api(
          'POST',
          '/api/auth/login',
          {
            email: form.querySelector('#relogin-email').value.trim(),
            password: form.querySelector('#relogin-password').value,
          },
          { token: null },
        );
        sessionStorage.setItem(F.STAFF_TOKEN, result.accessToken);
        form.querySelector('#relogin-password').value = '';
        dialog.close();
        schedule();
        const done = waiting;
        waiting = null;
        if (done) done.resolve();
      } catch (e) {
        error.textContent = e.status === 401 ? t('session.badCredentials') : F.errorText(e);
        error.hidden = false;
      }
    });
    document.body.appendChild(dialog);
  }

  /** Opens the sign-in in place; resolves once the person has signed in again. */
  function signIn() {
    if (waiting) return waiting.promise;
    if (!dialog) build();
    let resolve;
    const promise = new Promise((r) => (resolve = r));
    waiting = { promise, resolve };
    dialog.showModal();
    dialog.querySelector('#relogin-email').focus();
    return promise;
  }

  /** Runs `call`; on a 401 signs in in place and runs it once more. */
  async function withSession(call) {
    try {
      return await call();
    } catch (e) {
      if (!e || e.status !== 401) throw e;
      await signIn();
      return call();
    }
  }

  window.FideliaSession = { start: schedule, renew, signIn, withSession };
})();
