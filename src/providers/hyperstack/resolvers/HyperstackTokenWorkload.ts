import type { HyperstackTokenWorkloadResolvers } from '../../../generated/resolvers.js';
import { hyperstackOf, hyperstackResourceFields } from './resourceFields.js';

export const HyperstackTokenWorkload: HyperstackTokenWorkloadResolvers = {
  ...hyperstackResourceFields,
  billing: (workload, { window }, ctx) => hyperstackOf(workload, ctx).tokenBilling(workload, ctx.window(window), false),
  billingDetails: (workload, { window }, ctx) =>
    hyperstackOf(workload, ctx).tokenBilling(workload, ctx.window(window), true),
};
