import { perKey } from '../batch.js';
import { DataLoader } from '../loader.js';
import { NO_CACHE, type SourceCache } from '../../cache/sourceCache.js';
import type { CivitaiClient, ConsumptionDetailsDto } from './client.js';
import { isFinalBucket } from './mapping.js';

export interface ConsumptionKey {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Per-request loaders. The endpoint returns one total per window and has no multi-get, so each
 * distinct [start, end) is one upstream call, made at most once per request however many
 * fields (consumption at TOTAL, cost, usageReport) ask for it. Failures stay on their own key.
 * Across requests, `cache` keeps the totals of windows wholly in the past.
 */
export function createCivitaiLoaders(
  client: CivitaiClient,
  cache: SourceCache = NO_CACHE,
  now: () => number = Date.now,
) {
  const keyOf = (k: ConsumptionKey) => `${k.startMs}|${k.endMs}`;
  const load = (k: ConsumptionKey) =>
    cache.through('consumption', keyOf(k), isFinalBucket(k.endMs, now()) ? 'final' : 'open', () =>
      client.consumption(k.startMs, k.endMs),
    );
  return {
    consumption: new DataLoader<ConsumptionKey, ConsumptionDetailsDto, string>(perKey(load), {
      name: 'civitai.consumption',
      cacheKeyFn: keyOf,
    }),
  };
}

export type CivitaiLoaders = ReturnType<typeof createCivitaiLoaders>;
