import { DEFAULT_CREATED_BY } from '../../src/providers/killbill/index.js';
import type { SimulatorDeclaration } from '../types.js';
import { KILLBILL_SIM_CREDENTIALS, startKillbillSimulator } from './simulator.js';

/**
 * Per unit of each seeded unit type, in USD: the simulator catalog's usage prices (seed.ts),
 * illustrative, for the built-in simulator only. Kill Bill's usage API reports quantities only,
 * so without these the demo's Kill Bill points have no cost (docs/pricing.md).
 */
export const KILLBILL_DEMO_PRICES = {
  'api-calls': { amount: '0.0004', currency: 'USD' },
  'storage-gb-day': { amount: '0.023', currency: 'USD' },
  'egress-gb': { amount: '0.09', currency: 'USD' },
  'cpu-hours': { amount: '0.048', currency: 'USD' },
  'gpu-hours': { amount: '2.21', currency: 'USD' },
  'memory-gb-hours': { amount: '0.0052', currency: 'USD' },
  events: { amount: '0.000002', currency: 'USD' },
  queries: { amount: '0.005', currency: 'USD' },
} as const;

/**
 * Added with `precision: true` (the full test harness, `npm start -- --demo-precision`): the two
 * `333333333.333333333` egress-gb records (docs/upstreams/killbill.md#switches). Off in the demo, where at
 * 0.09 USD a GB they would make one day cost 60 M USD.
 */
export const PRECISION_EXTENSIONS = { beyondDoublePrecision: true } as const;

/** Its source's id in the embedded default and the tests' harness. */
const SOURCE_ID = 'kb';

export const simulator = {
  provider: 'KILLBILL',
  sourceId: SOURCE_ID,
  async start(options = {}) {
    const { precision = false, ...rest } = options;
    const handle = await startKillbillSimulator({
      ...rest,
      ...(precision ? { extensions: PRECISION_EXTENSIONS } : {}),
    });
    return {
      handle,
      source: {
        id: SOURCE_ID,
        provider: 'KILLBILL',
        name: 'Kill Bill simulator',
        baseUrl: handle.url,
        credentials: { ...KILLBILL_SIM_CREDENTIALS },
        options: { createdBy: DEFAULT_CREATED_BY },
        // Kill Bill's usage is quantities only; an illustrative price list so the demo shows cost.
        prices: KILLBILL_DEMO_PRICES,
      },
    };
  },
} satisfies SimulatorDeclaration<'KILLBILL'>;
