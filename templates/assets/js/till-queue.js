// The till's offline queue: purchases taken while the network is down, each with the
// Idempotency-Key it was given at the till, kept in localStorage (a reload keeps them) and sent
// through POST /api/checkout/purchases/batch when the connection is back. The server records each
// key once, so a purchase whose first answer was lost is replayed, never doubled.
(function () {
  'use strict';
  const F = window.Fidelia;
  const QUEUE_KEY = 'fidelia.till.queue';
  /** The batch endpoint takes at most this many items per call. */
  const BATCH_MAX = 100;
  let syncing = null;

  function read() {
    try {
      const queue = JSON.parse(localStorage.getItem(QUEUE_KEY) || '[]');
      return Array.isArray(queue) ? queue : [];
    } catch (e) {
      return [];
    }
  }

  function write(queue) {
    if (queue.length) localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
    else localStorage.removeItem(QUEUE_KEY);
  }

  /** Keeps a purchase (once per key) until the server has answered it for good. */
  function add(request) {
    const queue = read();
    if (!queue.some((item) => item.key === request.key)) {
      queue.push({ key: request.key, body: request.body, label: request.label, at: Date.now() });
      write(queue);
    }
  }

  /**
   * Sends the queue, oldest first. Answered items leave it (`done` with their receipts, `refused`
   * with the reason); items with a server error, or added meanwhile, stay. One sync at a time.
   */
  function sync() {
    if (syncing) return syncing;
    syncing = (async () => {
      const sent = read().slice(0, BATCH_MAX);
      const outcome = { done: [], refused: [] };
      if (!sent.length) return outcome;
      const answer = await window.FideliaSession.withSession(() =>
        F.api('POST', '/api/checkout/purchases/batch', {
          items: sent.map((item) => ({ idempotencyKey: item.key, purchase: item.body })),
        }),
      );
      const finished = new Set();
      for (const item of sent) {
        const result = (answer.results || []).find((r) => r.idempotencyKey === item.key);
        const busy = result && result.body && result.body.code === 'idempotency.in_progress';
        if (!result || result.status >= 500 || busy) continue;
        finished.add(item.key);
        if (result.status < 300) outcome.done.push({ item, receipt: result.body });
        else outcome.refused.push({ item, status: result.status, error: result.body });
      }
      write(read().filter((item) => !finished.has(item.key)));
      return outcome;
    })().finally(() => {
      syncing = null;
    });
    return syncing;
  }

  window.FideliaTillQueue = { read, add, sync };
})();
