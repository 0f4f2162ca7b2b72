import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../../src/bootstrap.js';
import type { SourceCache } from '../../../../src/cache/sourceCache.js';
import type { SourceConfig } from '../../../../src/config.js';
import type { AccountModel, SourceModel } from '../../../../src/models.js';
import { KillbillApi, killbillApiOf } from '../../../../src/providers/killbill/api.js';
import type {
  KillbillAccountDto,
  KillbillBundleDto,
  KillbillClient,
  KillbillSubscriptionDto,
  RolledUpUsageDto,
} from '../../../../src/providers/killbill/client.js';
import { createKillbillLoaders } from '../../../../src/providers/killbill/loaders.js';
import type { SubscriptionModel } from '../../../../src/providers/killbill/models.js';
import { KeyedSerialQueue } from '../../../../src/providers/killbill/recordUsage.js';
import { CivitaiApi } from '../../../../src/providers/civitai/api.js';
import { bucketed, pointRow } from '../../helpers/windows.js';

const SOURCE: SourceModel = { id: 'kb', provider: 'KILLBILL', name: 'Kill Bill' };
const [CONFIG] = validateConfig(
  {
    sources: [
      {
        id: 'kb',
        provider: 'KILLBILL',
        baseUrl: 'http://127.0.0.1:1',
        credentials: { username: 'u', password: 'p', apiKey: 'k', apiSecret: 's' },
        prices: { 'api-calls': { amount: '0.001', currency: 'USD' } },
      },
    ],
  },
  'test',
  {},
).sources as [SourceConfig];

const ACC = 'aaaaaaaa-0000-4000-8000-000000000001';
const SUB_1 = 'bbbbbbbb-0000-4000-8000-000000000001';
const SUB_2 = 'bbbbbbbb-0000-4000-8000-000000000002';
const BUNDLE = 'cccccccc-0000-4000-8000-000000000001';

const sub = (subscriptionId: string): KillbillSubscriptionDto =>
  ({ subscriptionId, accountId: ACC, bundleId: BUNDLE, productName: 'API' }) as KillbillSubscriptionDto;

/** Usage per subscription: SUB_1 and SUB_2 both report api-calls, only SUB_1 reports storage. */
const USAGE: Record<string, RolledUpUsageDto['rolledUpUnits']> = {
  [SUB_1]: [
    { unitType: 'api-calls', amount: '0.1' },
    { unitType: 'storage-gb', amount: '3' },
  ],
  [SUB_2]: [{ unitType: 'api-calls', amount: '0.2' }],
};

/** A KillbillApi over real loaders and a fake client; upstream calls and cache invalidations logged. */
function killbill(options: { recordAnswer?: 'CREATED' | 'DUPLICATE' } = {}) {
  const calls: string[] = [];
  const invalidated: { operation: string; prefix: string; dropped: string[] }[] = [];
  const CACHED_USAGE = [
    `${SUB_1}|2026-09-01|2026-10-01`,
    `${SUB_1}|2026-10-01|2026-11-01`,
    `${SUB_1}|2026-11-01|2026-12-01`,
    `${SUB_1}|2026-11-02|2026-11-03`,
    `${SUB_1}|2026-10-31T00:00:00.000Z|2026-10-31T01:00:00.000Z`,
  ];
  const client = {
    listAccounts: async (pageSize: number) => {
      calls.push(`accounts ${pageSize}`);
      return [{ accountId: ACC, name: 'Acme' }] as KillbillAccountDto[];
    },
    getAccount: async (id: string) => {
      calls.push(`account ${id}`);
      return id === ACC ? ({ accountId: ACC, name: 'Acme' } as KillbillAccountDto) : null;
    },
    listBundles: async (accountId: string) => {
      calls.push(`bundles ${accountId}`);
      return [{ accountId, bundleId: BUNDLE, subscriptions: [sub(SUB_1), sub(SUB_2)] }] as KillbillBundleDto[];
    },
    getSubscription: async (id: string) => {
      calls.push(`subscription ${id}`);
      return id === SUB_1 ? sub(SUB_1) : null;
    },
    usage: async (subscriptionId: string, startDate: string, endDate: string) => {
      calls.push(`usage ${subscriptionId} ${startDate} ${endDate}`);
      return { subscriptionId, rolledUpUnits: USAGE[subscriptionId] ?? [] } as RolledUpUsageDto;
    },
    recordUsage: async (body: string) => {
      calls.push(`record ${body}`);
      return options.recordAnswer ?? 'CREATED';
    },
  } as unknown as KillbillClient;
  const cache: SourceCache = {
    through: (_operation, _params, _freshness, load) => load(),
    invalidate: async (operation, prefix, match) => {
      const dropped = CACHED_USAGE.filter((p) => p.startsWith(prefix) && (!match || match(p)));
      invalidated.push({ operation, prefix, dropped });
      return dropped.length;
    },
  };
  const now = () => Date.parse('2026-12-15T00:00:00Z');
  const api = new KillbillApi({
    source: SOURCE,
    config: CONFIG,
    client,
    loaders: createKillbillLoaders(client, 100, cache, now),
    writes: new KeyedSerialQueue(),
    createdBy: 'billgraph',
    now,
    cache,
  });
  return { api, calls, invalidated };
}

