import { describe, expect, it } from 'vitest';
import type { Freshness, SourceCache } from '../../../../src/cache/sourceCache.js';
import type {
  AccountDto,
  CalculateAccountDto,
  CloudspaceDto,
  MachineDto,
  OpenvcloudClient,
} from '../../../../src/providers/openvcloud/client.js';
import { createOpenvcloudLoaders } from '../../../../src/providers/openvcloud/loaders.js';

type Call = [string, ...unknown[]];

/** Lets the other pending calls go first, so a slow key answers after its neighbours. */
const later = () => new Promise((resolve) => setImmediate(resolve));

const calculation = (accountId: string, units: string): CalculateAccountDto => ({
  id: accountId,
  name: null,
  cloudspaces: {},
  consumption: { CU: units },
});

/** A fake client recording every call; `slow` ids answer last, `failing` ids throw. */
function fakeClient(opts: { slow?: string[]; failing?: string[] } = {}) {
  const calls: Call[] = [];
  const answer = async <T>(id: string, value: T): Promise<T> => {
    if (opts.slow?.includes(id)) {
      await later();
      await later();
    }
    if (opts.failing?.includes(id)) throw new Error(`no ${id}`);
    return value;
  };
  const client = {
    listAccounts: async (): Promise<AccountDto[]> => {
      calls.push(['listAccounts']);
      return [{ id: '1', name: 'Acme' }];
    },
    listCloudspaces: async (): Promise<CloudspaceDto[]> => {
      calls.push(['listCloudspaces']);
      return [{ id: '10', accountId: '1', name: 'cs' }];
    },
    listMachines: (cloudspaceId: string): Promise<MachineDto[]> => {
      calls.push(['listMachines', cloudspaceId]);
      return answer(cloudspaceId, [{ id: `m-${cloudspaceId}`, cloudspaceid: cloudspaceId }]);
    },
    calculate: (accountId: string, startSec: number, endSec: number): Promise<CalculateAccountDto> => {
      calls.push(['calculate', accountId, startSec, endSec]);
      return answer(accountId, calculation(accountId, '0.1250000000000000001'));
    },
  };
  return { client: client as unknown as OpenvcloudClient, calls };
}

function recordingCache() {
  const through: [string, string, Freshness][] = [];
  const cache: SourceCache = {
    through: (operation, params, freshness, load) => {
      through.push([operation, params, freshness]);
      return load();
    },
  } as SourceCache;
  return { cache, through };
}

const NOW_SEC = 1_800_000_000;

