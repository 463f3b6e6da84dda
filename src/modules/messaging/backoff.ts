/**
 * When to try a message again after its `attempt`-th failure (1-based): doubling from `baseMs`,
 * capped at `maxMs`. No jitter: each row already has its own failure time, and a fixed schedule
 * is what the failure list shows and the tests check.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  if (attempt < 1) return 0;
  const delay = baseMs * 2 ** Math.min(attempt - 1, 30);
  return Math.min(delay, maxMs);
}

/** What becomes of a message whose send failed. */
export function afterFailure(
  attempts: number,
  maxAttempts: number,
  permanent: boolean,
): 'retry' | 'failed' {
  return permanent || attempts >= maxAttempts ? 'failed' : 'retry';
}
