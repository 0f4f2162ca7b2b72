import { describe, expect, it } from 'vitest';
import { splitWindow } from '../../src/lib/buckets.js';
import { validateWindow } from '../../src/lib/timeWindow.js';

const limits = { maxWindowDays: 366, maxHourWindowDays: 31, maxDepth: 12, maxAliases: 30, maxBucketsPerRequest: 2000 };
const spans = (start: string, end: string, granularity: 'HOUR' | 'DAY' | 'MONTH' | 'TOTAL', timeZone = 'UTC') =>
  splitWindow(validateWindow({ start, end, timeZone }, limits), granularity, limits).map((b) => `${b.start}/${b.end}`);

describe('splitWindow', () => {
  it('TOTAL is the window itself', () => {
    expect(spans('2026-10-01T00:00:00Z', '2026-10-03T12:00:00Z', 'TOTAL')).toEqual(['2026-10-01T00:00:00Z/2026-10-03T12:00:00Z']);
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
    expect(() => spans('2026-01-01T00:00:00Z', '2026-02-02T00:00:00Z', 'HOUR')).toThrow(/HOUR granularity allows at most 31 days/);
  });

  it('normalises offsets to UTC before anything else', () => {
    const w = validateWindow({ start: '2026-10-01T02:00:00+02:00', end: '2026-10-02T00:00:00Z' }, limits);
    expect([w.start, w.end, w.timeZone]).toEqual(['2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', 'UTC']);
  });
});
