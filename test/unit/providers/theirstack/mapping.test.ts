import { describe, expect, it } from 'vitest';
import type { Granularity } from '../../../../src/generated/resolvers.js';
import { splitWindow } from '../../../../src/lib/buckets.js';
import { totalsByCurrency } from '../../../../src/lib/money.js';
import { rebucket } from '../../../../src/lib/rebucket.js';
import { validateWindow, type Window } from '../../../../src/lib/timeWindow.js';
import type { SourceModel } from '../../../../src/models.js';
import { ownCostOrigin, type PointOrigin } from '../../../../src/providers/bucketPoint.js';
import type { CreditsDayDto } from '../../../../src/providers/theirstack/client.js';
import {
  CREDIT_UNIT,
  CREDITS,
  isFinalBucket,
  METRICS,
  toDailySpans,
  toPoints,
} from '../../../../src/providers/theirstack/mapping.js';

const limits = { maxWindowDays: 366, maxHourWindowDays: 31 };
const source: SourceModel = { id: 'theirstack', provider: 'THEIRSTACK', name: 'TheirStack' };
const ms = (iso: string): number => Date.parse(iso);
const windowOf = (start: string, end: string, timeZone = 'UTC'): Window =>
  validateWindow({ start, end, timeZone }, limits);
const bucketsOf = (window: Window, granularity: Granularity) => splitWindow(window, granularity, limits);
const day = (period_start: string, api = '1', ui = '0'): CreditsDayDto => ({
  period_start,
  api_credits_consumed: api,
  ui_credits_consumed: ui,
});
const origin = (now: number): PointOrigin => ({ ...ownCostOrigin(source, now), isFinalBucket });

const UTC_OCT_1_3 = windowOf('2026-10-01T00:00:00Z', '2026-10-04T00:00:00Z');
// Madrid, 24 to 26 October 2026: the 25th is the 25-hour fall-back day.
const MADRID = windowOf('2026-10-23T22:00:00Z', '2026-10-26T23:00:00Z', 'Europe/Madrid');

