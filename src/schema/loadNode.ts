import { isAbstractType, type GraphQLSchema } from 'graphql';
import type { Context } from '../context.js';
import { NotFoundError } from '../errors.js';
import { decodeIdOf, type DecodedId, type IdKind } from '../lib/ids.js';
import type { NodeModel } from '../models.js';

/** Loads the object an id names; a vanished object is null plus NOT_FOUND on that field. */
export async function loadNode(id: DecodedId, ctx: Context): Promise<NodeModel> {
  if (!ctx.sources.some((s) => s.id === id.sourceId))
    throw new NotFoundError(`No object has this id: its source "${id.sourceId}" is not configured.`);
  const node = await ctx.api(id.sourceId).resolveNode(id);
  if (!node) throw new NotFoundError(`No ${id.kind} has this id; it may have been deleted.`);
  return node;
}

/** A field's lookup by id, refusing ids of other kinds before any upstream call. */
export const lookup =
  <T extends NodeModel>(kinds: readonly IdKind[], described?: string) =>
  (id: string, ctx: Context): Promise<T> =>
    loadNode(decodeIdOf(id, kinds, 'id', described), ctx) as Promise<T>;

const resourceKinds = new WeakMap<GraphQLSchema, readonly IdKind[]>();

/**
 * The id kinds that name a Resource: `Resource` itself and every type implementing it, read from
 * the schema (so the core names no provider's types), once per schema.
 */
export function resourceIdKinds(schema: GraphQLSchema): readonly IdKind[] {
  let kinds = resourceKinds.get(schema);
  if (!kinds) {
    const resource = schema.getType('Resource');
    const implementations = isAbstractType(resource) ? schema.getPossibleTypes(resource).map((t) => t.name) : [];
    kinds = ['Resource', ...implementations];
    resourceKinds.set(schema, kinds);
  }
  return kinds;
}
