// Self-service enrolment: POST /api/public/enrol with the consents ticked, then the card number.
(function () {
  'use strict';
  const { api, t, $, show, pageData } = window.Fidelia;
  const data = pageData();
  const minAge = data.minAge || 14;
  const purposes = ['terms'].concat(data.purposes || []);
  const form = $('#join-form');

  function ageOn(birthDate, now) {
    const [y, m, d] = birthDate.split('-').map(Number);
    let age = now.getFullYear() - y;
    if (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d)) age--;
    return age;
  }

  function updateGuardian() {
    const value = $('#birthDate').value;
    const minor = Boolean(value) && ageOn(value, new Date()) < minAge;
    show($('#guardian-block'), minor);
    $('#guardianName').required = minor;
  }
  $('#birthDate').addEventListener('change', updateGuardian);
  // A friend's invitation link: /join?ref=CODE.
  const ref = new URLSearchParams(location.search).get('ref');
  if (ref) $('#referralCode').value = ref.slice(0, 20);
  $('#birthDate').addEventListener('input', updateGuardian);

  function clearErrors() {
    for (const el of document.querySelectorAll('[data-error-for]')) show(el, false);
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    show($('#join-error'), false);
  }

  function fieldError(field, message) {
    const el = document.querySelector('[data-error-for="' + field + '"]');
    if (!el) return false;
    el.textContent = message;
    show(el, true);
    const input = document.getElementById(
      field.startsWith('consents.') ? 'consent-' + field.slice(9) : field,
    );
    if (input) input.setAttribute('aria-invalid', 'true');
    return true;
  }

  function formatNumber(number) {
    return number.replace(/(\d{4})(?=\d)/g, '$1 ');
  }

  function readForm() {
    const body = {
      firstName: $('#firstName').value.trim(),
      lastName: $('#lastName').value.trim(),
      email: $('#email').value.trim(),
      locale: $('#locale').value,
      consents: {},
    };
    const phone = $('#phone').value.trim();
    if (phone) body.phone = phone;
    const birthDate = $('#birthDate').value;
    if (birthDate) body.birthDate = birthDate;
    const guardian = $('#guardianName').value.trim();
    if (guardian && !$('#guardian-block').hidden) body.guardianName = guardian;
    const referralCode = $('#referralCode').value.trim();
    if (referralCode) body.referralCode = referralCode;
    for (const purpose of purposes) {
      body.consents[purpose] = $('#consent-' + purpose).checked;
    }
    return body;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const body = readForm();
    let missing = false;
    for (const field of ['firstName', 'lastName', 'email']) {
      if (!body[field]) missing = fieldError(field, t('join.field.required')) || missing;
    }
    if (!$('#guardian-block').hidden && !body.guardianName) {
      missing = fieldError('guardianName', t('join.guardianRequired')) || missing;
    }
    if (!body.consents.terms)
      missing = fieldError('consents.terms', t('join.termsRequired')) || missing;
    if (missing) {
      $('#join-error').textContent = t('join.invalid');
      show($('#join-error'), true);
      return;
    }
    const button = $('#join-submit');
    button.disabled = true;
    try {
      // New email or enrolled one, the same answer (nothing to learn about other people): the
      // card and a sign-in code arrive by email, and /me takes the code.
      await api('POST', '/api/public/enrol', body, { token: null });
      $('#welcome').textContent = t('join.checkEmail', { email: body.email });
      const me = $('#go-to-me');
      me.href = '/me?sent=1&email=' + encodeURIComponent(body.email);
      show($('#join-section'), false);
      show($('#joined'), true);
      window.scrollTo(0, 0);
    } catch (e) {
      const code = e.body && e.body.code;
      let message = e.message;
      if (code === 'members.guardian_required') {
        show($('#guardian-block'), true);
        fieldError('guardianName', t('join.guardianRequired'));
        message = t('join.guardianRequired');
      } else if (code === 'promotions.referral_code_unknown') {
        fieldError('referralCode', t('join.referralCodeUnknown'));
        message = t('join.referralCodeUnknown');
      } else if (e.status === 400) {
        // Each field named in the page's language, never the server's developer English.
        for (const d of (e.body && e.body.details) || [])
          fieldError(d.field, window.Fidelia.errorText({ status: 400, body: { details: [d] } }));
        message = t('join.invalid');
      } else if (e.status === 0) {
        message = t('common.networkError');
      } else {
        message = window.Fidelia.errorText(e);
      }
      $('#join-error').textContent = message;
      show($('#join-error'), true);
    } finally {
      button.disabled = false;
    }
  });
})();
