import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../../../src/errors.js';
import type { DecodedId } from '../../../../../src/lib/ids.js';
import type { AccountModel, ConsumptionPointModel, NodeModel, SourceModel } from '../../../../../src/models.js';
import type { CloudspaceModel, MachineModel } from '../../../../../src/providers/openvcloud/models.js';
import { Machine } from '../../../../../src/providers/openvcloud/resolvers/Machine.js';
import type { BucketedWindow } from '../../../../../src/providers/types.js';
import { contextOf, emptyApi, resolverFn } from '../../../helpers/context.js';
import { OCTOBER, pointCosting } from '../../../helpers/points.js';

const ACCOUNT = { __typename: 'Account', providerId: 'acc-1' } as AccountModel;
const CLOUDSPACE = { __typename: 'Cloudspace', providerId: 'cs-2' } as CloudspaceModel;

/**
 * One G8 source whose API records what it is asked. With `consumption`, it answers
 * resourceConsumption (recording each bucketed window); without, it lacks that capability.
 */
function g8(consumption?: (source: SourceModel) => ConsumptionPointModel[]) {
  const nodes: DecodedId[] = [];
  const windows: BucketedWindow[] = [];
  const { ctx, source } = contextOf([
    {
      id: 'g8',
      provider: 'OPENVCLOUD',
      api: {
        ...emptyApi(),
        getAccount: async (id) => (id === 'acc-1' ? ACCOUNT : null),
        resolveNode: async (id) => {
          nodes.push(id);
          return id.kind === 'Cloudspace' && id.parts[1] === 'cs-2' ? (CLOUDSPACE as NodeModel) : null;
        },
        ...(consumption
          ? {
              resourceConsumption: async (_resource, window) => {
                windows.push(window);
                return consumption(source('g8'));
              },
            }
          : {}),
      },
    },
  ]);
  const machine = (cloudspace = 'cs-2'): MachineModel =>
    ({
      __typename: 'Machine',
      source: source('g8'),
      providerId: 'm-3',
      accountProviderId: 'acc-1',
      cloudspaceProviderId: cloudspace,
    }) as MachineModel;
  return { ctx, machine, nodes, windows };
}

const provider = resolverFn(Machine.provider);
const account = resolverFn(Machine.account);
const cloudspace = resolverFn(Machine.cloudspace);
const consumption = resolverFn(Machine.consumption);
const cost = resolverFn(Machine.cost);

describe('Machine', () => {
  it('is of its source’s provider', async () => {
    const { ctx, machine } = g8();
    expect(await provider(machine(), {}, ctx)).toBe('OPENVCLOUD');
  });

  it('belongs to the account of its accountProviderId', async () => {
    const { ctx, machine } = g8();
    expect(await account(machine(), {}, ctx)).toBe(ACCOUNT);
  });

  it('looks its cloudspace up by account and cloudspace id in its own source', async () => {
    const { ctx, machine, nodes } = g8();
    expect(await cloudspace(machine(), {}, ctx)).toBe(CLOUDSPACE);
    expect(nodes).toEqual([{ kind: 'Cloudspace', sourceId: 'g8', parts: ['acc-1', 'cs-2'] }]);
  });

  it('is NOT_FOUND, naming the cloudspace and the source, when its cloudspace is gone', async () => {
    const { ctx, machine } = g8();
    const failure = cloudspace(machine('cs-gone'), {}, ctx);
    await expect(failure).rejects.toBeInstanceOf(NotFoundError);
    await expect(failure).rejects.toThrow('Cloudspace "cs-gone" of source "g8" no longer exists.');
  });

  it('asks the source for its consumption in the window, as one TOTAL bucket by default', async () => {
    const { ctx, machine, windows } = g8((source) => [pointCosting(source, null)]);
    const points = (await consumption(
      machine(),
      { window: OCTOBER, granularity: null as never },
      ctx,
    )) as ConsumptionPointModel[];
    expect(points.map((p) => [p.source.id, p.metric, p.cost])).toEqual([['g8', 'cpu', null]]);
    expect(windows.map((w) => [w.granularity, w.buckets.length])).toEqual([['TOTAL', 1]]);
  });

  it('asks for the granularity given', async () => {
    const { ctx, machine, windows } = g8(() => []);
    expect(await consumption(machine(), { window: OCTOBER, granularity: 'DAY' }, ctx)).toEqual([]);
    expect(windows.map((w) => [w.granularity, w.buckets.length])).toEqual([['DAY', 31]]);
  });

  it('has no consumption when the source cannot tell a resource’s', async () => {
    const { ctx, machine } = g8();
    expect(await consumption(machine(), { window: OCTOBER, granularity: 'TOTAL' }, ctx)).toEqual([]);
    expect(await cost(machine(), { window: OCTOBER }, ctx)).toEqual([]);
  });

  it('costs the exact sum of its TOTAL points per currency, skipping unpriced points', async () => {
    const { ctx, machine, windows } = g8((source) => [
      pointCosting(source, { amount: '0.1', currency: 'EUR' }),
      pointCosting(source, { amount: '0.2', currency: 'EUR' }, 'memory'),
      pointCosting(source, null, 'disk'),
      pointCosting(source, { amount: '1.005', currency: 'USD' }, 'ip'),
    ]);
    expect(await cost(machine(), { window: OCTOBER }, ctx)).toEqual([
      { currency: 'EUR', amount: '0.3' },
      { currency: 'USD', amount: '1.005' },
    ]);
    expect(windows.map((w) => w.granularity)).toEqual(['TOTAL']);
  });

  it('refuses a window that does not validate before asking the source', async () => {
    const { ctx, machine, windows } = g8(() => []);
    const failure = cost(machine(), { window: { start: OCTOBER.end, end: OCTOBER.start } }, ctx);
    await expect(failure).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(windows).toEqual([]);
  });
});
