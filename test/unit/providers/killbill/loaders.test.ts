import { describe, expect, it } from 'vitest';
import type { Freshness, SourceCache } from '../../../../src/cache/sourceCache.js';
import type {
  KillbillAccountDto,
  KillbillBundleDto,
  KillbillClient,
  KillbillSubscriptionDto,
  RolledUpUsageDto,
} from '../../../../src/providers/killbill/client.js';
import {
  createKillbillLoaders,
  USAGE_OPERATION,
  usageCacheParams,
  type UsageKey,
} from '../../../../src/providers/killbill/loaders.js';

type Call = [string, ...unknown[]];

/** Lets the other pending calls go first, so a slow key answers after its neighbours. */
const later = () => new Promise((resolve) => setImmediate(resolve));

const ACC = (n: number) => `00000000-0000-0000-0000-00000000000${n}`;
const SUB = (n: number) => `11111111-1111-1111-1111-11111111111${n}`;
const BUN = (n: number) => `22222222-2222-2222-2222-22222222222${n}`;

const account = (n: number): KillbillAccountDto => ({ accountId: ACC(n), name: `Account ${n}` });
const subscription = (n: number, acc = 1): KillbillSubscriptionDto => ({
  subscriptionId: SUB(n),
  accountId: ACC(acc),
  planName: `plan-${n}`,
});
const usageOf = (subscriptionId: string, startDate: string, endDate: string, amount: string): RolledUpUsageDto => ({
  subscriptionId,
  startDate,
  endDate,
  rolledUpUnits: [{ unitType: 'cpu-hours', amount }],
});

/** A fake client recording every call; `slow` ids answer last, `failing` ids throw. */
function fakeClient(opts: { slow?: string[]; failing?: string[]; amount?: string; accounts?: number } = {}) {
  const calls: Call[] = [];
  const answer = async <T>(id: string, value: () => T): Promise<T> => {
    if (opts.slow?.includes(id)) {
      await later();
      await later();
    }
    if (opts.failing?.includes(id)) throw new Error(`failed ${id}`);
    return value();
  };
  const client = {
    listAccounts: (pageSize: number): Promise<KillbillAccountDto[]> => {
      calls.push(['listAccounts', pageSize]);
      return answer('listAccounts', () => Array.from({ length: opts.accounts ?? 2 }, (_, i) => account(i + 1)));
    },
    getAccount: (id: string): Promise<KillbillAccountDto | null> => {
      calls.push(['getAccount', id]);
      return answer(id, () => (id === ACC(9) ? null : { accountId: id, name: 'fetched' }));
    },
    listBundles: (accountId: string): Promise<KillbillBundleDto[]> => {
      calls.push(['listBundles', accountId]);
      const n = Number(accountId.at(-1));
      return answer(accountId, () => [
        { accountId, bundleId: BUN(n), subscriptions: [subscription(n, n)] },
        { accountId, bundleId: BUN(n + 4), subscriptions: null },
      ]);
    },
    getSubscription: (id: string): Promise<KillbillSubscriptionDto | null> => {
      calls.push(['getSubscription', id]);
      return answer(id, () => ({ subscriptionId: id, accountId: ACC(1), planName: 'fetched' }));
    },
    usage: (subscriptionId: string, startDate: string, endDate: string): Promise<RolledUpUsageDto> => {
      calls.push(['usage', subscriptionId, startDate, endDate]);
      return answer(subscriptionId, () => usageOf(subscriptionId, startDate, endDate, opts.amount ?? '1.5'));
    },
  };
  return { client: client as unknown as KillbillClient, calls };
}

const JAN: UsageKey = { subscriptionId: SUB(1), startDate: '2026-01-01', endDate: '2026-02-01' };

