// Staff sign-in: POST /api/auth/login, keep the token for this tab, go to the page asked for.
(function () {
  'use strict';
  const { api, t, $, show, staffSession, STAFF_TOKEN } = window.Fidelia;
  const AREAS = [
    { role: 'cashier', href: '/till', key: 'login.area.till' },
    { role: 'marketing', href: '/marketing', key: 'login.area.marketing' },
    { role: 'agent', href: '/agent', key: 'login.area.agent' },
    { role: 'supervisor', href: '/supervisor', key: 'login.area.supervisor' },
    { role: 'admin', href: '/admin', key: 'login.area.admin' },
  ];

  function showSignedIn(session) {
    show($('#login-form'), false);
    show($('#signed-in'), true);
    $('#signed-in-roles').textContent = session.roles.join(', ');
    const list = $('#area-links');
    list.innerHTML = '';
    for (const area of AREAS.filter((a) => session.roles.includes(a.role)).concat([
      { href: '/api/docs', key: 'login.area.docs' },
    ])) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = area.href;
      a.textContent = t(area.key);
      li.appendChild(a);
      list.appendChild(li);
    }
  }

  const next = new URLSearchParams(location.search).get('next');
  const safeNext = next && next.startsWith('/') && !next.startsWith('//') ? next : null;
  const existing = staffSession();
  if (existing) showSignedIn(existing);

  $('#login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = $('#login-error');
    show(error, false);
    const button = $('#login-submit');
    button.disabled = true;
    try {
      const result = await api(
        'POST',
        '/api/auth/login',
        { email: $('#email').value.trim(), password: $('#password').value },
        { token: null },
      );
      sessionStorage.setItem(STAFF_TOKEN, result.accessToken);
      // Each role lands on its own page; someone with several roles on the first in AREAS.
      const session = staffSession();
      const home = AREAS.find((a) => session && session.roles.includes(a.role));
      if (safeNext) location.href = safeNext;
      else if (home) location.href = home.href;
      else showSignedIn(session);
    } catch (e) {
      error.textContent =
        e.status === 401
          ? t('login.badCredentials')
          : e.status === 429
            ? window.Fidelia.errorText(e) // with the wait the server gives
            : e.status === 400
              ? t('login.invalid')
              : window.Fidelia.errorText(e);
      show(error, true);
    } finally {
      button.disabled = false;
    }
  });

  $('#logout').addEventListener('click', () => {
    sessionStorage.removeItem(STAFF_TOKEN);
    location.reload();
  });
})();
