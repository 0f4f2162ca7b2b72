import type { Bucket } from '../../../src/lib/buckets.js';
import { formatDateTime } from '../../../src/lib/dateTime.js';
import type { Granularity, ConsumptionPointModel } from '../../../src/models.js';
import type { BucketedWindow } from '../../../src/providers/types.js';

export const bucketOf = (start: string, end: string): Bucket => ({
  startMs: Date.parse(start),
  endMs: Date.parse(end),
  start: formatDateTime(Date.parse(start)),
  end: formatDateTime(Date.parse(end)),
});

/** A window cut at the given instants: [a, b), [b, c), … in `timeZone`. */
export function bucketed(edges: readonly string[], granularity: Granularity, timeZone = 'UTC'): BucketedWindow {
  const buckets = edges.slice(1).map((end, i) => bucketOf(edges[i]!, end));
  return {
    window: { ...bucketOf(edges[0]!, edges[edges.length - 1]!), timeZone },
    granularity,
    buckets,
  };
}

/** A point as [start, metric, quantity, unit, cost amount and currency or null]. */
export const pointRow = (p: ConsumptionPointModel) => [
  p.start,
  p.metric,
  p.quantity,
  p.unit,
  p.cost ? `${p.cost.amount} ${p.cost.currency}` : null,
];
