import type { SubscriptionResolvers } from '../generated/resolvers.js';
import { accountOf } from './accountOf.js';

export const Subscription: SubscriptionResolvers = {
  account: (subscription, _args, ctx) => accountOf(subscription, ctx),
  usage: (subscription, { window, unitType }, ctx) =>
    ctx
      .api(subscription.source)
      .subscriptionUsage?.(subscription, ctx.bucketed(subscription.source, window, 'TOTAL'), unitType ?? null) ?? [],
};
