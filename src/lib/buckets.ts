import { DateTime } from 'luxon';
import type { Granularity } from '../generated/resolvers.js';
import { BadUserInputError } from './gatewayError.js';
import { formatDateTime } from './dateTime.js';
import { formatDays, type Window, type WindowLimits } from './timeWindow.js';
import { HOUR_MS, DAY_MS } from './durations.js';

/** One [startMs, endMs) slice of a window; the first and last may be partial. */
export interface Bucket {
  readonly startMs: number;
  readonly endMs: number;
  readonly start: string;
  readonly end: string;
}

export const GRANULARITY_ORDER: readonly Granularity[] = ['HOUR', 'DAY', 'MONTH', 'TOTAL'];

/** True when `granularity` is at least as coarse as `finest`. */
export const isAtLeast = (granularity: Granularity, finest: Granularity): boolean =>
  GRANULARITY_ORDER.indexOf(granularity) >= GRANULARITY_ORDER.indexOf(finest);

const bucket = (startMs: number, endMs: number): Bucket => ({
  startMs,
  endMs,
  start: formatDateTime(startMs),
  end: formatDateTime(endMs),
});

/**
 * Splits a window into buckets aligned to the window's time zone: DAY and MONTH boundaries
 * are local midnights (so a DST day is 23 or 25 hours), HOUR boundaries are whole UTC hours
 * (every IANA offset in use today is a whole or half hour; half-hour zones get UTC-hour buckets).
 */
export function splitWindow(
  window: Window,
  granularity: Granularity,
  limits: WindowLimits,
  argument = 'window',
): Bucket[] {
  switch (granularity) {
    case 'TOTAL':
      return [bucket(window.startMs, window.endMs)];
    case 'HOUR': {
      checkHourWindow(window, limits, argument);
      const out: Bucket[] = [];
      let cursor = window.startMs;
      while (cursor < window.endMs) {
        const next = Math.min(Math.floor(cursor / HOUR_MS) * HOUR_MS + HOUR_MS, window.endMs);
        out.push(bucket(cursor, next));
        cursor = next;
      }
      return out;
    }
    case 'DAY':
    case 'MONTH': {
      if (window.timeZone === 'UTC') return splitUtc(window, granularity);
      const unit = granularity === 'DAY' ? 'day' : 'month';
      const out: Bucket[] = [];
      let local = DateTime.fromMillis(window.startMs, { zone: window.timeZone }).startOf(unit);
      let cursor = window.startMs;
      while (cursor < window.endMs) {
        local = local.plus({ [unit + 's']: 1 }).startOf(unit);
        const next = Math.min(local.toMillis(), window.endMs);
        out.push(bucket(cursor, next));
        cursor = next;
      }
      return out;
    }
  }
}

/**
 * DAY and MONTH in UTC, the default zone, by arithmetic: UTC has no DST, so a day is always
 * DAY_MS and a month starts at Date.UTC(year, month, 1). The same buckets luxon computes for
 * any zone (test/unit/lib/buckets.test.ts compares the two), without a DateTime per bucket.
 */
function splitUtc(window: Window, granularity: 'DAY' | 'MONTH'): Bucket[] {
  const out: Bucket[] = [];
  let cursor = window.startMs;
  while (cursor < window.endMs) {
    let boundary: number;
    if (granularity === 'DAY') boundary = Math.floor(cursor / DAY_MS) * DAY_MS + DAY_MS;
    else {
      const at = new Date(cursor);
      boundary = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
    }
    const next = Math.min(boundary, window.endMs);
    out.push(bucket(cursor, next));
    cursor = next;
  }
  return out;
}

/** Months since year 0 of the UTC month containing `ms`. */
const utcMonthIndex = (ms: number): number => {
  const at = new Date(ms);
  return at.getUTCFullYear() * 12 + at.getUTCMonth();
};

/** HOUR buckets cost one upstream call each per account: the window length is capped. */
function checkHourWindow(window: Window, limits: WindowLimits, argument: string): void {
  if (window.endMs - window.startMs > limits.maxHourWindowDays * DAY_MS) {
    throw new BadUserInputError(
      `Argument "${argument}" spans ${formatDays(window.endMs - window.startMs)} days; HOUR granularity allows at most ${limits.maxHourWindowDays} days, so use DAY or a shorter window.`,
      argument,
    );
  }
}

/**
 * How many buckets splitWindow would return, without building them: the cost estimate counts
 * buckets of every windowed field of a query before anything runs, so this is arithmetic (and
 * one calendar difference for DAY and MONTH), not a walk over the window.
 */
export function countBuckets(
  window: Window,
  granularity: Granularity,
  limits: WindowLimits,
  argument = 'window',
): number {
  switch (granularity) {
    case 'TOTAL':
      return 1;
    case 'HOUR':
      checkHourWindow(window, limits, argument);
      return Math.floor((window.endMs - 1) / HOUR_MS) - Math.floor(window.startMs / HOUR_MS) + 1;
    case 'DAY':
    case 'MONTH': {
      if (window.timeZone === 'UTC')
        return granularity === 'DAY'
          ? Math.floor((window.endMs - 1) / DAY_MS) - Math.floor(window.startMs / DAY_MS) + 1
          : utcMonthIndex(window.endMs - 1) - utcMonthIndex(window.startMs) + 1;
      const unit = granularity === 'DAY' ? 'day' : 'month';
      const first = DateTime.fromMillis(window.startMs, { zone: window.timeZone }).startOf(unit);
      const last = DateTime.fromMillis(window.endMs - 1, { zone: window.timeZone }).startOf(unit);
      // Both are local starts of a unit, so the calendar difference is whole (a DST day is still one day).
      return (
        Math.round(last.diff(first, unit === 'day' ? 'days' : 'months').as(unit === 'day' ? 'days' : 'months')) + 1
      );
    }
  }
}
