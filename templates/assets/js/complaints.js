// The public complaint form: files it (linked to the member's account when signed in on /me)
// and shows the registry number, the deadline and the receipt.
(function () {
  'use strict';
  const { api, t, $, show, pageData, decodeToken, MEMBER_TOKEN } = window.Fidelia;
  const locale = pageData().locale;

  function memberToken() {
    const token = sessionStorage.getItem(MEMBER_TOKEN);
    const payload = token && decodeToken(token);
    return payload && payload.kind === 'member' && payload.exp * 1000 > Date.now() ? token : null;
  }

  const signedIn = memberToken();
  if (signedIn) {
    show($('#signed-in-note'), true);
    show($('#contact-fields'), false);
  }

  function clearErrors() {
    document.querySelectorAll('[data-error-for]').forEach((el) => show(el, false));
    show($('#complaint-error'), false);
  }

  function showError(err) {
    const details = (err.body && err.body.details) || [];
    let placed = false;
    for (const d of details) {
      const el = document.querySelector('[data-error-for="' + d.field + '"]');
      if (el) {
        el.textContent = window.Fidelia.errorText({ status: 400, body: { details: [d] } });
        show(el, true);
        placed = true;
      }
    }
    if (!placed) {
      $('#complaint-error').textContent =
        err.status === 429 ? t('cases.complaints.tooMany') : window.Fidelia.errorText(err);
      show($('#complaint-error'), true);
    }
  }

  $('#complaint-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const value = (id) => $(id).value.trim();
    const body = {
      locale,
      subject: value('#c-subject'),
      description: value('#c-description'),
      category: value('#c-category') || undefined,
      storeId: value('#c-store') || undefined,
    };
    if (!signedIn) {
      body.name = value('#c-name');
      body.email = value('#c-email');
      if (value('#c-phone')) body.phone = value('#c-phone');
    }
    $('#complaint-submit').disabled = true;
    try {
      const result = signedIn
        ? await api('POST', '/api/me/complaints', body, { member: true })
        : await api('POST', '/api/public/complaints', body, { token: null });
      $('#complaint-number').textContent = result.registryNumber;
      $('#complaint-due').textContent = new Date(result.dueAt).toLocaleDateString(
        locale === 'en' ? 'en-GB' : 'es-ES',
        { dateStyle: 'long' },
      );
      // A member's receipt needs their session: /me lists it; a guest's link carries its key.
      $('#complaint-receipt').href = signedIn ? '/me' : result.receiptUrl;
      show($('#complaint-area'), false);
      show($('#complaint-sent'), true);
    } catch (err) {
      showError(err);
    } finally {
      $('#complaint-submit').disabled = false;
    }
  });
})();
