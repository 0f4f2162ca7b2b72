import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../src/errors.js';
import type { AccountModel } from '../../../src/models.js';
import { accountOf } from '../../../src/schema/accountOf.js';
import { contextOf, emptyApi } from '../helpers/context.js';

describe('accountOf', () => {
  it('is the account its source finds under the child’s accountProviderId', async () => {
    const asked: string[] = [];
    const account = { __typename: 'Account', providerId: 'acc-7' } as AccountModel;
    const { ctx, source } = contextOf([
      {
        id: 'g8',
        provider: 'OPENVCLOUD',
        api: {
          ...emptyApi(),
          getAccount: async (id) => {
            asked.push(id);
            return id === 'acc-7' ? account : null;
          },
        },
      },
    ]);
    expect(await accountOf({ source: source('g8'), accountProviderId: 'acc-7' }, ctx)).toBe(account);
    expect(asked).toEqual(['acc-7']);
  });

  it('asks the child’s own source, not another one', async () => {
    const own = { __typename: 'Account', providerId: 'a' } as AccountModel;
    const other = { __typename: 'Account', providerId: 'a' } as AccountModel;
    const { ctx, source } = contextOf([
      { id: 'g8', provider: 'OPENVCLOUD', api: { ...emptyApi(), getAccount: async () => other } },
      { id: 'g9', provider: 'OPENVCLOUD', api: { ...emptyApi(), getAccount: async () => own } },
    ]);
    expect(await accountOf({ source: source('g9'), accountProviderId: 'a' }, ctx)).toBe(own);
  });

  it('is NOT_FOUND, naming the account and its source, when the account no longer exists', async () => {
    const { ctx, source } = contextOf([{ id: 'g8', provider: 'OPENVCLOUD', api: emptyApi() }]);
    const failure = accountOf({ source: source('g8'), accountProviderId: 'gone' }, ctx);
    await expect(failure).rejects.toBeInstanceOf(NotFoundError);
    await expect(failure).rejects.toMatchObject({
      message: 'Account "gone" of source "g8" no longer exists.',
      extensions: { code: 'NOT_FOUND' },
    });
  });
});
