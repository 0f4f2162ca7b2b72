import { describe, expect, it } from 'vitest';
import type { Granularity } from '../../../src/models.js';
import type { AccountModel, ConsumptionPointModel, ResourceModel } from '../../../src/models.js';
import type { BucketedWindow, SourceApi } from '../../../src/providers/types.js';
import { Account } from '../../../src/schema/Account.js';
import { contextOf, emptyApi, resolverFn } from '../helpers/context.js';
import { OCTOBER, pointCosting } from '../helpers/points.js';

/**
 * Arguments without the fields the schema gives a default: GraphQL always passes those, so the
 * resolver's own fallback is reached only by a caller like this one.
 */
const NO_DEFAULTS = (args: object) => args as never;

/** One OpenvCloud source whose account consumption is `points`; records the bucketings it is asked for. */
function oneSource(points: (a: AccountModel) => ConsumptionPointModel[], extra: Partial<SourceApi> = {}) {
  const asked: { granularity: Granularity; buckets: number }[] = [];
  const api: SourceApi = {
    ...emptyApi(),
    accountConsumption: async (account, bucketed: BucketedWindow) => {
      asked.push({ granularity: bucketed.granularity, buckets: bucketed.buckets.length });
      return points(account);
    },
    ...extra,
  };
  const { ctx, source } = contextOf([{ id: 'g8', provider: 'OPENVCLOUD', api }]);
  const account: AccountModel = { __typename: 'Account', id: 'x', source: source('g8'), providerId: 'acc', name: null };
  return { ctx, account, asked };
}

describe('Account.provider', () => {
  it('is its source’s provider', async () => {
    const { ctx, account } = oneSource(() => []);
    expect(await resolverFn(Account.provider)(account, {}, ctx)).toBe('OPENVCLOUD');
  });
});

describe('Account.cost', () => {
  it('is the exact sum of its points’ costs per currency over the window, asked as one TOTAL bucket', async () => {
    const { ctx, account, asked } = oneSource((a) => [
      pointCosting(a.source, { amount: '0.1', currency: 'USD' }),
      pointCosting(a.source, { amount: '0.2', currency: 'USD' }),
      pointCosting(a.source, { amount: '3', currency: 'EUR' }),
      pointCosting(a.source, null),
    ]);
    expect(await resolverFn(Account.cost)(account, { window: OCTOBER }, ctx)).toEqual([
      { currency: 'EUR', amount: '3' },
      { currency: 'USD', amount: '0.3' },
    ]);
    expect(asked).toEqual([{ granularity: 'TOTAL', buckets: 1 }]);
  });
});

describe('Account.consumption', () => {
  it('asks the source at the given granularity, TOTAL when none is given', async () => {
    const { ctx, account, asked } = oneSource((a) => [pointCosting(a.source, null)]);
    const consumption = resolverFn(Account.consumption);
    expect(await consumption(account, NO_DEFAULTS({ window: OCTOBER }), ctx)).toHaveLength(1);
    expect(await consumption(account, { window: OCTOBER, granularity: 'DAY' }, ctx)).toHaveLength(1);
    expect(asked).toEqual([
      { granularity: 'TOTAL', buckets: 1 },
      { granularity: 'DAY', buckets: 31 },
    ]);
  });
});

describe('Account.resources', () => {
  it('is an empty list when the source’s API lists no resources', async () => {
    const { ctx, account } = oneSource(() => []);
    expect(await resolverFn(Account.resources)(account, {}, ctx)).toEqual([]);
  });

  it('passes the types filter to the source, null when none is given', async () => {
    const filters: unknown[] = [];
    const machine = { __typename: 'Machine' } as ResourceModel;
    const { ctx, account } = oneSource(() => [], {
      resources: async (_a, types) => {
        filters.push(types);
        return [machine];
      },
    });
    const resources = resolverFn(Account.resources);
    expect(await resources(account, {}, ctx)).toEqual([machine]);
    expect(await resources(account, { types: ['MACHINE'] }, ctx)).toEqual([machine]);
    expect(filters).toEqual([null, ['MACHINE']]);
  });
});
