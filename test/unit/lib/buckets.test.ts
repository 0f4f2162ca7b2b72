import { describe, expect, it } from 'vitest';
import { countBuckets, splitWindow } from '../../../src/lib/buckets.js';
import { validateWindow } from '../../../src/lib/timeWindow.js';

const limits = { maxWindowDays: 366, maxHourWindowDays: 31, maxDepth: 12, maxAliases: 30, maxBucketsPerRequest: 2000 };
const spans = (start: string, end: string, granularity: 'HOUR' | 'DAY' | 'MONTH' | 'TOTAL', timeZone = 'UTC') =>
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
      for (const granularity of ['DAY', 'MONTH', 'TOTAL'] as const)
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

describe('the UTC fast path of DAY and MONTH', () => {
  const limits = { maxWindowDays: 3660, maxHourWindowDays: 31 };
  const windows = [
    { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' },
    { start: '2026-10-05T13:30:00Z', end: '2026-10-12T07:00:00Z' },
    { start: '2024-02-27T00:00:00Z', end: '2024-03-02T00:00:00Z' }, // leap day
    { start: '2025-12-30T22:00:00Z', end: '2026-03-01T00:00:01Z' }, // year edge, ragged end
    { start: '2020-01-15T00:00:00Z', end: '2026-01-15T00:00:00Z' }, // six years of months
  ];
  it.each(windows)('splits $start – $end exactly as luxon does for Etc/UTC', (input) => {
    for (const granularity of ['DAY', 'MONTH'] as const) {
      const fast = validateWindow({ ...input, timeZone: 'UTC' }, limits, 'window');
      const luxon = validateWindow({ ...input, timeZone: 'Etc/UTC' }, limits, 'window');
      const buckets = splitWindow(fast, granularity, limits);
      expect(buckets).toEqual(splitWindow(luxon, granularity, limits));
      expect(countBuckets(fast, granularity, limits)).toBe(buckets.length);
      expect(countBuckets(luxon, granularity, limits)).toBe(buckets.length);
    }
  });
});
