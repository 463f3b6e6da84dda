import { afterFailure, retryDelayMs } from './backoff';

describe('retryDelayMs', () => {
  const min = 60_000;
  it.each([
    [0, 0],
    [1, min],
    [2, 2 * min],
    [3, 4 * min],
    [4, 8 * min],
    [8, 128 * min],
    [9, 240 * min], // capped at 4 h
    [60, 240 * min],
  ])('attempt %i waits %i ms', (attempt, delay) => {
    expect(retryDelayMs(attempt, min, 240 * min)).toBe(delay);
  });
});

describe('afterFailure', () => {
  it.each([
    [1, 5, false, 'retry'],
    [4, 5, false, 'retry'],
    [5, 5, false, 'failed'],
    [6, 5, false, 'failed'],
    [1, 5, true, 'failed'],
  ] as const)('attempt %i of %i (permanent %s) → %s', (attempts, max, permanent, outcome) => {
    expect(afterFailure(attempts, max, permanent)).toBe(outcome);
  });
});
