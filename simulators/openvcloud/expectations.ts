/** What the generic tests expect of OpenvCloud (G8) against this simulator (simulators/expectations.ts). */
import type { ProviderTestExpectations } from '../expectations.js';
import { OPENVCLOUD_ROUTES, type OpenvcloudSimulator } from './simulator.js';

export const expectations: ProviderTestExpectations<'OPENVCLOUD', OpenvcloudSimulator> = {
  provider: 'OPENVCLOUD',
  // One accounts/list call.
  readinessCalls: 1,
  crossRequestCache: {
    query: /* GraphQL */ `
      query ($w: TimeWindow!) {
        accounts(provider: OPENVCLOUD) {
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
    cached: () => ({ route: OPENVCLOUD_ROUTES.calculate }),
    // One billing/calculate call per account.
    calls: (sim) => sim.data.accounts.length,
  },
  // billing/calculate, one per account; accounts/list still answers.
  consumptionCalls: { route: OPENVCLOUD_ROUTES.calculate },
};
