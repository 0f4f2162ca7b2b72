import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../../src/bootstrap.js';
import type { SourceConfig } from '../../../../src/config.js';
import { UpstreamError } from '../../../../src/errors.js';
import { decodeId } from '../../../../src/lib/ids.js';
import type { AccountModel, SourceModel } from '../../../../src/models.js';
import { OpenvcloudApi, openvcloudApiOf } from '../../../../src/providers/openvcloud/api.js';
import type {
  AccountDto,
  CalculateAccountDto,
  CloudspaceDto,
  MachineDto,
  OpenvcloudClient,
} from '../../../../src/providers/openvcloud/client.js';
import { createOpenvcloudLoaders } from '../../../../src/providers/openvcloud/loaders.js';
import type { CloudspaceModel, MachineModel } from '../../../../src/providers/openvcloud/models.js';
import { CivitaiApi } from '../../../../src/providers/civitai/api.js';
import { bucketed, pointRow } from '../../helpers/windows.js';

const SOURCE: SourceModel = { id: 'g8', provider: 'OPENVCLOUD', name: 'G8' };
const [CONFIG] = validateConfig(
  {
    sources: [
      {
        id: 'g8',
        provider: 'OPENVCLOUD',
        baseUrl: 'http://127.0.0.1:1',
        credentials: { token: 't' },
        prices: { CU: { amount: '0.0125', currency: 'EUR' } },
      },
    ],
  },
  'test',
  {},
).sources as [SourceConfig];

const ACCOUNTS: AccountDto[] = [
  { id: '1', name: 'Acme' },
  { id: '2', name: null },
];
const CLOUDSPACES: CloudspaceDto[] = [
  { id: '10', accountId: '1', name: 'web', status: 'DEPLOYED', location: 'be-gen-1' },
  { id: '11', accountId: '1', name: 'db' },
  { id: '20', accountId: '2', name: 'other' },
];
const MACHINES: Record<string, MachineDto[]> = {
  '10': [
    { id: '100', cloudspaceid: '10', name: 'web-1', memory: '2048', vcpus: '2', creationTime: '1790000000' },
    { id: '101', cloudspaceid: '10', name: 'web-2' },
  ],
  '11': [{ id: '110', cloudspaceid: '11', name: 'db-1' }],
  '20': [{ id: '200', cloudspaceid: '20' }],
};

/** Account 1's calculate tree for a window: cloudspace 11 is absent from October's second half. */
function tree(startSec: number): CalculateAccountDto {
  const firstHalf = startSec === Date.parse('2026-10-01T00:00:00Z') / 1000;
  return {
    id: '1',
    name: 'Acme',
    consumption: { NU: '0.5', CU: firstHalf ? '10.25' : '3', SU: '7' },
    cloudspaces: {
      '10': {
        id: '10',
        consumption: { CU: firstHalf ? '6.25' : '3', SU: '4' },
        machines: {
          '100': { id: '100', consumption: { CU: firstHalf ? '6.25' : '3', SU: '4', XU: '1' } },
        },
      },
      ...(firstHalf
        ? {
            '11': {
              id: '11',
              consumption: { CU: '4', SU: '3' },
              machines: { '110': { id: '110', consumption: { CU: '4', SU: '3' } } },
            },
          }
        : {}),
    },
  };
}

/** An OpenvcloudApi over real loaders and a fake client that logs each upstream call. */
function g8(options: { machinesFail?: Error } = {}) {
  const calls: string[] = [];
  const client = {
    listAccounts: async () => (calls.push('accounts/list'), ACCOUNTS),
    listCloudspaces: async () => (calls.push('cloudspaces/list'), CLOUDSPACES),
    listMachines: async (cloudspaceId: string) => {
      calls.push(`machines/list ${cloudspaceId}`);
      if (options.machinesFail) throw options.machinesFail;
      return MACHINES[cloudspaceId] ?? [];
    },
    calculate: async (accountId: string, startSec: number, endSec: number) => {
      calls.push(`billing/calculate ${accountId} ${startSec} ${endSec}`);
      return tree(startSec);
    },
  } as unknown as OpenvcloudClient;
  const now = () => Date.parse('2026-12-01T00:00:00Z');
  const api = new OpenvcloudApi(SOURCE, CONFIG, createOpenvcloudLoaders(client, undefined, now), now);
  return { api, calls };
}

const OCTOBER = bucketed(['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'], 'TOTAL');
const HALVES = bucketed(['2026-10-01T00:00:00Z', '2026-10-16T00:00:00Z', '2026-11-01T00:00:00Z'], 'DAY');

async function account1(api: OpenvcloudApi): Promise<AccountModel> {
  return (await api.getAccount('1'))!;
}

