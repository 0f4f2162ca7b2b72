import { describe, expect, it } from 'vitest';
import { splitWindow } from '../../../src/lib/buckets.js';
import { validateWindow } from '../../../src/lib/timeWindow.js';
import { BucketPoint, NO_PRICES, ownCostOrigin, type PointOrigin } from '../../../src/providers/bucketPoint.js';

const limits = { maxWindowDays: 366, maxHourWindowDays: 31 };
const [bucket] = splitWindow(
  validateWindow({ start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' }, limits, 'window'),
  'TOTAL',
  limits,
  'window',
);
const end = Date.parse('2026-11-01T00:00:00Z');
const origin = (
  now: number,
  prices: PointOrigin['prices'] = { CU: { amount: '0.0125', currency: 'EUR' } },
): PointOrigin => ({
  source: { id: 'g8', provider: 'OPENVCLOUD', name: 'g8' },
  prices,
  accountProviderId: '7',
  resource: null,
  now,
  isFinalBucket: (endMs, at) => endMs + 3_600_000 <= at,
});

describe('BucketPoint', () => {
  it('reads its window, source and account from its bucket and origin', () => {
    const point = new BucketPoint(origin(end), bucket!, 'CU', '11904.000000', 'CU-hours');
    expect({
      start: point.start,
      end: point.end,
      source: point.source.id,
      account: point.accountProviderId,
      resource: point.resource,
      metric: point.metric,
      quantity: point.quantity,
      unit: point.unit,
    }).toEqual({
      start: '2026-10-01T00:00:00Z',
      end: '2026-11-01T00:00:00Z',
      source: 'g8',
      account: '7',
      resource: null,
      metric: 'CU',
      quantity: '11904.000000',
      unit: 'CU-hours',
    });
  });

  it('is final only once the finality lag after its bucket has passed', () => {
    expect(new BucketPoint(origin(end + 3_599_999), bucket!, 'CU', '1', 'CU-hours').isFinal).toBe(false);
    expect(new BucketPoint(origin(end + 3_600_000), bucket!, 'CU', '1', 'CU-hours').isFinal).toBe(true);
  });

  it('prices its quantity exactly when the metric has a price, and is unpriced otherwise', () => {
    const priced = new BucketPoint(origin(end), bucket!, 'CU', '11904.000000', 'CU-hours');
    expect([priced.cost?.amount, priced.cost?.currency]).toEqual(['148.8', 'EUR']);
    expect(priced.cost).toBe(priced.cost); // priced once, then the same Money
    expect(new BucketPoint(origin(end), bucket!, 'SU', '5', 'SU-hours').cost).toBeNull();
  });

  it('keeps a cost the upstream stated (money-native quantities) instead of pricing it', () => {
    const bill = { amount: '12.50', currency: 'USD' };
    const point = new BucketPoint(origin(end, NO_PRICES), bucket!, 'CU', '12.50', 'USD', bill);
    expect(point.cost).toBe(bill);
    expect(point.listCost).toBeNull();
  });

  it('prices at the price valid at its bucket start, and gives the list cost beside a stated cost', () => {
    const prices = {
      CU: [
        { amount: '0.0125', currency: 'EUR', from: '2026-01-01' },
        { amount: '0.0150', currency: 'EUR', from: '2026-10-01' },
      ],
      SU: [{ amount: '1', currency: 'EUR', from: '2026-10-02' }],
    };
    const point = new BucketPoint(origin(end, prices), bucket!, 'CU', '2', 'CU-hours');
    expect([point.cost?.amount, point.listCost?.amount]).toEqual(['0.03', '0.03']);
    // Before the first entry the metric has no price: null, never zero.
    expect(new BucketPoint(origin(end, prices), bucket!, 'SU', '2', 'SU-hours').cost).toBeNull();
    const stated = new BucketPoint(origin(end, prices), bucket!, 'CU', '2', 'CU-hours', {
      amount: '0.02',
      currency: 'EUR',
    });
    expect([stated.cost?.amount, stated.listCost?.amount]).toEqual(['0.02', '0.03']);
  });

  it('builds a one-account origin whose account is the source and whose price list is empty', () => {
    const source = { id: 'civitai', provider: 'CIVITAI' as const, name: 'c' };
    expect(ownCostOrigin(source, 5)).toEqual({
      source,
      prices: {},
      accountProviderId: 'civitai',
      resource: null,
      now: 5,
    });
  });
});
