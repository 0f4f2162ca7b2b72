import { describe, expect, it } from 'vitest';
import type { SourceCache } from '../../../../src/cache/sourceCache.js';
import { UpstreamError } from '../../../../src/errors.js';
import { decodeId, encodeId } from '../../../../src/lib/ids.js';
import type { AccountModel, SourceModel } from '../../../../src/models.js';
import { CivitaiApi } from '../../../../src/providers/civitai/api.js';
import { HyperstackApi, hyperstackApiOf } from '../../../../src/providers/hyperstack/api.js';
import type { OrgHistoryDto, RowDto, ThresholdDto } from '../../../../src/providers/hyperstack/client.js';
import type { HyperstackLoaders } from '../../../../src/providers/hyperstack/loaders.js';
import type { HyperstackResourceModel } from '../../../../src/providers/hyperstack/models.js';
import { bucketed, pointRow } from '../../helpers/windows.js';

const SOURCE: SourceModel = { id: 'hs', provider: 'HYPERSTACK', name: 'Hyperstack' };
const NOW = Date.parse('2026-12-01T00:00:00Z');

const row = (infrahubId: string | null, incurredBill: string | null, name = `r-${infrahubId}`): RowDto =>
  ({
    attributes: { ...(infrahubId ? { infrahub_id: infrahubId } : {}), resource_name: name, status: 'ACTIVE' },
    metrics: incurredBill === null ? {} : { incurred_bill: incurredBill },
  }) as RowDto;

const org = (orgId: string | null, metrics: OrgHistoryDto['metrics']): OrgHistoryDto => ({ orgId, metrics });

type Load = (key: never) => Promise<unknown>;

/**
 * Loaders answering from the given functions, each recording the keys it was asked: the API reads
 * the upstream through nothing else (no HTTP, no real client).
 */
function fakeLoaders(answers: Partial<Record<string, Load>>, client: Record<string, unknown> = {}) {
  const asked: Record<string, unknown[]> = {};
  const cleared: string[] = [];
  const loader = (name: string) => ({
    load: (key: unknown) => {
      (asked[name] ??= []).push(key);
      const answer = answers[name];
      if (!answer) return Promise.reject(new Error(`unexpected ${name} load`));
      return answer(key as never);
    },
    clearAll: () => {
      cleared.push(name);
    },
  });
  const names = ['orgHistory', 'history', 'thresholds', 'row', 'graph', 'details', 'contractSearch', 'events'];
  const loaders = Object.fromEntries([
    ...names.map((n) => [n, loader(n)]),
    ...['subResources', 'lastDayCost', 'usage'].map((n) => [n, loader(n)]),
    ['client', client],
  ]) as unknown as HyperstackLoaders;
  return { loaders, asked, cleared };
}

function apiOver(answers: Partial<Record<string, Load>>, client: Record<string, unknown> = {}) {
  const invalidated: [string, string][] = [];
  const cache: SourceCache = {
    through: (_o, _p, _f, load) => load(),
    invalidate: async (operation, prefix) => {
      invalidated.push([operation, prefix]);
      return 0;
    },
  };
  const fake = fakeLoaders(answers, client);
  return { api: new HyperstackApi(SOURCE, fake.loaders, () => NOW, cache), invalidated, ...fake };
}

const ACCOUNT: AccountModel = {
  __typename: 'Account',
  source: SOURCE,
  id: encodeId('Account', 'hs', '42'),
  providerId: '42',
  name: 'Hyperstack organization 42',
};

describe('listAccounts and getAccount', () => {
  it('is the one organization of the API key, named by the org id of the organization history', async () => {
    const { api, asked } = apiOver({ orgHistory: async () => org('42', []) });
    expect(await api.listAccounts()).toEqual([ACCOUNT]);
    expect(asked.orgHistory).toEqual([{ window: null, graph: false }]);
  });

  it('uses the source id when the upstream omits the org id', async () => {
    const { api } = apiOver({ orgHistory: async () => org(null, []) });
    expect((await api.listAccounts()).map((a) => [a.providerId, a.name])).toEqual([
      ['hs', 'Hyperstack organization hs'],
    ]);
  });

  it('finds the account by its org id and nothing else', async () => {
    const { api } = apiOver({ orgHistory: async () => org('42', []) });
    expect(await api.getAccount('42')).toEqual(ACCOUNT);
    expect(await api.getAccount('43')).toBeNull();
  });
});

