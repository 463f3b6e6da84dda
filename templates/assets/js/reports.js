// The supervisor's satisfaction report: asks the API for the figures and conclusions, the chart
// (SVG drawn by the server, inserted as a parsed document, never as HTML text), the CSV and the
// improvement proposals saved with a snapshot of the report.
(function () {
  'use strict';
  const F = window.Fidelia;
  const { api, t, $, show } = F;
  const data = F.pageData();

  const session = F.requireStaff(['supervisor', 'admin']);
  if (!session) return;
  show($('#reports-loading'), false);
  show($('#reports'), true);

  const lang = data.locale;
  const fmt = (n) => (n === null || n === undefined ? '—' : String(n));

  function defaults() {
    const now = new Date();
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    $('#r-from').value = first.toISOString().slice(0, 10);
    $('#r-to').value = now.toISOString().slice(0, 10);
  }

  function query() {
    const q = {
      from: $('#r-from').value,
      to: $('#r-to').value,
      groupBy: $('#r-groupBy').value,
    };
    if ($('#r-store').value) q.storeId = $('#r-store').value;
    return q;
  }

  const qs = (extra) => new URLSearchParams(Object.assign({ lang }, query(), extra)).toString();

  async function raw(path) {
    const res = await fetch(path, { headers: { Authorization: 'Bearer ' + session.token } });
    if (!res.ok) {
      let body = null;
      try {
        body = await res.json();
      } catch (e) {
        body = null;
      }
      throw new F.ApiError(res.status, body);
    }
    return res;
  }

  function fail(err) {
    const box = $('#r-error');
    box.textContent =
      err && err.status !== undefined ? window.Fidelia.errorText(err) : t('common.genericError');
    show(box, true);
  }

  async function load() {
    show($('#r-error'), false);
    try {
      const report = await api('GET', '/api/reports/satisfaction?' + qs());
      const svgText = await (
        await raw('/api/reports/satisfaction?' + qs({ format: 'svg' }))
      ).text();
      const svg = new DOMParser().parseFromString(svgText, 'image/svg+xml').documentElement;
      $('#r-chart').replaceChildren(document.importNode(svg, true));
      const tot = report.total;
      $('#r-total').textContent =
        t('reports.responses') +
        ': ' +
        tot.responses +
        ' · ' +
        t('reports.invitations') +
        ': ' +
        tot.invitations +
        ' · NPS: ' +
        fmt(tot.nps) +
        ' · CSAT: ' +
        fmt(tot.csat);
      $('#r-conclusions').replaceChildren(
        ...report.conclusions.map((c) => {
          const li = document.createElement('li');
          li.textContent = c;
          return li;
        }),
      );
      complaints(report.complaints);
      show($('#r-result'), true);
      document.body.dataset.ready = 'reports';
    } catch (err) {
      fail(err);
    }
  }

  // Complaint figures (cases filed in the period): totals, then the typology as a table.
  function complaints(c) {
    if (!c) {
      $('#r-complaints').textContent = '—';
      show($('#r-typology'), false);
      return;
    }
    $('#r-complaints').textContent =
      t('reports.complaints.total') +
      ': ' +
      c.total +
      ' · ' +
      t('reports.complaints.resolved') +
      ': ' +
      c.resolved +
      ' · ' +
      t('reports.complaints.breaches') +
      ': ' +
      c.slaBreaches +
      ' · ' +
      t('reports.complaints.meanHours') +
      ': ' +
      fmt(c.meanResolutionHours) +
      ' · ' +
      t('reports.complaints.p90Hours') +
      ': ' +
      fmt(c.p90ResolutionHours);
    $('#r-typology tbody').replaceChildren(
      ...c.byCategory.map((x) => {
        const tr = document.createElement('tr');
        for (const v of [
          x.label,
          x.count,
          x.slaBreaches,
          fmt(x.meanResolutionHours),
          fmt(x.p90ResolutionHours),
        ]) {
          const td = document.createElement('td');
          td.textContent = String(v);
          tr.appendChild(td);
        }
        return tr;
      }),
    );
    show($('#r-typology'), c.byCategory.length > 0);
  }

  async function downloadCsv() {
    try {
      const res = await raw('/api/reports/satisfaction?' + qs({ format: 'csv' }));
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = 'satisfaction-' + query().from + '-' + query().to + '.csv';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      fail(err);
    }
  }

  async function loadProposals() {
    const list = await api('GET', '/api/reports/satisfaction/snapshots?limit=20');
    $('#p-list').replaceChildren(
      ...list.items.map((s) => {
        const li = document.createElement('li');
        const when = new Date(s.createdAt).toLocaleString(lang);
        li.textContent =
          when +
          ' · ' +
          s.query.from +
          '…' +
          s.query.to +
          ' (' +
          s.query.groupBy +
          ', NPS ' +
          fmt(s.report.total.nps) +
          '): ' +
          s.proposal;
        return li;
      }),
    );
    show($('#p-empty'), list.items.length === 0);
  }

  async function saveProposal(e) {
    e.preventDefault();
    show($('#p-saved'), false);
    try {
      await api('POST', '/api/reports/satisfaction/snapshots', {
        query: query(),
        proposal: $('#p-text').value,
        lang,
      });
      $('#p-text').value = '';
      show($('#p-saved'), true);
      await loadProposals();
    } catch (err) {
      fail(err);
    }
  }

  async function loadStores() {
    try {
      const stores = await api('GET', '/api/stores');
      const items = Array.isArray(stores) ? stores : stores.items || [];
      for (const s of items) {
        const o = document.createElement('option');
        o.value = s.id;
        o.textContent = s.name;
        $('#r-store').appendChild(o);
      }
      if (session.storeId) $('#r-store').value = session.storeId;
    } catch (e) {
      // The report works without the store list (all stores).
    }
  }

  $('#report-form').addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  $('#r-csv').addEventListener('click', downloadCsv);
  $('#proposal-form').addEventListener('submit', saveProposal);
  defaults();
  Promise.all([loadStores(), loadProposals().catch(fail)]).then(load);
})();
