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
  for (const span of spans) {
    const i = bucketHolding(buckets, span.startMs, span.endMs);
    if (i === OUTSIDE) return { ok: false, reason: 'outside', span };
    if (i === STRADDLES) return { ok: false, reason: 'straddles', span };
    const target = sums[i]!;
    for (const [metric, value] of Object.entries(span.values))
      target[metric] = addDecimals(target[metric] ?? '0', value);
  }
  return { ok: true, sums };
}

/** bucketHolding's answer for a span (partly) outside every bucket, or starting in a gap between two. */
export const OUTSIDE = -1;
/** bucketHolding's answer for a span that starts in one bucket and ends in a later one. */
export const STRADDLES = -2;

/**
 * The one rule for placing a measured span: the index of the bucket that holds [startMs, endMs)
 * wholly, else OUTSIDE or STRADDLES. A span is never split across buckets, since apportioning
 * it would invent numbers. Binary search: buckets are sorted and do not overlap.
 */
export function bucketHolding(buckets: readonly BucketSpan[], startMs: number, endMs: number): number {
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  if (!first || !last || startMs < first.startMs || endMs > last.endMs) return OUTSIDE;
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = buckets[mid]!;
    if (startMs < b.startMs) hi = mid - 1;
    else if (startMs >= b.endMs) lo = mid + 1;
    else return endMs <= b.endMs ? mid : STRADDLES;
  }
  return OUTSIDE;
}