describe('createKillbillLoaders', () => {
  it('lists accounts with one call at the configured page size however many loads ask', async () => {
    const { client, calls } = fakeClient();
    const loaders = createKillbillLoaders(client, 250);
    const [a, b] = await Promise.all([loaders.accounts.load('all'), loaders.accounts.load('all')]);
    expect(a).toEqual([account(1), account(2)]);
    expect(b).toBe(a);
    expect(calls).toEqual([['listAccounts', 250]]);
  });

  it('answers later account lookups from the listing, without a getAccount call', async () => {
    const { client, calls } = fakeClient();
    const loaders = createKillbillLoaders(client, 100);
    await loaders.accounts.load('all');
    const results = await loaders.account.loadMany([ACC(2), ACC(1), ACC(3)]);
    expect(results).toEqual([account(2), account(1), { accountId: ACC(3), name: 'fetched' }]);
    expect(calls).toEqual([
      ['listAccounts', 100],
      ['getAccount', ACC(3)],
    ]);
  });

  it('puts a failed listing on every load of it and primes nothing', async () => {
    const { client, calls } = fakeClient({ failing: ['listAccounts'] });
    const loaders = createKillbillLoaders(client, 100);
    const results = await Promise.allSettled([loaders.accounts.load('all'), loaders.accounts.load('all')]);
    expect(results).toEqual([
      { status: 'rejected', reason: new Error('failed listAccounts') },
      { status: 'rejected', reason: new Error('failed listAccounts') },
    ]);
    await loaders.account.load(ACC(1));
    expect(calls).toEqual([
      ['listAccounts', 100],
      ['getAccount', ACC(1)],
    ]);
  });

  it('answers account lookups in key order whatever order the upstream answers, one call per id', async () => {
    const { client, calls } = fakeClient({ slow: [ACC(1)] });
    const loaders = createKillbillLoaders(client, 100);
    const results = await loaders.account.loadMany([ACC(1), ACC(9), ACC(2), ACC(1)]);
    expect(results).toEqual([
      { accountId: ACC(1), name: 'fetched' },
      null,
      { accountId: ACC(2), name: 'fetched' },
      { accountId: ACC(1), name: 'fetched' },
    ]);
    expect(calls).toEqual([
      ['getAccount', ACC(1)],
      ['getAccount', ACC(9)],
      ['getAccount', ACC(2)],
    ]);
  });

  it('answers bundles in key order with one call per account, and primes their subscriptions', async () => {
    const { client, calls } = fakeClient({ slow: [ACC(1)] });
    const loaders = createKillbillLoaders(client, 100);
    const results = (await loaders.bundles.loadMany([ACC(1), ACC(2), ACC(1)])) as KillbillBundleDto[][];
    expect(results.map((bundles) => bundles.map((b) => b.bundleId))).toEqual([
      [BUN(1), BUN(5)],
      [BUN(2), BUN(6)],
      [BUN(1), BUN(5)],
    ]);
    const subs = await loaders.subscription.loadMany([SUB(2), SUB(1), SUB(3)]);
    expect(subs).toEqual([
      subscription(2, 2),
      subscription(1, 1),
      { subscriptionId: SUB(3), accountId: ACC(1), planName: 'fetched' },
    ]);
    expect(calls).toEqual([
      ['listBundles', ACC(1)],
      ['listBundles', ACC(2)],
      ['getSubscription', SUB(3)],
    ]);
  });

  it('keeps a failing account on its own key while the other accounts still answer', async () => {
    const { client } = fakeClient({ failing: [ACC(2)] });
    const loaders = createKillbillLoaders(client, 100);
    const bundles = await loaders.bundles.loadMany([ACC(1), ACC(2), ACC(3)]);
    expect((bundles[0] as KillbillBundleDto[])[0]!.bundleId).toBe(BUN(1));
    expect(bundles[1]).toEqual(new Error(`failed ${ACC(2)}`));
    expect((bundles[2] as KillbillBundleDto[])[0]!.bundleId).toBe(BUN(3));
    const accounts = await loaders.account.loadMany([ACC(1), ACC(2)]);
    expect(accounts).toEqual([{ accountId: ACC(1), name: 'fetched' }, new Error(`failed ${ACC(2)}`)]);
  });

  it('makes one usage call per (subscription, window) with the exact date values, in key order', async () => {
    const { client, calls } = fakeClient({ slow: [SUB(1)] });
    const loaders = createKillbillLoaders(client, 100);
    const FEB: UsageKey = { subscriptionId: SUB(1), startDate: '2026-02-01', endDate: '2026-03-01' };
    const OTHER: UsageKey = { ...JAN, subscriptionId: SUB(2) };
    const results = (await loaders.usage.loadMany([JAN, OTHER, { ...JAN }, FEB])) as RolledUpUsageDto[];
    expect(results.map((r) => [r.subscriptionId, r.startDate])).toEqual([
      [SUB(1), '2026-01-01'],
      [SUB(2), '2026-01-01'],
      [SUB(1), '2026-01-01'],
      [SUB(1), '2026-02-01'],
    ]);
    expect(results[2]).toBe(results[0]);
    expect(calls).toEqual([
      ['usage', SUB(1), '2026-01-01', '2026-02-01'],
      ['usage', SUB(2), '2026-01-01', '2026-02-01'],
      ['usage', SUB(1), '2026-02-01', '2026-03-01'],
    ]);
  });

  it('keeps a failing usage on its own key only', async () => {
    const { client } = fakeClient({ failing: [SUB(2)] });
    const loaders = createKillbillLoaders(client, 100);
    const results = await loaders.usage.loadMany([
      JAN,
      { ...JAN, subscriptionId: SUB(2) },
      { ...JAN, subscriptionId: SUB(3) },
    ]);
    expect((results[0] as RolledUpUsageDto).subscriptionId).toBe(SUB(1));
    expect(results[1]).toEqual(new Error(`failed ${SUB(2)}`));
    expect((results[2] as RolledUpUsageDto).subscriptionId).toBe(SUB(3));
  });

  it('passes the usage amounts through digit for digit', async () => {
    const amount = '98765432109876543210.00000000000000000001';
    const { client } = fakeClient({ amount });
    const result = await createKillbillLoaders(client, 100).usage.load(JAN);
    expect(result.rolledUpUnits).toEqual([{ unitType: 'cpu-hours', amount }]);
  });

  it('keys the usage cache by subscription|start|end, final only a day after the window ends', async () => {
    const { client } = fakeClient();
    const through: [string, string, Freshness][] = [];
    const cache = {
      through: (operation: string, params: string, freshness: Freshness, load: () => Promise<unknown>) => {
        through.push([operation, params, freshness]);
        return load();
      },
    } as SourceCache;
    // One day after 2026-02-01T00:00Z: January is final, a window ending today is not.
    const loaders = createKillbillLoaders(client, 100, cache, () => Date.UTC(2026, 1, 2));
    const TODAY: UsageKey = { subscriptionId: SUB(1), startDate: '2026-02-01', endDate: '2026-02-02' };
    await loaders.usage.loadMany([JAN, TODAY]);
    expect(USAGE_OPERATION).toBe('usage');
    expect(usageCacheParams(JAN)).toBe(`${SUB(1)}|2026-01-01|2026-02-01`);
    expect(through).toEqual([
      ['usage', `${SUB(1)}|2026-01-01|2026-02-01`, 'final'],
      ['usage', `${SUB(1)}|2026-02-01|2026-02-02`, 'open'],
    ]);
  });
});
