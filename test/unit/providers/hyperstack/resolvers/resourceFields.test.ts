import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../../src/errors.js';
import type { Window } from '../../../../../src/lib/timeWindow.js';
import type { AccountModel, ConsumptionPointModel, SourceModel } from '../../../../../src/models.js';
import { HyperstackApi } from '../../../../../src/providers/hyperstack/api.js';
import type { HyperstackResourceModel } from '../../../../../src/providers/hyperstack/models.js';
import {
  billingDetails,
  billingEvents,
  hyperstackOf,
  hyperstackResourceFields as fields,
} from '../../../../../src/providers/hyperstack/resolvers/resourceFields.js';
import type { BucketedWindow } from '../../../../../src/providers/types.js';
import { contextOf, emptyApi } from '../../../helpers/context.js';
import { OCTOBER, pointCosting } from '../../../helpers/points.js';

const ACCOUNT = { __typename: 'Account', providerId: 'org-1' } as AccountModel;

/**
 * A HyperstackApi (so hyperstackApiOf recognises it) whose upstream-facing methods are stubs
 * recording what they were asked; no loader, no client.
 */
function stubHyperstackApi(points: (source: SourceModel) => ConsumptionPointModel[]) {
  const asked: string[] = [];
  const windows: BucketedWindow[] = [];
  let sourceOfPoints: SourceModel | undefined;
  const describeWindow = (w: Window) => `${w.start}..${w.end}`;
  const api = Object.assign(Object.create(HyperstackApi.prototype) as HyperstackApi, {
    ...emptyApi(),
    getAccount: async (id: string) => (id === 'org-1' ? ACCOUNT : null),
    resourceConsumption: async (_resource: unknown, window: BucketedWindow) => {
      windows.push(window);
      return points(sourceOfPoints!);
    },
    billing: async (resource: HyperstackResourceModel, window: Window) => {
      asked.push(`billing ${resource.providerId} ${describeWindow(window)}`);
      return { kind: 'billing' };
    },
    billingDetails: async (resource: HyperstackResourceModel, window: Window) => {
      asked.push(`billingDetails ${resource.providerId} ${describeWindow(window)}`);
      return { kind: 'details' };
    },
    billingEvents: async (resource: HyperstackResourceModel, window: Window) => {
      asked.push(`billingEvents ${resource.providerId} ${describeWindow(window)}`);
      return [];
    },
  });
  return { api, asked, windows, setSource: (s: SourceModel) => (sourceOfPoints = s) };
}

function hyperstack(points: (source: SourceModel) => ConsumptionPointModel[] = () => []) {
  const stub = stubHyperstackApi(points);
  const { ctx, source } = contextOf([
    { id: 'hs', provider: 'HYPERSTACK', api: stub.api },
    { id: 'g8', provider: 'OPENVCLOUD', api: emptyApi() },
  ]);
  stub.setSource(source('hs'));
  const vm = {
    __typename: 'HyperstackVirtualMachine',
    type: 'VIRTUAL_MACHINE',
    source: source('hs'),
    providerId: '4242',
    accountProviderId: 'org-1',
  } as HyperstackResourceModel;
  return { ctx, source, vm, ...stub };
}

describe('hyperstackOf', () => {
  it('is the Hyperstack API of the resource’s source', () => {
    const { ctx, vm, api } = hyperstack();
    expect(hyperstackOf(vm, ctx)).toBe(api);
  });

  it('is an internal error, naming the source, when the source is not a Hyperstack one', () => {
    const { ctx, source } = hyperstack();
    let error: unknown;
    try {
      hyperstackOf({ source: source('g8') }, ctx);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      message: 'Source "g8" is not a Hyperstack source.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});

describe('hyperstackResourceFields', () => {
  it('gives the source’s provider', () => {
    const { vm } = hyperstack();
    expect(fields.provider(vm)).toBe('HYPERSTACK');
  });

  it('finds the owning organisation’s account', async () => {
    const { ctx, vm } = hyperstack();
    expect(await fields.account(vm, {}, ctx)).toBe(ACCOUNT);
  });

  it('asks for consumption as one TOTAL bucket unless a granularity is given', async () => {
    const { ctx, vm, windows } = hyperstack();
    await fields.consumption(vm, { window: OCTOBER }, ctx);
    await fields.consumption(vm, { window: OCTOBER, granularity: null }, ctx);
    await fields.consumption(vm, { window: OCTOBER, granularity: 'DAY' }, ctx);
    expect(windows.map((w) => [w.granularity, w.buckets.length])).toEqual([
      ['TOTAL', 1],
      ['TOTAL', 1],
      ['DAY', 31],
    ]);
  });

  it('costs the exact per-currency total of the TOTAL points', async () => {
    const { ctx, vm, windows } = hyperstack((source) => [
      pointCosting(source, { amount: '12.345', currency: 'USD' }),
      pointCosting(source, { amount: '0.655', currency: 'USD' }, 'gpu'),
      pointCosting(source, null, 'storage'),
    ]);
    expect(await fields.cost(vm, { window: OCTOBER }, ctx)).toEqual([{ currency: 'USD', amount: '13' }]);
    expect(windows.map((w) => w.granularity)).toEqual(['TOTAL']);
  });

  it('asks the API for billing over the validated window', async () => {
    const { ctx, vm, asked } = hyperstack();
    expect(await fields.billing(vm, { window: { start: '2026-10-01T02:00:00+02:00', end: OCTOBER.end } }, ctx)).toEqual(
      { kind: 'billing' },
    );
    expect(asked).toEqual(['billing 4242 2026-10-01T00:00:00Z..2026-11-01T00:00:00Z']);
  });

  it('refuses an invalid window with BAD_USER_INPUT before asking the API', async () => {
    const { ctx, vm, asked } = hyperstack();
    expect(() => fields.billing(vm, { window: { start: OCTOBER.end, end: OCTOBER.start } }, ctx)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
    expect(asked).toEqual([]);
  });
});

describe('billingDetails and billingEvents', () => {
  it('ask the API for the resource’s details and events over the window', async () => {
    const { ctx, vm, asked } = hyperstack();
    expect(await billingDetails(vm, { window: OCTOBER }, ctx)).toEqual({ kind: 'details' });
    expect(await billingEvents(vm, { window: OCTOBER }, ctx)).toEqual([]);
    expect(asked).toEqual([
      'billingDetails 4242 2026-10-01T00:00:00Z..2026-11-01T00:00:00Z',
      'billingEvents 4242 2026-10-01T00:00:00Z..2026-11-01T00:00:00Z',
    ]);
  });
});
