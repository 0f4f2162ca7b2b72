import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/bootstrap.js';
import { ConfigError } from '../../../src/config.js';
import { approximateBytes, createLruStore } from '../../../src/cache/lruStore.js';
import { createSourceCache } from '../../../src/cache/sourceCache.js';

describe('createLruStore', () => {
  it('keeps values per namespace: the same key in two namespaces is two entries', async () => {
    const store = createLruStore({ maxEntries: 10, maxBytes: 1 << 20 });
    await store.set('a', 'k', { n: 1 }, 1000);
    await store.set('b', 'k', { n: 2 }, 1000);
    expect(await store.get('a', 'k')).toEqual({ n: 1 });
    expect(await store.get('b', 'k')).toEqual({ n: 2 });
    expect(await store.get('c', 'k')).toBeUndefined();
    const { namespaces, entries } = store.stats();
    expect(entries).toBe(2);
    expect(namespaces.a).toMatchObject({ hits: 1, misses: 0, sets: 1, entries: 1 });
    expect(namespaces.c).toMatchObject({ hits: 0, misses: 1, entries: 0 });
  });

  it('expires on its clock', async () => {
    let now = 1_000_000;
    const store = createLruStore({ maxEntries: 10, maxBytes: 1 << 20, now: () => now });
    await store.set('a', 'k', 'v', 5000);
    now += 4999;
    expect(await store.get('a', 'k')).toBe('v');
    now += 2;
    expect(await store.get('a', 'k')).toBeUndefined();
    expect(store.stats().namespaces.a).toMatchObject({ hits: 1, misses: 1, entries: 0, bytes: 0, evictions: 0 });
  });

  it('evicts the least recently used past maxEntries, counting evictions per namespace', async () => {
    const store = createLruStore({ maxEntries: 3, maxBytes: 1 << 20 });
    for (let i = 0; i < 5; i++) await store.set(i % 2 ? 'odd' : 'even', `k${i}`, i, 60_000);
    const stats = store.stats();
    expect(stats.entries).toBe(3);
    // k0 (even) and k1 (odd) went first.
    expect(await store.get('even', 'k0')).toBeUndefined();
    expect(await store.get('odd', 'k1')).toBeUndefined();
    expect(await store.get('even', 'k4')).toBe(4);
    expect(stats.namespaces.even).toMatchObject({ sets: 3, evictions: 1, entries: 2 });
    expect(stats.namespaces.odd).toMatchObject({ sets: 2, evictions: 1, entries: 1 });
  });

  it('evicts past maxBytes and never holds more than it; a value larger than the bound is not kept', async () => {
    const value = { text: 'x'.repeat(400) };
    const one = approximateBytes('n\u0000k0', value);
    const store = createLruStore({ maxEntries: 1000, maxBytes: one * 4 + 10 });
    for (let i = 0; i < 10; i++) await store.set('n', `k${i}`, value, 60_000);
    const stats = store.stats();
    expect(stats.bytes).toBeLessThanOrEqual(stats.maxBytes);
    expect(stats.entries).toBe(4);
    expect(stats.namespaces.n).toMatchObject({ sets: 10, evictions: 6, entries: 4, bytes: stats.bytes });
    await store.set('n', 'huge', { text: 'x'.repeat(10_000) }, 60_000);
    expect(await store.get('n', 'huge')).toBeUndefined();
    expect(store.stats().entries).toBe(4);
  });

  it('overwriting a key keeps one entry and its new size', async () => {
    const store = createLruStore({ maxEntries: 10, maxBytes: 1 << 20 });
    await store.set('n', 'k', 'short', 60_000);
    await store.set('n', 'k', 'a much longer value', 60_000);
    expect(store.stats().namespaces.n).toMatchObject({
      entries: 1,
      bytes: approximateBytes('n\u0000k', 'a much longer value'),
    });
  });

  it('deleteByPrefix drops only its namespace and prefix, filtered by match', async () => {
    const store = createLruStore({ maxEntries: 100, maxBytes: 1 << 20 });
    for (const key of ['usage|s1|a', 'usage|s1|b', 'usage|s2|a', 'other|s1|a']) await store.set('kb', key, key, 60_000);
    await store.set('kb2', 'usage|s1|a', 'x', 60_000);
    expect(await store.deleteByPrefix('kb', 'usage|s1|', (key) => key.endsWith('|b'))).toBe(1);
    expect(await store.get('kb', 'usage|s1|b')).toBeUndefined();
    expect(await store.get('kb', 'usage|s1|a')).toBe('usage|s1|a');
    expect(await store.deleteByPrefix('kb', 'usage|s1|')).toBe(1);
    expect(await store.get('kb', 'usage|s2|a')).toBe('usage|s2|a');
    expect(await store.get('kb', 'other|s1|a')).toBe('other|s1|a');
    expect(await store.get('kb2', 'usage|s1|a')).toBe('x');
  });
});

