import { makeExecutableSchema } from '@graphql-tools/schema';
import { execute, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createContext, type Context } from '../../../../src/context.js';
import { createRequestScope } from '../../../../src/requestScope.js';
import { ceilingPlugin, enforceObjectCeiling } from '../../../../src/schema/limits/objectCeiling.js';
import { contextOf, emptyApi } from '../../helpers/context.js';

const LIMITS = contextOf([{ id: 'a', provider: 'OPENVCLOUD', api: emptyApi() }]).ctx.limits;
const OBJECTS_CUT =
  'The answer grew past 3 objects, the limit per request (limits.maxObjectsPerRequest); the data already resolved is kept. Ask for fewer or smaller lists, or split the query.';

const SDL = `
  type Item { id: ID! name: String children: [Item!] }
  type Query {
    items(n: Int!): [Item]
    required(n: Int!): [Item!]!
    one: Item
    oneRequired: String!
    plain: [String]
  }
`;

/** The test schema under the ceiling, with a log of the resolvers that ran. */
function setup() {
  const ran: string[] = [];
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i), name: `item ${i}` }));
  const schema = enforceObjectCeiling(
    makeExecutableSchema({
      typeDefs: SDL,
      resolvers: {
        Query: {
          items: async (_r: unknown, { n }: { n: number }) => (ran.push(`items(${n})`), items(n)),
          required: (_r: unknown, { n }: { n: number }) => (ran.push(`required(${n})`), items(n)),
          one: () => (ran.push('one'), { id: 'x', name: 'one' }),
          oneRequired: () => (ran.push('oneRequired'), 'yes'),
        },
        Item: { children: () => (ran.push('children'), []) },
      },
    }),
  );
  return { schema, ran };
}

const contextWith = (overrides: Partial<typeof LIMITS>, timeoutMs?: number): Context =>
  createContext(
    new Map(),
    { ...LIMITS, ...overrides },
    createRequestScope(timeoutMs === undefined ? {} : { timeoutMs }),
  );

const run = async (schema: ReturnType<typeof setup>['schema'], query: string, ctx: Context) =>
  (await execute({ schema, document: parse(query), contextValue: ctx })) as ExecutionResult;

describe('enforceObjectCeiling', () => {
  it('wraps list fields and fields with a resolver, and leaves default-resolved scalars alone', () => {
    const { schema } = setup();
    const fields = (type: string) =>
      (schema.getType(type) as { getFields(): Record<string, { resolve?: unknown }> }).getFields();
    expect(typeof fields('Query').plain!.resolve).toBe('function');
    expect(typeof fields('Query').one!.resolve).toBe('function');
    expect(fields('Item').name!.resolve).toBeUndefined();
    expect(fields('Item').id!.resolve).toBeUndefined();
  });

  it('answers everything under the ceiling', async () => {
    const { schema } = setup();
    const ctx = contextWith({ maxObjectsPerRequest: 3 });
    const result = await run(schema, '{ items(n: 3) { id } one { name } }', ctx);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ items: [{ id: '0' }, { id: '1' }, { id: '2' }], one: { name: 'one' } });
    expect(ctx.cutShort()).toEqual([]);
  });

  it('answers a nullable list past the ceiling with null and no error of its own, the cut noted once', async () => {
    const { schema } = setup();
    const ctx = contextWith({ maxObjectsPerRequest: 3 });
    const result = await run(schema, '{ items(n: 4) { id } }', ctx);
    expect(result).toEqual({ data: { items: null } });
    expect(ctx.cutShort().map((e) => [e.code, e.message])).toEqual([['QUERY_TOO_COMPLEX', OBJECTS_CUT]]);
  });

  it('runs no further resolver once cut: nullable fields are null, a non-null field fails with the cut', async () => {
    const { schema, ran } = setup();
    const ctx = contextWith({ maxObjectsPerRequest: 3 });
    await run(schema, '{ items(n: 4) { id } }', ctx);
    const after = await run(schema, '{ one { name } oneRequired }', ctx);
    expect(after.data).toBeNull();
    expect(after.errors?.map((e) => [e.message, e.path])).toEqual([[OBJECTS_CUT, []]]);
    expect(ran).toEqual(['items(4)']);
  });

  it('cuts on the answer-bytes estimate, and counts nothing for a list that resolved to no array', async () => {
    const { schema } = setup();
    const ctx = contextWith({ maxAnswerBytes: 1 });
    const result = await run(schema, '{ items: one { id } plain }', ctx);
    expect(result.data).toEqual({ items: { id: 'x' }, plain: null });
    expect(ctx.cutShort().map((e) => e.message)).toEqual([]);
    const listed = await run(schema, '{ items(n: 1) { id name } }', ctx);
    expect(listed.data).toEqual({ items: null });
    expect(ctx.cutShort()[0]!.message).toMatch(/^The answer grew past 1 bytes \(estimated\)/);
  });

  it('past the deadline stops nullable fields only, so non-null fields still answer', async () => {
    const { schema, ran } = setup();
    const ctx = contextWith({}, -1);
    const result = await run(schema, '{ one { name } oneRequired }', ctx);
    expect(result.data).toEqual({ one: null, oneRequired: 'yes' });
    expect(ran).toEqual(['oneRequired']);
    expect(ctx.cutShort().map((e) => e.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(ctx.cutShort()[0]!.message).toMatch(/^The request ran past its deadline of \d+ ms/);
  });
});

describe('ceilingPlugin', () => {
  /** Runs the plugin's willSendResponse over an answer whose errors are `errors`. */
  async function send(ctx: Context, errors: { message: string; extensions?: Record<string, unknown> }[]) {
    const hooks = await ceilingPlugin().requestDidStart!({} as never);
    const response = { body: { kind: 'single', singleResult: { data: {}, errors } } };
    await hooks!.willSendResponse!({ response, contextValue: ctx } as never);
    return response.body.singleResult.errors;
  }

  it('leaves the errors alone when nothing was cut', async () => {
    const errors = [{ message: 'other', extensions: { code: 'NOT_FOUND' } }];
    expect(await send(contextWith({}), errors)).toEqual(errors);
  });

  it('reports each cut once, first, with the path of the first field it stopped, and drops its copies', async () => {
    const { schema } = setup();
    const ctx = contextWith({ maxObjectsPerRequest: 3 });
    await run(schema, '{ items(n: 4) { id } }', ctx);
    const errors = await send(ctx, [
      { message: 'Source "b" is missing.', extensions: { code: 'UPSTREAM_UNAVAILABLE' } },
      { message: OBJECTS_CUT, extensions: { code: 'QUERY_TOO_COMPLEX' } },
      { message: OBJECTS_CUT, extensions: { code: 'QUERY_TOO_COMPLEX' } },
    ]);
    expect(errors).toEqual([
      { message: OBJECTS_CUT, path: ['items'], extensions: { code: 'QUERY_TOO_COMPLEX' } },
      { message: 'Source "b" is missing.', extensions: { code: 'UPSTREAM_UNAVAILABLE' } },
    ]);
  });
});
