import { describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../../../src/lib/ids.js';
import type { AccountModel, ConsumptionPointModel, SourceModel } from '../../../src/models.js';
import { sourceAccount, SourceAccountApi } from '../../../src/providers/sourceAccount.js';

const SOURCE: SourceModel = { id: 'civ', provider: 'CIVITAI', name: 'Civitai production' };

class OneAccountApi extends SourceAccountApi {
  async accountConsumption(): Promise<ConsumptionPointModel[]> {
    return [];
  }
}

describe('sourceAccount', () => {
  it('is the source’s one account, named after the source, its provider id the source id', () => {
    expect(sourceAccount(SOURCE)).toEqual({
      __typename: 'Account',
      source: SOURCE,
      id: encodeId('Account', 'civ', 'civ'),
      providerId: 'civ',
      name: 'Civitai production',
    });
  });

  it('has an id that decodes to the Account of this source', () => {
    expect(decodeId(sourceAccount(SOURCE).id)).toEqual({ kind: 'Account', sourceId: 'civ', parts: ['civ'] });
  });
});

describe('SourceAccountApi', () => {
  const api = new OneAccountApi(SOURCE);
  const account = sourceAccount(SOURCE);

  it('lists exactly the one account', async () => {
    expect(await api.listAccounts()).toEqual([account]);
  });

  it('finds the account by the source id and nothing else', async () => {
    expect(await api.getAccount('civ')).toEqual(account);
    expect(await api.getAccount('other')).toBeNull();
  });

  it('hands out the same account object every time', async () => {
    const [listed] = (await api.listAccounts()) as [AccountModel];
    expect(await api.getAccount('civ')).toBe(listed);
  });

  it('resolves an Account id with one part naming it', async () => {
    expect(await api.resolveNode({ kind: 'Account', sourceId: 'civ', parts: ['civ'] })).toEqual(account);
  });

  it('resolves nothing else: another account, extra parts, other kinds', async () => {
    expect(await api.resolveNode({ kind: 'Account', sourceId: 'civ', parts: ['someone'] })).toBeNull();
    expect(await api.resolveNode({ kind: 'Account', sourceId: 'civ', parts: ['civ', 'x'] })).toBeNull();
    expect(await api.resolveNode({ kind: 'Resource', sourceId: 'civ', parts: ['civ'] })).toBeNull();
  });
});
