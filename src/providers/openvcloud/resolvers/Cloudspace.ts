import type { CloudspaceResolvers } from '../../../generated/resolvers.js';
import { accountOf } from '../../../schema/accountOf.js';
import { openvcloudApiOf } from '../api.js';

export const Cloudspace: CloudspaceResolvers = {
  account: (cloudspace, _args, ctx) => accountOf(cloudspace, ctx),
  machines: (cloudspace, _args, ctx) => openvcloudApiOf(ctx.api(cloudspace.source))?.machines(cloudspace) ?? [],
  consumption: (cloudspace, { window, granularity }, ctx) =>
    openvcloudApiOf(ctx.api(cloudspace.source))?.cloudspaceConsumption(
      cloudspace,
      ctx.bucketed(cloudspace.source, window, granularity ?? 'TOTAL'),
    ) ?? [],
};
