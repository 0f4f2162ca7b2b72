/** What the generic tests expect of OpenvCloud (G8) against this simulator (simulators/expectations.ts). */
import { accountsConsumptionQuery, type ProviderTestExpectations } from '../expectations.js';

/** Epoch seconds of an ISO instant. */
const sec = (iso: string): number => Date.parse(iso) / 1000;
/** A seed's consumption record as metric → quantity. */
const byMetric = (consumption: object): Record<string, string> =>
  Object.fromEntries(Object.entries(consumption as Record<string, string>));
import { OPENVCLOUD_ROUTES, type OpenvcloudSimulator } from './simulator.js';

export const expectations: ProviderTestExpectations<'OPENVCLOUD', OpenvcloudSimulator> = {
  provider: 'OPENVCLOUD',
  // One accounts/list call.
  readinessCalls: 1,
  crossRequestCache: {
    query: accountsConsumptionQuery('OPENVCLOUD'),
    cached: () => ({ route: OPENVCLOUD_ROUTES.calculate }),
    // One billing/calculate call per account.
    calls: (sim) => sim.data.accounts.length,
  },
  // billing/calculate, one per account; accounts/list still answers.
  consumptionCalls: { route: OPENVCLOUD_ROUTES.calculate },
  federation: {
    // Each account's tree from billing/calculate: the account's and each machine's consumption, exact digits.
    figures(sim, account, window) {
      const tree = sim.expectedCalculate(Number(account.providerId), sec(window.start), sec(window.end)).account;
      const machines = Object.values(tree.cloudspaces).flatMap((cs) => Object.values(cs.machines));
      return {
        consumption: byMetric(tree.consumption),
        machines: Object.fromEntries(
          account.cloudspaces
            .flatMap((cs) => cs.machines)
            .map((m) => [
              m.providerId,
              byMetric(machines.find((x) => String(x.id) === m.providerId)?.consumption ?? {}),
            ]),
        ),
      };
    },
    // One listing, one billing/calculate per account.
    calls: (_sim, accounts) => ({
      [OPENVCLOUD_ROUTES.calculate]: accounts.length,
      [OPENVCLOUD_ROUTES.listAccounts]: 1,
    }),
  },
  accountSelection: 'cloudspaces { machines { consumption(window: $w) { quantity } } }',
};
