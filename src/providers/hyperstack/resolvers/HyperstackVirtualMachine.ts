import type { HyperstackVirtualMachineResolvers } from '../../../generated/resolvers.js';
import { billingDetails, billingEvents, hyperstackOf, hyperstackResourceFields } from './resourceFields.js';

export const HyperstackVirtualMachine: HyperstackVirtualMachineResolvers = {
  ...hyperstackResourceFields,
  billingDetails,
  billingEvents,
  subResourceCosts: (vm, { window }, ctx) => hyperstackOf(vm, ctx).subResourceCosts(vm, ctx.window(window)),
  subResourceConsumption: (vm, { window, granularity }, ctx) =>
    hyperstackOf(vm, ctx).subResourceConsumption(vm, ctx.bucketed(vm.source, window, granularity ?? 'TOTAL')),
};
