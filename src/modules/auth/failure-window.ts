/**
 * Failures counted per key within a fixed window (issue 13, defect 8: sign-in limits per
 * account, whatever address the attempts come from). Pure and in memory: each process counts
 * its own, so N processes allow at most N × the limit — the per-address throttle still applies.
 */
export class FailureWindow {
  private readonly entries = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Whether the key has used up its failures in the current window. */
  blocked(key: string, now: number): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    if (now - e.since >= this.windowMs) {
      this.entries.delete(key);
      return false;
    }
    return e.count >= this.limit;
  }

  fail(key: string, now: number): void {
    const e = this.entries.get(key);
    if (!e || now - e.since >= this.windowMs) {
      if (this.entries.size >= this.maxKeys) this.prune(now);
      this.entries.set(key, { count: 1, since: now });
    } else e.count += 1;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  private prune(now: number): void {
    for (const [k, e] of this.entries) if (now - e.since >= this.windowMs) this.entries.delete(k);
    // Still full: forget the oldest half rather than grow without bound.
    if (this.entries.size >= this.maxKeys) {
      let drop = Math.floor(this.maxKeys / 2);
      for (const k of this.entries.keys()) {
        if (drop-- <= 0) break;
        this.entries.delete(k);
      }
    }
  }
}
