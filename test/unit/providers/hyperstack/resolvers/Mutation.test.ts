import { describe, expect, it } from 'vitest';
import { encodeId } from '../../../../../src/lib/ids.js';
import { HyperstackApi } from '../../../../../src/providers/hyperstack/api.js';
import { Mutation } from '../../../../../src/providers/hyperstack/resolvers/Mutation.js';
import type { Tenant } from '../../../../../src/security/tenantAuth.js';
import { contextOf, emptyApi, resolverFn } from '../../../helpers/context.js';
import { apiAs } from '../../../helpers/providerApi.js';

function setup(tenant?: Tenant) {
  const { api, calls } = apiAs(HyperstackApi, { updateBillingThreshold: async () => 'updated' });
  const { ctx } = contextOf(
    [
      { id: 'hs', provider: 'HYPERSTACK', api },
      { id: 'g8', provider: 'OPENVCLOUD', api: emptyApi() },
    ],
    tenant,
  );
  return { ctx, calls, update: resolverFn(Mutation.updateBillingThreshold) };
}

describe('Mutation.updateBillingThreshold', () => {
  it('updates the threshold through its source’s Hyperstack API with the decoded id', async () => {
    const { ctx, calls, update } = setup();
    const id = encodeId('BillingThreshold', 'hs', '3');
    expect(await update({}, { input: { id, subscribe: true } }, ctx)).toBe('updated');
    expect(calls).toEqual([
      ['updateBillingThreshold', { kind: 'BillingThreshold', sourceId: 'hs', parts: ['3'] }, true],
    ]);
  });

  it('refuses an id of another kind, naming input.id', async () => {
    const { ctx, calls, update } = setup();
    await expect(
      update({}, { input: { id: encodeId('Account', 'hs', '42'), subscribe: true } }, ctx),
    ).rejects.toMatchObject({
      message: 'Argument "input.id" must be a BillingThreshold id, got an Account id.',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'input.id' },
    });
    expect(calls).toEqual([]);
  });

  it('is NOT_FOUND for a source that is not configured or that the tenant may not see', async () => {
    const hidden: Tenant = { name: 't', sources: new Set(['g8']), canWrite: true };
    for (const [ctx, sourceId] of [
      [setup().ctx, 'gone'],
      [setup(hidden).ctx, 'hs'],
    ] as const) {
      await expect(
        resolverFn(Mutation.updateBillingThreshold)(
          {},
          { input: { id: encodeId('BillingThreshold', sourceId, '3'), subscribe: false } },
          ctx,
        ),
      ).rejects.toMatchObject({
        message: `No BillingThreshold has this id: its source "${sourceId}" is not configured.`,
        extensions: { code: 'NOT_FOUND' },
      });
    }
  });

  it('refuses a threshold id of a source that is not Hyperstack', async () => {
    const { ctx, update } = setup();
    await expect(
      update({}, { input: { id: encodeId('BillingThreshold', 'g8', '3'), subscribe: true } }, ctx),
    ).rejects.toMatchObject({
      message: 'Source "g8" has no billing thresholds.',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'input.id' },
    });
  });
});
