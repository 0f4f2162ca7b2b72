import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { splitWindow } from '../../../src/lib/buckets.js';
import { formatDateTime } from '../../../src/lib/dateTime.js';
import type { Granularity } from '../../../src/generated/resolvers.js';
import {
  finestUnitMs,
  ledgerBacked,
  ledgerHead,
  ledgerReportOf,
  ledgerWriteOf,
  pointsOfSums,
  tailOf,
  type LedgerSourceDeps,
  type LedgerWrite,
  type SourceFreshness,
} from '../../../src/ledger/ledgerApi.js';
import { writeRows, writeSpans, type LedgerRow } from '../../../src/ledger/ledgerStore.js';
import { openLedger, type Ledger } from '../../../src/ledger/openLedger.js';
import type { AccountModel, ConsumptionPointModel, NodeModel, SourceModel } from '../../../src/models.js';
import { BucketPoint, type PointOrigin } from '../../../src/providers/bucketPoint.js';
import type { BucketedWindow, SourceApi } from '../../../src/providers/types.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Midnight UTC of a day of November 2026. */
const nov = (d: number): number => Date.UTC(2026, 10, d);
/** "Now" in these tests: buckets ending by 10 November are final. */
const NOW = nov(10);
const LIMITS = { maxWindowDays: 366, maxHourWindowDays: 31 };

const windowOf = (startMs: number, endMs: number, granularity: Granularity, timeZone = 'UTC'): BucketedWindow => {
  const window = { startMs, endMs, start: formatDateTime(startMs), end: formatDateTime(endMs), timeZone };
  return { window, granularity, buckets: splitWindow(window, granularity, LIMITS) };
};

const SOURCE: SourceModel = { id: 'g8', provider: 'OPENVCLOUD', name: 'G8' };
const finalByEnd = (endMs: number, now: number): boolean => endMs <= now;
const DAILY = { finestGranularity: 'DAY', isFinalBucket: finalByEnd } as const;
const HOURLY = { finestGranularity: 'HOUR', isFinalBucket: finalByEnd } as const;
const MONTHLY = { finestGranularity: 'MONTH', isFinalBucket: finalByEnd } as const;
const ORIGIN: PointOrigin = {
  source: SOURCE,
  prices: { CU: { amount: '0.5', currency: 'EUR' }, SU: { amount: '0.5', currency: 'EUR' } },
  accountProviderId: 'acc-1',
  resource: null,
  now: NOW,
  isFinalBucket: finalByEnd,
};
const ACCOUNT: AccountModel = { __typename: 'Account', source: SOURCE, id: 'A1', providerId: 'acc-1', name: 'One' };

describe('finestUnitMs', () => {
  it('is an hour for an hourly provider, a day for a daily one, and none for coarser ones', () => {
    expect(finestUnitMs({ finestGranularity: 'HOUR' })).toBe(HOUR);
    expect(finestUnitMs({ finestGranularity: 'DAY' })).toBe(DAY);
    expect(finestUnitMs({ finestGranularity: 'MONTH' })).toBeNull();
    expect(finestUnitMs({ finestGranularity: 'TOTAL' })).toBeNull();
  });
});

describe('tailOf', () => {
  it('is the buckets from an index on, as a window starting at the first of them', () => {
    const w = windowOf(nov(7), nov(10), 'DAY', 'UTC');
    const tail = tailOf(w, 1);
    expect(tail.window).toEqual({
      startMs: nov(8),
      start: '2026-11-08T00:00:00Z',
      endMs: nov(10),
      end: '2026-11-10T00:00:00Z',
      timeZone: 'UTC',
    });
    expect(tail.granularity).toBe('DAY');
    expect(tail.buckets).toEqual(w.buckets.slice(1));
  });
});

