import type { QueryResolvers } from '../../../generated/resolvers.js';
import { lookup } from '../../../schema/loadNode.js';
import type { SubscriptionModel } from '../models.js';

export const Query: QueryResolvers = {
  subscription: (_root, { id }, ctx) => lookup<SubscriptionModel>(['Subscription'])(id, ctx),
};
