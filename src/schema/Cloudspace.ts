import type { CloudspaceResolvers } from '../generated/resolvers.js';
import { accountOf } from './accountOf.js';

export const Cloudspace: CloudspaceResolvers = {
  account: (cloudspace, _args, ctx) => accountOf(cloudspace, ctx),
  machines: (cloudspace, _args, ctx) => ctx.api(cloudspace.source).machines?.(cloudspace) ?? [],
  consumption: (cloudspace, { window, granularity }, ctx) =>
    ctx
      .api(cloudspace.source)
      .cloudspaceConsumption?.(cloudspace, ctx.bucketed(cloudspace.source, window, granularity ?? 'TOTAL')) ?? [],
};
