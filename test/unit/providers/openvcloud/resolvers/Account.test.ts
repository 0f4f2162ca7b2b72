import { describe, expect, it } from 'vitest';
import type { AccountModel } from '../../../../../src/models.js';
import { OpenvcloudApi } from '../../../../../src/providers/openvcloud/api.js';
import { Account } from '../../../../../src/providers/openvcloud/resolvers/Account.js';
import { contextOf, emptyApi, resolverFn } from '../../../helpers/context.js';
import { apiAs } from '../../../helpers/providerApi.js';

describe('Account.cloudspaces (OpenvCloud)', () => {
  const { api, calls } = apiAs(OpenvcloudApi, { cloudspaces: async () => ['cloudspace'] });
  const { ctx, source } = contextOf([
    { id: 'g8', provider: 'OPENVCLOUD', api },
    { id: 'kb', provider: 'KILLBILL', api: emptyApi() },
  ]);
  const account = (id: string) => ({ __typename: 'Account', source: source(id), providerId: '1' }) as AccountModel;

  it('is the account’s cloudspaces from its OpenvCloud source', async () => {
    const g8 = account('g8');
    expect(await resolverFn(Account.cloudspaces)(g8, {}, ctx)).toEqual(['cloudspace']);
    expect(calls).toEqual([['cloudspaces', g8]]);
  });

  it('is empty for another provider’s account', async () => {
    expect(await resolverFn(Account.cloudspaces)(account('kb'), {}, ctx)).toEqual([]);
  });
});
