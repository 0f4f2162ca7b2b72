import type { SourceConfig } from '../config.js';
import type { Bucket } from '../lib/buckets.js';
import { costAt, type Money } from '../lib/money.js';
import { priceAt } from '../lib/prices.js';
import type { ConsumptionPointModel, ResourceModel, SourceModel } from '../models.js';

/** What every point of one node and bucket has in common: shared, not copied into each point. */
export interface PointOrigin {
  readonly source: SourceModel;
  readonly prices: SourceConfig['prices'];
  readonly accountProviderId: string;
  readonly resource: ResourceModel | null;
  /** Milliseconds since epoch when the points were read. */
  readonly now: number;
  /** The provider's finality rule (its mapping's isFinalBucket), also what the cache keys on. */
  readonly isFinalBucket: (endMs: number, now: number) => boolean;
}

/** An origin's price list when its points carry their own cost (a bill that is money already). */
export const NO_PRICES: PointOrigin['prices'] = Object.freeze({});

/**
 * The origin of a one-account source's points (the account is the source); the caller adds its
 * provider's isFinalBucket. A source that reports quantities only passes its `sources[].prices`
 * (`config.prices`), so each point without a cost of its own is priced quantity × the metric's price.
 */
export const sourceAccountOrigin = (
  source: SourceModel,
  now: number,
  prices: PointOrigin['prices'],
): Omit<PointOrigin, 'isFinalBucket'> => ({
  source,
  prices,
  accountProviderId: source.id,
  resource: null,
  now,
});

/** The origin of a one-account source whose points carry their own cost (money already: no price list). */
export const ownCostOrigin = (source: SourceModel, now: number): Omit<PointOrigin, 'isFinalBucket'> =>
  sourceAccountOrigin(source, now, NO_PRICES);

/**
 * The one consumption point every provider builds. It keeps only what is its own (metric, quantity, unit, and a cost given in advance) and reads the rest
 * from its bucket and origin: a 7-day DAY traversal makes thousands of points per query, and
 * GC was the largest single cost of the hot path (docs/performance.md). A cost not given is
 * priced from the source's price list (the price valid at the bucket's start, docs/pricing.md)
 * the first time it is read, so unpriced queries multiply nothing. Points are never spread or cloned (their getters live on the prototype).
 */
export class BucketPoint implements ConsumptionPointModel {
  /** The price list's cost, computed on first read; undefined until then. */
  private priced: Money | null | undefined;

  /**
   * @param statedCost the point's own cost when the upstream states it (Hyperstack's bills,
   *   Civitai's Buzz, TheirStack's credits; null: it states none); omitted, the cost is
   *   quantity × the origin's price for the metric. The ledger keeps only what was stated.
   */
  constructor(
    private readonly origin: PointOrigin,
    private readonly bucket: Bucket,
    readonly metric: string,
    readonly quantity: string,
    readonly unit: string,
    readonly statedCost?: Money | null,
  ) {}

  get source(): SourceModel {
    return this.origin.source;
  }

  get start(): string {
    return this.bucket.start;
  }

  get end(): string {
    return this.bucket.end;
  }

  /** Billed cost: what the upstream states, else the list cost. */
  get cost(): Money | null {
    if (this.statedCost !== undefined) return this.statedCost;
    if (this.priced === undefined) this.priced = this.listCost;
    return this.priced;
  }

  /** quantity × the price valid at the bucket's start, when the source's price list prices the metric; else null. */
  get listCost(): Money | null {
    return costAt(this.quantity, priceAt(this.origin.prices[this.metric], this.bucket.startMs));
  }

  /** The bucket's edges, in milliseconds since epoch. */
  get startMs(): number {
    return this.bucket.startMs;
  }

  get endMs(): number {
    return this.bucket.endMs;
  }

  get accountProviderId(): string {
    return this.origin.accountProviderId;
  }

  get resource(): ResourceModel | null {
    return this.origin.resource;
  }

  get isFinal(): boolean {
    return this.origin.isFinalBucket(this.bucket.endMs, this.origin.now);
  }
}
