/**
 * Batch functions for upstreams without multi-get endpoints. Both keep DataLoader's contract:
 * one result per key, in key order, and a failure is an Error value on its own key (so one
 * failing id never fails its neighbours' fields).
 */

/** Resolves every key of a batch with one shared result (for list calls without parameters). */
export const single =
  <T>(load: () => Promise<T>) =>
  async (keys: readonly unknown[]): Promise<(T | Error)[]> => {
    try {
      const value = await load();
      return keys.map(() => value);
    } catch (error) {
      return keys.map(() => error as Error);
    }
  };

/** Runs one upstream call per key, concurrently, each failure kept on its own key. */
export const perKey =
  <K, V>(load: (key: K) => Promise<V>) =>
  (keys: readonly K[]): Promise<(V | Error)[]> =>
    Promise.all(keys.map((key) => load(key).catch((error: unknown) => error as Error)));
