import DataLoader from 'dataloader';
import type { MeasuredSpan } from '../../lib/rebucket.js';
import type { TheirstackClient } from './client.js';
import { toDailySpans } from './mapping.js';

export interface ConsumptionKey {
  readonly startMs: number;
  readonly endMs: number;
  readonly timeZone: string;
}

/**
 * Per-request loaders. One credits_consumption call per (window, zone) returns every day of the
 * window, so consumption at DAY, MONTH and TOTAL and cost for the same window share one call.
 * Failures stay on their own key.
 */
export function createTheirstackLoaders(client: TheirstackClient) {
  const loadDays = async (key: ConsumptionKey): Promise<MeasuredSpan[]> => {
    const days = await client.creditsConsumption(key.startMs, key.endMs, key.timeZone);
    const spans = toDailySpans(days, key);
    if (typeof spans === 'string') throw client.badResponse({ operation: 'teams/credits_consumption' }, spans);
    return spans;
  };
  return {
    days: new DataLoader<ConsumptionKey, MeasuredSpan[], string>(
      (keys) => Promise.all(keys.map((k) => loadDays(k).catch((error: unknown) => error as Error))),
      { name: 'theirstack.days', cacheKeyFn: (k) => `${k.startMs}|${k.endMs}|${k.timeZone}` },
    ),
  };
}

export type TheirstackLoaders = ReturnType<typeof createTheirstackLoaders>;
