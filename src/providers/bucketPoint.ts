import type { SourceConfig } from '../config.js';
import type { Bucket } from '../lib/buckets.js';
import { costAt, type Money } from '../lib/money.js';
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

/**
 * A consumption point that keeps only what is its own (metric, quantity, unit) and reads the rest
 * from its bucket and origin: a 7-day DAY traversal makes thousands of points per query, and
 * GC was the largest single cost of the hot path (docs/performance.md). Its cost is priced the
 * first time it is read, so unpriced queries multiply nothing. Points are never spread or
 * cloned (their getters live on the prototype).
 */
export class BucketPoint implements ConsumptionPointModel {
  private priced: Money | null | undefined;

  constructor(
    private readonly origin: PointOrigin,
    private readonly bucket: Bucket,
    readonly metric: string,
    readonly quantity: string,
    readonly unit: string,
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

  get cost(): Money | null {
    if (this.priced === undefined) this.priced = costAt(this.quantity, this.origin.prices[this.metric]);
    return this.priced;
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
