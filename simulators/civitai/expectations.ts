/** What the generic tests expect of Civitai against this simulator (simulators/expectations.ts). */
import { accountsConsumptionQuery, type ProviderTestExpectations } from '../expectations.js';
import { CIVITAI_ROUTES, type CivitaiSimulator } from './simulator.js';

export const expectations: ProviderTestExpectations<'CIVITAI', CivitaiSimulator> = {
  provider: 'CIVITAI',
  // One consumption call for the last minute.
  readinessCalls: 1,
  crossRequestCache: {
    query: accountsConsumptionQuery('CIVITAI'),
    cached: () => ({ route: CIVITAI_ROUTES.consumption }),
    // The consumer's one account: one consumption call per window.
    calls: () => 1,
  },
  // Its one account is the configured consumer: listing it makes no call.
  consumptionCalls: { route: CIVITAI_ROUTES.consumption },
  federation: {
    // Images and Buzz for the window, from one consumption call.
    figures(sim, _account, window) {
      const expected = sim.expectedConsumption(Date.parse(window.start), Date.parse(window.end));
      return {
        consumption: { images: String(expected.images) },
        cost: [{ amount: expected.totalCost, currency: 'BUZZ' }],
      };
    },
    calls: () => ({ [CIVITAI_ROUTES.consumption]: 1 }),
    totalCalls: () => 1,
  },
  // No schema part: only the core Account fields.
  accountSelection: '',
};
