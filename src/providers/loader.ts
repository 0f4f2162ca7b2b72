import { AsyncLocalStorage } from 'node:async_hooks';
import BaseDataLoader from 'dataloader';

/** Receives the size of each batch a loader dispatches, with the loader's `name`. */
export type BatchObserver = (loader: string, size: number) => void;

/**
 * The batch observer of the request being executed. A loader is built per request deep inside a
 * provider, far from the gateway that owns the metrics; DataLoader dispatches a batch in the
 * async context of the load that started it, so the gateway runs execution inside
 * `batchObserver.run(…)` and every provider's loaders report without being handed anything.
 */
export const batchObserver = new AsyncLocalStorage<BatchObserver>();

/** DataLoader whose batches are reported to the current batchObserver (one context lookup per batch). */
export class DataLoader<K, V, C = K> extends BaseDataLoader<K, V, C> {
  constructor(batchLoadFn: BaseDataLoader.BatchLoadFn<K, V>, options?: BaseDataLoader.Options<K, V, C>) {
    const name = options?.name ?? 'unnamed';
    super((keys) => {
      batchObserver.getStore()?.(name, keys.length);
      return batchLoadFn(keys);
    }, options);
  }
}
