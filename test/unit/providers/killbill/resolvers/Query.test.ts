import { describe, expect, it } from 'vitest';
import { encodeId } from '../../../../../src/lib/ids.js';
import type { NodeModel } from '../../../../../src/models.js';
import { Query } from '../../../../../src/providers/killbill/resolvers/Query.js';
import { contextOf, emptyApi, resolverFn } from '../../../helpers/context.js';

const SUBSCRIPTION = { __typename: 'Subscription', id: 'x' } as unknown as NodeModel;

describe('Query.subscription', () => {
  const asked: unknown[] = [];
  const { ctx } = contextOf([
    {
      id: 'kb',
      provider: 'KILLBILL',
      api: {
        ...emptyApi(),
        resolveNode: async (id) => {
          asked.push(id);
          return id.parts[0] === 's-1' ? SUBSCRIPTION : null;
        },
      },
    },
  ]);
  const subscription = resolverFn(Query.subscription);

  it('loads a subscription by its id from its source', async () => {
    expect(await subscription({}, { id: encodeId('Subscription', 'kb', 's-1') }, ctx)).toBe(SUBSCRIPTION);
    expect(asked).toEqual([{ kind: 'Subscription', sourceId: 'kb', parts: ['s-1'] }]);
  });

  it('is NOT_FOUND when the source no longer has it', async () => {
    await expect(subscription({}, { id: encodeId('Subscription', 'kb', 's-2') }, ctx)).rejects.toMatchObject({
      message: 'No Subscription has this id; it may have been deleted.',
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it('refuses an id of another kind', async () => {
    await expect((async () => subscription({}, { id: encodeId('Account', 'kb', 'a') }, ctx))()).rejects.toMatchObject({
      message: 'Argument "id" must be a Subscription id, got an Account id.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});
