import { IANAZone } from 'luxon';
import { BadUserInputError } from '../errors.js';
import { formatDateTime, parseDateTime } from './dateTime.js';
import { DAY_MS } from './durations.js';

export interface TimeWindowInput {
  start: string;
  end: string;
  timeZone?: string | null;
}

/** A validated half-open window [startMs, endMs). */
export interface Window {
  readonly startMs: number;
  readonly endMs: number;
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
}

export interface WindowLimits {
  /** Longest window, in days. @default 366 */
  maxWindowDays: number;
  /** Longest window at HOUR granularity, in days. @default 31 */
  maxHourWindowDays: number;
}

/**
 * Zones already found valid. Luxon checks a zone by building an Intl.DateTimeFormat (about 0.1 ms),
 * and every request validates its windows twice (the cost estimate, then the resolvers). Only valid
 * names are kept, so the set is bounded by the IANA database whatever callers send.
 */
const validZones = new Set<string>();
const isValidZone = (zone: string): boolean => {
  if (validZones.has(zone)) return true;
  if (!IANAZone.isValidZone(zone)) return false;
  validZones.add(zone);
  return true;
};

/**
 * Checks a TimeWindow argument once. Scalars already normalised start/end to UTC;
 * here we check what spans both fields: order, zone, and the length cap.
 */
export function validateWindow(input: TimeWindowInput, limits: WindowLimits, argument = 'window'): Window {
  const startMs = parseDateTime(input.start);
  const endMs = parseDateTime(input.end);
  if (startMs === null)
    throw new BadUserInputError(
      `Argument "${argument}.start" must be an RFC 3339 instant such as "2026-11-01T00:00:00Z", got "${input.start}".`,
      argument,
    );
  if (endMs === null)
    throw new BadUserInputError(
      `Argument "${argument}.end" must be an RFC 3339 instant such as "2026-11-01T00:00:00Z", got "${input.end}".`,
      argument,
    );
  if (endMs <= startMs) {
    throw new BadUserInputError(
      `Argument "${argument}": end "${input.end}" must be after start "${input.start}".`,
      argument,
    );
  }
  const timeZone = input.timeZone ?? 'UTC';
  if (!isValidZone(timeZone)) {
    throw new BadUserInputError(
      `Argument "${argument}.timeZone" must be an IANA time zone such as "Europe/Madrid", got "${timeZone}".`,
      argument,
    );
  }
  if (endMs - startMs > limits.maxWindowDays * DAY_MS) {
    throw new BadUserInputError(
      `Argument "${argument}" spans ${formatDays(endMs - startMs)} days; the longest window is ${limits.maxWindowDays} days, so split it into shorter windows.`,
      argument,
    );
  }
  return { startMs, endMs, start: formatDateTime(startMs), end: formatDateTime(endMs), timeZone };
}

export const formatDays = (ms: number): string => {
  const days = ms / DAY_MS;
  return Number.isInteger(days) ? String(days) : days.toFixed(2);
};