describe('toDailySpans', () => {
  it('turns UTC days written with Z into [midnight, next midnight) spans with both metrics', () => {
    expect(
      toDailySpans(
        [day('2026-10-01T00:00:00Z', '12', '3'), day('2026-10-02T00:00:00Z', '0', '1')],
        UTC_OCT_1_3,
        'zero',
      ),
    ).toEqual([
      {
        startMs: ms('2026-10-01T00:00:00Z'),
        endMs: ms('2026-10-02T00:00:00Z'),
        values: { api_credits: '12', ui_credits: '3' },
      },
      {
        startMs: ms('2026-10-02T00:00:00Z'),
        endMs: ms('2026-10-03T00:00:00Z'),
        values: { api_credits: '0', ui_credits: '1' },
      },
    ]);
  });

  it('reads a period_start without an offset as a wall-clock time in the window zone, with or without a time', () => {
    const spans = toDailySpans([day('2026-10-24'), day('2026-10-26T00:00:00')], MADRID, 'zero');
    expect(spans).toEqual([
      { startMs: ms('2026-10-23T22:00:00Z'), endMs: ms('2026-10-24T22:00:00Z'), values: expect.any(Object) as unknown },
      { startMs: ms('2026-10-25T23:00:00Z'), endMs: ms('2026-10-26T23:00:00Z'), values: expect.any(Object) as unknown },
    ]);
  });

  it('gives the fall-back day a 25-hour span', () => {
    const spans = toDailySpans([day('2026-10-25T00:00:00.000')], MADRID, 'zero');
    expect(Array.isArray(spans)).toBe(true);
    const [span] = spans as Exclude<typeof spans, string>;
    expect([span?.startMs, span?.endMs]).toEqual([ms('2026-10-24T22:00:00Z'), ms('2026-10-25T23:00:00Z')]);
  });

  it('accepts an instant with an offset when it is a midnight of the window zone', () => {
    const spans = toDailySpans([day('2026-10-24T00:00:00+02:00')], MADRID, 'zero');
    expect(spans).toEqual([
      {
        startMs: ms('2026-10-23T22:00:00Z'),
        endMs: ms('2026-10-24T22:00:00Z'),
        values: { api_credits: '1', ui_credits: '0' },
      },
    ]);
  });

  it('keeps credits beyond 2^53 and long fractions digit for digit and expands exponents', () => {
    const spans = toDailySpans(
      [
        day('2026-10-01T00:00:00Z', '9007199254740993', '0.000000000000000000001'),
        day('2026-10-02T00:00:00Z', '1.5e3', '2E-3'),
      ],
      UTC_OCT_1_3,
      'zero',
    );
    expect(Array.isArray(spans) && spans.map((s) => s.values)).toEqual([
      { api_credits: '9007199254740993', ui_credits: '0.000000000000000000001' },
      { api_credits: '1500', ui_credits: '0.002' },
    ]);
  });

  it('refuses an answer missing a day of the window, naming how many and the first, unless missingDays is zero', () => {
    expect(toDailySpans([], UTC_OCT_1_3)).toBe(
      '3 of the asked days missing, the first 2026-10-01 in "UTC" (a missing day is not read as 0 credits: options.missingDays)',
    );
    // Madrid's 25-hour day is one day, found by its local midnight.
    expect(toDailySpans([day('2026-10-24'), day('2026-10-26')], MADRID, 'error')).toBe(
      '1 of the asked days missing, the first 2026-10-25 in "Europe/Madrid" (a missing day is not read as 0 credits: options.missingDays)',
    );
    const all = toDailySpans([day('2026-10-24'), day('2026-10-25'), day('2026-10-26')], MADRID);
    expect(Array.isArray(all) && all.length).toBe(3);
  });

  it('makes no spans of an empty array when missingDays is zero', () => {
    expect(toDailySpans([], UTC_OCT_1_3, 'zero')).toEqual([]);
  });

  it('says which element is not a date-time', () => {
    for (const value of ['tomorrow', '2026-02-30', '2026-02-30T00:00:00Z', '2026-10-01T00:00:00 Z', '']) {
      expect(toDailySpans([day('2026-10-01T00:00:00Z'), day(value)], UTC_OCT_1_3, 'zero')).toBe(
        `[1].period_start "${value}", which is not a date-time`,
      );
    }
  });

  it('says which element is not a midnight of the window zone', () => {
    expect(toDailySpans([day('2026-10-01T12:00:00Z')], UTC_OCT_1_3, 'zero')).toBe(
      '[0].period_start "2026-10-01T12:00:00Z", which is not a midnight in "UTC"',
    );
    // A UTC midnight is 02:00 in Madrid.
    expect(toDailySpans([day('2026-10-24T00:00:00Z')], MADRID, 'zero')).toBe(
      '[0].period_start "2026-10-24T00:00:00Z", which is not a midnight in "Europe/Madrid"',
    );
  });

  it('refuses the same day twice, however it is written', () => {
    expect(toDailySpans([day('2026-10-24'), day('2026-10-24T00:00:00+02:00')], MADRID, 'zero')).toBe(
      '[1].period_start "2026-10-24T00:00:00+02:00" twice',
    );
  });

  it('refuses a day before the window and the day starting at its exclusive end', () => {
    expect(toDailySpans([day('2026-09-30T00:00:00Z')], UTC_OCT_1_3, 'zero')).toBe(
      '[0].period_start "2026-09-30T00:00:00Z", a day outside the requested window',
    );
    expect(toDailySpans([day('2026-10-03T00:00:00Z'), day('2026-10-04T00:00:00Z')], UTC_OCT_1_3, 'zero')).toBe(
      '[1].period_start "2026-10-04T00:00:00Z", a day outside the requested window',
    );
  });

  it('truncates a long period_start in its message to 40 characters', () => {
    const long = `2026-10-01T00:00:00Z${'x'.repeat(60)}`;
    expect(toDailySpans([day(long)], UTC_OCT_1_3, 'zero')).toBe(
      `[0].period_start "${long.slice(0, 40)}…", which is not a date-time`,
    );
  });
});