describe('resources', () => {
  it('lists each asked kind’s rows of this month, skipping rows without an infrahub_id', async () => {
    const { api, asked } = apiOver({
      history: async (key: { kind: string }) =>
        key.kind === 'VOLUME'
          ? { orgId: '42', totalCount: 2, rows: [row('7', '1'), row(null, '2')], byId: new Map() }
          : { orgId: '42', totalCount: 1, rows: [row('9', '3')], byId: new Map() },
    });
    const resources = await api.resources(ACCOUNT, ['VOLUME', 'VIRTUAL_MACHINE', 'NOT_A_KIND']);
    expect(
      resources.map((r) => [r.__typename, r.id, r.accountProviderId, (r as HyperstackResourceModel).name]),
    ).toEqual([
      ['HyperstackVirtualMachine', encodeId('Resource', 'hs', 'VIRTUAL_MACHINE', '9'), '42', 'r-9'],
      ['HyperstackVolume', encodeId('Resource', 'hs', 'VOLUME', '7'), '42', 'r-7'],
    ]);
    expect(asked.history).toEqual([
      { kind: 'VIRTUAL_MACHINE', window: null },
      { kind: 'VOLUME', window: null },
    ]);
  });
});

describe('billing thresholds', () => {
  const threshold = (id: string, subscribed: boolean): ThresholdDto => ({
    id,
    threshold: '24',
    interface_title: 'A day before',
    interface_tooltip: null,
    subscribed,
  });

  it('maps the threshold list', async () => {
    const { api } = apiOver({ thresholds: async () => [threshold('3', true)] });
    expect(await api.billingThresholds(ACCOUNT)).toEqual([
      {
        __typename: 'BillingThreshold',
        source: SOURCE,
        id: encodeId('BillingThreshold', 'hs', '3'),
        hoursBefore: 24,
        title: 'A day before',
        tooltip: null,
        subscribed: true,
      },
    ]);
  });

  it('refuses a threshold id that is not an integer before any PUT', async () => {
    const puts: unknown[] = [];
    const { api } = apiOver({}, { updateThreshold: async (...args: unknown[]) => puts.push(args) });
    for (const parts of [['x'], ['1', '2'], ['1234567890']]) {
      await expect(
        api.updateBillingThreshold({ kind: 'BillingThreshold', sourceId: 'hs', parts }, true),
      ).rejects.toMatchObject({
        message: `Argument "input.id" must be a BillingThreshold id returned by this API, got one naming threshold "${parts.join(':')}".`,
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'input.id' },
      });
    }
    expect(puts).toEqual([]);
  });

  it('puts the flag, drops the cached list for later requests and this one, and answers the new threshold', async () => {
    const puts: unknown[] = [];
    const { api, invalidated, cleared } = apiOver(
      {},
      {
        updateThreshold: async (id: string, subscribe: boolean) => {
          puts.push([id, subscribe]);
          return threshold(id, subscribe);
        },
      },
    );
    const updated = await api.updateBillingThreshold({ kind: 'BillingThreshold', sourceId: 'hs', parts: ['3'] }, false);
    expect(updated.subscribed).toBe(false);
    expect(puts).toEqual([['3', false]]);
    expect(invalidated).toEqual([['thresholds', '']]);
    expect(cleared).toEqual(['thresholds']);
  });

  it('drops the cached list even when the PUT fails, since it may have landed', async () => {
    const failure = new UpstreamError('Hyperstack did not answer in time.', 'UPSTREAM_TIMEOUT', {
      provider: 'HYPERSTACK',
      source: 'hs',
      retryable: true,
    });
    const { api, invalidated } = apiOver({}, { updateThreshold: () => Promise.reject(failure) });
    await expect(
      api.updateBillingThreshold({ kind: 'BillingThreshold', sourceId: 'hs', parts: ['3'] }, true),
    ).rejects.toBe(failure);
    expect(invalidated).toEqual([['thresholds', '']]);
  });
});