const OCTOBER = bucketed(['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'], 'TOTAL');
const account = async (api: KillbillApi) => (await api.getAccount(ACC)) as AccountModel;

describe('KillbillApi reads', () => {
  it('lists accounts with the configured page size, and answers later lookups from that listing', async () => {
    const { api, calls } = killbill();
    expect((await api.listAccounts()).map((a) => [a.providerId, a.name])).toEqual([[ACC, 'Acme']]);
    expect((await api.getAccount(ACC))?.name).toBe('Acme');
    expect(calls).toEqual(['accounts 100']);
  });

  it('looks one account up when no listing was loaded, and answers null for an unknown one', async () => {
    const { api, calls } = killbill();
    expect((await api.getAccount(ACC))?.providerId).toBe(ACC);
    expect(await api.getAccount('aaaaaaaa-0000-4000-8000-00000000dead')).toBeNull();
    expect(calls).toEqual([`account ${ACC}`, 'account aaaaaaaa-0000-4000-8000-00000000dead']);
  });

  it('lists the subscriptions of the account’s bundles', async () => {
    const { api } = killbill();
    const subs = await api.subscriptions(await account(api));
    expect(subs.map((s) => [s.providerId, s.accountProviderId, s.bundleProviderId, s.productName])).toEqual([
      [SUB_1, ACC, BUNDLE, 'API'],
      [SUB_2, ACC, BUNDLE, 'API'],
    ]);
  });

  it('sums the account’s subscriptions exactly per unit type, priced where a price is configured', async () => {
    const { api, calls } = killbill();
    const points = await api.accountConsumption(await account(api), OCTOBER);
    expect(points.map(pointRow)).toEqual([
      ['2026-10-01T00:00:00Z', 'api-calls', '0.3', 'api-calls', '0.0003 USD'],
      ['2026-10-01T00:00:00Z', 'storage-gb', '3', 'storage-gb', null],
    ]);
    expect(calls.filter((c) => c.startsWith('usage'))).toEqual([
      `usage ${SUB_1} 2026-10-01 2026-11-01`,
      `usage ${SUB_2} 2026-10-01 2026-11-01`,
    ]);
  });

  it('filters a subscription’s usage by unit type without another call', async () => {
    const { api, calls } = killbill();
    const subscription = (await api.subscriptions(await account(api)))[0]!;
    expect((await api.subscriptionUsage(subscription, OCTOBER, null)).map((p) => p.metric)).toEqual([
      'api-calls',
      'storage-gb',
    ]);
    expect((await api.subscriptionUsage(subscription, OCTOBER, 'storage-gb')).map(pointRow)).toEqual([
      ['2026-10-01T00:00:00Z', 'storage-gb', '3', 'storage-gb', null],
    ]);
    expect(await api.subscriptionUsage(subscription, OCTOBER, 'unknown')).toEqual([]);
    expect(calls.filter((c) => c.startsWith('usage'))).toHaveLength(1);
  });

  it('answers its subscriptions as sub-accounts, their usage through the account’s usage calls', async () => {
    const { api, calls } = killbill();
    const acc = await account(api);
    const subs = await api.subAccounts(acc);
    const subscriptions = await api.subscriptions(acc);
    expect(subs.map((s) => s.id)).toEqual(subscriptions.map((s) => s.id));
    expect(subs[0]!.name).toBe(subscriptions[0]!.planName ?? subscriptions[0]!.productName);
    await api.accountConsumption(acc, OCTOBER);
    expect(await subs[0]!.consumption(OCTOBER)).toEqual(await api.subscriptionUsage(subscriptions[0]!, OCTOBER, null));
    expect(calls.filter((c) => c.startsWith('usage'))).toHaveLength(2);
  });

  it('asks for usage with instants when a bucket edge is not a UTC midnight', async () => {
    const { api, calls } = killbill();
    const subscription = (await api.subscriptions(await account(api)))[0]!;
    await api.subscriptionUsage(subscription, bucketed(['2026-10-31T00:00:00Z', '2026-10-31T12:00:00Z'], 'DAY'), null);
    expect(calls.filter((c) => c.startsWith('usage'))).toEqual([
      `usage ${SUB_1} 2026-10-31T00:00:00.000Z 2026-10-31T12:00:00.000Z`,
    ]);
  });
});

