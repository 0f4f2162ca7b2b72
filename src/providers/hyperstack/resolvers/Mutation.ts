import type { MutationResolvers } from '../../../generated/resolvers.js';
import { BadUserInputError, NotFoundError } from '../../../errors.js';
import { decodeIdOf } from '../../../lib/ids.js';
import { hyperstackApiOf } from '../api.js';

/** Hyperstack's mutation: updateBillingThreshold. */
export const Mutation: MutationResolvers = {
  async updateBillingThreshold(_root, { input }, ctx) {
    const id = decodeIdOf(input.id, ['BillingThreshold'], 'input.id');
    if (!ctx.sources.some((s) => s.id === id.sourceId))
      throw new NotFoundError(`No BillingThreshold has this id: its source "${id.sourceId}" is not configured.`);
    const api = hyperstackApiOf(ctx.api(id.sourceId));
    if (!api) throw new BadUserInputError(`Source "${id.sourceId}" has no billing thresholds.`, 'input.id');
    return api.updateBillingThreshold(id, input.subscribe);
  },
};
