/** What the generic tests expect of TheirStack against this simulator (simulators/expectations.ts). */
import { sumDecimals } from '../../src/lib/decimal.js';
import { accountsConsumptionQuery, type ProviderTestExpectations } from '../expectations.js';
import { THEIRSTACK_ROUTES, type TheirstackSimulator } from './simulator.js';

export const expectations: ProviderTestExpectations<'THEIRSTACK', TheirstackSimulator> = {
  provider: 'THEIRSTACK',
  // One credit-balance call.
  readinessCalls: 1,
  crossRequestCache: {
    query: accountsConsumptionQuery('THEIRSTACK'),
    cached: () => ({ route: THEIRSTACK_ROUTES.consumption }),
    // The team's one account: one credits_consumption call per window.
    calls: () => 1,
  },
  // Its one account is the configured team: listing it makes no call.
  consumptionCalls: { route: THEIRSTACK_ROUTES.consumption },
  federation: {
    // The window's daily API and UI credits, summed exactly, priced in CREDITS.
    figures(sim, _account, window) {
      const days = sim.expectedDays(Date.parse(window.start), Date.parse(window.end), 'UTC');
      const expectedDays = (Date.parse(window.end) - Date.parse(window.start)) / 86_400_000;
      if (days.length !== expectedDays)
        throw new Error(`expectedDays gave ${days.length} days for a window of ${expectedDays}`);
      return {
        consumption: {
          api_credits: sumDecimals(days.map((d) => d.api)),
          ui_credits: sumDecimals(days.map((d) => d.ui)),
        },
        pointCurrency: 'CREDITS',
      };
    },
    calls: () => ({ [THEIRSTACK_ROUTES.consumption]: 1 }),
    totalCalls: () => 1,
  },
  // No schema part: only the core Account fields.
  accountSelection: '',
};
