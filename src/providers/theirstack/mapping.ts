import { DateTime } from 'luxon';
import { parseDateTime } from '../../lib/dateTime.js';
import { normaliseDecimalInput } from '../../lib/decimal.js';
import { isLocalMidnight, localWallClock, nextLocalMidnight } from '../../lib/localDays.js';
import type { Bucket } from '../../lib/buckets.js';
import type { MeasuredSpan } from '../../lib/rebucket.js';
import { truncate } from '../../lib/ids.js';
import type { ConsumptionPointModel } from '../../models.js';
import { BucketPoint, type PointOrigin } from '../bucketPoint.js';
import type { CreditsDayDto } from './client.js';

/** TheirStack's unit of account (docs/upstreams/theirstack.md#mapping). */
export const CREDITS = 'CREDITS';
export const CREDIT_UNIT = 'credit';
/** api_credits ← api_credits_consumed, ui_credits ← ui_credits_consumed. */
export const METRICS = ['api_credits', 'ui_credits'] as const;

/** A day keeps changing until it ends in the window's zone (docs/upstreams/theirstack.md#idempotency); isFinal and the cache (docs/cache.md) use this rule. */
export const isFinalBucket = (endMs: number, now: number): boolean => endMs <= now;

/** period_start with an offset is an instant; without one it is a wall-clock time in the request's zone (assumed: docs/upstreams/theirstack.md#time-semantics). */
function periodStartMs(value: string, zone: string): number | null {
  const instant = parseDateTime(value);
  if (instant !== null) return instant;
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(value)) return null;
  const local = DateTime.fromISO(value, { zone });
  return local.isValid ? local.toMillis() : null;
}

/** What a day of the window missing from an answer means (the source's `options.missingDays`). */
export type MissingDays = 'error' | 'zero';

/**
 * The array → one span per local day [midnight, next midnight) of `zone`, or what is wrong with
 * it: a period_start that is not a local midnight, a repeated day, a day outside the window, or
 * (with `missingDays` "error") a day of the window that is not there — `[]` or one day of a
 * month must not read as 0 credits for the rest.
 */
export function toDailySpans(
  days: readonly CreditsDayDto[],
  window: { startMs: number; endMs: number; timeZone: string },
  missingDays: MissingDays = 'error',
): MeasuredSpan[] | string {
  const seen = new Set<number>();
  const spans: MeasuredSpan[] = [];
  for (const [i, day] of days.entries()) {
    const startMs = periodStartMs(day.period_start, window.timeZone);
    if (startMs === null) return `[${i}].period_start "${truncate(day.period_start, 40)}", which is not a date-time`;
    if (!isLocalMidnight(startMs, window.timeZone))
      return `[${i}].period_start "${truncate(day.period_start, 40)}", which is not a midnight in "${window.timeZone}"`;
    if (seen.has(startMs)) return `[${i}].period_start "${truncate(day.period_start, 40)}" twice`;
    if (startMs < window.startMs || startMs >= window.endMs)
      return `[${i}].period_start "${truncate(day.period_start, 40)}", a day outside the requested window`;
    seen.add(startMs);
    spans.push({
      startMs,
      endMs: nextLocalMidnight(startMs, window.timeZone),
      values: { api_credits: decimal(day.api_credits_consumed), ui_credits: decimal(day.ui_credits_consumed) },
    });
  }
  if (missingDays === 'error') {
    // The window's edges are local midnights (TheirstackApi.requireWholeDays), so its days are exactly these.
    let missing = 0;
    let first: number | undefined;
    for (let day = window.startMs; day < window.endMs; day = nextLocalMidnight(day, window.timeZone)) {
      if (seen.has(day)) continue;
      missing++;
      first ??= day;
    }
    if (first !== undefined)
      return `${missing} of the asked days missing, the first ${localWallClock(first, window.timeZone).slice(0, 10)} in "${window.timeZone}" (a missing day is not read as 0 credits: options.missingDays)`;
  }
  return spans;
}

const decimal = (literal: string): string => normaliseDecimalInput(literal) ?? literal;

/** One point per metric and bucket; cost = the credits themselves, in CREDITS. */
export function toPoints(
  sums: readonly Record<string, string>[],
  buckets: readonly Bucket[],
  origin: PointOrigin,
): ConsumptionPointModel[] {
  return buckets.flatMap((bucket, i) =>
    METRICS.map((metric) => {
      const quantity = sums[i]![metric] ?? '0';
      return new BucketPoint(origin, bucket, metric, quantity, CREDIT_UNIT, { amount: quantity, currency: CREDITS });
    }),
  );
}
