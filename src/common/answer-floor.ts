import { setTimeout as wait } from 'node:timers/promises';

/**
 * Runs `fn` and answers no sooner than `floorMs` after it started, error or not, so the time a
 * public answer takes does not tell a stranger whether an account exists (issue 13, defect 9:
 * 6.3 ms for a known email, 2.3 ms for an unknown one). Wall time, not the injected clock: it is
 * about what the caller measures. Work slower than the floor still leaks; the floor is chosen
 * well above the slow path (PUBLIC_ANSWER_FLOOR_MS).
 */
export async function answerNoSoonerThan<T>(floorMs: number, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    const left = floorMs - (performance.now() - started);
    if (left > 0) await wait(left);
  }
}
