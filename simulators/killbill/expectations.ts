/** What the generic tests expect of Kill Bill against this simulator (simulators/expectations.ts). */
import { sumDecimals } from '../../src/lib/decimal.js';
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
  federation: {
    // Every subscription's usage, and the account's consumption as their exact sum per unit.
    figures(sim, account, window) {
      const subscriptions = Object.fromEntries(
        account.subscriptions.map((sub) => [
          sub.providerId,
          sim.expectedUsage(sub.providerId, window.start, window.end),
        ]),
      );
      const sums = new Map<string, string[]>();
      for (const usage of Object.values(subscriptions))
        for (const [unit, amount] of Object.entries(usage)) sums.set(unit, [...(sums.get(unit) ?? []), amount]);
      return {
        consumption: Object.fromEntries([...sums].map(([unit, list]) => [unit, sumDecimals(list)])),
        subscriptions,
      };
    },
    // One page of accounts, each account's bundles, each subscription's usage (never by unit).
    calls: (_sim, accounts) => ({
      [KILLBILL_ROUTES.accountsPagination]: 1,
      [KILLBILL_ROUTES.bundles]: accounts.length,
      [KILLBILL_ROUTES.usage]: accounts.reduce((n, a) => n + a.subscriptions.length, 0),
      [KILLBILL_ROUTES.usageByUnit]: 0,
    }),
    atLeast: { subscriptions: 3 },
  },
  accountSelection: 'subscriptions { usage(window: $w) { quantity } }',
};
