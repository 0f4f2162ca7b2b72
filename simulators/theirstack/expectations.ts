/** What the generic tests expect of TheirStack against this simulator (simulators/expectations.ts). */
import type { ProviderTestExpectations } from '../expectations.js';
import { THEIRSTACK_ROUTES, type TheirstackSimulator } from './simulator.js';

export const expectations: ProviderTestExpectations<'THEIRSTACK', TheirstackSimulator> = {
  provider: 'THEIRSTACK',
  // One credit-balance call.
  readinessCalls: 1,
  crossRequestCache: {
    query: /* GraphQL */ `
      query ($w: TimeWindow!) {
        accounts(provider: THEIRSTACK) {
          edges {
            node {
              consumption(window: $w) {
                metric
                quantity
                isFinal
              }
            }
          }
        }
      }
    `,
    cached: () => ({ route: THEIRSTACK_ROUTES.consumption }),
    // The team's one account: one credits_consumption call per window.
    calls: () => 1,
  },
  // Its one account is the configured team: listing it makes no call.
  consumptionCalls: { route: THEIRSTACK_ROUTES.consumption },
};
