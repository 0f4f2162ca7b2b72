import { describe, expect, it } from 'vitest';
import { sumDecimals } from '../../../src/lib/decimal.js';
import type { AccountModel, ConsumptionPointModel, ResourceModel, SourceModel } from '../../../src/models.js';
import { collectAccountRows as collectWith } from '../../../src/reports/collectRows.js';
import { reportScope } from '../../../src/reports/reportScope.js';
import type { BucketedWindow, SourceApi } from '../../../src/providers/types.js';
import { emptyApi } from '../helpers/context.js';

const source: SourceModel = { id: 's', provider: 'OPENVCLOUD' as SourceModel['provider'], name: 'S' };
const account: AccountModel = { __typename: 'Account', id: 'acc', source, providerId: '1', name: 'Acme' };
const window = { window: {}, granularity: 'TOTAL', buckets: [] } as unknown as BucketedWindow;
const point = (metric: string, quantity: string, eur: string | null): ConsumptionPointModel => ({
  source,
  start: 's',
  end: 'e',
  metric,
  quantity,
  unit: 'u',
  cost: eur === null ? null : { amount: eur, currency: 'EUR' },
  accountProviderId: '1',
  resource: null,
  isFinal: true,
});
const resource = (id: string, type = 'MACHINE') =>
  ({ id, name: `r${id}`, type, __typename: 'Machine' }) as unknown as ResourceModel;

const ACCOUNT_POINTS = [point('CU', '10', '5'), point('SU', '2', null)];
const api = (over: Partial<SourceApi> = {}): SourceApi => ({
  ...emptyApi(),
  accountConsumption: async () => ACCOUNT_POINTS,
  ...over,
});
const withResources = (over: Partial<SourceApi> = {}) =>
  api({
    resources: async (_a, types) =>
      [resource('1'), resource('2', 'VOLUME')].filter((r) => !types || types.includes(r.type)),
    resourceConsumption: async (r) => (r.id === '1' ? [point('CU', '6', '3')] : [point('CU', '1', '0.5')]),
    ...over,
  });
const failures: unknown[] = [];
const collect = (...args: [SourceApi, SourceModel, AccountModel, BucketedWindow, ReturnType<typeof reportScope>]) =>
  collectWith(...args, (error) => failures.push(error));
const scope = (args: Parameters<typeof reportScope>[1]) => reportScope([source], args);
const eurOf = (rows: { costs: readonly { amount: string }[] }[]) =>
  sumDecimals(rows.flatMap((r) => r.costs.map((c) => c.amount)));

describe('collectAccountRows', () => {
  it('at account level: the account points, one row each, the account as its own sub-account', async () => {
    const { points, rows } = await collect(
      api(),
      source,
      account,
      window,
      scope({ groupBy: ['SUB_ACCOUNT'] as never }),
    );
    expect(points).toEqual(ACCOUNT_POINTS);
    expect(rows.map((r) => [r.metric, r.quantity, r.subAccount, r.resource])).toEqual([
      ['CU', '10', { id: 'acc', name: 'Acme' }, null],
      ['SU', '2', { id: 'acc', name: 'Acme' }, null],
    ]);
  });

  it('by resource: each resource’s rows plus the exact remainder as unallocated', async () => {
    const { points, rows } = await collect(
      withResources(),
      source,
      account,
      window,
      scope({ groupBy: ['RESOURCE'] as never }),
    );
    expect(points).toEqual(ACCOUNT_POINTS);
    expect(rows.map((r) => [r.resource?.id ?? null, r.metric, r.quantity, r.costs.map((c) => c.amount)])).toEqual([
      ['1', 'CU', '6', ['3']],
      ['2', 'CU', '1', ['0.5']],
      [null, 'CU', '3', ['1.5']],
      [null, 'SU', '2', []],
    ]);
    expect(eurOf(rows)).toBe('5');
  });

  it('a source without resources answers all of it as unallocated', async () => {
    const { rows } = await collect(api(), source, account, window, scope({ groupBy: ['RESOURCE_TYPE'] as never }));
    expect(rows.every((r) => r.resource === null)).toBe(true);
    expect(eurOf(rows)).toBe('5');
  });

  it('by sub-account: each sub-account’s rows plus the remainder; resources get theirs from subAccountOf', async () => {
    const subs = {
      subAccounts: async () => [{ id: 'cs1', name: 'Space', consumption: async () => [point('CU', '9', '4')] }],
      subAccountOf: (r: ResourceModel) => (r.id === '1' ? 'cs1' : null),
    };
    const bySub = await collect(api(subs), source, account, window, scope({ groupBy: ['SUB_ACCOUNT'] as never }));
    expect(bySub.rows.map((r) => [r.subAccount?.id ?? null, r.metric, r.quantity])).toEqual([
      ['cs1', 'CU', '9'],
      [null, 'CU', '1'],
      [null, 'SU', '2'],
    ]);
    const both = await collect(
      withResources(subs),
      source,
      account,
      window,
      scope({ groupBy: ['SUB_ACCOUNT', 'RESOURCE'] as never }),
    );
    expect(both.rows.map((r) => [r.subAccount?.name ?? null, r.resource?.id ?? null])).toEqual([
      ['Space', '1'],
      [null, '2'],
      [null, null],
      [null, null],
    ]);
    expect(eurOf(both.rows)).toBe('5');
  });

  it('keeps an account’s points, all unallocated, when its resources cannot be read, and says why', async () => {
    failures.length = 0;
    const boom = new Error('resources down');
    const { points, rows } = await collect(
      withResources({ resources: () => Promise.reject(boom) }),
      source,
      account,
      window,
      scope({ groupBy: ['RESOURCE'] as never }),
    );
    expect(points).toEqual(ACCOUNT_POINTS);
    expect(rows.map((r) => [r.resource, r.subAccount, r.quantity])).toEqual([
      [null, null, '10'],
      [null, null, '2'],
    ]);
    expect(failures).toEqual([boom]);
  });

  it('with filter.resourceTypes and metrics: only those resources’ points, which are then the points', async () => {
    const { points, rows } = await collect(
      withResources(),
      source,
      account,
      window,
      scope({ filter: { resourceTypes: ['VOLUME'] as never, metrics: ['CU'] } }),
    );
    expect(points.map((p) => p.quantity)).toEqual(['1']);
    expect(rows.map((r) => r.resource?.type)).toEqual(['VOLUME']);
    expect(
      (await collect(api(), source, account, window, scope({ filter: { resourceTypes: ['VOLUME'] as never } }))).rows,
    ).toEqual([]);
    const cuOnly = await collect(api(), source, account, window, scope({ filter: { metrics: ['SU'] } }));
    expect(cuOnly.points.map((p) => p.metric)).toEqual(['SU']);
  });
});
