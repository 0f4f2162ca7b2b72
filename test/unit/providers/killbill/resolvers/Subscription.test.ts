import { describe, expect, it } from 'vitest';
import type { AccountModel } from '../../../../../src/models.js';
import { KillbillApi } from '../../../../../src/providers/killbill/api.js';
import type { SubscriptionModel } from '../../../../../src/providers/killbill/models.js';
import { Subscription } from '../../../../../src/providers/killbill/resolvers/Subscription.js';
import { contextOf, emptyApi, resolverFn } from '../../../helpers/context.js';
import { apiAs } from '../../../helpers/providerApi.js';

const OCTOBER = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

function setup(accounts: readonly string[] = ['acc']) {
  const { api, calls } = apiAs(KillbillApi, {
    subscriptionUsage: async () => ['usage'],
    getAccount: async (id: string) =>
      accounts.includes(id) ? ({ __typename: 'Account', id: `account-${id}`, providerId: id } as AccountModel) : null,
  });
  const { ctx, source } = contextOf([
    { id: 'kb', provider: 'KILLBILL', api },
    { id: 'g8', provider: 'OPENVCLOUD', api: emptyApi() },
  ]);
  const subscription = (sourceId: string) =>
    ({
      __typename: 'Subscription',
      source: source(sourceId),
      providerId: 's',
      accountProviderId: 'acc',
    }) as SubscriptionModel;
  return { ctx, calls, kb: subscription('kb'), g8: subscription('g8') };
}

describe('Subscription.account', () => {
  it('is the account its source knows by the subscription’s account id', async () => {
    const { ctx, kb } = setup();
    expect(await resolverFn(Subscription.account)(kb, {}, ctx)).toMatchObject({ id: 'account-acc' });
  });

  it('is NOT_FOUND when that account no longer exists', async () => {
    const { ctx, kb } = setup([]);
    await expect(resolverFn(Subscription.account)(kb, {}, ctx)).rejects.toMatchObject({
      message: 'Account "acc" of source "kb" no longer exists.',
      extensions: { code: 'NOT_FOUND' },
    });
  });
});

describe('Subscription.usage', () => {
  it('asks Kill Bill for the window as one TOTAL bucket, with the unit type or null', async () => {
    const { ctx, calls, kb } = setup();
    const usage = resolverFn(Subscription.usage);
    expect(await usage(kb, { window: OCTOBER }, ctx)).toEqual(['usage']);
    expect(await usage(kb, { window: OCTOBER, unitType: 'cpu' }, ctx)).toEqual(['usage']);
    expect(
      calls.map(([name, sub, bucketed, unitType]) => [
        name,
        sub,
        (bucketed as { granularity: string }).granularity,
        unitType,
      ]),
    ).toEqual([
      ['subscriptionUsage', kb, 'TOTAL', null],
      ['subscriptionUsage', kb, 'TOTAL', 'cpu'],
    ]);
  });

  it('is empty when the subscription’s source is not Kill Bill', async () => {
    const { ctx, g8 } = setup();
    expect(await resolverFn(Subscription.usage)(g8, { window: OCTOBER }, ctx)).toEqual([]);
  });
});