describe('ledgerHead', () => {
  const isFinal = (endMs: number) => endMs <= NOW;

  it('counts the leading buckets that are final and on the unit’s edges', () => {
    expect(ledgerHead(windowOf(nov(7), nov(12), 'DAY'), DAY, isFinal)).toBe(3);
    expect(ledgerHead(windowOf(Date.UTC(2026, 8, 1), Date.UTC(2026, 11, 1), 'MONTH'), DAY, isFinal)).toBe(2);
  });

  it('stops at the first bucket off the unit’s edges', () => {
    expect(ledgerHead(windowOf(nov(7) + HOUR / 2, nov(8), 'HOUR'), HOUR, isFinal)).toBe(0);
    // Berlin's midnights are 23:00 UTC: no day of it is a UTC day.
    expect(ledgerHead(windowOf(nov(6) + 23 * HOUR, nov(9) + 23 * HOUR, 'DAY', 'Europe/Berlin'), DAY, isFinal)).toBe(0);
  });

  it('stops at the first bucket that is not final, whatever follows it', () => {
    expect(ledgerHead(windowOf(nov(1), nov(5), 'DAY'), DAY, (endMs) => endMs !== nov(3))).toBe(1);
  });
});

describe('ledgerWriteOf', () => {
  const deps = { source: SOURCE, module: DAILY, now: () => NOW };
  const KEY = { accountId: 'acc-1', resourceId: 'vm-7', resourceKind: 'VirtualMachine' };

  it('writes the final buckets one unit long only, numbering metrics from 0 in each bucket, stated costs only', () => {
    const w = windowOf(nov(8), nov(11), 'DAY');
    const [d8, d9, d10] = w.buckets;
    const points = [
      new BucketPoint(ORIGIN, d8!, 'CU', '1.25', 'CU-hours', { amount: '0.1', currency: 'EUR' }),
      new BucketPoint(ORIGIN, d8!, 'SU', '3', 'SU-hours'),
      new BucketPoint(ORIGIN, d9!, 'CU', '2', 'CU-hours', null),
      new BucketPoint(ORIGIN, d10!, 'CU', '9', 'CU-hours'),
    ];
    // Priced from the price list, but not stated by the upstream: the ledger keeps no cost for it.
    expect(points[1]!.cost?.amount).toBe('1.5');
    const write = ledgerWriteOf(points, w, KEY, deps)!;
    expect(
      write.rows.map((r) => [r.bucketStart, r.metric, r.quantity, r.cost, r.metricOrder, r.resourceId, r.resourceKind]),
    ).toEqual([
      ['2026-11-08T00:00:00Z', 'CU', '1.25', { amount: '0.1', currency: 'EUR' }, 0, 'vm-7', 'VirtualMachine'],
      ['2026-11-08T00:00:00Z', 'SU', '3', null, 1, 'vm-7', 'VirtualMachine'],
      ['2026-11-09T00:00:00Z', 'CU', '2', null, 0, 'vm-7', 'VirtualMachine'],
    ]);
    expect(write.rows[0]).toMatchObject({
      sourceId: 'g8',
      provider: 'OPENVCLOUD',
      accountId: 'acc-1',
      bucketEnd: '2026-11-09T00:00:00Z',
      unit: 'CU-hours',
      isFinal: true,
      fetchedAt: '2026-11-10T00:00:00Z',
    });
    expect(write.spans).toEqual([
      {
        accountId: 'acc-1',
        resourceId: 'vm-7',
        bucketStart: '2026-11-08T00:00:00Z',
        bucketEnd: '2026-11-09T00:00:00Z',
      },
      {
        accountId: 'acc-1',
        resourceId: 'vm-7',
        bucketStart: '2026-11-09T00:00:00Z',
        bucketEnd: '2026-11-10T00:00:00Z',
      },
    ]);
  });

  it('keeps the cost of a point that is not a BucketPoint as the point states it', () => {
    const w = windowOf(nov(8), nov(9), 'DAY');
    const plain = {
      start: w.buckets[0]!.start,
      metric: 'CU',
      unit: 'CU-hours',
      quantity: '1',
      cost: { amount: '7', currency: 'USD' },
    };
    const write = ledgerWriteOf([plain as unknown as ConsumptionPointModel], w, KEY, deps)!;
    expect(write.rows.map((r) => r.cost)).toEqual([{ amount: '7', currency: 'USD' }]);
  });

  it('leaves out a partial bucket at the window’s start and writes the whole ones', () => {
    const w = windowOf(nov(8) + HOUR / 2, nov(8) + 3 * HOUR, 'HOUR');
    const points = w.buckets.map((b) => new BucketPoint(ORIGIN, b, 'CU', '1', 'CU-hours'));
    const write = ledgerWriteOf(points, w, KEY, { ...deps, module: HOURLY })!;
    expect(write.spans.map((s) => s.bucketStart)).toEqual(['2026-11-08T01:00:00Z', '2026-11-08T02:00:00Z']);
    expect(write.rows).toHaveLength(2);
  });

  it('writes nothing for buckets coarser than the unit, none final, or a provider the ledger keeps no rows of', () => {
    const week = windowOf(nov(1), nov(8), 'TOTAL');
    const p = [new BucketPoint(ORIGIN, week.buckets[0]!, 'CU', '1', 'CU-hours')];
    expect(ledgerWriteOf(p, week, KEY, deps)).toBeNull();
    const open = windowOf(nov(10), nov(12), 'DAY');
    expect(ledgerWriteOf([], open, KEY, deps)).toBeNull();
    expect(ledgerWriteOf([], windowOf(nov(1), nov(3), 'DAY'), KEY, { ...deps, module: MONTHLY })).toBeNull();
  });

  it('writes the spans of final buckets without points (the upstream said nothing was used)', () => {
    const write = ledgerWriteOf([], windowOf(nov(1), nov(3), 'DAY'), KEY, deps)!;
    expect(write.rows).toEqual([]);
    expect(write.spans.map((s) => s.bucketStart)).toEqual(['2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z']);
  });
});

