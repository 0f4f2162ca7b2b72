import { BadUserInputError } from './gatewayError.js';
import { formatDateTime, parseDateTime } from './dateTime.js';
import { DAY_MS } from './durations.js';
import { truncate } from './ids.js';

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

/** Longer than any IANA name (the longest, "America/Argentina/ComodRivadavia", has 32 characters). */
const MAX_ZONE_LENGTH = 64;

/**
 * Canonical zone names already seen. Only what Intl hands back goes in, never the caller's
 * spelling, so the set is bounded by the IANA database (about 600 names with their aliases)
 * however many spellings callers send: "eUROPE/mADRID" and "europe/madrid" both add
 * "Europe/Madrid" once. Everything after validation (luxon's zone and formatter caches, our
 * loaders' keys) sees only these names; luxon keeps an Intl.DateTimeFormat (10–46 KB of native
 * memory) per distinct string for ever, so a raw spelling must never reach it.
 */
const canonicalZones = new Set<string>();

/**
 * The IANA name Intl gives a zone spelt in any case or by an alias ("europe/madrid" →
 * "Europe/Madrid", "Etc/UTC" → "UTC"), or null when it is not a named zone. Offset zones
 * ("+01:00") are refused: the API promises IANA names, and each of the 2,800 offsets would be
 * another cached formatter.
 */
export function canonicalTimeZone(zone: string): string | null {
  if (canonicalZones.has(zone)) return zone;
  if (zone.length === 0 || zone.length > MAX_ZONE_LENGTH) return null;
  let canonical: string;
  try {
    // Not cached by V8 or by us: this formatter is garbage once the name is read.
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  if (!/^[A-Za-z]/.test(canonical)) return null;
  canonicalZones.add(canonical);
  return canonical;
}

/** How many canonical zones have been seen (tests: it must not grow with spellings). */
export const canonicalZoneCount = (): number => canonicalZones.size;

/**
 * Checks a TimeWindow argument once. Scalars already normalised start/end to UTC;
 * here we check what spans both fields: order, zone, and the length cap.
 */
export function validateWindow(input: TimeWindowInput, limits: WindowLimits, argument = 'window'): Window {
  const startMs = parseDateTime(input.start);
  const endMs = parseDateTime(input.end);
  if (startMs === null)
    throw new BadUserInputError(
      `Argument "${argument}.start" must be an RFC 3339 instant such as "2026-11-01T00:00:00Z", got "${truncate(input.start)}".`,
      argument,
    );
  if (endMs === null)
    throw new BadUserInputError(
      `Argument "${argument}.end" must be an RFC 3339 instant such as "2026-11-01T00:00:00Z", got "${truncate(input.end)}".`,
      argument,
    );
  if (endMs <= startMs) {
    throw new BadUserInputError(
      `Argument "${argument}": end "${truncate(input.end)}" must be after start "${truncate(input.start)}".`,
      argument,
    );
  }
  const timeZone = canonicalTimeZone(input.timeZone ?? 'UTC');
  if (timeZone === null) {
    throw new BadUserInputError(
      `Argument "${argument}.timeZone" must be an IANA time zone such as "Europe/Madrid", got "${truncate(input.timeZone ?? '')}".`,
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
