import type { SimulatorDeclaration } from '../types.js';
import { OPENVCLOUD_SIM_TOKEN, startOpenvcloudSimulator } from './simulator.js';

/**
 * The precision switches the demo and the full harness run with, so the README's example keeps
 * its 17-significant-digit SU total (docs/upstreams/openvcloud.md#switches). Off in the simulator's default.
 */
export const DEMO_EXTENSIONS = { paddedDecimals: true, beyondDoublePrecision: true } as const;

/** Per unit-hour (CU/SU/TU) and per TB (NU), in EUR. Illustrative, for the built-in simulator only. */
const DEMO_PRICES = {
  CU: { amount: '0.0125', currency: 'EUR' },
  SU: { amount: '0.00004', currency: 'EUR' },
  TU: { amount: '0.0005', currency: 'EUR' },
  NU: { amount: '4.50', currency: 'EUR' },
};

/** Its source's id in the embedded default and the tests' harness. */
const SOURCE_ID = 'g8';

export const simulator = {
  provider: 'OPENVCLOUD',
  sourceId: SOURCE_ID,
  async start(options = {}) {
    const handle = await startOpenvcloudSimulator({ ...options, extensions: DEMO_EXTENSIONS });
    return {
      handle,
      source: {
        id: SOURCE_ID,
        provider: 'OPENVCLOUD',
        name: 'OpenvCloud simulator',
        baseUrl: handle.url,
        credentials: { token: OPENVCLOUD_SIM_TOKEN },
        // G8 reports quantities only; an illustrative price list so the demo shows cost.
        prices: DEMO_PRICES,
      },
    };
  },
} satisfies SimulatorDeclaration<'OPENVCLOUD'>;
