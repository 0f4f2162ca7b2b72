import type { ConsumptionPointResolvers } from '../generated/resolvers.js';
import { accountOf } from './accountOf.js';

export const ConsumptionPoint: ConsumptionPointResolvers = {
  provider: (point) => point.source.provider,
  account: (point, _args, ctx) => accountOf(point, ctx),
};
