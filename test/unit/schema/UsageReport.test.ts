import type { GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { SourceModel } from '../../../src/models.js';
import type { ReportModel } from '../../../src/reports/reportModel.js';
import type { ReportRow } from '../../../src/reports/reportRow.js';
import { UsageReport } from '../../../src/schema/UsageReport.js';

const source: SourceModel = { id: 's', provider: 'OPENVCLOUD' as SourceModel['provider'], name: 'S' };
const bucket = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };
const row = (metric: string, eur: string, usd?: string): ReportRow => ({
  ...bucket,
  metric,
  unit: 'u',
  quantity: '1',
  costs: [{ amount: eur, currency: 'EUR' }, ...(usd ? [{ amount: usd, currency: 'USD' }] : [])],
  source,
  account: { id: 'a', name: 'A' },
  subAccount: null,
  resource: null,
});
const report = (rows: ReportRow[], failed: SourceModel[] = []): ReportModel => ({
  points: [],
  totals: [],
  complete: failed.length === 0,
  errors: [],
  rows,
  dimensions: ['METRIC'],
  buckets: [bucket],
  failed,
});
const ROWS = [row('a', '1'), row('b', '5'), row('c', '3', '100'), row('d', '0.5'), row('e', '2')];

type Page = Awaited<ReturnType<typeof groupsOf>>;
const groupsOf = async (model: ReportModel, args: Record<string, unknown>) =>
  (await (UsageReport.groups as unknown as (p: unknown, a: unknown, c: unknown, i: GraphQLResolveInfo) => unknown)(
    model,
    { first: 50, ...args },
    {},
    {} as GraphQLResolveInfo,
  )) as {
    edges: { cursor: string; node: { key: { value: string }[]; groupCount: number } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount: number;
  };
const values = (page: Page) => page.edges.map((e) => e.node.key[0]!.value);

describe('UsageReport.groups', () => {
  it('sorts by the report’s largest billing currency, or the one asked', async () => {
    expect(values(await groupsOf(report(ROWS), {}))).toEqual(['b', 'c', 'e', 'a', 'd']);
    expect(values(await groupsOf(report(ROWS), { sortCurrency: 'USD' }))).toEqual(['c', 'a', 'b', 'd', 'e']);
  });

  it('pages with cursors, no group repeated or skipped', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Page = await groupsOf(report(ROWS), { first: 2, after });
      expect(page.totalCount).toBe(5);
      seen.push(...values(page));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(seen).toEqual(['b', 'c', 'e', 'a', 'd']);
    expect(pages).toBe(3);
    const empty = await groupsOf(report(ROWS), { first: 0 });
    expect(empty.edges).toEqual([]);
    expect(empty.pageInfo).toEqual({ hasNextPage: true, endCursor: null });
  });

  it('folds all but the top N into others, which counts in totalCount and pages like any group', async () => {
    const page = await groupsOf(report(ROWS), { top: 2 });
    expect(values(page)).toEqual(['b', 'c', '__others__']);
    expect(page.totalCount).toBe(3);
    expect(page.edges[2]!.node.groupCount).toBe(3);
  });

  it('refuses a page size or top out of range', async () => {
    await expect(groupsOf(report(ROWS), { first: 501 })).rejects.toThrow(
      'Argument "first" must be between 0 and 500, got 501.',
    );
    await expect(groupsOf(report(ROWS), { top: 0 })).rejects.toThrow(
      'Argument "top" must be 1 or more, got 0; omit it for every group.',
    );
  });
});
