import type { MachineResolvers } from '../../../generated/resolvers.js';
import { NotFoundError } from '../../../errors.js';
import { totalsByCurrency } from '../../../lib/money.js';
import { accountOf } from '../../../schema/accountOf.js';
import type { CloudspaceModel } from '../models.js';

export const Machine: MachineResolvers = {
  provider: (machine) => machine.source.provider,
  account: (machine, _args, ctx) => accountOf(machine, ctx),
  async cloudspace(machine, _args, ctx) {
    const cloudspace = await ctx.api(machine.source).resolveNode({
      kind: 'Cloudspace',
      sourceId: machine.source.id,
      parts: [machine.accountProviderId, machine.cloudspaceProviderId],
    });
    if (!cloudspace)
      throw new NotFoundError(
        `Cloudspace "${machine.cloudspaceProviderId}" of source "${machine.source.id}" no longer exists.`,
      );
    return cloudspace as CloudspaceModel;
  },
  consumption: (machine, { window, granularity }, ctx) =>
    ctx
      .api(machine.source)
      .resourceConsumption?.(machine, ctx.bucketed(machine.source, window, granularity ?? 'TOTAL')) ?? [],
  async cost(machine, { window }, ctx) {
    const points =
      (await ctx.api(machine.source).resourceConsumption?.(machine, ctx.bucketed(machine.source, window, 'TOTAL'))) ??
      [];
    return totalsByCurrency(points.map((p) => p.cost));
  },
};
