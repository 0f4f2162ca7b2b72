import type { HyperstackClusterResolvers } from '../../../generated/resolvers.js';
import { hyperstackOf, hyperstackResourceFields } from './resourceFields.js';

export const HyperstackCluster: HyperstackClusterResolvers = {
  ...hyperstackResourceFields,
  billingDetails: (cluster, { window }, ctx) =>
    hyperstackOf(cluster, ctx).clusterBillingDetails(cluster, ctx.window(window)),
};
