import { describe, expect, it } from 'vitest';
import type { CacheStore } from '../../../src/cache/cacheStore.js';
import { createSourceCache, NO_CACHE, type SourceCacheSettings } from '../../../src/cache/sourceCache.js';

/** A store that keeps entries forever and records every call, so each test sees exactly what was asked of it. */
function recordingStore() {
  const entries = new Map<string, unknown>();
  const calls: string[] = [];
  const store: CacheStore = {
    async get(namespace, key) {
      calls.push(`get ${namespace} ${key}`);
      return entries.get(`${namespace}/${key}`);
    },
    async set(namespace, key, value, ttlMs) {
      calls.push(`set ${namespace} ${key} ${ttlMs}`);
      entries.set(`${namespace}/${key}`, value);
    },
    async delete(namespace, key) {
      return entries.delete(`${namespace}/${key}`);
    },
    async deleteByPrefix(namespace, prefix, match) {
      calls.push(`deleteByPrefix ${namespace} ${prefix}`);
      let dropped = 0;
      for (const full of [...entries.keys()]) {
        const key = full.slice(namespace.length + 1);
        if (full.startsWith(`${namespace}/`) && key.startsWith(prefix) && (!match || match(key))) {
          entries.delete(full);
          dropped++;
        }
      }
      return dropped;
    },
    stats: () => ({ maxEntries: 0, maxBytes: 0, entries: entries.size, bytes: 0, namespaces: {} }),
    async clear() {
      entries.clear();
    },
  };
  return { store, calls, entries };
}

const SETTINGS: SourceCacheSettings = { ttlSeconds: 300, openWindowTtlSeconds: 5, listTtlSeconds: 60 };

/** A load that counts its calls and answers a fresh object each time. */
function counter() {
  let calls = 0;
  return {
    load: async () => ({ n: ++calls, nested: { list: [1, 2] } }),
    get calls() {
      return calls;
    },
  };
}

