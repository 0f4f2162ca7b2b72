import { perKey } from '../batch.js';
import { DataLoader } from '../loader.js';
import type { MeasuredSpan } from '../../lib/rebucket.js';
import { NO_CACHE, type SourceCache } from '../../cache/sourceCache.js';
import type { TheirstackClient } from './client.js';
import { isFinalBucket, toDailySpans, type MissingDays } from './mapping.js';

export interface ConsumptionKey {
  readonly startMs: number;
  readonly endMs: number;
  readonly timeZone: string;
}

/**
 * Per-request loaders. One credits_consumption call per (window, zone) returns every day of the
 * window, so consumption at DAY, WEEK, MONTH and TOTAL and cost for the same window share one call.
 * Failures stay on their own key. Across requests, `cache` keeps the days of windows that are over.
 */
export function createTheirstackLoaders(
  client: TheirstackClient,
  cache: SourceCache = NO_CACHE,
  now: () => number = Date.now,
  missingDays: MissingDays = 'error',
) {
  // The checked spans are what is kept, so an answer that fails the checks is never cached.
  // The option is not part of the key: it is fixed per source, and the cache is per source.
  const loadDays = (key: ConsumptionKey): Promise<MeasuredSpan[]> =>
    cache.through(
      'credits_consumption',
      `${key.startMs}|${key.endMs}|${key.timeZone}`,
      isFinalBucket(key.endMs, now()) ? 'final' : 'open',
      async () => {
        const days = await client.creditsConsumption(key.startMs, key.endMs, key.timeZone);
        const spans = toDailySpans(days, key, missingDays);
        if (typeof spans === 'string') throw client.badResponse({ operation: 'teams/credits_consumption' }, spans);
        return spans;
      },
    );
  return {
    days: new DataLoader<ConsumptionKey, MeasuredSpan[], string>(perKey(loadDays), {
      name: 'theirstack.days',
      cacheKeyFn: (k) => `${k.startMs}|${k.endMs}|${k.timeZone}`,
    }),
  };
}

export type TheirstackLoaders = ReturnType<typeof createTheirstackLoaders>;
