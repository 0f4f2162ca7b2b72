import { addResolversToSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Resolvers } from '../generated/resolvers.js';
import type { NodeModel, ResourceModel } from '../models.js';
import { Account } from './Account.js';
import { ConsumptionPoint } from './ConsumptionPoint.js';
import { Query } from './Query.js';
import { freshnessOf } from './freshnessOf.js';
import { UsageReport } from './UsageReport.js';
import { SeriesPoint, UsageReportGroup } from './UsageReportGroup.js';
import { DateScalar, DateTime, Decimal } from './scalars.js';
import { enforceObjectCeiling } from './limits/objectCeiling.js';
import { buildSchemaFromSdl, readSchemaFiles, type SdlFile } from './sdl.js';

/**
 * One contribution to the schema beside the core: a provider's SDL (its own types, and
 * `extend type` / `extend enum` of the core's) and the resolvers of exactly the fields it adds.
 */
export interface SchemaPart {
  /** Who contributes it, for messages, e.g. "HYPERSTACK". */
  readonly name: string;
  readonly sdl: readonly SdlFile[];
  readonly resolvers: Resolvers;
}

const resolveType = (node: NodeModel) => node.__typename;

/** The core's resolvers: the types and fields schema/*.graphql declares, for every provider alike. */
export const coreResolvers: Resolvers = {
  DateTime,
  Date: DateScalar,
  Decimal,
  Query,
  Account,
  ConsumptionPoint,
  UsageReport: { ...UsageReport, freshness: freshnessOf },
  UsageReportGroup,
  SeriesPoint,
  Node: { __resolveType: resolveType },
  Resource: { __resolveType: (resource: ResourceModel) => resource.__typename },
};

/**
 * The core's resolvers with every part's, type by type. A field two contributors both resolve
 * is refused at start-up: one would silently win and the other's source would answer wrongly.
 */
export function mergeResolvers(parts: readonly SchemaPart[]): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  const owner = new Map<string, string>();
  for (const { name, resolvers } of [{ name: 'core', resolvers: coreResolvers }, ...parts]) {
    for (const [type, fields] of Object.entries(resolvers as Record<string, Record<string, unknown>>)) {
      // Scalars are class instances, not field maps; only the core declares them.
      if (type in merged && !isFieldMap(fields)) throw new Error(`${name} redefines the scalar ${type}.`);
      if (!isFieldMap(fields)) {
        merged[type] = fields;
        continue;
      }
      const target = (merged[type] ??= {});
      for (const [field, resolver] of Object.entries(fields)) {
        const key = `${type}.${field}`;
        const first = owner.get(key);
        if (first) throw new Error(`${name} and ${first} both resolve ${key}; a field has one owner.`);
        owner.set(key, name);
        target[field] = resolver;
      }
    }
  }
  return merged as Resolvers;
}

const isFieldMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * The executable schema: the core SDL from schema/ and each part's, resolvers attached without
 * re-merging type definitions, list and resolver-backed fields wrapped once for the per-request
 * object ceiling. In place, because the SDL schema is built fresh here and a copy would move the
 * built-in scalars that the cost directives' arguments use, so live introspection would drift
 * from the checked-in one.
 */
export function createSchema(parts: readonly SchemaPart[]): GraphQLSchema {
  const schema = buildSchemaFromSdl([...readSchemaFiles(), ...parts.flatMap((part) => part.sdl)]);
  return enforceObjectCeiling(
    addResolversToSchema({ schema, resolvers: mergeResolvers(parts) as never, updateResolversInPlace: true }),
  );
}
