import type { AccountResolvers } from '../../../generated/resolvers.js';
import { hyperstackApiOf } from '../api.js';

/** The Account fields Hyperstack adds: null (billingThresholds: empty) for every other provider's accounts. */
export const Account: AccountResolvers = {
  billingThresholds: (account, _args, ctx) =>
    hyperstackApiOf(ctx.api(account.source))?.billingThresholds(account) ?? [],
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
