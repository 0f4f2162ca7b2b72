import { describe, expect, it } from 'vitest';
import { splitWindow, type Bucket } from '../../../../src/lib/buckets.js';
import { totalsByCurrency } from '../../../../src/lib/money.js';
import { validateWindow } from '../../../../src/lib/timeWindow.js';
import type { SourceModel } from '../../../../src/models.js';
import { NO_PRICES, ownCostOrigin, type PointOrigin } from '../../../../src/providers/bucketPoint.js';
import { BUZZ, IMAGES_METRIC, IMAGES_UNIT, isFinalBucket, toPoint } from '../../../../src/providers/civitai/mapping.js';

const limits = { maxWindowDays: 366, maxHourWindowDays: 31 };
const source: SourceModel = { id: 'civitai', provider: 'CIVITAI', name: 'Civitai' };
const [october] = splitWindow(
  validateWindow({ start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' }, limits),
  'TOTAL',
  limits,
) as [Bucket];
const octoberEnd = Date.parse('2026-11-01T00:00:00Z');
const origin = (now = octoberEnd): PointOrigin => ({ ...ownCostOrigin(source, now), isFinalBucket });

describe('toPoint', () => {
  it('makes one images point whose cost is totalCost in BUZZ', () => {
    const point = toPoint({ images: '12', totalCost: '340.5' }, october, origin());
    expect([point.metric, point.unit, point.quantity]).toEqual(['images', 'image', '12']);
    expect([IMAGES_METRIC, IMAGES_UNIT, BUZZ]).toEqual(['images', 'image', 'BUZZ']);
    expect(point.cost).toEqual({ amount: '340.5', currency: 'BUZZ' });
  });

  it('reads its window from the bucket and its source and account from the one-account origin', () => {
    const point = toPoint({ images: '1', totalCost: '1' }, october, origin());
    expect([point.start, point.end, point.source, point.accountProviderId, point.resource]).toEqual([
      '2026-10-01T00:00:00Z',
      '2026-11-01T00:00:00Z',
      source,
      'civitai',
      null,
    ]);
  });

  it('keeps an image count beyond 2^53 digit for digit', () => {
    expect(toPoint({ images: '9007199254740993', totalCost: '0' }, october, origin()).quantity).toBe(
      '9007199254740993',
    );
  });

  it('keeps a long fractional cost and its trailing zeros digit for digit', () => {
    const point = toPoint({ images: '3', totalCost: '9007199254740993.100000000000000000001' }, october, origin());
    expect(point.cost?.amount).toBe('9007199254740993.100000000000000000001');
    expect(toPoint({ images: '3', totalCost: '12.50' }, october, origin()).cost?.amount).toBe('12.50');
  });

  it('expands a cost written with an exponent into plain digits', () => {
    expect(toPoint({ images: '1', totalCost: '1.25e3' }, october, origin()).cost?.amount).toBe('1250');
    expect(toPoint({ images: '1', totalCost: '5E-7' }, october, origin()).cost?.amount).toBe('0.0000005');
  });

  it('uses the stated cost even when the origin has a price list for images', () => {
    const priced: PointOrigin = { ...origin(), prices: { images: { amount: '100', currency: 'USD' } } };
    expect(toPoint({ images: '2', totalCost: '7' }, october, priced).cost).toEqual({ amount: '7', currency: 'BUZZ' });
    expect(origin().prices).toBe(NO_PRICES);
  });

  it('never adds Buzz to another currency in a total', () => {
    const buzz = toPoint({ images: '1', totalCost: '0.1' }, october, origin());
    const more = toPoint({ images: '1', totalCost: '0.2' }, october, origin());
    expect(totalsByCurrency([buzz.cost, more.cost, { amount: '5', currency: 'USD' }])).toEqual([
      { currency: 'BUZZ', amount: '0.3' },
      { currency: 'USD', amount: '5' },
    ]);
  });

  it('is final from the instant its bucket ends', () => {
    const dto = { images: '1', totalCost: '1' };
    expect(toPoint(dto, october, origin(octoberEnd - 1)).isFinal).toBe(false);
    expect(toPoint(dto, october, origin(octoberEnd)).isFinal).toBe(true);
  });
});

describe('isFinalBucket', () => {
  it('is false before the bucket end and true at and after it', () => {
    expect(isFinalBucket(octoberEnd, octoberEnd - 1)).toBe(false);
    expect(isFinalBucket(octoberEnd, octoberEnd)).toBe(true);
    expect(isFinalBucket(octoberEnd, octoberEnd + 1)).toBe(true);
  });
});
