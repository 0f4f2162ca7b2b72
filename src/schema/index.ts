import { addResolversToSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Resolvers } from '../generated/resolvers.js';
import type { NodeModel, ResourceModel } from '../models.js';
import { Account } from './Account.js';
import { AccountHyperstack } from './AccountHyperstack.js';
import { Cloudspace } from './Cloudspace.js';
import { ConsumptionPoint } from './ConsumptionPoint.js';
import { Machine } from './Machine.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { HyperstackBucket } from './HyperstackBucket.js';
import { HyperstackCluster } from './HyperstackCluster.js';
import { HyperstackContract } from './HyperstackContract.js';
import { HyperstackFineTuning } from './HyperstackFineTuning.js';
import { HyperstackSnapshot } from './HyperstackSnapshot.js';
import { HyperstackTokenWorkload } from './HyperstackTokenWorkload.js';
import { HyperstackVirtualMachine } from './HyperstackVirtualMachine.js';
import { HyperstackVolume } from './HyperstackVolume.js';
import { DateScalar, DateTime, Decimal } from './scalars.js';
import { enforceObjectCeiling } from './limits/objectCeiling.js';
import { buildSchemaFromSdl } from './sdl.js';
import { Subscription } from './Subscription.js';

const resolveType = (node: NodeModel) => node.__typename;

export const resolvers: Resolvers = {
  DateTime,
  Date: DateScalar,
  Decimal,
  Query,
  Mutation,
  Account: { ...Account, ...AccountHyperstack },
  Cloudspace,
  Machine,
  Subscription,
  ConsumptionPoint,
  HyperstackVirtualMachine,
  HyperstackVolume,
  HyperstackSnapshot,
  HyperstackBucket,
  HyperstackCluster,
  HyperstackFineTuning,
  HyperstackTokenWorkload,
  HyperstackContract,
  Node: { __resolveType: resolveType },
  Resource: { __resolveType: (resource: ResourceModel) => resource.__typename },
};

/**
 * The executable schema: SDL from schema/, resolvers attached without re-merging type definitions,
 * list and resolver-backed fields wrapped once for the per-request object ceiling. In place,
 * because the SDL schema is built fresh here and a copy would move the built-in scalars that the
 * cost directives' arguments use, so live introspection would drift from the checked-in one.
 */
export function createSchema(): GraphQLSchema {
  return enforceObjectCeiling(
    addResolversToSchema({ schema: buildSchemaFromSdl(), resolvers: resolvers as never, updateResolversInPlace: true }),
  );
}
