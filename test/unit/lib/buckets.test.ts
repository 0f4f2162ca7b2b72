import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { countBuckets, splitWindow } from '../../../src/lib/buckets.js';
import { validateWindow } from '../../../src/lib/timeWindow.js';

const limits = { maxWindowDays: 366, maxHourWindowDays: 31, maxDepth: 12, maxAliases: 30, maxBucketsPerRequest: 2000 };
const spans = (
  start: string,
  end: string,
  granularity: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'TOTAL',
  timeZone = 'UTC',
) =>
  splitWindow(validateWindow({ start, end, timeZone }, limits), granularity, limits).map((b) => `${b.start}/${b.end}`);

describe('splitWindow', () => {
  it('TOTAL is the window itself', () => {
    expect(spans('2026-10-01T00:00:00Z', '2026-10-03T12:00:00Z', 'TOTAL')).toEqual([
      '2026-10-01T00:00:00Z/2026-10-03T12:00:00Z',
    ]);
  });

  it('DAY buckets are clipped to the window at both ends', () => {
    expect(spans('2026-10-01T06:00:00Z', '2026-10-03T12:00:00Z', 'DAY')).toEqual([
      '2026-10-01T06:00:00Z/2026-10-02T00:00:00Z',
      '2026-10-02T00:00:00Z/2026-10-03T00:00:00Z',
      '2026-10-03T00:00:00Z/2026-10-03T12:00:00Z',
    ]);
  });

  it('DAY buckets follow local midnights, 23 hours on the spring-forward day', () => {
    expect(spans('2026-03-28T23:00:00Z', '2026-03-30T22:00:00Z', 'DAY', 'Europe/Madrid')).toEqual([
      '2026-03-28T23:00:00Z/2026-03-29T22:00:00Z',
      '2026-03-29T22:00:00Z/2026-03-30T22:00:00Z',
    ]);
  });

  it('MONTH buckets follow local month starts', () => {
    expect(spans('2026-09-30T22:00:00Z', '2026-11-30T23:00:00Z', 'MONTH', 'Europe/Madrid')).toEqual([
      '2026-09-30T22:00:00Z/2026-10-31T23:00:00Z',
      '2026-10-31T23:00:00Z/2026-11-30T23:00:00Z',
    ]);
  });

  it('HOUR buckets are whole UTC hours and capped at 31 days', () => {
    expect(spans('2026-10-01T00:30:00Z', '2026-10-01T02:00:00Z', 'HOUR')).toEqual([
      '2026-10-01T00:30:00Z/2026-10-01T01:00:00Z',
      '2026-10-01T01:00:00Z/2026-10-01T02:00:00Z',
    ]);
    expect(() => spans('2026-01-01T00:00:00Z', '2026-02-02T00:00:00Z', 'HOUR')).toThrow(
      /HOUR granularity allows at most 31 days/,
    );
  });

  it('normalises offsets to UTC before anything else', () => {
    const w = validateWindow({ start: '2026-10-01T02:00:00+02:00', end: '2026-10-02T00:00:00Z' }, limits);
    expect([w.start, w.end, w.timeZone]).toEqual(['2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', 'UTC']);
  });
});

