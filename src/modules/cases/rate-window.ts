/**
 * A fixed-window counter per key (an address, an email), kept in this process: the public
 * complaint form refuses a flood. Several app instances each count their own share.
 */
export class RateWindow {
  private readonly hits = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Counts a hit; false when the key is over its limit in the current window. */
  take(key: string, nowMs: number): boolean {
    const hit = this.hits.get(key);
    if (!hit || hit.until <= nowMs) {
      if (this.hits.size >= this.maxKeys) this.sweep(nowMs);
      this.hits.set(key, { count: 1, until: nowMs + this.windowMs });
      return true;
    }
    hit.count++;
    return hit.count <= this.limit;
  }

  private sweep(nowMs: number) {
    for (const [key, hit] of this.hits) if (hit.until <= nowMs) this.hits.delete(key);
    if (this.hits.size >= this.maxKeys) this.hits.clear();
  }
}
