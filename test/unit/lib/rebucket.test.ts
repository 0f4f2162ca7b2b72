import { describe, expect, it } from 'vitest';
import { splitWindow } from '../../../src/lib/buckets.js';
import { bucketHolding, OUTSIDE, rebucket, type MeasuredSpan, STRADDLES } from '../../../src/lib/rebucket.js';
import { validateWindow } from '../../../src/lib/timeWindow.js';

const limits = { maxWindowDays: 366, maxHourWindowDays: 31 };
const ms = (iso: string) => Date.parse(iso);
const span = (start: string, end: string, values: Record<string, string>): MeasuredSpan => ({
  startMs: ms(start),
  endMs: ms(end),
  values,
});
const buckets = (start: string, end: string, granularity: 'DAY' | 'MONTH' | 'TOTAL', timeZone = 'UTC') =>
  splitWindow(validateWindow({ start, end, timeZone }, limits), granularity, limits);

// Three Madrid days across the 2026-10-25 fall-back (a 25-hour day), as daily upstream points.
const MADRID_DAYS = [
  span('2026-10-23T22:00:00Z', '2026-10-24T22:00:00Z', { a: '0.1', b: '3' }),
  span('2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z', { a: '0.2', b: '9007199254740993' }),
  span('2026-10-25T23:00:00Z', '2026-10-26T23:00:00Z', { a: '0.300000000000000000004', b: '0' }),
];

describe('rebucket', () => {
  it('keeps each day in its own DAY bucket, including the 25-hour DST day', () => {
    const days = buckets('2026-10-23T22:00:00Z', '2026-10-26T23:00:00Z', 'DAY', 'Europe/Madrid');
    expect(days.map((b) => `${b.start}/${b.end}`)).toEqual([
      '2026-10-23T22:00:00Z/2026-10-24T22:00:00Z',
      '2026-10-24T22:00:00Z/2026-10-25T23:00:00Z',
      '2026-10-25T23:00:00Z/2026-10-26T23:00:00Z',
    ]);
    expect(rebucket(MADRID_DAYS, days, ['a', 'b'])).toEqual({
      ok: true,
      sums: [
        { a: '0.1', b: '3' },
        { a: '0.2', b: '9007199254740993' },
        { a: '0.300000000000000000004', b: '0' },
      ],
    });
  });

  it('sums exactly into a TOTAL bucket (no float rounding: 0.1 + 0.2 is 0.3)', () => {
    const total = buckets('2026-10-23T22:00:00Z', '2026-10-26T23:00:00Z', 'TOTAL', 'Europe/Madrid');
    expect(rebucket(MADRID_DAYS, total, ['a', 'b'])).toEqual({
      ok: true,
      sums: [{ a: '0.600000000000000000004', b: '9007199254740996' }],
    });
  });

  it('sums days into local MONTH buckets', () => {
    const months = buckets('2026-09-30T22:00:00Z', '2026-11-30T23:00:00Z', 'MONTH', 'Europe/Madrid');
    const spans = [
      span('2026-09-30T22:00:00Z', '2026-10-01T22:00:00Z', { a: '1.5' }),
      span('2026-10-30T23:00:00Z', '2026-10-31T23:00:00Z', { a: '2.25' }),
      span('2026-10-31T23:00:00Z', '2026-11-01T23:00:00Z', { a: '4' }),
    ];
    expect(rebucket(spans, months, ['a'])).toEqual({ ok: true, sums: [{ a: '3.75' }, { a: '4' }] });
  });

  it('gives "0" for every metric of a bucket nothing fell into (a day the upstream omitted)', () => {
    const days = buckets('2026-10-01T00:00:00Z', '2026-10-03T00:00:00Z', 'DAY');
    expect(rebucket([span('2026-10-02T00:00:00Z', '2026-10-03T00:00:00Z', { a: '7' })], days, ['a', 'b'])).toEqual({
      ok: true,
      sums: [
        { a: '0', b: '0' },
        { a: '7', b: '0' },
      ],
    });
  });

  it('reports a day that straddles a bucket edge instead of splitting it', () => {
    // UTC days against Madrid day buckets: each UTC day crosses a Madrid midnight.
    const days = buckets('2026-10-01T22:00:00Z', '2026-10-03T22:00:00Z', 'DAY', 'Europe/Madrid');
    const utcDay = span('2026-10-02T00:00:00Z', '2026-10-03T00:00:00Z', { a: '1' });
    expect(rebucket([utcDay], days, ['a'])).toEqual({ ok: false, reason: 'straddles', span: utcDay });
  });

  it('reports a day outside the buckets, before or after, instead of dropping it', () => {
    const days = buckets('2026-10-02T00:00:00Z', '2026-10-04T00:00:00Z', 'DAY');
    const before = span('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', { a: '1' });
    const after = span('2026-10-04T00:00:00Z', '2026-10-05T00:00:00Z', { a: '1' });
    const overlapping = span('2026-10-03T12:00:00Z', '2026-10-04T12:00:00Z', { a: '1' });
    expect(rebucket([before], days, ['a'])).toEqual({ ok: false, reason: 'outside', span: before });
    expect(rebucket([after], days, ['a'])).toEqual({ ok: false, reason: 'outside', span: after });
    expect(rebucket([overlapping], days, ['a'])).toEqual({ ok: false, reason: 'outside', span: overlapping });
  });

  it('finds the right bucket among many (binary search) and never mutates its input', () => {
    const days = buckets('2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z', 'DAY');
    const spans = days.map((b, i) => ({ startMs: b.startMs, endMs: b.endMs, values: { a: String(i) } }));
    const frozen = JSON.stringify(spans);
    const result = rebucket(spans, days, ['a']);
    expect(result.ok && result.sums.map((s) => s.a)).toEqual(days.map((_b, i) => String(i)));
    expect(JSON.stringify(spans)).toBe(frozen);
  });

  it('metrics an upstream adds beyond the expected ones are summed too', () => {
    const total = buckets('2026-10-01T00:00:00Z', '2026-10-03T00:00:00Z', 'TOTAL');
    const spans = [
      span('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', { x: '1' }),
      span('2026-10-02T00:00:00Z', '2026-10-03T00:00:00Z', { x: '2' }),
    ];
    expect(rebucket(spans, total, ['a'])).toEqual({ ok: true, sums: [{ a: '0', x: '3' }] });
  });
});

describe('bucketHolding', () => {
  const buckets = [
    { startMs: 0, endMs: 10 },
    { startMs: 10, endMs: 20 },
    { startMs: 30, endMs: 40 },
  ];

  it('finds the bucket that holds a span wholly, edges included', () => {
    expect(bucketHolding(buckets, 0, 10)).toBe(0);
    expect(bucketHolding(buckets, 12, 20)).toBe(1);
    expect(bucketHolding(buckets, 30, 31)).toBe(2);
  });

  it('reports a span that crosses a bucket edge as straddling', () => {
    expect(bucketHolding(buckets, 5, 15)).toBe(STRADDLES);
    expect(bucketHolding(buckets, 15, 35)).toBe(STRADDLES);
  });

  it('reports a span outside every bucket, or starting in a gap, as outside', () => {
    expect(bucketHolding(buckets, -1, 5)).toBe(OUTSIDE);
    expect(bucketHolding(buckets, 35, 41)).toBe(OUTSIDE);
    expect(bucketHolding(buckets, 22, 25)).toBe(OUTSIDE);
    expect(bucketHolding([], 0, 1)).toBe(OUTSIDE);
  });
});
