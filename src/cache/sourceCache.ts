import type { CacheStore } from './cacheStore.js';

/**
 * How long an answer may be reused, decided by the caller from the provider's own finality
 * rule (the one its mapping.ts uses for ConsumptionPoint.isFinal):
 * - `final`: a window that is over and past the source's finality lag (cache.ttlSeconds);
 * - `open`: a window still changing (cache.openWindowTtlSeconds, off by default);
 * - `listing`: accounts, cloudspaces, machines, thresholds — state that changes at any time
 *   (cache.listTtlSeconds, off by default).
 */
export type Freshness = 'final' | 'open' | 'listing';

export interface SourceCacheSettings {
  /** Seconds; 0 = not cached. */
  readonly ttlSeconds: number;
  readonly openWindowTtlSeconds: number;
  readonly listTtlSeconds: number;
}

/**
 * One source's handle on the gateway's store, held by its long-lived runtime. Keys are the
 * operation plus its normalised parameters; the store's namespace is the source id.
 */
export interface SourceCache {
  /**
   * The kept answer of `operation` with `params`, else `load()`'s, kept for the TTL `freshness`
   * gives. A rejected load is never kept. Two requests missing the same key at once both load;
   * the later answer replaces the earlier, which is harmless since both are whole values.
   */
  through<T>(operation: string, params: string, freshness: Freshness, load: () => Promise<T>): Promise<T>;
  /** Drops this source's entries of `operation` whose params start with `paramsPrefix` (and pass `match`). */
  invalidate(operation: string, paramsPrefix: string, match?: (params: string) => boolean): Promise<number>;
}

/** Between the operation and its params; operations are fixed identifiers without it. */
const SEPARATOR = '|';

/**
 * Values are shared by every later request, so they are frozen: a caller that tried to change
 * one would throw instead of silently changing another request's answer. Maps and Sets are
 * left as they are (freezing does not stop their methods); no cached value mutates them.
 */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    const children = value instanceof Map ? [...value.values()] : Object.values(value);
    for (const child of children) deepFreeze(child);
  }
  return value;
}

export function createSourceCache(store: CacheStore, sourceId: string, settings: SourceCacheSettings): SourceCache {
  const ttlMs = (freshness: Freshness): number =>
    1000 *
    (freshness === 'final'
      ? settings.ttlSeconds
      : freshness === 'open'
        ? settings.openWindowTtlSeconds
        : settings.listTtlSeconds);
  async function through<T>(
    operation: string,
    params: string,
    freshness: Freshness,
    load: () => Promise<T>,
  ): Promise<T> {
    const ttl = ttlMs(freshness);
    if (ttl <= 0) return load();
    const key = `${operation}${SEPARATOR}${params}`;
    const kept = await store.get(sourceId, key);
    // Only this function writes the key, always with load()'s T.
    if (kept !== undefined) return kept as T;
    const value = await load();
    await store.set(sourceId, key, deepFreeze(value), ttl);
    return value;
  }
  return {
    through,
    invalidate(operation, paramsPrefix, match) {
      return store.deleteByPrefix(
        sourceId,
        `${operation}${SEPARATOR}${paramsPrefix}`,
        match && ((key) => match(key.slice(operation.length + SEPARATOR.length))),
      );
    },
  };
}

/** For runtimes built outside a gateway (and as the shape of "cache off"): every read loads. */
export const NO_CACHE: SourceCache = {
  through: (_operation, _params, _freshness, load) => load(),
  invalidate: async () => 0,
};
