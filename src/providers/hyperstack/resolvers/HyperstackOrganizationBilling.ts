import type { HyperstackOrganizationBillingResolvers } from '../../../generated/resolvers.js';
import { NotFoundError } from '../../../errors.js';

/**
 * incurredBillGraph: the daily points, or — when withGraph was asked and Hyperstack sent no point
 * array (its models define none, docs/upstreams/hyperstack.md#s10) — null with a NOT_FOUND error, so
 * a missing graph never reads as "no spend".
 */
export const HyperstackOrganizationBilling: HyperstackOrganizationBillingResolvers = {
  incurredBillGraph(billing) {
    if (billing.graphUnavailable)
      throw new NotFoundError(
        'Hyperstack sent no incurred_bill_graph for this window: the daily points are not available (Account.consumption with granularity DAY computes them from one organization-history call per day).',
      );
    return billing.incurredBillGraph ? [...billing.incurredBillGraph] : null;
  },
};
