import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BadUserInputError, NotFoundError } from '../../../src/errors.js';
import { encodeId, type DecodedId } from '../../../src/lib/ids.js';
import type { NodeModel } from '../../../src/models.js';
import { loadNode, lookup, resourceIdKinds } from '../../../src/schema/loadNode.js';
import { createGatewaySchema } from '../../../src/gatewaySchema.js';
import type { Tenant } from '../../../src/security/tenantAuth.js';
import { contextOf, emptyApi } from '../helpers/context.js';

const MACHINE = { __typename: 'Machine', id: 'm' } as NodeModel;

/** Two sources; g8 knows one Machine and records every id it is asked to resolve. */
function twoSources(tenant?: Tenant) {
  const asked: DecodedId[] = [];
  const api = {
    ...emptyApi(),
    resolveNode: async (id: DecodedId) => {
      asked.push(id);
      return id.kind === 'Machine' && id.parts.join('/') === 'a/cs/m' ? MACHINE : null;
    },
  };
  const { ctx } = contextOf(
    [
      { id: 'g8', provider: 'OPENVCLOUD', api },
      { id: 'kb', provider: 'KILLBILL', api: emptyApi() },
    ],
    tenant,
  );
  return { ctx, asked };
}

describe('loadNode', () => {
  it('is the object the id’s source resolves', async () => {
    const { ctx, asked } = twoSources();
    const id = { kind: 'Machine', sourceId: 'g8', parts: ['a', 'cs', 'm'] };
    expect(await loadNode(id, ctx)).toBe(MACHINE);
    expect(asked).toEqual([id]);
  });

  it('is NOT_FOUND, saying it may have been deleted, when the source no longer has it', async () => {
    const { ctx } = twoSources();
    const failure = loadNode({ kind: 'Machine', sourceId: 'g8', parts: ['a', 'cs', 'gone'] }, ctx);
    await expect(failure).rejects.toBeInstanceOf(NotFoundError);
    await expect(failure).rejects.toThrow('No Machine has this id; it may have been deleted.');
  });

  it('is NOT_FOUND without asking anyone when the id’s source is not configured', async () => {
    const { ctx, asked } = twoSources();
    await expect(loadNode({ kind: 'Machine', sourceId: 'old', parts: ['a'] }, ctx)).rejects.toThrow(
      'No object has this id: its source "old" is not configured.',
    );
    expect(asked).toEqual([]);
  });

  it('treats a source the tenant may not see as not configured', async () => {
    const tenant: Tenant = { name: 'billing', sources: new Set(['kb']), canWrite: false };
    const { ctx, asked } = twoSources(tenant);
    await expect(loadNode({ kind: 'Machine', sourceId: 'g8', parts: ['a', 'cs', 'm'] }, ctx)).rejects.toMatchObject({
      message: 'No object has this id: its source "g8" is not configured.',
      extensions: { code: 'NOT_FOUND' },
    });
    expect(asked).toEqual([]);
  });
});

// lookup decodes the id synchronously (a throw, not a rejection); a resolver awaits it either way.
describe('lookup', () => {
  it('decodes an id of an expected kind and loads it', async () => {
    const { ctx } = twoSources();
    const machine = lookup(['Machine', 'Resource']);
    expect(await machine(encodeId('Machine', 'g8', 'a', 'cs', 'm'), ctx)).toBe(MACHINE);
  });

  it('refuses an id of another kind before any upstream call, naming what it expected', async () => {
    const { ctx, asked } = twoSources();
    const failure = (async () => lookup(['Machine'])(encodeId('Account', 'g8', 'a'), ctx))();
    await expect(failure).rejects.toBeInstanceOf(BadUserInputError);
    await expect(failure).rejects.toMatchObject({
      message: 'Argument "id" must be a Machine id, got an Account id.',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'id' },
    });
    expect(asked).toEqual([]);
  });

  it('uses the given description of the expected kinds in its message', async () => {
    const { ctx } = twoSources();
    await expect(
      (async () => lookup(['Machine', 'Cloudspace'], 'a resource')(encodeId('Account', 'g8', 'a'), ctx))(),
    ).rejects.toThrow('Argument "id" must be a resource id, got an Account id.');
  });

  it('refuses a string that is not an id of this API', async () => {
    const { ctx } = twoSources();
    await expect((async () => lookup(['Machine'])('not an id!', ctx))()).rejects.toThrow(
      'Argument "id" must be an id returned by this API, got "not an id!".',
    );
  });
});

describe('resourceIdKinds', () => {
  it('is Resource and every type implementing it, read from the schema', () => {
    const schema = buildSchema(`
      type Query { r: Resource }
      interface Resource { id: ID! }
      type Machine implements Resource { id: ID! }
      type Volume implements Resource { id: ID! }
      type Account { id: ID! }
    `);
    expect(resourceIdKinds(schema)).toEqual(['Resource', 'Machine', 'Volume']);
  });

  it('is Resource alone when the schema has no Resource interface', () => {
    expect(resourceIdKinds(buildSchema('type Query { a: Int }'))).toEqual(['Resource']);
  });

  it('reads each schema once and answers the same list after', () => {
    const schema = buildSchema('type Query { r: Resource } interface Resource { id: ID! }');
    expect(resourceIdKinds(schema)).toBe(resourceIdKinds(schema));
  });

  it('names every provider’s resource types in the gateway schema, never Account', () => {
    const kinds = resourceIdKinds(createGatewaySchema());
    expect(kinds[0]).toBe('Resource');
    expect(kinds).toContain('Machine');
    expect(kinds).toContain('HyperstackVirtualMachine');
    expect(kinds).not.toContain('Account');
  });
});
