import { describe, expect, it } from 'vitest';
import { splitWindow } from '../../../src/lib/buckets.js';
import { validateWindow } from '../../../src/lib/timeWindow.js';
import { BucketPoint, type PointOrigin } from '../../../src/providers/bucketPoint.js';
import { mergePieces, splitAtChanges, withPriceChanges } from '../../../src/providers/pricedApi.js';
import type { BucketedWindow, SourceApi } from '../../../src/providers/types.js';
import type { AccountModel, Granularity } from '../../../src/models.js';
import type { PriceTable } from '../../../src/lib/prices.js';

const limits = { maxWindowDays: 366, maxHourWindowDays: 31 };
const bucketed = (start: string, end: string, granularity: Granularity): BucketedWindow => {
  const window = validateWindow({ start, end }, limits, 'window');
  return { window, granularity, buckets: splitWindow(window, granularity, limits) };
};
const source = { id: 'g8', provider: 'OPENVCLOUD', name: 'g8' } as const;
const account: AccountModel = { __typename: 'Account', id: 'a', source, providerId: '7', name: null } as AccountModel;

const PRICES: PriceTable = {
  CU: [
    { amount: '0.0125', currency: 'EUR', from: '2026-01-01' },
    { amount: '0.0150', currency: 'EUR', from: '2026-10-02' },
  ],
};

/** An upstream of one CU-hour per hour of each bucket, priced through BucketPoint like a real provider. */
function fakeApi(prices: PriceTable, asked: string[][]): SourceApi {
  const origin: PointOrigin = {
    source,
    prices: prices as PointOrigin['prices'],
    accountProviderId: '7',
    resource: null,
    now: Date.parse('2027-01-01T00:00:00Z'),
    isFinalBucket: () => true,
  };
  return {
    listAccounts: async () => [account],
    getAccount: async () => account,
    resolveNode: async () => null,
    accountConsumption: async (_account, window) => {
      asked.push(window.buckets.map((b) => `${b.start}/${b.end}`));
      return window.buckets.flatMap((b) => [
        new BucketPoint(origin, b, 'CU', String((b.endMs - b.startMs) / 3_600_000), 'CU-hours'),
        new BucketPoint(origin, b, 'SU', '0.5', 'SU-hours'),
      ]);
    },
  };
}

describe('splitAtChanges', () => {
  it('is null when no change falls inside a bucket', () => {
    expect(splitAtChanges(bucketed('2026-10-01T00:00:00Z', '2026-10-04T00:00:00Z', 'DAY'), PRICES)).toBeNull();
  });

  it('cuts a bucket at each change inside it and maps each piece to its bucket', () => {
    const split = splitAtChanges(bucketed('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', 'MONTH'), PRICES)!;
    expect(split.window.buckets.map((b) => [b.start, b.end])).toEqual([
      ['2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z'],
      ['2026-10-02T00:00:00Z', '2026-11-01T00:00:00Z'],
    ]);
    expect([...split.parentOf.values()].map((b) => b.start)).toEqual(['2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z']);
  });
});

describe('withPriceChanges', () => {
  it('returns the inner API itself without a dated list of two prices or more', () => {
    const inner = fakeApi({}, []);
    expect(withPriceChanges(inner, { CU: { amount: '1', currency: 'EUR' } })).toBe(inner);
  });

  it('passes a request with no change inside a bucket straight through, one call, same buckets', async () => {
    const asked: string[][] = [];
    const api = withPriceChanges(fakeApi(PRICES, asked), PRICES);
    const window = bucketed('2026-10-01T00:00:00Z', '2026-10-03T00:00:00Z', 'DAY');
    const points = await api.accountConsumption(account, window);
    expect(asked).toEqual([['2026-10-01T00:00:00Z/2026-10-02T00:00:00Z', '2026-10-02T00:00:00Z/2026-10-03T00:00:00Z']]);
    // Each side of the change at its own price.
    expect(
      points.filter((p) => p.metric === 'CU').map((p) => ({ amount: p.cost!.amount, currency: p.cost!.currency })),
    ).toEqual([
      { amount: '0.3', currency: 'EUR' },
      { amount: '0.36', currency: 'EUR' },
    ]);
  });

  it('prices a MONTH bucket spanning a change as the exact sum of its pieces, in one call', async () => {
    const asked: string[][] = [];
    const api = withPriceChanges(fakeApi(PRICES, asked), PRICES);
    const points = await api.accountConsumption(
      account,
      bucketed('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', 'MONTH'),
    );
    expect(asked).toHaveLength(1);
    expect(points.map((p) => [p.start, p.end, p.metric, p.quantity, p.cost, p.listCost, p.isFinal])).toEqual([
      // 24 h × 0.0125 + 720 h × 0.0150 = 0.3 + 10.8
      [
        '2026-10-01T00:00:00Z',
        '2026-11-01T00:00:00Z',
        'CU',
        '744',
        { amount: '11.1', currency: 'EUR' },
        { amount: '11.1', currency: 'EUR' },
        true,
      ],
      // SU has no price: its cost stays null, never zero.
      ['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', 'SU', '1', null, null, true],
    ]);
  });

  it('wraps resourceConsumption the same way and keeps every other member the inner API’s', async () => {
    const asked: string[][] = [];
    const inner = fakeApi(PRICES, asked);
    class WithResources implements SourceApi {
      listAccounts = () => inner.listAccounts();
      getAccount = (id: string) => inner.getAccount(id);
      resolveNode = () => Promise.resolve(null);
      accountConsumption = (a: AccountModel, w: BucketedWindow) => inner.accountConsumption(a, w);
      resourceConsumption = (_r: unknown, w: BucketedWindow) => inner.accountConsumption(account, w);
      own(): string {
        return this === withResources ? 'inner' : 'wrapper';
      }
    }
    const withResources = new WithResources();
    const api = withPriceChanges(withResources, PRICES) as unknown as WithResources;
    const points = await api.resourceConsumption({}, bucketed('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', 'MONTH'));
    expect(points.find((p) => p.metric === 'CU')!.quantity).toBe('744');
    expect(api.own()).toBe('inner');
    // Provider resolvers find their API class with instanceof: the wrapper keeps it.
    expect(api).toBeInstanceOf(WithResources);
    expect(await api.listAccounts()).toEqual([account]);
  });
});

describe('mergePieces', () => {
  it('keeps a point it cannot place, and nulls a cost whose pieces disagree on currency', () => {
    const window = bucketed('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', 'MONTH');
    const split = splitAtChanges(window, PRICES)!;
    const base = { source, metric: 'X', unit: 'u', accountProviderId: '7', resource: null, isFinal: false };
    const merged = mergePieces(
      [
        {
          ...base,
          start: '2026-10-01T00:00:00Z',
          end: '2026-10-02T00:00:00Z',
          quantity: '1',
          cost: { amount: '1', currency: 'EUR' },
        },
        {
          ...base,
          start: '2026-10-02T00:00:00Z',
          end: '2026-11-01T00:00:00Z',
          quantity: '2',
          cost: { amount: '1', currency: 'USD' },
        },
        { ...base, start: '2026-10-05T00:00:00Z', end: '2026-10-06T00:00:00Z', quantity: '9', cost: null },
      ],
      split.parentOf,
    );
    expect(merged.map((p) => [p.start, p.quantity, p.cost, p.isFinal])).toEqual([
      ['2026-10-01T00:00:00Z', '3', null, false],
      ['2026-10-05T00:00:00Z', '9', null, false],
    ]);
  });
});
