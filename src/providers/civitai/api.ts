import type { AccountModel, ConsumptionPointModel, SourceModel } from '../../models.js';
import { SourceAccountApi } from '../sourceAccount.js';
import type { BucketedWindow } from '../types.js';
import type { CivitaiLoaders } from './loaders.js';
import { isFinalBucket, toPoint } from './mapping.js';
import { ownCostOrigin } from '../bucketPoint.js';

/**
 * Answers the graph for one Civitai source within one request. The upstream takes arbitrary
 * instants and returns one total per call, so every bucket (HOUR, DAY in any zone, MONTH,
 * TOTAL) is asked for exactly — one call per distinct bucket, shared through the loader.
 */
export class CivitaiApi extends SourceAccountApi {
  constructor(
    source: SourceModel,
    private readonly loaders: CivitaiLoaders,
    private readonly now: () => number,
  ) {
    super(source);
  }

  async accountConsumption(_account: AccountModel, window: BucketedWindow): Promise<ConsumptionPointModel[]> {
    const totals = await Promise.all(
      window.buckets.map((b) => this.loaders.consumption.load({ startMs: b.startMs, endMs: b.endMs })),
    );
    const origin = { ...ownCostOrigin(this.source, this.now()), isFinalBucket };
    return window.buckets.map((bucket, i) => toPoint(totals[i]!, bucket, origin));
  }
}
