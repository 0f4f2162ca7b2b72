import { DateTime } from 'luxon';

// Calendar days in an IANA zone, for upstreams that report whole local days. A local day
// runs from one local midnight to the next, so it lasts 23 or 25 hours across a DST change.

/** True when `ms` is the first instant of a calendar day in `zone`. */
export const isLocalMidnight = (ms: number, zone: string): boolean => startOfLocalDay(ms, zone) === ms;

/** The local midnight at or before `ms`. */
export const startOfLocalDay = (ms: number, zone: string): number =>
  DateTime.fromMillis(ms, { zone }).startOf('day').toMillis();

/** The first local midnight after `ms`. */
export const nextLocalMidnight = (ms: number, zone: string): number =>
  DateTime.fromMillis(ms, { zone }).startOf('day').plus({ days: 1 }).startOf('day').toMillis();

/** The local midnight at or after `ms`. */
export const localMidnightAtOrAfter = (ms: number, zone: string): number =>
  isLocalMidnight(ms, zone) ? ms : nextLocalMidnight(ms, zone);

/** Wall-clock time in `zone` without an offset, e.g. 2026-10-25T23:59:59. */
export const localWallClock = (ms: number, zone: string): string =>
  DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");

/** The instant written with `zone`'s offset, e.g. 2026-10-01T00:00:00+02:00 (Z in UTC). */
export const withLocalOffset = (ms: number, zone: string): string =>
  DateTime.fromMillis(ms, { zone })
    .toISO({ suppressMilliseconds: true, includeOffset: true })!
    .replace(/\+00:00$/, 'Z');
