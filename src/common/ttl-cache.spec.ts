import { Clock } from './clock';
import { ttlCache } from './ttl-cache';

describe('ttlCache (lru-cache on the injected Clock)', () => {
  const start = new Date('2026-12-01T10:00:00Z');

  it.each([
    ['just set', 0, 'v'],
    ['at the ttl', 30_000, 'v'],
    ['one millisecond after the ttl', 30_001, undefined],
    ['long after', 3_600_000, undefined],
  ])('%s: %p ms later it answers %p', (_name, later, expected) => {
    const clock = new Clock();
    clock.set(start);
    const cache = ttlCache<string, string>(clock, { max: 10, ttlMs: 30_000 });
    cache.set('k', 'v');
    clock.advance(later);
    expect(cache.get('k')).toBe(expected);
    expect(cache.has('k')).toBe(expected !== undefined);
  });

  it('drops the least recently used entry when full, not everything', () => {
    const clock = new Clock();
    clock.set(start);
    const cache = ttlCache<string, number>(clock, { max: 3, ttlMs: 30_000 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('d', 4);
    expect([...cache.keys()].sort()).toEqual(['a', 'c', 'd']);
  });
});
