import { addDecimals } from './decimal.js';

/** Values an upstream measured over [startMs, endMs), keyed by metric, as exact decimal strings. */
export interface MeasuredSpan {
  readonly startMs: number;
  readonly endMs: number;
  readonly values: Readonly<Record<string, string>>;
}

/** A target bucket: only its edges matter here. Buckets are sorted and do not overlap. */
export interface BucketSpan {
  readonly startMs: number;
  readonly endMs: number;
}

export type RebucketResult =
  /** One entry per bucket, in bucket order: every metric's exact sum ("0" when nothing fell in). */
  | { readonly ok: true; readonly sums: Record<string, string>[] }
  /**
   * A span could not be placed without splitting it: `straddles` crosses a bucket edge,
   * `outside` lies (partly) outside every bucket. Never apportioned — that would invent numbers.
   */
  | { readonly ok: false; readonly reason: 'straddles' | 'outside'; readonly span: MeasuredSpan };

/**
 * Re-buckets finer upstream spans (e.g. daily points) into coarser buckets (days, months, the
 * whole window) by exact decimal sums. A span counts toward the one bucket that contains it
 * entirely; a span that no single bucket contains is reported, not split.
 */
export function rebucket(
  spans: readonly MeasuredSpan[],
  buckets: readonly BucketSpan[],
  metrics: readonly string[],
): RebucketResult {
  const sums = buckets.map(() => Object.fromEntries(metrics.map((m) => [m, '0'])) as Record<string, string>);
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  for (const span of spans) {
    if (!first || !last || span.startMs < first.startMs || span.endMs > last.endMs)
      return { ok: false, reason: 'outside', span };
    const i = bucketContaining(buckets, span.startMs);
    const bucket = i === -1 ? undefined : buckets[i];
    if (!bucket) return { ok: false, reason: 'outside', span };
    if (span.endMs > bucket.endMs) return { ok: false, reason: 'straddles', span };
    const target = sums[i]!;
    for (const [metric, value] of Object.entries(span.values))
      target[metric] = addDecimals(target[metric] ?? '0', value);
  }
  return { ok: true, sums };
}

/** Index of the bucket with startMs <= at < endMs (binary search), or -1 (a gap between buckets). */
function bucketContaining(buckets: readonly BucketSpan[], at: number): number {
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = buckets[mid]!;
    if (at < b.startMs) hi = mid - 1;
    else if (at >= b.endMs) lo = mid + 1;
    else return mid;
  }
  return -1;
}
