import { LRUCache } from 'lru-cache';
import { Clock } from './clock';

/**
 * A bounded cache whose entries live `ttlMs` by the injected Clock (so tests move time instead of
 * sleeping): least recently used entries go first when full, stale ones on read. No timers.
 */
export function ttlCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>>(
  clock: Clock,
  opts: { max: number; ttlMs: number },
): LRUCache<K, V> {
  return new LRUCache<K, V>({
    max: opts.max,
    ttl: opts.ttlMs,
    ttlAutopurge: false,
    // Read the clock on every check: lru-cache otherwise keeps "now" for 1 ms.
    ttlResolution: 0,
    perf: { now: () => clock.nowMs() },
  });
}
