/**
 * The relative windows FinOps people ask for, computed from "today" in the view's time zone: whole days,
 * end exclusive. Today is passed in (the page's clock), so tests pin it and the presets move with the date.
 */
import { DateTime } from 'luxon';

export const PRESETS = [
  { id: 'this-month', label: 'This month' },
  { id: 'last-month', label: 'Last month' },
  { id: 'last-30-days', label: 'Last 30 days' },
  { id: 'this-quarter', label: 'This quarter' },
  { id: 'last-12-months', label: 'Last 12 months' },
] as const;

export type PresetId = (typeof PRESETS)[number]['id'];
export const PRESET_IDS: readonly PresetId[] = PRESETS.map((p) => p.id);

/** Whole days in the view's zone: first day inside, first day after (YYYY-MM-DD). */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

/** Today's date (YYYY-MM-DD) in `timeZone` at the instant `now` (epoch ms). */
export function todayIn(timeZone: string, now: number): string {
  return DateTime.fromMillis(now, { zone: timeZone }).toISODate()!;
}

export function presetRange(id: PresetId, today: string): DayRange {
  const t = DateTime.fromISO(today, { zone: 'UTC' });
  const day = (d: DateTime) => d.toISODate()!;
  switch (id) {
    case 'this-month':
      return { from: day(t.startOf('month')), to: day(t.startOf('month').plus({ months: 1 })) };
    case 'last-month':
      return { from: day(t.startOf('month').minus({ months: 1 })), to: day(t.startOf('month')) };
    case 'last-30-days':
      return { from: day(t.minus({ days: 29 })), to: day(t.plus({ days: 1 })) };
    case 'this-quarter':
      return { from: day(t.startOf('quarter')), to: day(t.startOf('quarter').plus({ months: 3 })) };
    case 'last-12-months':
      // Twelve calendar months, this one included: a year of monthly bars ending with the month under way.
      return { from: day(t.startOf('month').minus({ months: 11 })), to: day(t.startOf('month').plus({ months: 1 })) };
  }
}

/** A day range as the API's TimeWindow: local midnights of `timeZone`, as instants with their offset. */
export function timeWindowOf(range: DayRange, timeZone: string): { start: string; end: string; timeZone: string } {
  const midnight = (d: string) =>
    DateTime.fromISO(d, { zone: timeZone }).toISO({ suppressMilliseconds: true, includeOffset: true })!;
  return { start: midnight(range.from), end: midnight(range.to), timeZone };
}

/** Days in a range (for labels such as "31 days"). */
export function daysIn(range: DayRange): number {
  return Math.round(
    DateTime.fromISO(range.to, { zone: 'UTC' }).diff(DateTime.fromISO(range.from, { zone: 'UTC' }), 'days').days,
  );
}

/**
 * The part of a range up to the end of today: nothing is used in the future, and asking sources about it costs
 * calls (an hourly source answers per hour). "This month" is month-to-date; a range wholly in the future stays
 * as it is (and comes back empty).
 */
export function upToToday(range: DayRange, today: string): DayRange {
  const tomorrow = DateTime.fromISO(today, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
  return range.to > tomorrow && range.from < tomorrow ? { from: range.from, to: tomorrow } : range;
}
