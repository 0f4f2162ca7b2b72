import type { AccountResolvers } from '../generated/resolvers.js';
import { totalsByCurrency } from '../lib/money.js';

export const Account: AccountResolvers = {
  provider: (account) => account.source.provider,
  resources: (account, { types }, ctx) => ctx.api(account.source).resources?.(account, types ?? null) ?? [],
  consumption: (account, { window, granularity }, ctx) =>
    ctx.api(account.source).accountConsumption(account, ctx.bucketed(account.source, window, granularity ?? 'TOTAL')),
  async cost(account, { window }, ctx) {
    const points = await ctx
      .api(account.source)
      .accountConsumption(account, ctx.bucketed(account.source, window, 'TOTAL'));
    return totalsByCurrency(points.map((p) => p.cost));
  },
};
