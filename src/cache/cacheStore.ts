/**
 * Where upstream answers are kept across requests. One store per gateway; every entry lives in
 * the namespace of the source it came from (the source id), so two sources never share an
 * entry and a source's entries can be dropped without touching the others'. Asynchronous so a
 * shared store (Redis, memcached) can implement it without changing any caller.
 */
export interface CacheStore {
  /** The live value, or undefined when absent or expired (a miss). */
  get(namespace: string, key: string): Promise<unknown>;
  /** Keeps `value` for `ttlMs` milliseconds (> 0). The value must never be mutated afterwards. */
  set(namespace: string, key: string, value: unknown, ttlMs: number): Promise<void>;
  delete(namespace: string, key: string): Promise<boolean>;
  /**
   * Drops the namespace's entries whose key starts with `prefix` and, when given, satisfies
   * `match`; resolves to how many were dropped. Writes use it to invalidate what they change.
   */
  deleteByPrefix(namespace: string, prefix: string, match?: (key: string) => boolean): Promise<number>;
  /** Counters per namespace plus the store's totals; no upstream call, no I/O for the in-memory store. */
  stats(): CacheStats;
  clear(): Promise<void>;
}

export interface NamespaceStats {
  /** Lookups answered from the store. */
  hits: number;
  /** Lookups that found nothing live (absent or expired). */
  misses: number;
  /** Values stored. */
  sets: number;
  /** Entries dropped to make room (the entry or byte bound), not by expiry or invalidation. */
  evictions: number;
  /** Entries held now. */
  entries: number;
  /** Approximate bytes held now. */
  bytes: number;
}

export interface CacheStats {
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Entries held now, all namespaces. */
  readonly entries: number;
  /** Approximate bytes held now, all namespaces. */
  readonly bytes: number;
  readonly namespaces: Readonly<Record<string, Readonly<NamespaceStats>>>;
}