describe('toPoints', () => {
  it('makes one point per bucket and metric, api_credits first, each costing its own credits', () => {
    const buckets = bucketsOf(windowOf('2026-10-01T00:00:00Z', '2026-10-03T00:00:00Z'), 'DAY');
    const points = toPoints(
      [
        { api_credits: '12', ui_credits: '3' },
        { api_credits: '0', ui_credits: '9007199254740993' },
      ],
      buckets,
      origin(0),
    );
    expect(points.map((p) => [p.start, p.metric, p.quantity, p.unit, p.cost?.amount, p.cost?.currency])).toEqual([
      ['2026-10-01T00:00:00Z', 'api_credits', '12', 'credit', '12', 'CREDITS'],
      ['2026-10-01T00:00:00Z', 'ui_credits', '3', 'credit', '3', 'CREDITS'],
      ['2026-10-02T00:00:00Z', 'api_credits', '0', 'credit', '0', 'CREDITS'],
      ['2026-10-02T00:00:00Z', 'ui_credits', '9007199254740993', 'credit', '9007199254740993', 'CREDITS'],
    ]);
    expect([METRICS, CREDIT_UNIT, CREDITS]).toEqual([['api_credits', 'ui_credits'], 'credit', 'CREDITS']);
  });

  it('gives a metric missing from a bucket sum an explicit zero', () => {
    const buckets = bucketsOf(windowOf('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z'), 'TOTAL');
    const points = toPoints([{ api_credits: '4' }], buckets, origin(0));
    expect(points.map((p) => [p.metric, p.quantity, p.cost?.amount])).toEqual([
      ['api_credits', '4', '4'],
      ['ui_credits', '0', '0'],
    ]);
  });

  it('reads its source and account from the one-account origin', () => {
    const buckets = bucketsOf(windowOf('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z'), 'TOTAL');
    const [point] = toPoints([{ api_credits: '1', ui_credits: '1' }], buckets, origin(0));
    expect([point?.source, point?.accountProviderId, point?.resource]).toEqual([source, 'theirstack', null]);
  });

  it('sums Madrid days, the 25-hour one included, into a month exactly', () => {
    const spans = toDailySpans(
      [
        day('2026-10-24', '0.1', '1'),
        day('2026-10-25', '0.2', '9007199254740993'),
        day('2026-10-26', '0.0000000000000000001', '0'),
      ],
      MADRID,
      'zero',
    );
    if (typeof spans === 'string') throw new Error(spans);
    const buckets = bucketsOf(MADRID, 'TOTAL');
    const sums = rebucket(spans, buckets, METRICS);
    if (!sums.ok) throw new Error(sums.reason);
    const points = toPoints(sums.sums, buckets, origin(0));
    expect(points.map((p) => p.quantity)).toEqual(['0.3000000000000000001', '9007199254740994']);
    expect(totalsByCurrency(points.map((p) => p.cost))).toEqual([
      { currency: 'CREDITS', amount: '9007199254740994.3000000000000000001' },
    ]);
  });

  it('makes no points for no buckets', () => {
    expect(toPoints([], [], origin(0))).toEqual([]);
  });

  it('is final from the instant its bucket ends in the window zone', () => {
    const buckets = bucketsOf(MADRID, 'DAY');
    const firstEnd = ms('2026-10-24T22:00:00Z');
    const sums = buckets.map(() => ({ api_credits: '1', ui_credits: '1' }));
    expect(toPoints(sums, buckets, origin(firstEnd - 1)).map((p) => p.isFinal)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(toPoints(sums, buckets, origin(firstEnd)).map((p) => p.isFinal)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('isFinalBucket', () => {
  it('is false before the bucket end and true at and after it', () => {
    const end = ms('2026-10-02T00:00:00Z');
    expect(isFinalBucket(end, end - 1)).toBe(false);
    expect(isFinalBucket(end, end)).toBe(true);
  });
});
