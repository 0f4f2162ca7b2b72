import { describe, expect, it } from 'vitest';
import type { AccountModel } from '../../../src/models.js';
import { ConsumptionPoint } from '../../../src/schema/ConsumptionPoint.js';
import { contextOf, emptyApi, resolverFn } from '../helpers/context.js';
import { pointCosting } from '../helpers/points.js';

function withAccounts(known: readonly string[]) {
  const built = contextOf([{ id: 'kb', provider: 'KILLBILL', api: emptyApi() }]);
  const account = (providerId: string): AccountModel => ({
    __typename: 'Account',
    id: `id-${providerId}`,
    source: built.source('kb'),
    providerId,
    name: null,
  });
  const { ctx, source } = contextOf([
    {
      id: 'kb',
      provider: 'KILLBILL',
      api: { ...emptyApi(), getAccount: async (id: string) => (known.includes(id) ? account(id) : null) },
    },
  ]);
  return { ctx, kb: source('kb') };
}

describe('ConsumptionPoint.provider', () => {
  it('is the point’s source’s provider', async () => {
    const { ctx, kb } = withAccounts([]);
    expect(await resolverFn(ConsumptionPoint.provider)(pointCosting(kb, null), {}, ctx)).toBe('KILLBILL');
  });
});

describe('ConsumptionPoint.account', () => {
  it('is the account its source knows by the point’s account id', async () => {
    const { ctx, kb } = withAccounts(['acc']);
    const account = await resolverFn(ConsumptionPoint.account)(pointCosting(kb, null), {}, ctx);
    expect(account).toMatchObject({ id: 'id-acc', providerId: 'acc' });
  });

  it('is NOT_FOUND, naming the account and the source, when the account no longer exists', async () => {
    const { ctx, kb } = withAccounts([]);
    await expect(resolverFn(ConsumptionPoint.account)(pointCosting(kb, null), {}, ctx)).rejects.toMatchObject({
      message: 'Account "acc" of source "kb" no longer exists.',
      extensions: { code: 'NOT_FOUND' },
    });
  });
});
