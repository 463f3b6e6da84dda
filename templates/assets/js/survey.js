// The public survey (/s/:token): one answer, then thanks.
(function () {
  'use strict';
  const F = window.Fidelia;
  const data = F.pageData();
  const form = document.getElementById('survey-form');
  if (!form) return;
  const errorEl = document.getElementById('survey-error');
  const scoreError = document.querySelector('[data-error-for="score"]');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errorEl.hidden = true;
    scoreError.hidden = true;
    const checked = form.querySelector('input[name="score"]:checked');
    if (!checked) {
      scoreError.textContent = F.t('survey.pickScore');
      scoreError.hidden = false;
      return;
    }
    const comment = form.querySelector('#comment').value.trim();
    const body = { score: Number(checked.value) };
    if (comment) body.comment = comment;
    const button = document.getElementById('survey-submit');
    button.disabled = true;
    try {
      await F.api('POST', '/api/public/surveys/' + encodeURIComponent(data.token), body, {
        token: null,
      });
      form.hidden = true;
      document.getElementById('survey-thanks').hidden = false;
    } catch (e) {
      const key =
        e.status === 409
          ? 'survey.answered'
          : e.status === 410
            ? 'survey.expired'
            : e.status === 404
              ? 'survey.unknown'
              : null;
      errorEl.textContent = key ? F.t(key) : e.message || F.t('common.genericError');
      errorEl.hidden = false;
      button.disabled = false;
    }
  });
})();