describe('createOpenvcloudLoaders', () => {
  it('lists accounts and cloudspaces with one call each however many loads ask', async () => {
    const { client, calls } = fakeClient();
    const loaders = createOpenvcloudLoaders(client);
    const [a1, a2, c1] = await Promise.all([
      loaders.accounts.load('all'),
      loaders.accounts.load('all'),
      loaders.cloudspaces.load('all'),
    ]);
    expect(a1).toEqual([{ id: '1', name: 'Acme' }]);
    expect(a2).toBe(a1);
    expect(c1).toEqual([{ id: '10', accountId: '1', name: 'cs' }]);
    expect(calls).toEqual([['listAccounts'], ['listCloudspaces']]);
  });

  it('puts a failed listing on every load of it', async () => {
    const { client } = fakeClient();
    const failure = new Error('accounts down');
    (client as unknown as { listAccounts: () => Promise<never> }).listAccounts = () => Promise.reject(failure);
    const loaders = createOpenvcloudLoaders(client);
    const results = await Promise.allSettled([loaders.accounts.load('all'), loaders.cloudspaces.load('all')]);
    expect(results[0]).toEqual({ status: 'rejected', reason: failure });
    expect(results[1].status).toBe('fulfilled');
  });

  it('answers machines in key order whatever order the upstream answers', async () => {
    const { client, calls } = fakeClient({ slow: ['10'] });
    const loaders = createOpenvcloudLoaders(client);
    const results = await loaders.machines.loadMany(['10', '11', '12']);
    expect(results).toEqual([
      [{ id: 'm-10', cloudspaceid: '10' }],
      [{ id: 'm-11', cloudspaceid: '11' }],
      [{ id: 'm-12', cloudspaceid: '12' }],
    ]);
    expect(calls).toEqual([
      ['listMachines', '10'],
      ['listMachines', '11'],
      ['listMachines', '12'],
    ]);
  });

  it('makes one machines/list call per distinct cloudspace, repeated keys sharing it', async () => {
    const { client, calls } = fakeClient();
    const loaders = createOpenvcloudLoaders(client);
    await loaders.machines.loadMany(['10', '11', '10', '11', '10']);
    await loaders.machines.load('11');
    expect(calls).toEqual([
      ['listMachines', '10'],
      ['listMachines', '11'],
    ]);
  });

  it('keeps a failing cloudspace on its own key while the others still answer', async () => {
    const { client } = fakeClient({ failing: ['11'] });
    const loaders = createOpenvcloudLoaders(client);
    const results = await loaders.machines.loadMany(['10', '11', '12']);
    expect(results[0]).toEqual([{ id: 'm-10', cloudspaceid: '10' }]);
    expect(results[1]).toBeInstanceOf(Error);
    expect((results[1] as Error).message).toBe('no 11');
    expect(results[2]).toEqual([{ id: 'm-12', cloudspaceid: '12' }]);
  });

  it('passes account id and window bounds in seconds to calculate exactly, one call per (account, start, end)', async () => {
    const { client, calls } = fakeClient();
    const loaders = createOpenvcloudLoaders(client);
    const results = await loaders.calculate.loadMany([
      { accountId: '1', startSec: 1_767_225_600, endSec: 1_769_904_000 },
      { accountId: '2', startSec: 1_767_225_600, endSec: 1_769_904_000 },
      { accountId: '1', startSec: 1_767_225_600, endSec: 1_769_904_000 },
      { accountId: '1', startSec: 1_769_904_000, endSec: 1_772_323_200 },
    ]);
    expect(calls).toEqual([
      ['calculate', '1', 1_767_225_600, 1_769_904_000],
      ['calculate', '2', 1_767_225_600, 1_769_904_000],
      ['calculate', '1', 1_769_904_000, 1_772_323_200],
    ]);
    expect(results[2]).toBe(results[0]);
  });

  it('answers calculate in key order whatever order the upstream answers, decimals untouched', async () => {
    const { client } = fakeClient({ slow: ['1'] });
    const loaders = createOpenvcloudLoaders(client);
    const results = (await loaders.calculate.loadMany([
      { accountId: '1', startSec: 0, endSec: 3600 },
      { accountId: '2', startSec: 0, endSec: 3600 },
    ])) as CalculateAccountDto[];
    expect(results.map((r) => r.id)).toEqual(['1', '2']);
    expect(results.map((r) => r.consumption.CU)).toEqual(['0.1250000000000000001', '0.1250000000000000001']);
  });

  it('keeps a failing calculate on its own key only', async () => {
    const { client } = fakeClient({ failing: ['2'] });
    const loaders = createOpenvcloudLoaders(client);
    const results = await loaders.calculate.loadMany([
      { accountId: '1', startSec: 0, endSec: 3600 },
      { accountId: '2', startSec: 0, endSec: 3600 },
      { accountId: '3', startSec: 0, endSec: 3600 },
    ]);
    expect((results[0] as CalculateAccountDto).id).toBe('1');
    expect(results[1]).toEqual(new Error('no 2'));
    expect((results[2] as CalculateAccountDto).id).toBe('3');
  });

  it('keys the cache by account|start|end and marks a window final only once past the finality lag', async () => {
    const { client } = fakeClient();
    const { cache, through } = recordingCache();
    const loaders = createOpenvcloudLoaders(client, cache, () => NOW_SEC * 1000);
    await loaders.calculate.loadMany([
      { accountId: '1', startSec: NOW_SEC - 30 * 86_400, endSec: NOW_SEC - 7 * 86_400 },
      { accountId: '1', startSec: NOW_SEC - 3600, endSec: NOW_SEC },
    ]);
    await loaders.accounts.load('all');
    await loaders.machines.load('10');
    expect(through).toEqual([
      ['calculate', `1|${NOW_SEC - 30 * 86_400}|${NOW_SEC - 7 * 86_400}`, 'final'],
      ['calculate', `1|${NOW_SEC - 3600}|${NOW_SEC}`, 'open'],
      ['accounts', '', 'listing'],
      ['machines', '10', 'listing'],
    ]);
  });
});
