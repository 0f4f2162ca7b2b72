import type { SubscriptionResolvers } from '../../../generated/resolvers.js';
import { accountOf } from '../../../schema/accountOf.js';
import { killbillApiOf } from '../api.js';

export const Subscription: SubscriptionResolvers = {
  account: (subscription, _args, ctx) => accountOf(subscription, ctx),
  usage: (subscription, { window, unitType }, ctx) =>
    killbillApiOf(ctx.api(subscription.source))?.subscriptionUsage(
      subscription,
      ctx.bucketed(subscription.source, window, 'TOTAL'),
      unitType ?? null,
    ) ?? [],
};
