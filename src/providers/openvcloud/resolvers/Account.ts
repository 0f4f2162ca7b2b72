import type { AccountResolvers } from '../../../generated/resolvers.js';
import { openvcloudApiOf } from '../api.js';

/** The Account field OpenvCloud adds: empty for every other provider's accounts. */
export const Account: AccountResolvers = {
  cloudspaces: (account, _args, ctx) => openvcloudApiOf(ctx.api(account.source))?.cloudspaces(account) ?? [],
};
