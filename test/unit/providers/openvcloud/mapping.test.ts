import { describe, expect, it } from 'vitest';
import { splitWindow, type Bucket } from '../../../../src/lib/buckets.js';
import { decodeId } from '../../../../src/lib/ids.js';
import { totalsByCurrency } from '../../../../src/lib/money.js';
import { validateWindow } from '../../../../src/lib/timeWindow.js';
import type { SourceModel } from '../../../../src/models.js';
import type { AccountDto, CloudspaceDto, MachineDto } from '../../../../src/providers/openvcloud/client.js';
import {
  FINALISATION_LAG_MS,
  isFinalBucket,
  METRIC_UNITS,
  toAccount,
  toCloudspace,
  toEpochSeconds,
  toMachine,
  toPoints,
  type PointContext,
} from '../../../../src/providers/openvcloud/mapping.js';

const limits = { maxWindowDays: 366, maxHourWindowDays: 31 };
const source: SourceModel = { id: 'g8-eu', provider: 'OPENVCLOUD', name: 'G8 Europe' };
const [october] = splitWindow(
  validateWindow({ start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' }, limits),
  'TOTAL',
  limits,
) as [Bucket];
const octoberEnd = Date.parse('2026-11-01T00:00:00Z');

const context = (overrides: Partial<PointContext> = {}): PointContext => ({
  source,
  prices: {},
  accountProviderId: '7',
  resource: null,
  now: octoberEnd,
  ...overrides,
});

const machine = (overrides: Partial<MachineDto> = {}): MachineDto => ({
  id: '31',
  cloudspaceid: '12',
  ...overrides,
});

describe('toAccount', () => {
  it('maps an account with its id encoding the source and the G8 account id', () => {
    const dto: AccountDto = { id: '7', name: 'acme' };
    const account = toAccount(source, dto);
    expect(account.__typename).toBe('Account');
    expect(account.source).toBe(source);
    expect(account.providerId).toBe('7');
    expect(account.name).toBe('acme');
    expect(decodeId(account.id)).toEqual({ kind: 'Account', sourceId: 'g8-eu', parts: ['7'] });
  });

  it('gives an account without a name (absent or null) a null name', () => {
    expect(toAccount(source, { id: '7' }).name).toBeNull();
    expect(toAccount(source, { id: '7', name: null }).name).toBeNull();
  });

  it('gives the same account in two sources two different ids', () => {
    const other: SourceModel = { ...source, id: 'g8-us' };
    expect(toAccount(source, { id: '7' }).id).not.toBe(toAccount(other, { id: '7' }).id);
  });
});

describe('toCloudspace', () => {
  it('maps every field and encodes account and cloudspace, outermost first, in its id', () => {
    const dto: CloudspaceDto = { id: '12', accountId: '7', name: 'web', status: 'DEPLOYED', location: 'be-gen-1' };
    const cloudspace = toCloudspace(source, dto);
    expect(cloudspace).toMatchObject({
      __typename: 'Cloudspace',
      providerId: '12',
      accountProviderId: '7',
      name: 'web',
      status: 'DEPLOYED',
      location: 'be-gen-1',
    });
    expect(cloudspace.source).toBe(source);
    expect(decodeId(cloudspace.id)).toEqual({ kind: 'Cloudspace', sourceId: 'g8-eu', parts: ['7', '12'] });
  });

  it('turns missing or null name, status and location into null', () => {
    const cloudspace = toCloudspace(source, { id: '12', accountId: '7', name: null, status: undefined });
    expect([cloudspace.name, cloudspace.status, cloudspace.location]).toEqual([null, null, null]);
  });
});

describe('toMachine', () => {
  it('maps every field, with integer sizes and creation time as an RFC 3339 instant', () => {
    const dto = machine({
      name: 'db-1',
      hostname: 'db-1.internal',
      status: 'RUNNING',
      memory: '8192',
      vcpus: '4',
      storage: '100',
      creationTime: '1790812800',
    });
    const model = toMachine(source, '7', dto);
    expect(model).toMatchObject({
      __typename: 'Machine',
      type: 'MACHINE',
      providerId: '31',
      accountProviderId: '7',
      cloudspaceProviderId: '12',
      name: 'db-1',
      hostname: 'db-1.internal',
      status: 'RUNNING',
      memoryMb: 8192,
      vcpus: 4,
      storageGb: 100,
      createdAt: '2026-10-01T00:00:00Z',
    });
    expect(model.source).toBe(source);
  });

  it('encodes account, cloudspace and machine in its id, the account being the one it was listed under', () => {
    const model = toMachine(source, '7', machine());
    expect(decodeId(model.id)).toEqual({ kind: 'Machine', sourceId: 'g8-eu', parts: ['7', '12', '31'] });
  });

  it('reads integer sizes written with an exponent', () => {
    expect(toMachine(source, '7', machine({ memory: '4e3' })).memoryMb).toBe(4000);
  });

  it('gives a size that is not a whole number, or beyond 2^53, null rather than a rounded value', () => {
    const model = toMachine(source, '7', machine({ memory: '2048.5', vcpus: '9007199254740993', storage: '1.5' }));
    expect([model.memoryMb, model.vcpus, model.storageGb]).toEqual([null, null, null]);
  });

  it('gives missing or null optional fields null', () => {
    const model = toMachine(source, '7', machine({ memory: null, creationTime: null }));
    expect([
      model.name,
      model.status,
      model.hostname,
      model.memoryMb,
      model.vcpus,
      model.storageGb,
      model.createdAt,
    ]).toEqual([null, null, null, null, null, null, null]);
  });
});

describe('toPoints', () => {
  it('makes one point per metric in the order CU, SU, TU, NU whatever order G8 sent', () => {
    const points = toPoints({ NU: '0.5', TU: '3', CU: '1', SU: '2' }, october, context());
    expect(points.map((p) => p.metric)).toEqual(['CU', 'SU', 'TU', 'NU']);
    expect(points.map((p) => p.quantity)).toEqual(['1', '2', '3', '0.5']);
  });

  it('gives each known metric its capacity unit', () => {
    const points = toPoints({ CU: '1', SU: '1', TU: '1', NU: '1' }, october, context());
    expect(points.map((p) => p.unit)).toEqual(['CU-hours', 'SU-hours', 'TU-hours', 'TB']);
    expect(METRIC_UNITS).toEqual({ CU: 'CU-hours', SU: 'SU-hours', TU: 'TU-hours', NU: 'TB' });
  });

  it('puts unknown metrics after the known ones, alphabetically, with their name as unit', () => {
    const points = toPoints({ WU: '1', CU: '2', MU: '3', VCU: '4' }, october, context());
    expect(points.map((p) => [p.metric, p.unit])).toEqual([
      ['CU', 'CU-hours'],
      ['MU', 'MU'],
      ['VCU', 'VCU'],
      ['WU', 'WU'],
    ]);
  });

  it('keeps a quantity beyond 2^53 digit for digit', () => {
    const [point] = toPoints({ CU: '9007199254740993' }, october, context());
    expect(point?.quantity).toBe('9007199254740993');
  });

  it('keeps a long fraction and trailing zeros digit for digit', () => {
    const [cu, su] = toPoints({ CU: '0.015774193694443002', SU: '11904.000000' }, october, context());
    expect(cu?.quantity).toBe('0.015774193694443002');
    expect(su?.quantity).toBe('11904.000000');
  });

  it('expands a quantity written with an exponent into plain digits', () => {
    const [cu, su] = toPoints({ CU: '1.5e-7', SU: '2E+3' }, october, context());
    expect(cu?.quantity).toBe('0.00000015');
    expect(su?.quantity).toBe('2000');
  });

  it('takes window, source and account from the bucket and context', () => {
    const [point] = toPoints({ CU: '1' }, october, context({ accountProviderId: '42' }));
    expect([point?.start, point?.end, point?.source, point?.accountProviderId, point?.resource]).toEqual([
      '2026-10-01T00:00:00Z',
      '2026-11-01T00:00:00Z',
      source,
      '42',
      null,
    ]);
  });

  it('prices a metric exactly from the source price list and leaves an unpriced metric without cost', () => {
    const prices = { CU: { amount: '0.0125', currency: 'EUR' } };
    const [cu, su] = toPoints({ CU: '11904.000001', SU: '5' }, october, context({ prices }));
    expect([cu?.cost?.amount, cu?.cost?.currency]).toEqual(['148.8000000125', 'EUR']);
    expect(su?.cost).toBeNull();
  });

  it('never sums costs of two currencies into one amount', () => {
    const prices = { CU: { amount: '0.1', currency: 'EUR' }, SU: { amount: '0.2', currency: 'USD' } };
    const points = toPoints({ CU: '0.1', SU: '0.1', TU: '3' }, october, context({ prices }));
    expect(totalsByCurrency(points.map((p) => p.cost))).toEqual([
      { currency: 'EUR', amount: '0.01' },
      { currency: 'USD', amount: '0.02' },
    ]);
  });

  it('makes no points for an empty consumption', () => {
    expect(toPoints({}, october, context())).toEqual([]);
  });

  it('marks its points final exactly one hour after the bucket ends, not a millisecond earlier', () => {
    const before = toPoints({ CU: '1' }, october, context({ now: octoberEnd + FINALISATION_LAG_MS - 1 }));
    const at = toPoints({ CU: '1' }, october, context({ now: octoberEnd + FINALISATION_LAG_MS }));
    expect(before[0]?.isFinal).toBe(false);
    expect(at[0]?.isFinal).toBe(true);
  });
});

describe('isFinalBucket', () => {
  it('is false until one hour after the bucket end and true from that instant on', () => {
    expect(FINALISATION_LAG_MS).toBe(3_600_000);
    expect(isFinalBucket(octoberEnd, octoberEnd)).toBe(false);
    expect(isFinalBucket(octoberEnd, octoberEnd + 3_599_999)).toBe(false);
    expect(isFinalBucket(octoberEnd, octoberEnd + 3_600_000)).toBe(true);
    expect(isFinalBucket(octoberEnd, octoberEnd + 3_600_001)).toBe(true);
  });
});

describe('toEpochSeconds', () => {
  it('converts whole seconds exactly and floors sub-second window edges', () => {
    expect(toEpochSeconds(Date.parse('2026-10-01T00:00:00Z'))).toBe(1790812800);
    expect(toEpochSeconds(Date.parse('2026-10-01T00:00:00.999Z'))).toBe(1790812800);
    expect(toEpochSeconds(Date.parse('2026-10-01T00:00:01Z'))).toBe(1790812801);
  });
});
