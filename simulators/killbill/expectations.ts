/** What the generic tests expect of Kill Bill against this simulator (simulators/expectations.ts). */
import { encodeId } from '../../src/lib/ids.js';
import type { ProviderTestExpectations } from '../expectations.js';
import { KILLBILL_ROUTES, type KillbillSimulator } from './simulator.js';

export const expectations: ProviderTestExpectations<'KILLBILL', KillbillSimulator> = {
  provider: 'KILLBILL',
  // One accounts/pagination call of one account.
  readinessCalls: 1,
  crossRequestCache: {
    // The usage of one subscription: Kill Bill's windowed call.
    query: /* GraphQL */ `
      query ($id: ID!, $w: TimeWindow!) {
        subscription(id: $id) {
          usage(window: $w) {
            metric
            quantity
          }
        }
      }
    `,
    variables: (sim, sourceId) => ({
      id: encodeId('Subscription', sourceId, sim.data.subscriptions[0]!.subscriptionId),
    }),
    cached: () => ({ route: KILLBILL_ROUTES.usage }),
    calls: () => 1,
  },
  // Each subscription's usage, which the account's consumption sums.
  consumptionCalls: { route: KILLBILL_ROUTES.usage },
};