describe('pointsOfSums', () => {
  it('puts each sum in its asked bucket, with its cost when it has one, priced like the provider otherwise', () => {
    const buckets = windowOf(nov(1), nov(3), 'DAY').buckets;
    const base = { accountId: 'acc-1', resourceId: '', resourceKind: '', unit: 'CU-hours' };
    const points = pointsOfSums(
      [
        { ...base, bucket: 1, metric: 'CU', quantity: '4', cost: '0.75', currency: 'USD' },
        { ...base, bucket: 0, metric: 'CU', quantity: '3', cost: null, currency: null },
      ],
      buckets,
      ORIGIN,
    );
    expect(points.map((p) => [p.start, p.end, p.metric, p.quantity, p.cost?.amount, p.cost?.currency])).toEqual([
      ['2026-11-02T00:00:00Z', '2026-11-03T00:00:00Z', 'CU', '4', '0.75', 'USD'],
      ['2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', 'CU', '3', '1.5', 'EUR'],
    ]);
    expect(points.every((p) => p.isFinal && p.accountProviderId === 'acc-1')).toBe(true);
  });
});

/** An upstream API that says 1.5 CU-hours at 0.25 EUR for every bucket it is asked, and records each window. */
class FakeApi implements SourceApi {
  readonly asked: BucketedWindow[] = [];
  listAccounts = async (): Promise<AccountModel[]> => [ACCOUNT];
  getAccount = async (): Promise<AccountModel | null> => ACCOUNT;
  resolveNode = async (): Promise<NodeModel | null> => null;
  async accountConsumption(_account: AccountModel, window: BucketedWindow): Promise<ConsumptionPointModel[]> {
    this.asked.push(window);
    return window.buckets.map(
      (b) => new BucketPoint(ORIGIN, b, 'CU', '1.5', 'CU-hours', { amount: '0.25', currency: 'EUR' }),
    );
  }
  ownField(): string {
    return 'only this provider has it';
  }
}

