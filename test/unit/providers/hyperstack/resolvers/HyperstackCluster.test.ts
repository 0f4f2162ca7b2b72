import { describe, expect, it } from 'vitest';
import { HyperstackCluster } from '../../../../../src/providers/hyperstack/resolvers/HyperstackCluster.js';
import type { HyperstackClusterModel } from '../../../../../src/providers/hyperstack/models.js';
import { resolverFn } from '../../../helpers/context.js';
import { OCTOBER, resourceOn } from './fakeResource.js';

describe('HyperstackCluster.billingDetails', () => {
  it('is the cluster’s billing details with its nodes, over the validated window', async () => {
    const { ctx, calls, resource } = resourceOn<HyperstackClusterModel>('HyperstackCluster', 'CLUSTER', [
      'clusterBillingDetails',
      'billingDetails',
    ]);
    expect(await resolverFn(HyperstackCluster.billingDetails)(resource, { window: OCTOBER }, ctx)).toBe(
      'clusterBillingDetails',
    );
    expect(calls).toEqual([['clusterBillingDetails', resource, ctx.window(OCTOBER)]]);
  });

  it('refuses a window that does not validate, before calling the API', async () => {
    const { ctx, calls, resource } = resourceOn<HyperstackClusterModel>('HyperstackCluster', 'CLUSTER', [
      'clusterBillingDetails',
    ]);
    const backwards = { start: '2026-11-01T00:00:00Z', end: '2026-10-01T00:00:00Z' };
    await expect(
      (async () => resolverFn(HyperstackCluster.billingDetails)(resource, { window: backwards }, ctx))(),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'window' } });
    expect(calls).toEqual([]);
  });
});
