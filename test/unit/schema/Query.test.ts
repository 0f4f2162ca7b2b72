import type { GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/errors.js';
import { encodeId } from '../../../src/lib/ids.js';
import type { AccountConnectionModel, AccountModel, SourceModel, UsageReportModel } from '../../../src/models.js';
import { encodeAccountsCursor } from '../../../src/schema/accountsCursor.js';
import { Query } from '../../../src/schema/Query.js';
import type { ReportModel } from '../../../src/reports/reportModel.js';
import type { SourceApi } from '../../../src/providers/types.js';
import { contextOf, emptyApi, type FakeSource } from '../helpers/context.js';
import { OCTOBER, pointCosting } from '../helpers/points.js';

const info = (key: string) =>
  ({ path: { prev: undefined, key, typename: 'Query' }, schema: undefined }) as unknown as GraphQLResolveInfo;

type Fn = (root: unknown, args: unknown, ctx: unknown, info: GraphQLResolveInfo) => unknown;
const call = async <T>(field: keyof typeof Query, args: Record<string, unknown>, ctx: unknown): Promise<T> =>
  (await (Query[field] as unknown as Fn)({}, args, ctx, info(field))) as T;

const account = (source: SourceModel, providerId: string): AccountModel => ({
  __typename: 'Account',
  id: encodeId('Account', source.id, providerId),
  source,
  providerId,
  name: providerId,
});

/** Sources whose accounts are the given ids (or a failure), built over a real context. */
function sources(lists: Record<string, readonly string[] | Error>, provider: FakeSource['provider'] = 'OPENVCLOUD') {
  const byId: Record<string, SourceModel> = {};
  const fakes: FakeSource[] = Object.entries(lists).map(([id, list]) => ({
    id,
    provider,
    api: {
      ...emptyApi(),
      listAccounts: async () => {
        if (list instanceof Error) throw list;
        return list.map((p) => account(byId[id]!, p));
      },
    },
  }));
  const built = contextOf(fakes);
  for (const id of Object.keys(lists)) byId[id] = built.source(id);
  return built;
}

const ids = (page: AccountConnectionModel) => page.edges.map((e) => `${e.node.source.id}/${e.node.providerId}`);
const down = (source: string) =>
  new UpstreamError('OpenvCloud is unavailable.', 'UPSTREAM_UNAVAILABLE', {
    provider: 'OPENVCLOUD',
    source,
    retryable: true,
  });

describe('Query.sources', () => {
  it('is every source the tenant sees, in config order', async () => {
    const { ctx } = sources({ b: [], a: [] });
    expect((await call<SourceModel[]>('sources', {}, ctx)).map((s) => s.id)).toEqual(['b', 'a']);
  });
});

describe('Query.accounts', () => {
  it('lists every source’s accounts in config order with a cursor per edge and the total count', async () => {
    const { ctx } = sources({ a: ['1', '2'], b: ['3'] });
    const page = await call<AccountConnectionModel>('accounts', {}, ctx);
    expect(ids(page)).toEqual(['a/1', 'a/2', 'b/3']);
    expect(page.edges.map((e) => e.cursor)).toEqual([
      encodeAccountsCursor('a', 0),
      encodeAccountsCursor('a', 1),
      encodeAccountsCursor('b', 0),
    ]);
    expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: encodeAccountsCursor('b', 0) });
    expect(page.totalCount).toBe(3);
    expect(page.errors).toEqual([]);
  });

  it('pages across sources: `first` cuts the page and `after` walks on from the cursor’s source and index', async () => {
    const { ctx } = sources({ a: ['1', '2'], b: ['3', '4'] });
    const first = await call<AccountConnectionModel>('accounts', { first: 3 }, ctx);
    expect(ids(first)).toEqual(['a/1', 'a/2', 'b/3']);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeAccountsCursor('b', 0) });
    const next = await call<AccountConnectionModel>('accounts', { first: 3, after: first.pageInfo.endCursor }, ctx);
    expect(ids(next)).toEqual(['b/4']);
    expect(next.pageInfo).toEqual({ hasNextPage: false, endCursor: encodeAccountsCursor('b', 1) });
    expect(next.totalCount).toBe(4);
  });

  it('answers an empty page with no end cursor for first: 0, yet says a next page exists', async () => {
    const { ctx } = sources({ a: ['1'] });
    const page = await call<AccountConnectionModel>('accounts', { first: 0 }, ctx);
    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: null });
    expect(page.totalCount).toBe(1);
  });

  it('keeps only the named source, or the sources of the named provider', async () => {
    const { ctx } = sources({ a: ['1'], b: ['2'] });
    expect(ids(await call<AccountConnectionModel>('accounts', { source: 'b' }, ctx))).toEqual(['b/2']);
    expect(ids(await call<AccountConnectionModel>('accounts', { provider: 'KILLBILL' }, ctx))).toEqual([]);
    expect(ids(await call<AccountConnectionModel>('accounts', { provider: 'OPENVCLOUD' }, ctx))).toEqual([
      'a/1',
      'b/2',
    ]);
  });

  it('refuses a `first` outside 0..500, naming the argument and the value', async () => {
    const { ctx } = sources({ a: [] });
    for (const first of [-1, 501, 2.5]) {
      await expect(call('accounts', { first }, ctx)).rejects.toMatchObject({
        message: `Argument "first" must be between 0 and 500, got ${first}.`,
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
      });
    }
  });

  it('refuses a source id that is not configured, listing the configured ones', async () => {
    const { ctx } = sources({ a: [], b: [] });
    await expect(call('accounts', { source: 'zz' }, ctx)).rejects.toMatchObject({
      message: 'Argument "source" must be a configured source id ("a", "b"), got "zz".',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'source' },
    });
  });

  it('answers without a failing source, naming it once in errors and in the partial report, positions kept', async () => {
    const { ctx } = sources({ a: ['1'], b: down('b'), c: ['2'] });
    const page = await call<AccountConnectionModel>('accounts', {}, ctx);
    expect(ids(page)).toEqual(['a/1', 'c/2']);
    expect(page.edges[1]!.cursor).toBe(encodeAccountsCursor('c', 0));
    expect(page.totalCount).toBe(2);
    expect(page.errors.map((e) => [e.source.id, e.code, e.message, e.retryable])).toEqual([
      ['b', 'UPSTREAM_UNAVAILABLE', 'OpenvCloud is unavailable.', true],
    ]);
    expect(ctx.partial.formatted()).toEqual([
      expect.objectContaining({
        message: 'Source "b" is missing from this answer: OpenvCloud is unavailable.',
        path: ['accounts'],
      }),
    ]);
  });
});