describe('createSourceCache', () => {
  const settings = { ttlSeconds: 60, openWindowTtlSeconds: 0, listTtlSeconds: 0 };

  it('loads once per key while fresh, freezes what it keeps, and never keeps a rejection', async () => {
    const store = createLruStore({ maxEntries: 10, maxBytes: 1 << 20 });
    const cache = createSourceCache(store, 'src', settings);
    let calls = 0;
    const load = async () => ({ n: ++calls, nested: { list: [1] } });
    const a = await cache.through('op', 'p', 'final', load);
    const b = await cache.through('op', 'p', 'final', load);
    expect(b).toBe(a);
    expect(calls).toBe(1);
    expect(Object.isFrozen(a.nested.list)).toBe(true);
    await expect(cache.through('op', 'q', 'final', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.through('op', 'q', 'final', load)).toMatchObject({ n: 2 });
    // Open windows and listings are off by default: always loaded, nothing kept.
    await cache.through('op', 'open', 'open', load);
    await cache.through('op', 'open', 'open', load);
    await cache.through('list', '', 'listing', load);
    expect(calls).toBe(5);
    expect(store.stats().namespaces.src?.entries).toBe(2);
  });

  it('invalidate matches on the params of one operation only', async () => {
    const store = createLruStore({ maxEntries: 10, maxBytes: 1 << 20 });
    const cache = createSourceCache(store, 'src', settings);
    for (const p of ['s1|2026-01-01|2026-02-01', 's1|2026-02-01|2026-03-01', 's2|2026-01-01|2026-02-01'])
      await cache.through('usage', p, 'final', async () => p);
    await cache.through('calc', 's1|2026-01-01|2026-02-01', 'final', async () => 'c');
    expect(await cache.invalidate('usage', 's1|', (params) => params.split('|')[1] === '2026-01-01')).toBe(1);
    expect(store.stats().namespaces.src?.entries).toBe(3);
  });
});

describe('cache config', () => {
  const g8 = { id: 'g8', provider: 'OPENVCLOUD', baseUrl: 'http://127.0.0.1:1', credentials: { token: 't' } };
  const problems = (raw: unknown): string[] => {
    try {
      validateConfig(raw, 'test', {});
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  it('defaults: 10000 entries, 64 MiB, and per source only the provider default TTL', () => {
    const config = validateConfig({ sources: [g8] }, 'test', {});
    expect(config.cache).toEqual({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 });
    expect(config.sources[0]!.cache).toEqual({ openWindowTtlSeconds: 0, listTtlSeconds: 0 });
  });

  it('says what to change for bad values', () => {
    expect(problems({ sources: [{ ...g8, cache: { ttlSeconds: -1 } }] })).toEqual([
      'sources[0].cache.ttlSeconds: must be 0 (off) or more seconds',
    ]);
    expect(problems({ sources: [{ ...g8, cache: { ttlSeconds: 1.5 } }] })).toEqual([
      'sources[0].cache.ttlSeconds: must be a whole number of seconds such as 3600 (0 turns this cache off)',
    ]);
    expect(problems({ sources: [{ ...g8, cache: { openWindowTtlSeconds: '60' } }] })).toEqual([
      'sources[0].cache.openWindowTtlSeconds: must be a whole number of seconds such as 3600 (0 turns this cache off)',
    ]);
    expect(problems({ sources: [{ ...g8, cache: { ttl: 60 } }] })[0]).toMatch(/^sources\[0\]\.cache: .*ttl/);
    expect(problems({ sources: [g8], cache: { maxBytes: 1000 } })).toEqual([
      'cache.maxBytes: must be at least 65536 bytes (64 KiB)',
    ]);
    expect(problems({ sources: [g8], cache: { maxEntries: 0 } })).toEqual([
      'cache.maxEntries: must be at least 1 (turn caching off per source with ttlSeconds: 0)',
    ]);
  });
});
