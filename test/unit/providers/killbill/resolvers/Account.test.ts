import { describe, expect, it } from 'vitest';
import type { AccountModel } from '../../../../../src/models.js';
import { KillbillApi } from '../../../../../src/providers/killbill/api.js';
import { Account } from '../../../../../src/providers/killbill/resolvers/Account.js';
import { contextOf, emptyApi, resolverFn } from '../../../helpers/context.js';
import { apiAs } from '../../../helpers/providerApi.js';

describe('Account.subscriptions (Kill Bill)', () => {
  const { api, calls } = apiAs(KillbillApi, { subscriptions: async () => ['subscription'] });
  const { ctx, source } = contextOf([
    { id: 'kb', provider: 'KILLBILL', api },
    { id: 'g8', provider: 'OPENVCLOUD', api: emptyApi() },
  ]);
  const account = (id: string) => ({ __typename: 'Account', source: source(id), providerId: 'a' }) as AccountModel;

  it('is the account’s subscriptions from its Kill Bill source', async () => {
    const kb = account('kb');
    expect(await resolverFn(Account.subscriptions)(kb, {}, ctx)).toEqual(['subscription']);
    expect(calls).toEqual([['subscriptions', kb]]);
  });

  it('is empty for another provider’s account', async () => {
    expect(await resolverFn(Account.subscriptions)(account('g8'), {}, ctx)).toEqual([]);
  });
});
