import { DateTime } from 'luxon';
import type { Granularity } from '../generated/resolvers.js';
import { BadUserInputError } from './gatewayError.js';
import { formatDateTime } from './dateTime.js';
import { formatDays, type Window, type WindowLimits } from './timeWindow.js';
import { HOUR_MS, DAY_MS } from './durations.js';

/** A UTC week is always 7 days; ISO weeks start on Monday. */
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday, so the first Monday 00:00 UTC at or after the epoch is 4 days later. */
const MONDAY_OFFSET_MS = 4 * DAY_MS;

/** Start of the ISO (Monday) UTC week holding `ms`. */
const utcWeekStart = (ms: number): number => Math.floor((ms - MONDAY_OFFSET_MS) / WEEK_MS) * WEEK_MS + MONDAY_OFFSET_MS;

/** One [startMs, endMs) slice of a window; the first and last may be partial. */
export interface Bucket {
  readonly startMs: number;
  readonly endMs: number;
  readonly start: string;
  readonly end: string;
}

export const GRANULARITY_ORDER: readonly Granularity[] = ['HOUR', 'DAY', 'WEEK', 'MONTH', 'TOTAL'];

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
 * Splits a window into buckets aligned to the window's time zone: DAY, WEEK and MONTH boundaries
 * are local midnights (so a DST day is 23 or 25 hours, a DST week 167 or 169; weeks are ISO
 * weeks, starting Monday), HOUR boundaries are whole UTC hours
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
    case 'WEEK':
    case 'MONTH': {
      if (window.timeZone === 'UTC') return splitUtc(window, granularity);
      const unit = UNIT[granularity];
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

/** luxon's calendar unit of each calendar granularity (luxon's `week` is the ISO week, from Monday). */
const UNIT = { DAY: 'day', WEEK: 'week', MONTH: 'month' } as const;

/**
 * DAY, WEEK and MONTH in UTC, the default zone, by arithmetic: UTC has no DST, so a day is always
 * DAY_MS, a week starts on a Monday every WEEK_MS and a month starts at Date.UTC(year, month, 1). The same buckets luxon computes for
 * any zone (test/unit/lib/buckets.test.ts compares the two), without a DateTime per bucket.
 */
function splitUtc(window: Window, granularity: 'DAY' | 'WEEK' | 'MONTH'): Bucket[] {
  const out: Bucket[] = [];
  let cursor = window.startMs;
  while (cursor < window.endMs) {
    let boundary: number;
    if (granularity === 'DAY') boundary = Math.floor(cursor / DAY_MS) * DAY_MS + DAY_MS;
    else if (granularity === 'WEEK') boundary = utcWeekStart(cursor) + WEEK_MS;
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
 * one calendar difference for DAY, WEEK and MONTH), not a walk over the window.
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
    case 'WEEK':
    case 'MONTH': {
      if (window.timeZone === 'UTC') {
        if (granularity === 'DAY')
          return Math.floor((window.endMs - 1) / DAY_MS) - Math.floor(window.startMs / DAY_MS) + 1;
        if (granularity === 'WEEK')
          return (utcWeekStart(window.endMs - 1) - utcWeekStart(window.startMs)) / WEEK_MS + 1;
        return utcMonthIndex(window.endMs - 1) - utcMonthIndex(window.startMs) + 1;
      }
      const unit = UNIT[granularity];
      const units = `${unit}s` as const;
      const first = DateTime.fromMillis(window.startMs, { zone: window.timeZone }).startOf(unit);
      const last = DateTime.fromMillis(window.endMs - 1, { zone: window.timeZone }).startOf(unit);
      // Both are local starts of a unit, so the calendar difference is whole (a DST day is still one day).
      return Math.round(last.diff(first, units).as(units)) + 1;
    }
  }
}