describe('ledgerBacked', () => {
  let ledger: Ledger;
  let inner: FakeApi;
  let writes: LedgerWrite[];
  let freshness: SourceFreshness;
  const backedOver = (api: SourceApi): SourceApi => {
    const deps: LedgerSourceDeps = {
      db: ledger.db,
      source: SOURCE,
      module: DAILY,
      prices: {},
      now: () => NOW,
      write: (w) => writes.push(w),
    };
    return ledgerBacked(api, deps, freshness);
  };
  /** What the ledger holds for acc-1: 2 CU-hours at 0.5 EUR a day, with its spans, for days [from, to) of November. */
  const keep = async (from: number, to: number, skip: readonly number[] = []): Promise<void> => {
    const days = Array.from({ length: to - from }, (_, i) => from + i).filter((d) => !skip.includes(d));
    const rows: LedgerRow[] = days.map((d) => ({
      sourceId: 'g8',
      provider: 'OPENVCLOUD',
      accountId: 'acc-1',
      metric: 'CU',
      unit: 'CU-hours',
      bucketStart: formatDateTime(nov(d)),
      bucketEnd: formatDateTime(nov(d + 1)),
      quantity: '2',
      cost: { amount: '0.5', currency: 'EUR' },
      isFinal: true,
      fetchedAt: formatDateTime(NOW),
    }));
    await writeRows(ledger.db, rows);
    const spans = rows.map((r) => ({
      accountId: 'acc-1',
      resourceId: '',
      bucketStart: r.bucketStart,
      bucketEnd: r.bucketEnd,
    }));
    await writeSpans(ledger.db, 'g8', spans, formatDateTime(NOW));
  };
  const show = (points: ConsumptionPointModel[]) =>
    points.map((p) => `${p.start} ${p.quantity} ${p.cost?.amount} ${p.cost?.currency}`);

  beforeAll(async () => {
    ledger = await openLedger({ kind: 'memory' });
  });
  afterAll(async () => {
    await ledger?.close();
  });
  beforeEach(async () => {
    await sql`delete from ledger_rows`.execute(ledger.db);
    await sql`delete from ledger_spans`.execute(ledger.db);
    await sql`delete from ledger_sync`.execute(ledger.db);
    inner = new FakeApi();
    writes = [];
    freshness = { fromLedger: 0, live: 0 };
  });

  it('asks the upstream for everything while the ledger holds nothing, and hands what it answered to the writer', async () => {
    const w = windowOf(nov(7), nov(9), 'DAY');
    const points = await backedOver(inner).accountConsumption(ACCOUNT, w);
    expect(inner.asked).toEqual([w]);
    expect(show(points)).toEqual(['2026-11-07T00:00:00Z 1.5 0.25 EUR', '2026-11-08T00:00:00Z 1.5 0.25 EUR']);
    expect(freshness).toEqual({ fromLedger: 0, live: 2 });
    expect(writes).toHaveLength(1);
    expect(writes[0]!.rows.map((r) => [r.bucketStart, r.quantity, r.cost])).toEqual([
      ['2026-11-07T00:00:00Z', '1.5', { amount: '0.25', currency: 'EUR' }],
      ['2026-11-08T00:00:00Z', '1.5', { amount: '0.25', currency: 'EUR' }],
    ]);
    expect(writes[0]!.spans.map((s) => [s.accountId, s.resourceId, s.bucketStart])).toEqual([
      ['acc-1', '', '2026-11-07T00:00:00Z'],
      ['acc-1', '', '2026-11-08T00:00:00Z'],
    ]);
  });

  it('answers a coarser window over what the ledger holds from the ledger alone, summed exactly', async () => {
    await keep(1, 8);
    const points = await backedOver(inner).accountConsumption(ACCOUNT, windowOf(nov(1), nov(8), 'TOTAL'));
    expect(inner.asked).toEqual([]);
    expect(show(points)).toEqual(['2026-11-01T00:00:00Z 14 3.5 EUR']);
    expect(points[0]!.end).toBe('2026-11-08T00:00:00Z');
    expect(freshness).toEqual({ fromLedger: 1, live: 0 });
    expect(writes).toEqual([]);
  });

  it('asks the upstream only for the tail that is not final, and answers the head from the ledger', async () => {
    await keep(1, 10);
    const points = await backedOver(inner).accountConsumption(ACCOUNT, windowOf(nov(7), nov(12), 'DAY'));
    expect(inner.asked).toHaveLength(1);
    expect(inner.asked[0]!.window.start).toBe('2026-11-10T00:00:00Z');
    expect(inner.asked[0]!.window.startMs).toBe(nov(10));
    expect(inner.asked[0]!.buckets.map((b) => b.start)).toEqual(['2026-11-10T00:00:00Z', '2026-11-11T00:00:00Z']);
    expect(show(points)).toEqual([
      '2026-11-07T00:00:00Z 2 0.5 EUR',
      '2026-11-08T00:00:00Z 2 0.5 EUR',
      '2026-11-09T00:00:00Z 2 0.5 EUR',
      '2026-11-10T00:00:00Z 1.5 0.25 EUR',
      '2026-11-11T00:00:00Z 1.5 0.25 EUR',
    ]);
    expect(freshness).toEqual({ fromLedger: 3, live: 2 });
    // Nothing of the tail is final: nothing to keep.
    expect(writes).toEqual([]);
  });

  it('asks the upstream for the whole window when the ledger lacks one day of its head', async () => {
    await keep(1, 8, [4]);
    const w = windowOf(nov(1), nov(8), 'TOTAL');
    await backedOver(inner).accountConsumption(ACCOUNT, w);
    expect(inner.asked).toEqual([w]);
    expect(freshness).toEqual({ fromLedger: 0, live: 1 });
  });

  it('adds its counts to the freshness it was given, answer after answer', async () => {
    await keep(1, 10);
    const api = backedOver(inner);
    await api.accountConsumption(ACCOUNT, windowOf(nov(1), nov(4), 'DAY'));
    await api.accountConsumption(ACCOUNT, windowOf(nov(8), nov(11), 'DAY'));
    expect(freshness).toEqual({ fromLedger: 5, live: 1 });
  });

  it('has a report reader only when backed', () => {
    expect(ledgerReportOf(inner)).toBeNull();
    expect(ledgerReportOf(backedOver(inner))).toBeTypeOf('function');
  });

  it("is still the upstream API's class, with its other members", async () => {
    const api = backedOver(inner);
    expect(api).toBeInstanceOf(FakeApi);
    expect((api as FakeApi).ownField()).toBe('only this provider has it');
    expect(await api.listAccounts()).toEqual([ACCOUNT]);
    expect('resourceConsumption' in api).toBe(false);
  });

  it('is the upstream API itself for a provider the ledger keeps no rows of', () => {
    const deps = { db: ledger.db, source: SOURCE, module: MONTHLY, prices: {}, now: () => NOW, write: () => {} };
    expect(ledgerBacked(inner, deps, freshness)).toBe(inner);
  });

  it("reports from the ledger the synced head of a window, every account's own rows", async () => {
    await keep(1, 10);
    await ledger.db
      .insertInto('ledger_sync')
      .values({
        source_id: 'g8',
        range_start: formatDateTime(nov(1)),
        range_end: formatDateTime(nov(10)),
        done_until: formatDateTime(nov(5)),
        rows: 0,
        updated_at: formatDateTime(NOW),
      })
      .execute();
    const report = ledgerReportOf(backedOver(inner))!;
    const { head, points } = await report(windowOf(nov(1), nov(8), 'DAY'));
    expect(head).toBe(4);
    expect(show(points)).toEqual([
      '2026-11-01T00:00:00Z 2 0.5 EUR',
      '2026-11-02T00:00:00Z 2 0.5 EUR',
      '2026-11-03T00:00:00Z 2 0.5 EUR',
      '2026-11-04T00:00:00Z 2 0.5 EUR',
    ]);
    expect(freshness).toEqual({ fromLedger: 4, live: 0 });
    expect(inner.asked).toEqual([]);
  });
});