describe('accountConsumption', () => {
  it('sums UTC-aligned DAY buckets from one call’s daily graph, a zero for a day without points', async () => {
    const { api, asked } = apiOver({
      orgHistory: async () =>
        org('42', [
          {
            incurred_bill_graph: [
              { datetime: '2026-10-01T00:00:00', value: '1.10' },
              { datetime: '2026-10-03T00:00:00', value: '0.05' },
            ],
          },
        ]),
    });
    const window = bucketed(
      ['2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', '2026-10-03T00:00:00Z', '2026-10-04T00:00:00Z'],
      'DAY',
    );
    const points = await api.accountConsumption(ACCOUNT, window);
    expect(points.map(pointRow)).toEqual([
      ['2026-10-01T00:00:00Z', 'incurred_bill', '1.10', 'USD', '1.10 USD'],
      ['2026-10-02T00:00:00Z', 'incurred_bill', '0', 'USD', '0 USD'],
      ['2026-10-03T00:00:00Z', 'incurred_bill', '0.05', 'USD', '0.05 USD'],
    ]);
    expect(asked.orgHistory).toEqual([
      { window: { start: '2026-10-01T00:00:00', end: '2026-10-04T00:00:00' }, graph: true },
    ]);
  });

  it('asks once per bucket when the graph is missing, summing every metric’s bill and leaving out empty buckets', async () => {
    const { api, asked } = apiOver({
      orgHistory: async (key: { graph: boolean; window: { start: string } }) =>
        key.graph
          ? org('42', [{}])
          : key.window.start === '2026-10-01T00:00:00'
            ? org('42', [{ incurred_bill: '0.1' }, { incurred_bill: '0.2' }])
            : org('42', [{}]),
    });
    const window = bucketed(['2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', '2026-10-03T00:00:00Z'], 'DAY');
    expect((await api.accountConsumption(ACCOUNT, window)).map(pointRow)).toEqual([
      ['2026-10-01T00:00:00Z', 'incurred_bill', '0.3', 'USD', '0.3 USD'],
    ]);
    expect(asked.orgHistory).toHaveLength(3);
  });

  it('refuses more than 72 per-bucket calls, naming the granularity and the count', async () => {
    const edges = Array.from({ length: 74 }, (_, i) =>
      new Date(Date.parse('2026-10-01T00:00:00Z') + i * 3_600_000).toISOString().replace('.000Z', 'Z'),
    );
    const { api, asked } = apiOver({ orgHistory: async () => org('42', []) });
    await expect(api.accountConsumption(ACCOUNT, bucketed(edges, 'HOUR'))).rejects.toMatchObject({
      message:
        'Argument "granularity" HOUR would need 73 Hyperstack organization-history calls for this window; use at most 72 buckets (a shorter window, or DAY aligned to UTC).',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'granularity' },
    });
    expect(asked.orgHistory).toBeUndefined();
  });
});

describe('resourceConsumption', () => {
  const volume = (id = '7') =>
    ({
      __typename: 'HyperstackVolume',
      type: 'VOLUME',
      source: SOURCE,
      providerId: id,
      accountProviderId: '42',
    }) as HyperstackResourceModel;

  it('reads TOTAL from the kind’s list row of the window', async () => {
    const { api, asked } = apiOver({ row: async () => row('7', '12.5') });
    const window = bucketed(['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'], 'TOTAL');
    expect((await api.resourceConsumption(volume(), window)).map(pointRow)).toEqual([
      ['2026-10-01T00:00:00Z', 'incurred_bill', '12.5', 'USD', '12.5 USD'],
    ]);
    expect(asked.row).toEqual([
      { kind: 'VOLUME', id: '7', window: { start: '2026-10-01T00:00:00', end: '2026-11-01T00:00:00' } },
    ]);
  });

  it('answers no points for another provider’s Machine', async () => {
    const { api } = apiOver({});
    const machine = { __typename: 'Machine' } as unknown as HyperstackResourceModel;
    expect(
      await api.resourceConsumption(machine, bucketed(['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'], 'TOTAL')),
    ).toEqual([]);
  });
});

describe('resolveNode', () => {
  it('resolves the account, a threshold by id and nothing for malformed ids', async () => {
    const { api } = apiOver({
      orgHistory: async () => org('42', []),
      thresholds: async () => [
        { id: '3', threshold: '1', interface_title: null, interface_tooltip: null, subscribed: false },
      ],
    });
    expect(await api.resolveNode(decodeId(encodeId('Account', 'hs', '42')))).toEqual(ACCOUNT);
    expect(await api.resolveNode({ kind: 'Account', sourceId: 'hs', parts: ['42', 'x'] })).toBeNull();
    expect((await api.resolveNode({ kind: 'BillingThreshold', sourceId: 'hs', parts: ['3'] }))?.id).toBe(
      encodeId('BillingThreshold', 'hs', '3'),
    );
    expect(await api.resolveNode({ kind: 'BillingThreshold', sourceId: 'hs', parts: ['4'] })).toBeNull();
    expect(await api.resolveNode({ kind: 'Resource', sourceId: 'hs', parts: ['constructor', '1'] })).toBeNull();
    expect(await api.resolveNode({ kind: 'Resource', sourceId: 'hs', parts: ['VOLUME', 'abc'] })).toBeNull();
    expect(await api.resolveNode({ kind: 'Machine', sourceId: 'hs', parts: ['1'] })).toBeNull();
  });

  it('finds a resource in this month’s list, else by its details, and a 404 as gone', async () => {
    const notFound = new UpstreamError('No such volume.', 'NOT_FOUND', {
      provider: 'HYPERSTACK',
      source: 'hs',
      retryable: false,
    });
    const { api, asked } = apiOver({
      orgHistory: async () => org('42', []),
      history: async () => ({ orgId: '42', totalCount: 1, rows: [], byId: new Map([['7', row('7', '1', 'listed')]]) }),
      details: async (key: { id: string }) => {
        if (key.id === '8') return [{ attributes: { resource_name: 'detailed' }, metrics: {} }];
        throw notFound;
      },
    });
    const named = async (id: string) =>
      (
        (await api.resolveNode({
          kind: 'Resource',
          sourceId: 'hs',
          parts: ['VOLUME', id],
        })) as HyperstackResourceModel | null
      )?.name;
    expect(await named('7')).toBe('listed');
    expect(await named('8')).toBe('detailed');
    expect(await named('9')).toBeUndefined();
    expect(asked.details).toEqual([
      { kind: 'VOLUME', id: '8', window: null },
      { kind: 'VOLUME', id: '9', window: null },
    ]);
  });
});

