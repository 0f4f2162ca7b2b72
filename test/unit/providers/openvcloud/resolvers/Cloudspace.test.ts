import { describe, expect, it } from 'vitest';
import type { AccountModel } from '../../../../../src/models.js';
import { OpenvcloudApi } from '../../../../../src/providers/openvcloud/api.js';
import type { CloudspaceModel } from '../../../../../src/providers/openvcloud/models.js';
import { Cloudspace } from '../../../../../src/providers/openvcloud/resolvers/Cloudspace.js';
import { contextOf, emptyApi, resolverFn } from '../../../helpers/context.js';
import { apiAs } from '../../../helpers/providerApi.js';

/**
 * Arguments without the fields the schema gives a default: GraphQL always passes those, so the
 * resolver's own fallback is reached only by a caller like this one.
 */
const NO_DEFAULTS = (args: object) => args as never;

const OCTOBER = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

function setup() {
  const { api, calls } = apiAs(OpenvcloudApi, {
    machines: async () => ['machine'],
    cloudspaceConsumption: async () => ['point'],
    getAccount: async (id: string) =>
      id === '1' ? ({ __typename: 'Account', id: 'account-1', providerId: '1' } as AccountModel) : null,
  });
  const { ctx, source } = contextOf([
    { id: 'g8', provider: 'OPENVCLOUD', api },
    { id: 'kb', provider: 'KILLBILL', api: emptyApi() },
  ]);
  const cloudspace = (id: string, accountProviderId = '1') =>
    ({ __typename: 'Cloudspace', source: source(id), providerId: '10', accountProviderId }) as CloudspaceModel;
  return { ctx, calls, g8: cloudspace('g8'), kb: cloudspace('kb'), orphan: cloudspace('g8', '9') };
}

describe('Cloudspace', () => {
  it('has its account, or NOT_FOUND when the account is gone', async () => {
    const { ctx, g8, orphan } = setup();
    expect(await resolverFn(Cloudspace.account)(g8, {}, ctx)).toMatchObject({ id: 'account-1' });
    await expect(resolverFn(Cloudspace.account)(orphan, {}, ctx)).rejects.toMatchObject({
      message: 'Account "9" of source "g8" no longer exists.',
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it('lists its machines from the OpenvCloud API, and none on another provider’s source', async () => {
    const { ctx, calls, g8, kb } = setup();
    expect(await resolverFn(Cloudspace.machines)(g8, {}, ctx)).toEqual(['machine']);
    expect(await resolverFn(Cloudspace.machines)(kb, {}, ctx)).toEqual([]);
    expect(calls).toEqual([['machines', g8]]);
  });

  it('answers consumption bucketed at the granularity asked, TOTAL by default', async () => {
    const { ctx, calls, g8, kb } = setup();
    const consumption = resolverFn(Cloudspace.consumption);
    expect(await consumption(g8, NO_DEFAULTS({ window: OCTOBER }), ctx)).toEqual(['point']);
    expect(await consumption(g8, { window: OCTOBER, granularity: 'DAY' }, ctx)).toEqual(['point']);
    expect(await consumption(kb, NO_DEFAULTS({ window: OCTOBER }), ctx)).toEqual([]);
    expect(
      calls.map(([name, , b]) => [
        name,
        (b as { granularity: string; buckets: unknown[] }).granularity,
        (b as { buckets: unknown[] }).buckets.length,
      ]),
    ).toEqual([
      ['cloudspaceConsumption', 'TOTAL', 1],
      ['cloudspaceConsumption', 'DAY', 31],
    ]);
  });
});