describe('createSourceCache', () => {
  it('keeps a final window’s answer for ttlSeconds, in the source’s namespace, keyed "operation|params"', async () => {
    const { store, calls } = recordingStore();
    const cache = createSourceCache(store, 'g8', SETTINGS);
    const c = counter();
    const first = await cache.through('calculate', 'acc-1|100|200', 'final', c.load);
    const second = await cache.through('calculate', 'acc-1|100|200', 'final', c.load);
    expect(c.calls).toBe(1);
    expect(second).toBe(first);
    expect(calls).toEqual([
      'get g8 calculate|acc-1|100|200',
      'set g8 calculate|acc-1|100|200 300000',
      'get g8 calculate|acc-1|100|200',
    ]);
  });

  it('keeps an open window for openWindowTtlSeconds and a listing for listTtlSeconds', async () => {
    const { store, calls } = recordingStore();
    const cache = createSourceCache(store, 'kb', SETTINGS);
    await cache.through('usage', 'open', 'open', async () => 1);
    await cache.through('accounts', 'all', 'listing', async () => 2);
    expect(calls.filter((c) => c.startsWith('set'))).toEqual(['set kb usage|open 5000', 'set kb accounts|all 60000']);
  });

  it('neither reads nor writes the store when the freshness’s TTL is 0', async () => {
    const { store, calls } = recordingStore();
    const cache = createSourceCache(store, 'g8', { ttlSeconds: 300, openWindowTtlSeconds: 0, listTtlSeconds: 0 });
    const c = counter();
    await cache.through('usage', 'x', 'open', c.load);
    await cache.through('usage', 'x', 'open', c.load);
    await cache.through('accounts', 'all', 'listing', c.load);
    expect(c.calls).toBe(3);
    expect(calls).toEqual([]);
  });

  it('never keeps a rejected load: the next call loads again', async () => {
    const { store, calls } = recordingStore();
    const cache = createSourceCache(store, 'g8', SETTINGS);
    await expect(
      cache.through('calculate', 'p', 'final', async () => {
        throw new Error('upstream down');
      }),
    ).rejects.toThrow('upstream down');
    expect(calls.some((c) => c.startsWith('set'))).toBe(false);
    expect(await cache.through('calculate', 'p', 'final', async () => 'fresh')).toBe('fresh');
  });

  it('freezes a kept value deeply, so no request can change another’s answer', async () => {
    const { store } = recordingStore();
    const cache = createSourceCache(store, 'g8', SETTINGS);
    const value = await cache.through('calculate', 'p', 'final', async () => ({
      totals: { cpu: '1.5' },
      rows: [{ id: 'a' }],
      byId: new Map([['a', { amount: '2' }]]),
    }));
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.totals)).toBe(true);
    expect(Object.isFrozen(value.rows)).toBe(true);
    expect(Object.isFrozen(value.rows[0])).toBe(true);
    expect(Object.isFrozen(value.byId.get('a'))).toBe(true);
    expect(() => {
      (value.totals as { cpu: string }).cpu = '0';
    }).toThrow(TypeError);
  });

  it('does not freeze an answer it does not keep', async () => {
    const { store } = recordingStore();
    const cache = createSourceCache(store, 'g8', { ...SETTINGS, listTtlSeconds: 0 });
    const value = await cache.through('accounts', 'all', 'listing', async () => ({ list: [] as string[] }));
    expect(Object.isFrozen(value)).toBe(false);
  });

  it('keeps separate entries per operation and per params', async () => {
    const { store } = recordingStore();
    const cache = createSourceCache(store, 'g8', SETTINGS);
    expect(await cache.through('a', 'x', 'final', async () => 'a/x')).toBe('a/x');
    expect(await cache.through('a', 'y', 'final', async () => 'a/y')).toBe('a/y');
    expect(await cache.through('b', 'x', 'final', async () => 'b/x')).toBe('b/x');
    expect(await cache.through('a', 'x', 'final', async () => 'again')).toBe('a/x');
  });

  it('invalidates its own operation’s entries by params prefix, leaving other sources and operations', async () => {
    const { store, entries } = recordingStore();
    const kb = createSourceCache(store, 'kb', SETTINGS);
    const other = createSourceCache(store, 'kb2', SETTINGS);
    await kb.through('usage', 'sub-1|2026-10-01|2026-11-01', 'final', async () => 1);
    await kb.through('usage', 'sub-1|2026-11-01|2026-12-01', 'final', async () => 2);
    await kb.through('usage', 'sub-2|2026-10-01|2026-11-01', 'final', async () => 3);
    await kb.through('bundles', 'sub-1|x', 'final', async () => 4);
    await other.through('usage', 'sub-1|2026-10-01|2026-11-01', 'final', async () => 5);
    expect(await kb.invalidate('usage', 'sub-1|')).toBe(2);
    expect([...entries.keys()].sort()).toEqual([
      'kb/bundles|sub-1|x',
      'kb/usage|sub-2|2026-10-01|2026-11-01',
      'kb2/usage|sub-1|2026-10-01|2026-11-01',
    ]);
  });

  it('hands the match function the params alone, without the operation', async () => {
    const { store } = recordingStore();
    const kb = createSourceCache(store, 'kb', SETTINGS);
    await kb.through('usage', 'sub-1|2026-10-01|2026-11-01', 'final', async () => 1);
    await kb.through('usage', 'sub-1|2026-11-01|2026-12-01', 'final', async () => 2);
    const seen: string[] = [];
    const dropped = await kb.invalidate('usage', 'sub-1|', (params) => {
      seen.push(params);
      return params.endsWith('2026-12-01');
    });
    expect(dropped).toBe(1);
    expect(seen.sort()).toEqual(['sub-1|2026-10-01|2026-11-01', 'sub-1|2026-11-01|2026-12-01']);
    expect(await kb.through('usage', 'sub-1|2026-10-01|2026-11-01', 'final', async () => 9)).toBe(1);
    expect(await kb.through('usage', 'sub-1|2026-11-01|2026-12-01', 'final', async () => 9)).toBe(9);
  });
});

describe('NO_CACHE', () => {
  it('loads on every read and invalidates nothing', async () => {
    const c = counter();
    await NO_CACHE.through('a', 'x', 'final', c.load);
    await NO_CACHE.through('a', 'x', 'final', c.load);
    expect(c.calls).toBe(2);
    expect(await NO_CACHE.invalidate('a', '')).toBe(0);
  });
});
