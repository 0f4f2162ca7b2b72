import {
  defaultFieldResolver,
  getNullableType,
  isListType,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../../context.js';

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  !!value && typeof (value as PromiseLike<unknown>).then === 'function';

/**
 * Wraps, once and in place, every list field and every field with its own resolver so a request
 * stops growing at limits.maxObjectsPerRequest, whatever its cost estimate said: list fields count
 * the items they return, and once the count is past the limit every wrapped field still to run
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
      field.resolve = isList
        ? (source, args, ctx: Context, info) => {
            ctx.checkObjects();
            const result = resolve(source, args, ctx, info);
            if (isThenable(result)) {
              return result.then((items) => {
                if (Array.isArray(items)) ctx.countObjects(items.length);
                return items;
              });
            }
            if (Array.isArray(result)) ctx.countObjects(result.length);
            return result;
          }
        : (source, args, ctx: Context, info) => {
            ctx.checkObjects();
            return resolve(source, args, ctx, info);
          };
    }
  }
  return schema;
}

/**
 * Once the object ceiling or the deadline has cut a request short, every wrapped field still to
 * run failed with the same error: report it once, as a request error (no path) in front of the
 * others, instead of once per field (a cut cycle query answered 1,049 copies). What resolved
 * stays in `data`; the fields that did not are null there.
 */
export function ceilingPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const stopped = contextValue.stoppedBy();
          if (!stopped || response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          const others = (singleResult.errors ?? []).filter(
            (e) => !(e.message === stopped.message && e.extensions?.code === stopped.code),
          );
          singleResult.errors = [{ message: stopped.message, extensions: { code: stopped.code } }, ...others];
        },
      };
    },
  };
}