describe('countBuckets', () => {
  const windows: [string, string, string][] = [
    ['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', 'UTC'],
    ['2026-10-01T00:30:00Z', '2026-10-01T02:00:00Z', 'UTC'],
    ['2026-10-01T06:00:00Z', '2026-10-03T12:00:00Z', 'UTC'],
    ['2026-03-28T23:00:00Z', '2026-03-30T22:00:00Z', 'Europe/Madrid'],
    ['2026-09-30T22:00:00Z', '2026-11-30T23:00:00Z', 'Europe/Madrid'],
    ['2026-10-25T00:00:00Z', '2026-10-26T00:00:00Z', 'Asia/Kolkata'],
    ['2025-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 'America/New_York'],
  ];
  it('counts exactly the buckets splitWindow returns, for every granularity and zone', () => {
    for (const [start, end, timeZone] of windows) {
      const window = validateWindow({ start, end, timeZone }, limits);
      for (const granularity of ['DAY', 'WEEK', 'MONTH', 'TOTAL'] as const)
        expect(countBuckets(window, granularity, limits), `${start}/${end} ${timeZone} ${granularity}`).toBe(
          splitWindow(window, granularity, limits).length,
        );
      if (window.endMs - window.startMs <= 31 * 86_400_000)
        expect(countBuckets(window, 'HOUR', limits)).toBe(splitWindow(window, 'HOUR', limits).length);
    }
  });

  it('applies the HOUR window cap with the same message as splitWindow', () => {
    const window = validateWindow({ start: '2026-01-01T00:00:00Z', end: '2026-02-02T00:00:00Z' }, limits);
    expect(() => countBuckets(window, 'HOUR', limits, 'w')).toThrow(
      'Argument "w" spans 32 days; HOUR granularity allows at most 31 days, so use DAY or a shorter window.',
    );
  });
});

describe('the UTC fast path of DAY, WEEK and MONTH', () => {
  const limits = { maxWindowDays: 3660, maxHourWindowDays: 31 };
  const windows = [
    { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' },
    { start: '2026-10-05T13:30:00Z', end: '2026-10-12T07:00:00Z' },
    { start: '2024-02-27T00:00:00Z', end: '2024-03-02T00:00:00Z' }, // leap day
    { start: '2025-12-30T22:00:00Z', end: '2026-03-01T00:00:01Z' }, // year edge, ragged end
    { start: '2020-01-15T00:00:00Z', end: '2026-01-15T00:00:00Z' }, // six years of months
  ];
  it.each(windows)('splits $start – $end exactly as luxon does for Etc/UTC', (input) => {
    for (const granularity of ['DAY', 'WEEK', 'MONTH'] as const) {
      const fast = validateWindow({ ...input, timeZone: 'UTC' }, limits, 'window');
      const luxon = validateWindow({ ...input, timeZone: 'Etc/UTC' }, limits, 'window');
      const buckets = splitWindow(fast, granularity, limits);
      expect(buckets).toEqual(splitWindow(luxon, granularity, limits));
      expect(countBuckets(fast, granularity, limits)).toBe(buckets.length);
      expect(countBuckets(luxon, granularity, limits)).toBe(buckets.length);
    }
  });
});

describe('WEEK buckets', () => {
  const HOUR = 3_600_000;
  const hours = (start: string, end: string, timeZone: string) =>
    splitWindow(validateWindow({ start, end, timeZone }, limits), 'WEEK', limits).map(
      (b) => (b.endMs - b.startMs) / HOUR,
    );

  it('start on Mondays at 00:00 UTC, partial first and last weeks clipped to the window', () => {
    // 2026-10-01 is a Thursday; 2026-10-05, 12, 19 and 26 are Mondays.
    expect(spans('2026-10-01T00:00:00Z', '2026-10-22T12:00:00Z', 'WEEK')).toEqual([
      '2026-10-01T00:00:00Z/2026-10-05T00:00:00Z',
      '2026-10-05T00:00:00Z/2026-10-12T00:00:00Z',
      '2026-10-12T00:00:00Z/2026-10-19T00:00:00Z',
      '2026-10-19T00:00:00Z/2026-10-22T12:00:00Z',
    ]);
  });

  it('a window of exactly one ISO week is one bucket', () => {
    expect(spans('2026-10-05T00:00:00Z', '2026-10-12T00:00:00Z', 'WEEK')).toEqual([
      '2026-10-05T00:00:00Z/2026-10-12T00:00:00Z',
    ]);
  });

  it("start on local Mondays in the window's time zone", () => {
    // Monday 2026-10-05 00:00 in Madrid (UTC+2) is 2026-10-04T22:00Z.
    expect(spans('2026-10-01T00:00:00Z', '2026-10-15T00:00:00Z', 'WEEK', 'Europe/Madrid')).toEqual([
      '2026-10-01T00:00:00Z/2026-10-04T22:00:00Z',
      '2026-10-04T22:00:00Z/2026-10-11T22:00:00Z',
      '2026-10-11T22:00:00Z/2026-10-15T00:00:00Z',
    ]);
  });

  it('a DST week is 167 hours in spring and 169 in autumn', () => {
    // Madrid springs forward on Sunday 2026-03-29 and falls back on Sunday 2026-10-25.
    expect(hours('2026-03-22T23:00:00Z', '2026-03-29T22:00:00Z', 'Europe/Madrid')).toEqual([167]);
    expect(hours('2026-10-18T22:00:00Z', '2026-10-25T23:00:00Z', 'Europe/Madrid')).toEqual([169]);
    // New York: 2026-03-08 and 2026-11-01.
    expect(hours('2026-03-02T05:00:00Z', '2026-03-16T04:00:00Z', 'America/New_York')).toEqual([167, 168]);
    expect(hours('2026-10-26T04:00:00Z', '2026-11-02T05:00:00Z', 'America/New_York')).toEqual([169]);
  });

  it('spans a year edge by ISO weeks (2026-12-28 is a Monday of ISO week 53)', () => {
    expect(spans('2026-12-27T00:00:00Z', '2027-01-05T00:00:00Z', 'WEEK')).toEqual([
      '2026-12-27T00:00:00Z/2026-12-28T00:00:00Z',
      '2026-12-28T00:00:00Z/2027-01-04T00:00:00Z',
      '2027-01-04T00:00:00Z/2027-01-05T00:00:00Z',
    ]);
  });

  it("countBuckets equals splitWindow's length for random windows and zones, and every inner start is a local Monday", () => {
    const zones = [
      'UTC',
      'Etc/UTC',
      'Europe/Madrid',
      'America/New_York',
      'Asia/Kolkata',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
    ];
    // A fixed linear congruential generator: the same "random" windows on every run.
    let seed = 20261207;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const base = Date.parse('2025-01-01T00:00:00Z');
    for (let i = 0; i < 300; i++) {
      const startMs = base + Math.floor((next() * 600 * 86_400_000) / 60_000) * 60_000;
      const endMs = startMs + 60_000 + Math.floor((next() * 360 * 86_400_000) / 60_000) * 60_000;
      const timeZone = zones[i % zones.length]!;
      const window = validateWindow(
        { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), timeZone },
        limits,
      );
      const buckets = splitWindow(window, 'WEEK', limits);
      expect(countBuckets(window, 'WEEK', limits), `${window.start}/${window.end} ${timeZone}`).toBe(buckets.length);
      expect(buckets[0]!.startMs).toBe(startMs);
      expect(buckets.at(-1)!.endMs).toBe(endMs);
      for (const [j, b] of buckets.entries()) {
        if (j > 0) {
          expect(b.startMs).toBe(buckets[j - 1]!.endMs);
          const local = DateTime.fromMillis(b.startMs, { zone: timeZone });
          expect([local.weekday, local.hour, local.minute], `${b.start} in ${timeZone}`).toEqual([1, 0, 0]);
        }
      }
    }
  });
});