describe('OpenvcloudApi listings', () => {
  it('lists the G8’s accounts with ids of this source, a missing name as null', async () => {
    const { api } = g8();
    const accounts = await api.listAccounts();
    expect(accounts.map((a) => [a.providerId, a.name, decodeId(a.id)])).toEqual([
      ['1', 'Acme', { kind: 'Account', sourceId: 'g8', parts: ['1'] }],
      ['2', null, { kind: 'Account', sourceId: 'g8', parts: ['2'] }],
    ]);
  });

  it('finds an account from the one listing, and null for an unknown id', async () => {
    const { api, calls } = g8();
    expect((await api.getAccount('2'))?.providerId).toBe('2');
    expect(await api.getAccount('3')).toBeNull();
    expect(calls).toEqual(['accounts/list']);
  });

  it('lists only the account’s own cloudspaces', async () => {
    const { api } = g8();
    const spaces = await api.cloudspaces(await account1(api));
    expect(spaces.map((cs) => [cs.providerId, cs.name, cs.status, cs.location])).toEqual([
      ['10', 'web', 'DEPLOYED', 'be-gen-1'],
      ['11', 'db', null, null],
    ]);
  });

  it('lists a cloudspace’s machines with their account', async () => {
    const { api } = g8();
    const [web] = await api.cloudspaces(await account1(api));
    const machines = await api.machines(web!);
    expect(
      machines.map((m) => [m.providerId, m.accountProviderId, m.cloudspaceProviderId, m.memoryMb, m.vcpus]),
    ).toEqual([
      ['100', '1', '10', 2048, 2],
      ['101', '1', '10', null, null],
    ]);
    expect(machines[0]!.createdAt).toBe('2026-09-21T14:13:20Z');
  });

  it('has machines as its only resources, across the account’s cloudspaces', async () => {
    const { api } = g8();
    const account = await account1(api);
    const ids = (list: { providerId: string }[]) => list.map((r) => r.providerId);
    expect(ids(await api.resources(account, null))).toEqual(['100', '101', '110']);
    expect(ids(await api.resources(account, ['MACHINE']))).toEqual(['100', '101', '110']);
  });

  it('answers no resources, without an upstream call, when machines are not asked for', async () => {
    const { api, calls } = g8();
    const account = { providerId: '1' } as AccountModel;
    expect(await api.resources(account, ['VOLUME' as never])).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe('OpenvcloudApi consumption', () => {
  it('asks billing/calculate once per bucket, in epoch seconds, and prices what has a price', async () => {
    const { api, calls } = g8();
    const points = await api.accountConsumption(await account1(api), OCTOBER);
    expect(calls.filter((c) => c.startsWith('billing'))).toEqual(['billing/calculate 1 1790812800 1793491200']);
    expect(points.map(pointRow)).toEqual([
      ['2026-10-01T00:00:00Z', 'CU', '10.25', 'CU-hours', '0.128125 EUR'],
      ['2026-10-01T00:00:00Z', 'SU', '7', 'SU-hours', null],
      ['2026-10-01T00:00:00Z', 'NU', '0.5', 'TB', null],
    ]);
    expect(points.every((p) => p.isFinal && p.resource === null && p.accountProviderId === '1')).toBe(true);
  });

  it('shares one calculate call per bucket between the account, its cloudspaces and its machines', async () => {
    const { api, calls } = g8();
    const account = await account1(api);
    const [web] = await api.cloudspaces(account);
    const [machine] = await api.machines(web!);
    await api.accountConsumption(account, HALVES);
    await api.cloudspaceConsumption(web!, HALVES);
    await api.resourceConsumption(machine!, HALVES);
    expect(calls.filter((c) => c.startsWith('billing'))).toEqual([
      'billing/calculate 1 1790812800 1792108800',
      'billing/calculate 1 1792108800 1793491200',
    ]);
  });

  it('picks a cloudspace’s subtree, and gives no points for a bucket whose tree lacks it', async () => {
    const { api } = g8();
    const db = (await api.cloudspaces(await account1(api)))[1] as CloudspaceModel;
    const points = await api.cloudspaceConsumption(db, HALVES);
    expect(points.map(pointRow)).toEqual([
      ['2026-10-01T00:00:00Z', 'CU', '4', 'CU-hours', '0.05 EUR'],
      ['2026-10-01T00:00:00Z', 'SU', '3', 'SU-hours', null],
    ]);
  });

  it('picks a machine’s subtree per bucket, unknown metrics last and named after themselves', async () => {
    const { api } = g8();
    const [web] = await api.cloudspaces(await account1(api));
    const [machine] = await api.machines(web!);
    const points = await api.resourceConsumption(machine!, HALVES);
    expect(points.map(pointRow)).toEqual([
      ['2026-10-01T00:00:00Z', 'CU', '6.25', 'CU-hours', '0.078125 EUR'],
      ['2026-10-01T00:00:00Z', 'SU', '4', 'SU-hours', null],
      ['2026-10-01T00:00:00Z', 'XU', '1', 'XU', null],
      ['2026-10-16T00:00:00Z', 'CU', '3', 'CU-hours', '0.0375 EUR'],
      ['2026-10-16T00:00:00Z', 'SU', '4', 'SU-hours', null],
      ['2026-10-16T00:00:00Z', 'XU', '1', 'XU', null],
    ]);
    expect(points[0]!.resource).toBe(machine);
  });

  it('answers its cloudspaces as sub-accounts, their consumption from the same calculate call, and a machine’s cloudspace', async () => {
    const { api, calls } = g8();
    const account = await account1(api);
    const spaces = await api.cloudspaces(account);
    const subs = await api.subAccounts(account);
    expect(subs.map((s) => [s.id, s.name])).toEqual(spaces.map((cs) => [cs.id, cs.name]));
    await api.accountConsumption(account, OCTOBER);
    const db = await subs[1]!.consumption(OCTOBER);
    expect(db).toEqual(await api.cloudspaceConsumption(spaces[1]!, OCTOBER));
    expect(calls.filter((c) => c.startsWith('billing'))).toHaveLength(1);
    const [machine] = await api.machines(spaces[0]!);
    expect(api.subAccountOf(machine!)).toBe(spaces[0]!.id);
    expect(api.subAccountOf({ __typename: 'HyperstackVolume' } as never)).toBeNull();
  });

  it('gives a resource that is not a Machine no points and makes no call', async () => {
    const { api, calls } = g8();
    expect(await api.resourceConsumption({ __typename: 'HyperstackVolume' } as never, OCTOBER)).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe('OpenvcloudApi.resolveNode', () => {
  it('resolves an account, a cloudspace and a machine by their ids', async () => {
    const { api } = g8();
    expect(((await api.resolveNode({ kind: 'Account', sourceId: 'g8', parts: ['1'] })) as AccountModel).name).toBe(
      'Acme',
    );
    expect(
      ((await api.resolveNode({ kind: 'Cloudspace', sourceId: 'g8', parts: ['1', '11'] })) as CloudspaceModel).name,
    ).toBe('db');
    expect(
      ((await api.resolveNode({ kind: 'Machine', sourceId: 'g8', parts: ['1', '10', '101'] })) as MachineModel).name,
    ).toBe('web-2');
  });

  it('resolves nothing for the wrong number of parts, or another kind', async () => {
    const { api, calls } = g8();
    expect(await api.resolveNode({ kind: 'Account', sourceId: 'g8', parts: ['1', '10'] })).toBeNull();
    expect(await api.resolveNode({ kind: 'Cloudspace', sourceId: 'g8', parts: ['10'] })).toBeNull();
    expect(await api.resolveNode({ kind: 'Machine', sourceId: 'g8', parts: ['1', '10'] })).toBeNull();
    expect(await api.resolveNode({ kind: 'Subscription', sourceId: 'g8', parts: ['1'] })).toBeNull();
    expect(calls).toEqual([]);
  });

  it('resolves no cloudspace under another account than its own', async () => {
    const { api } = g8();
    expect(await api.resolveNode({ kind: 'Cloudspace', sourceId: 'g8', parts: ['2', '10'] })).toBeNull();
  });

  it('resolves no machine under a cloudspace of another account, without listing its machines', async () => {
    const { api, calls } = g8();
    expect(await api.resolveNode({ kind: 'Machine', sourceId: 'g8', parts: ['2', '10', '100'] })).toBeNull();
    expect(calls).toEqual(['cloudspaces/list']);
  });

  it('resolves no machine its cloudspace does not list', async () => {
    const { api } = g8();
    expect(await api.resolveNode({ kind: 'Machine', sourceId: 'g8', parts: ['1', '10', '110'] })).toBeNull();
  });

  it('treats the G8’s NOT_FOUND for the machine listing as a vanished machine', async () => {
    const notFound = new UpstreamError('gone', 'NOT_FOUND', { provider: 'OPENVCLOUD', source: 'g8', retryable: false });
    const { api } = g8({ machinesFail: notFound });
    expect(await api.resolveNode({ kind: 'Machine', sourceId: 'g8', parts: ['1', '10', '100'] })).toBeNull();
  });

  it('passes any other failure of the machine listing on', async () => {
    const down = new UpstreamError('down', 'UPSTREAM_UNAVAILABLE', {
      provider: 'OPENVCLOUD',
      source: 'g8',
      retryable: true,
    });
    const { api } = g8({ machinesFail: down });
    await expect(api.resolveNode({ kind: 'Machine', sourceId: 'g8', parts: ['1', '10', '100'] })).rejects.toBe(down);
  });
});

describe('openvcloudApiOf', () => {
  it('is the API itself for an OpenvCloud source and null for another provider’s', () => {
    const { api } = g8();
    expect(openvcloudApiOf(api)).toBe(api);
    expect(
      openvcloudApiOf(new CivitaiApi({ id: 'civ', provider: 'CIVITAI', name: 'c' }, {} as never, () => 0)),
    ).toBeNull();
  });
});
