import { LRUCache } from 'lru-cache';
import type { CacheStats, CacheStore, NamespaceStats } from './cacheStore.js';

export interface LruStoreOptions {
  /** Most entries held, all namespaces together. */
  readonly maxEntries: number;
  /** Most approximate bytes held (see approximateBytes), all namespaces together. */
  readonly maxBytes: number;
  /** Milliseconds for TTLs; injectable so expiry is tested without sleeping. @default Date.now */
  readonly now?: () => number;
}

interface Entry {
  readonly namespace: string;
  readonly value: unknown;
  readonly bytes: number;
}

/** Source ids never contain it (config.ts), so it splits a stored key back into its namespace. */
const SEPARATOR = '\u0000';
/** What an entry costs beyond its key and JSON: the LRU's node, the wrapper, the DTO's object headers. */
const ENTRY_OVERHEAD_BYTES = 128;

/**
 * The size an entry is charged: its key and its value's JSON, as UTF-16 (two bytes a character,
 * what V8 may hold), plus a fixed overhead. An estimate, not a heap measurement: parsed objects
 * take more than their JSON, which the overhead only partly covers — size maxBytes with margin.
 */
export function approximateBytes(key: string, value: unknown): number {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  return ENTRY_OVERHEAD_BYTES + 2 * (key.length + (json?.length ?? 0));
}

const emptyStats = (): NamespaceStats => ({ hits: 0, misses: 0, sets: 0, evictions: 0, entries: 0, bytes: 0 });

/** The default store: in-process, least-recently-used first out, bounded by entries and bytes. */
export function createLruStore(options: LruStoreOptions): CacheStore {
  const now = options.now ?? Date.now;
  const counters = new Map<string, NamespaceStats>();
  const statsOf = (namespace: string): NamespaceStats => {
    let s = counters.get(namespace);
    if (!s) counters.set(namespace, (s = emptyStats()));
    return s;
  };
  const lru = new LRUCache<string, Entry>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    sizeCalculation: (entry) => entry.bytes,
    // The calendar clock may be injected (tests move it); never cache its reading.
    perf: { now },
    ttlResolution: 0,
    ttlAutopurge: false,
    updateAgeOnGet: false,
    allowStale: false,
    // Called synchronously for every entry leaving, whatever the reason: the only place the
    // per-namespace sizes go down, so they always match what the LRU holds.
    dispose: (entry, _key, reason) => {
      const s = statsOf(entry.namespace);
      s.entries -= 1;
      s.bytes -= entry.bytes;
      if (reason === 'evict') s.evictions += 1;
    },
  });
  const fullKey = (namespace: string, key: string) => `${namespace}${SEPARATOR}${key}`;

  return {
    async get(namespace, key) {
      const entry = lru.get(fullKey(namespace, key));
      const s = statsOf(namespace);
      if (entry === undefined) s.misses += 1;
      else s.hits += 1;
      return entry?.value;
    },
    async set(namespace, key, value, ttlMs) {
      if (!(ttlMs > 0)) return;
      const stored = fullKey(namespace, key);
      const entry: Entry = { namespace, value, bytes: approximateBytes(stored, value) };
      // An entry larger than the whole byte bound is not stored (lru-cache refuses it).
      if (entry.bytes > options.maxBytes) return;
      lru.set(stored, entry, { ttl: ttlMs });
      if (lru.peek(stored, { allowStale: true }) === entry) {
        const s = statsOf(namespace);
        s.sets += 1;
        s.entries += 1;
        s.bytes += entry.bytes;
      }
    },
    async delete(namespace, key) {
      return lru.delete(fullKey(namespace, key));
    },
    async deleteByPrefix(namespace, prefix, match) {
      const head = fullKey(namespace, prefix);
      const skip = namespace.length + SEPARATOR.length;
      const doomed: string[] = [];
      for (const stored of lru.keys())
        if (stored.startsWith(head) && (!match || match(stored.slice(skip)))) doomed.push(stored);
      for (const stored of doomed) lru.delete(stored);
      return doomed.length;
    },
    stats(): CacheStats {
      // Expired entries still count until touched; drop them so sizes report what is live.
      lru.purgeStale();
      let bytes = 0;
      const namespaces: Record<string, NamespaceStats> = {};
      for (const [namespace, s] of counters) {
        namespaces[namespace] = { ...s };
        bytes += s.bytes;
      }
      return { maxEntries: options.maxEntries, maxBytes: options.maxBytes, entries: lru.size, bytes, namespaces };
    },
    async clear() {
      lru.clear();
    },
  };
}