describe('Query.usageReport', () => {
  it('gathers every account’s points of every source and totals them per currency exactly', async () => {
    const fakes: FakeSource[] = ['a', 'b'].map((id) => ({ id, provider: 'OPENVCLOUD', api: emptyApi() }));
    const built = contextOf(fakes);
    const apis: Record<string, SourceApi> = {
      a: {
        ...emptyApi(),
        listAccounts: async () => [account(built.source('a'), '1'), account(built.source('a'), '2')],
        accountConsumption: async (acc) => [
          pointCosting(acc.source, { amount: acc.providerId === '1' ? '0.1' : '0.2', currency: 'USD' }),
        ],
      },
      b: {
        ...emptyApi(),
        listAccounts: async () => [account(built.source('b'), '3')],
        accountConsumption: async (acc) => [
          pointCosting(acc.source, { amount: '1.005', currency: 'EUR' }),
          pointCosting(acc.source, null),
        ],
      },
    };
    const { ctx } = contextOf(fakes.map((f) => ({ ...f, api: apis[f.id]! })));
    const report = await call<UsageReportModel>('usageReport', { window: OCTOBER }, ctx);
    expect(report.points).toHaveLength(4);
    expect(report.totals).toEqual([
      { currency: 'EUR', amount: '1.005' },
      { currency: 'USD', amount: '0.3' },
    ]);
    expect(report.complete).toBe(true);
    expect(report.errors).toEqual([]);
  });

  it('keeps only the listed providers', async () => {
    const asked: string[] = [];
    const api = (id: string): SourceApi => ({
      ...emptyApi(),
      listAccounts: async () => {
        asked.push(id);
        return [];
      },
    });
    const { ctx } = contextOf([
      { id: 'g8', provider: 'OPENVCLOUD', api: api('g8') },
      { id: 'kb', provider: 'KILLBILL', api: api('kb') },
    ]);
    await call('usageReport', { window: OCTOBER, providers: ['KILLBILL'] }, ctx);
    expect(asked).toEqual(['kb']);
  });

  it('is incomplete, with each failing source named once, when a listing or an account’s consumption fails', async () => {
    const built = contextOf([{ id: 'a', provider: 'OPENVCLOUD', api: emptyApi() }]);
    const a = built.source('a');
    const { ctx } = contextOf([
      {
        id: 'a',
        provider: 'OPENVCLOUD',
        api: {
          ...emptyApi(),
          listAccounts: async () => [account(a, '1'), account(a, '2'), account(a, '3')],
          accountConsumption: async (acc) => {
            if (acc.providerId !== '1') throw down('a');
            return [pointCosting(acc.source, { amount: '2.50', currency: 'USD' })];
          },
        },
      },
      { id: 'b', provider: 'OPENVCLOUD', api: { ...emptyApi(), listAccounts: () => Promise.reject(down('b')) } },
    ]);
    const report = await call<UsageReportModel>('usageReport', { window: OCTOBER }, ctx);
    expect(report.totals).toEqual([{ currency: 'USD', amount: '2.5' }]);
    expect(report.complete).toBe(false);
    expect(report.errors.map((e) => [e.source.id, e.code]).sort()).toEqual([
      ['a', 'UPSTREAM_UNAVAILABLE'],
      ['b', 'UPSTREAM_UNAVAILABLE'],
    ]);
  });

  it('reports a source that cannot answer HOUR as its own BAD_USER_INPUT error while the others answer', async () => {
    const built = contextOf([{ id: 'g8', provider: 'OPENVCLOUD', api: emptyApi() }]);
    const g8 = built.source('g8');
    const { ctx } = contextOf([
      {
        id: 'g8',
        provider: 'OPENVCLOUD',
        api: {
          ...emptyApi(),
          listAccounts: async () => [account(g8, '1')],
          accountConsumption: async (acc) => [pointCosting(acc.source, { amount: '1', currency: 'USD' })],
        },
      },
      { id: 'kb', provider: 'KILLBILL', api: emptyApi() },
    ]);
    const day = { start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z' };
    const report = await call<UsageReportModel>('usageReport', { window: day, granularity: 'HOUR' }, ctx);
    expect(report.totals).toEqual([{ currency: 'USD', amount: '1' }]);
    expect(report.complete).toBe(false);
    expect(report.errors.map((e) => [e.source.id, e.code, e.message])).toEqual([
      [
        'kb',
        'BAD_USER_INPUT',
        'Argument "granularity" HOUR is finer than Kill Bill reports; use DAY or coarser for source "kb".',
      ],
    ]);
  });

  it('refuses an HOUR report over a window longer than limits.maxHourWindowDays as a top-level error', async () => {
    const { ctx } = sources({ a: [] });
    const window = { start: '2026-10-01T00:00:00Z', end: '2026-11-02T00:00:00Z' };
    await expect(call('usageReport', { window, granularity: 'HOUR' }, ctx)).rejects.toMatchObject({
      message:
        'Argument "window" spans 32 days; HOUR granularity allows at most 31 days, so use DAY or a shorter window.',
    });
  });
});

describe('Query.usageReport groupBy and filter', () => {
  const twoSources = () => {
    const built = contextOf([
      { id: 'a', provider: 'OPENVCLOUD', api: emptyApi() },
      { id: 'b', provider: 'KILLBILL', api: emptyApi() },
    ]);
    const api = (id: string, fail = false): SourceApi => ({
      ...emptyApi(),
      listAccounts: async () => [account(built.source(id), '1'), account(built.source(id), '2')],
      accountConsumption: async (acc) => {
        if (fail) throw down(id);
        return [
          pointCosting(acc.source, { amount: '1.5', currency: 'EUR' }, 'cpu'),
          pointCosting(acc.source, { amount: '0.25', currency: 'EUR' }, 'disk'),
        ];
      },
    });
    return { built, api };
  };

  it('hands groups the rows, dimensions, buckets and failed sources, the rows adding up to the totals', async () => {
    const { api } = twoSources();
    const { ctx } = contextOf([
      { id: 'a', provider: 'OPENVCLOUD', api: api('a') },
      { id: 'b', provider: 'KILLBILL', api: api('b', true) },
    ]);
    const report = await call<ReportModel>('usageReport', { window: OCTOBER, groupBy: ['ACCOUNT'] }, ctx);
    expect(report.totals).toEqual([{ currency: 'EUR', amount: '3.5' }]);
    expect(report.rows).toHaveLength(4);
    expect(report.rows.map((r) => r.account.id)).toEqual([
      encodeId('Account', 'a', '1'),
      encodeId('Account', 'a', '1'),
      encodeId('Account', 'a', '2'),
      encodeId('Account', 'a', '2'),
    ]);
    expect(report.dimensions).toEqual(['ACCOUNT']);
    expect(report.buckets).toEqual([
      { ...OCTOBER, startMs: Date.parse(OCTOBER.start), endMs: Date.parse(OCTOBER.end) },
    ]);
    expect(report.failed.map((s) => s.id)).toEqual(['b']);
    expect(report.complete).toBe(false);
  });

  it('filters by source, account and metric before summing', async () => {
    const { api } = twoSources();
    const { ctx } = contextOf([
      { id: 'a', provider: 'OPENVCLOUD', api: api('a') },
      { id: 'b', provider: 'KILLBILL', api: api('b') },
    ]);
    const filter = { sources: ['b'], accounts: [encodeId('Account', 'b', '2')], metrics: ['disk'] };
    const report = await call<ReportModel>('usageReport', { window: OCTOBER, filter }, ctx);
    expect(report.points.map((p) => p.metric)).toEqual(['disk']);
    expect(report.totals).toEqual([{ currency: 'EUR', amount: '0.25' }]);
    await expect(call('usageReport', { window: OCTOBER, filter: { sources: ['c'] } }, ctx)).rejects.toMatchObject({
      message: 'Argument "filter.sources" must list configured source ids ("a", "b"), got "c".',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe('Query.account and Query.node', () => {
  it('loads an account by its id from its source', async () => {
    const built = contextOf([{ id: 'a', provider: 'OPENVCLOUD', api: emptyApi() }]);
    const acc = account(built.source('a'), '7');
    const { ctx } = contextOf([
      { id: 'a', provider: 'OPENVCLOUD', api: { ...emptyApi(), resolveNode: async () => acc } },
    ]);
    expect(await call('account', { id: acc.id }, ctx)).toBe(acc);
    expect(await call('node', { id: acc.id }, ctx)).toBe(acc);
  });

  it('refuses an id of another kind as the account argument', async () => {
    const { ctx } = sources({ a: [] });
    await expect(call('account', { id: encodeId('Machine', 'a', 'x') }, ctx)).rejects.toMatchObject({
      message: 'Argument "id" must be an Account id, got a Machine id.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});
