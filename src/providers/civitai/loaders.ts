import DataLoader from 'dataloader';
import type { CivitaiClient, ConsumptionDetailsDto } from './client.js';

export interface ConsumptionKey {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Per-request loaders. The endpoint returns one total per window and has no multi-get, so each
 * distinct [start, end) is one upstream call, made at most once per request however many
 * fields (consumption at TOTAL, cost, usageReport) ask for it. Failures stay on their own key.
 */
export function createCivitaiLoaders(client: CivitaiClient) {
  return {
    consumption: new DataLoader<ConsumptionKey, ConsumptionDetailsDto, string>(
      (keys) => Promise.all(keys.map((k) => client.consumption(k.startMs, k.endMs).catch((error: unknown) => error as Error))),
      { name: 'civitai.consumption', cacheKeyFn: (k) => `${k.startMs}|${k.endMs}` },
    ),
  };
}

export type CivitaiLoaders = ReturnType<typeof createCivitaiLoaders>;
