/** What the generic tests expect of Hyperstack against this simulator (simulators/expectations.ts). */
import type { ProviderTestExpectations } from '../expectations.js';
import type { HyperstackSimulator } from './simulator.js';

/** Hyperstack's VM billing history, as the simulator names the route (by its SDK operation). */
const VM_BILLING_HISTORY = 'get_vm_billing_history';
/** The organisation's billing history (its bill, and its id for the listing). */
const ORG_HISTORY = 'get_user_billing_history';

export const expectations: ProviderTestExpectations<'HYPERSTACK', HyperstackSimulator> = {
  provider: 'HYPERSTACK',
  // One list of the organisation's notification thresholds.
  readinessCalls: 1,
  crossRequestCache: {
    // The cost of every VM: the windowed walk of the VM billing history.
    query: /* GraphQL */ `
      query ($w: TimeWindow!) {
        accounts(provider: HYPERSTACK) {
          edges {
            node {
              resources(types: [VIRTUAL_MACHINE]) {
                cost(window: $w) {
                  amount
                }
              }
            }
          }
        }
      }
    `,
    // The walk asks from the window's start, as a naive UTC date-time (no Z).
    cached: (window) => ({
      route: VM_BILLING_HISTORY,
      where: (r) => r.query.start_date === window.start.replace(/Z$/, ''),
    }),
    calls: () => 1,
    // Discovery of the resources (this month so far, no start_date) is asked every time.
    uncached: { filter: { route: VM_BILLING_HISTORY, where: (r) => r.query.start_date === undefined }, calls: 1 },
  },
  // The organisation history for a window; the listing asks it without one (no start_date).
  consumptionCalls: { route: ORG_HISTORY, where: (r) => r.query.start_date !== undefined },
  federation: {
    // The organisation's incurred bill for the window, in USD, as the account's one point and its cost.
    figures(sim, _account, window) {
      const bill = sim.expected.org(window.start, window.end).incurred_bill;
      return {
        consumption: { incurred_bill: bill },
        cost: [{ amount: bill, currency: 'USD' }],
        pointCurrency: 'USD',
      };
    },
    // The organisation history twice: without a window to list the account, with the window for its bill.
    calls: () => ({ [ORG_HISTORY]: 2 }),
    totalCalls: () => 2,
  },
  accountSelection: 'billingThresholds { id }',
};
