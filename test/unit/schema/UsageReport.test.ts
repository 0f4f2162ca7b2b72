import type { GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../../src/context.js';
import { currencyBook } from '../../../src/lib/rates.js';
import type { UsageReportModel } from '../../../src/models.js';
import { UsageReport } from '../../../src/schema/UsageReport.js';
import { contextOf, emptyApi } from '../helpers/context.js';
import { pointCosting } from '../helpers/points.js';
import type { SourceModel } from '../../../src/models.js';
import type { ReportModel } from '../../../src/reports/reportModel.js';
import type { ReportRow } from '../../../src/reports/reportRow.js';

const source = { id: 'g8', provider: 'OPENVCLOUD', name: 'g8' } as const;
const report = (currency: string | null): UsageReportModel => ({
  sources: [source],
  points: [
    pointCosting(source, { amount: '1.5', currency: 'EUR' }),
    pointCosting(source, { amount: '1000', currency: 'BUZZ' }),
    pointCosting(source, { amount: '3', currency: 'CREDITS' }),
    pointCosting(source, null, 'TU'),
  ],
  totals: [],
  currency,
  complete: true,
  errors: [],
});

type Field = keyof typeof UsageReport;
const resolve = (field: Field, model: UsageReportModel, ctx: Context): unknown =>
  (UsageReport[field] as (p: unknown, a: unknown, c: unknown, i: GraphQLResolveInfo) => unknown)(
    model,
    {},
    ctx,
    {} as GraphQLResolveInfo,
  );

describe('UsageReport', () => {
  it('splits totals by billing and virtual currency, with the providers’ declared virtual currencies', () => {
    const { ctx } = contextOf([{ id: 'g8', provider: 'OPENVCLOUD', api: emptyApi() }]);
    const model = report(null);
    expect(resolve('totals', model, ctx)).toEqual([{ currency: 'EUR', amount: '1.5' }]);
    expect(resolve('virtualTotals', model, ctx)).toEqual([
      { currency: 'BUZZ', amount: '1000' },
      { currency: 'CREDITS', amount: '3' },
    ]);
    expect(resolve('unpricedMetrics', model, ctx)).toEqual([{ source, metric: 'TU', unit: 'h' }]);
    expect(resolve('converted', model, ctx)).toBeNull();
    expect(resolve('unconverted', model, ctx)).toEqual([]);
  });

  it('converts into the currency asked with the configured rates and lists what had none', () => {
    const book = currencyBook({ BUZZ: { rates: [{ rate: '0.001', to: 'EUR', from: '2026-01-01' }] } });
    const ctx = { currencies: () => book } as unknown as Context;
    const model = report('EUR');
    expect(resolve('converted', model, ctx)).toEqual({ currency: 'EUR', amount: '2.5' });
    expect(resolve('unconverted', model, ctx)).toEqual([{ currency: 'CREDITS', amount: '3' }]);
  });

  it('refuses a currency argument that is not a code', () => {
    const ctx = { currencies: () => currencyBook({}) } as unknown as Context;
    expect(() => resolve('converted', report('usd'), ctx)).toThrow(
      'Argument "currency" must be a currency code of 3–10 capital letters such as "USD", got "usd".',
    );
  });
});

// --- groups (docs/reports.md) ---

const groupSource: SourceModel = { id: 's', provider: 'OPENVCLOUD' as SourceModel['provider'], name: 'S' };
const groupBucket = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };
const row = (metric: string, eur: string, usd?: string): ReportRow => ({
  ...groupBucket,
  metric,
  unit: 'u',
  quantity: '1',
  costs: [{ amount: eur, currency: 'EUR' }, ...(usd ? [{ amount: usd, currency: 'USD' }] : [])],
  source: groupSource,
  account: { id: 'a', name: 'A' },
  subAccount: null,
  resource: null,
});
const groupReport = (rows: ReportRow[], failed: SourceModel[] = []): ReportModel => ({
  sources: [groupSource],
  points: [],
  totals: [],
  complete: failed.length === 0,
  errors: [],
  rows,
  dimensions: ['METRIC'],
  buckets: [groupBucket],
  failed,
  isFinalBucket: () => true,
});
const ROWS = [row('a', '1'), row('b', '5'), row('c', '3', '100'), row('d', '0.5'), row('e', '2')];

type Page = Awaited<ReturnType<typeof groupsOf>>;
const groupsOf = async (model: ReportModel, args: Record<string, unknown>) =>
  (await (UsageReport.groups as unknown as (p: unknown, a: unknown, c: unknown, i: GraphQLResolveInfo) => unknown)(
    model,
    { first: 50, ...args },
    { currencies: () => currencyBook({}) },
    {} as GraphQLResolveInfo,
  )) as {
    edges: { cursor: string; node: { key: { value: string }[]; groupCount: number } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount: number;
  };
const values = (page: Page) => page.edges.map((e) => e.node.key[0]!.value);

describe('UsageReport.groups', () => {
  it('sorts by the report’s largest billing currency, or the one asked', async () => {
    expect(values(await groupsOf(groupReport(ROWS), {}))).toEqual(['b', 'c', 'e', 'a', 'd']);
    expect(values(await groupsOf(groupReport(ROWS), { sortCurrency: 'USD' }))).toEqual(['c', 'a', 'b', 'd', 'e']);
  });

  it('pages with cursors, no group repeated or skipped', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Page = await groupsOf(groupReport(ROWS), { first: 2, after });
      expect(page.totalCount).toBe(5);
      seen.push(...values(page));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(seen).toEqual(['b', 'c', 'e', 'a', 'd']);
    expect(pages).toBe(3);
    const empty = await groupsOf(groupReport(ROWS), { first: 0 });
    expect(empty.edges).toEqual([]);
    expect(empty.pageInfo).toEqual({ hasNextPage: true, endCursor: null });
  });

  it('folds all but the top N into others, which counts in totalCount and pages like any group', async () => {
    const page = await groupsOf(groupReport(ROWS), { top: 2 });
    expect(values(page)).toEqual(['b', 'c', '__others__']);
    expect(page.totalCount).toBe(3);
    expect(page.edges[2]!.node.groupCount).toBe(3);
  });

  it('refuses a page size or top out of range', async () => {
    await expect(groupsOf(groupReport(ROWS), { first: 501 })).rejects.toThrow(
      'Argument "first" must be between 0 and 500, got 501.',
    );
    await expect(groupsOf(groupReport(ROWS), { top: 0 })).rejects.toThrow(
      'Argument "top" must be 1 or more, got 0; omit it for every group.',
    );
  });
});
