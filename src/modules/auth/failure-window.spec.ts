import { FailureWindow } from './failure-window';

describe('FailureWindow', () => {
  const MIN = 60_000;

  it.each([
    [3, 2, false],
    [3, 3, true],
    [3, 10, true],
    [1, 1, true],
  ])('limit %i after %i failures: blocked=%p', (limit, failures, blocked) => {
    const w = new FailureWindow(limit, 15 * MIN);
    for (let i = 0; i < failures; i++) w.fail('a', i);
    expect(w.blocked('a', failures)).toBe(blocked);
    expect(w.blocked('b', failures)).toBe(false);
  });

  it('opens again when the window has passed, and reset clears a key', () => {
    const w = new FailureWindow(2, 15 * MIN);
    w.fail('a', 0);
    w.fail('a', 1);
    expect(w.blocked('a', 15 * MIN - 1)).toBe(true);
    expect(w.blocked('a', 15 * MIN)).toBe(false);
    w.fail('a', 15 * MIN);
    w.fail('a', 15 * MIN);
    w.reset('a');
    expect(w.blocked('a', 15 * MIN)).toBe(false);
  });

  it('stays bounded in memory', () => {
    const w = new FailureWindow(1, MIN, 10);
    for (let i = 0; i < 100; i++) w.fail(`k${i}`, 0);
    expect(w.blocked('k99', 1)).toBe(true);
  });
});
