import type { AccountResolvers } from '../../../generated/resolvers.js';
import { killbillApiOf } from '../api.js';

/** The Account field Kill Bill adds: empty for every other provider's accounts. */
export const Account: AccountResolvers = {
  subscriptions: (account, _args, ctx) => killbillApiOf(ctx.api(account.source))?.subscriptions(account) ?? [],
};
