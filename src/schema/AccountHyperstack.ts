import type { AccountResolvers } from '../generated/resolvers.js';
import { hyperstackApiOf } from '../providers/hyperstack/api.js';

/** Account fields only Hyperstack answers; null for every other provider's accounts. */
export const AccountHyperstack: AccountResolvers = {
  hyperstackLastDayCost: (account, _args, ctx) => hyperstackApiOf(ctx.api(account.source))?.lastDayCost() ?? null,
  hyperstackUsage: (account, { deleted, environment }, ctx) =>
    hyperstackApiOf(ctx.api(account.source))?.usage(account, deleted ?? false, environment ?? null) ?? null,
  hyperstackBillingHistory(account, { window, withGraph }, ctx) {
    const api = hyperstackApiOf(ctx.api(account.source));
    return api ? api.billingHistory(ctx.window(window), withGraph ?? false) : null;
  },
  hyperstackBillingSummaries(account, { window, types }, ctx) {
    const api = hyperstackApiOf(ctx.api(account.source));
    return api ? api.billingSummaries(ctx.window(window), types ?? null) : null;
  },
};