describe('organization billing', () => {
  it('maps the history’s first metrics, with its graph when asked', async () => {
    const { api } = apiOver({
      orgHistory: async () =>
        org('42', [
          {
            incurred_bill: '10.5',
            non_discounted_bill: '12',
            vm_cost: '8',
            volume_cost: '2.5',
            contract_cost: null,
            snapshot_cost: '0',
            incurred_bill_graph: [
              { datetime: '2026-10-01 00:00:00', value: '5.25' },
              { datetime: 'not a date', value: '1' },
            ],
          },
        ]),
    });
    const window = bucketed(['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'], 'TOTAL').window;
    expect(await api.billingHistory(window, true)).toEqual({
      graphUnavailable: false,
      incurredBill: { amount: '10.5', currency: 'USD' },
      nonDiscountedBill: { amount: '12', currency: 'USD' },
      vmCost: { amount: '8', currency: 'USD' },
      volumeCost: { amount: '2.5', currency: 'USD' },
      contractCost: null,
      snapshotCost: { amount: '0', currency: 'USD' },
      incurredBillGraph: [{ at: '2026-10-01T00:00:00Z', amount: { amount: '5.25', currency: 'USD' } }],
    });
    expect((await api.billingHistory(window, false))?.incurredBillGraph).toBeNull();
  });

  it('says the graph is unavailable when asked for and missing, and is null without metrics', async () => {
    const window = bucketed(['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'], 'TOTAL').window;
    const withoutGraph = apiOver({ orgHistory: async () => org('42', [{ incurred_bill: '1' }]) }).api;
    expect((await withoutGraph.billingHistory(window, true))?.graphUnavailable).toBe(true);
    const empty = apiOver({ orgHistory: async () => org('42', []) }).api;
    expect(await empty.billingHistory(window, true)).toBeNull();
  });

  it('sums each kind’s bills exactly for the billing summaries', async () => {
    const { api } = apiOver({
      history: async () => ({
        orgId: '42',
        totalCount: 3,
        rows: [row('1', '0.1'), row('2', '0.2'), row('3', null)],
        byId: new Map(),
      }),
    });
    const window = bucketed(['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'], 'TOTAL').window;
    expect(await api.billingSummaries(window, ['VOLUME'])).toEqual([
      { type: 'VOLUME', totalCount: 3, incurredBill: { amount: '0.3', currency: 'USD' } },
    ]);
  });

  it('maps the last day’s costs as USD, null where absent', async () => {
    const { api } = apiOver({
      lastDayCost: async () => ({ instances_cost: '1.5', volumes_cost: null, clusters_cost: '0', total_cost: '1.5' }),
    });
    expect(await api.lastDayCost()).toEqual({
      instancesCost: { amount: '1.5', currency: 'USD' },
      volumesCost: null,
      clustersCost: { amount: '0', currency: 'USD' },
      totalCost: { amount: '1.5', currency: 'USD' },
    });
  });

  it('maps a usage list once per account and arguments within the request', async () => {
    const { api, asked } = apiOver({ usage: async () => [] });
    const first = api.usage(ACCOUNT, false, null);
    expect(api.usage(ACCOUNT, false, null)).toBe(first);
    expect(api.usage(ACCOUNT, true, null)).not.toBe(first);
    expect(await first).toEqual([]);
    expect(asked.usage).toEqual([
      { deleted: false, environment: null },
      { deleted: true, environment: null },
    ]);
  });
});

describe('hyperstackApiOf', () => {
  it('is the API itself for a Hyperstack source and null for another provider’s', () => {
    const { api } = apiOver({});
    expect(hyperstackApiOf(api)).toBe(api);
    expect(hyperstackApiOf(Object.create(CivitaiApi.prototype) as CivitaiApi)).toBeNull();
  });
});
