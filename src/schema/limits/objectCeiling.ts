import {
  defaultFieldResolver,
  getNullableType,
  isListType,
  isNonNullType,
  isObjectType,
  responsePathAsArray,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../context.js';
import { answerBytes } from './answerBytes.js';

/**
 * Where each cut first stopped a field: the answer names that path, so a client sees which part
 * is missing. Keyed by the cut's error instance (one per limit and request), so it is noted once.
 */
const firstCutAt = new WeakMap<object, (string | number)[]>();
const noteCut = (ctx: Context, info: GraphQLResolveInfo): void => {
  for (const cut of ctx.cutShort()) if (!firstCutAt.has(cut)) firstCutAt.set(cut, responsePathAsArray(info.path));
};

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  !!value && typeof (value as PromiseLike<unknown>).then === 'function';

/**
 * Wraps, once and in place, every list field and every field with its own resolver so a request
 * stops growing at limits.maxObjectsPerRequest (or limits.maxAnswerBytes, estimated), whatever its
 * cost estimate said: list fields count the items they return and the bytes those will add, and once the count is past the limit every wrapped field still to run
 * fails with QUERY_TOO_COMPLEX (so no further upstream call starts) while resolved data stays.
 * Fields answered by the default resolver from data already in memory are left alone: wrapping
 * them would tax every scalar for no protection.
 */
export function enforceObjectCeiling(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const isList = isListType(getNullableType(field.type));
      if (!isList && !field.resolve) continue;
      const resolve: GraphQLFieldResolver<unknown, Context> = field.resolve ?? defaultFieldResolver;
      // Once the request is cut, a nullable field answers null without an error of its own: the
      // answer reports the cut once (ceilingPlugin), and tens of thousands of located errors
      // would cost more CPU than the fields they replace. A non-null field must still throw.
      const nullable = !isNonNullType(field.type);
      const cut = nullable ? nullInstead : rethrow;
      // Past the deadline only nullable fields stop: a non-null one would null its parent, and
      // after a slow source the connection's own fields (errors, edges) must still answer.
      const late = nullable ? (ctx: Context) => ctx.pastDeadline() : () => false;
      // RUN when the field may resolve; else what the stopped field answers (null, or it throws).
      const guard = (ctx: Context, info: GraphQLResolveInfo): typeof RUN | null => {
        try {
          ctx.checkObjects();
        } catch (error) {
          noteCut(ctx, info);
          return cut(error);
        }
        if (!late(ctx)) return RUN;
        noteCut(ctx, info);
        return null;
      };
      field.resolve = isList
        ? (source, args, ctx: Context, info) => {
            const stopped = guard(ctx, info);
            if (stopped !== RUN) return stopped;
            const result = resolve(source, args, ctx, info);
            const count = (items: unknown): unknown => {
              if (!Array.isArray(items)) return items;
              try {
                ctx.countObjects(items.length, answerBytes(info, items.length));
              } catch (error) {
                noteCut(ctx, info);
                return cut(error);
              }
              return items;
            };
            return isThenable(result) ? result.then(count) : count(result);
          }
        : (source, args, ctx: Context, info) => {
            const stopped = guard(ctx, info);
            return stopped === RUN ? resolve(source, args, ctx, info) : stopped;
          };
    }
  }
  return schema;
}

/** What a field's guard answers when nothing stops it. */
const RUN = Symbol('run');

const rethrow = (error: unknown): never => {
  throw error;
};
const nullInstead = (): null => null;

/**
 * Once a ceiling or the deadline has cut a request short, the fields it stopped are null (or
 * failed with the same error instance): report each cut once, with the path of the first field it
 * stopped, in front of the others, instead of once per field (a cut cycle query answered 1,049 copies).
 * What resolved stays in `data`.
 */
export function ceilingPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const cuts = contextValue.cutShort();
          if (cuts.length === 0 || response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          const others = (singleResult.errors ?? []).filter(
            (e) => !cuts.some((cut) => e.message === cut.message && e.extensions?.code === cut.code),
          );
          singleResult.errors = [
            ...cuts.map((cut) => {
              const path = firstCutAt.get(cut);
              return { message: cut.message, ...(path ? { path } : {}), extensions: { code: cut.code } };
            }),
            ...others,
          ];
        },
      };
    },
  };
}