describe('KillbillApi.resolveNode', () => {
  it('resolves an account and a subscription by their Kill Bill ids', async () => {
    const { api } = killbill();
    expect(((await api.resolveNode({ kind: 'Account', sourceId: 'kb', parts: [ACC] })) as AccountModel).name).toBe(
      'Acme',
    );
    const subscription = (await api.resolveNode({
      kind: 'Subscription',
      sourceId: 'kb',
      parts: [SUB_1],
    })) as SubscriptionModel;
    expect(subscription.providerId).toBe(SUB_1);
  });

  it('never sends an id that is not Kill Bill-shaped upstream, so ".." cannot become a path segment', async () => {
    const { api, calls } = killbill();
    for (const part of ['..', '../accounts', 'abc', `${SUB_1}/..`, '']) {
      expect(await api.resolveNode({ kind: 'Subscription', sourceId: 'kb', parts: [part] })).toBeNull();
      expect(await api.resolveNode({ kind: 'Account', sourceId: 'kb', parts: [part] })).toBeNull();
    }
    expect(calls).toEqual([]);
  });

  it('resolves nothing for two parts or another kind', async () => {
    const { api, calls } = killbill();
    expect(await api.resolveNode({ kind: 'Subscription', sourceId: 'kb', parts: [ACC, SUB_1] })).toBeNull();
    expect(await api.resolveNode({ kind: 'Machine', sourceId: 'kb', parts: [SUB_1] })).toBeNull();
    expect(calls).toEqual([]);
  });

  it('resolves null for a subscription Kill Bill does not have', async () => {
    const { api } = killbill();
    expect(await api.resolveNode({ kind: 'Subscription', sourceId: 'kb', parts: [SUB_2] })).toBeNull();
  });
});

describe('KillbillApi.recordUsage', () => {
  const request = (subscription: SubscriptionModel) => ({
    subscription,
    trackingId: 't-1',
    units: [{ unitType: 'api-calls', records: [{ recordDate: '2026-10-31T12:00:00Z', amount: '5' }] }],
    reason: null,
    comment: null,
  });

  it('records once and drops the cached usage windows within a day of its records, keeping the others', async () => {
    const { api, calls, invalidated } = killbill();
    const subscription = (await api.subscriptions(await account(api)))[0]!;
    expect(await api.recordUsage(request(subscription))).toEqual({
      subscription,
      trackingId: 't-1',
      alreadyRecorded: false,
    });
    expect(calls.filter((c) => c.startsWith('record'))).toEqual([
      `record {"subscriptionId":${JSON.stringify(SUB_1)},"trackingId":"t-1","unitUsageRecords":[{"unitType":"api-calls","usageRecords":[{"recordDate":"2026-10-31T12:00:00Z","amount":5}]}]}`,
    ]);
    expect(invalidated).toEqual([
      {
        operation: 'usage',
        prefix: `${SUB_1}|`,
        dropped: [
          `${SUB_1}|2026-10-01|2026-11-01`,
          `${SUB_1}|2026-11-01|2026-12-01`,
          `${SUB_1}|2026-10-31T00:00:00.000Z|2026-10-31T01:00:00.000Z`,
        ],
      },
    ]);
  });

  it('reads usage afresh after a write in the same request', async () => {
    const { api, calls } = killbill();
    const subscription = (await api.subscriptions(await account(api)))[0]!;
    await api.subscriptionUsage(subscription, OCTOBER, null);
    await api.recordUsage(request(subscription));
    await api.subscriptionUsage(subscription, OCTOBER, null);
    expect(calls.filter((c) => c.startsWith('usage'))).toHaveLength(2);
  });

  it('refuses an amount Kill Bill cannot store before sending anything', async () => {
    const { api, calls, invalidated } = killbill();
    const subscription = (await api.subscriptions(await account(api)))[0]!;
    const tooPrecise = {
      ...request(subscription),
      units: [{ unitType: 'api-calls', records: [{ recordDate: '2026-10-31T12:00:00Z', amount: '0.0000000001' }] }],
    };
    await expect(api.recordUsage(tooPrecise)).rejects.toThrow(
      'Argument "input.units[0].records[0].amount" must have at most 9 digits before and 9 after the decimal point (Kill Bill stores decimal(18,9)), got "0.0000000001".',
    );
    expect(calls.filter((c) => c.startsWith('record'))).toEqual([]);
    expect(invalidated).toEqual([]);
  });
});

describe('killbillApiOf', () => {
  it('is the API itself for a Kill Bill source and null for another provider’s', () => {
    const { api } = killbill();
    expect(killbillApiOf(api)).toBe(api);
    expect(
      killbillApiOf(new CivitaiApi({ id: 'civ', provider: 'CIVITAI', name: 'c' }, {} as never, () => 0)),
    ).toBeNull();
  });
});
