import type { SimulatorDeclaration } from '../types.js';
import { OPENVCLOUD_SIM_TOKEN, startOpenvcloudSimulator } from './simulator.js';

/**
 * The switches the demo always runs with (docs/upstreams/openvcloud.md#switches): every value with six decimals.
 * Off in the simulator's default.
 */
export const DEMO_EXTENSIONS = { paddedDecimals: true } as const;

/**
 * Added with `precision: true` (the full test harness, `npm start -- --demo-precision`): the archive machine's
 * ~92 EiB, so the README's example has its 17-significant-digit SU total. Off in the demo, where that one
 * machine would cost 2.9 M EUR a month and flatten every other figure.
 */
export const PRECISION_EXTENSIONS = { beyondDoublePrecision: true } as const;

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
    const { precision = false, ...rest } = options;
    const handle = await startOpenvcloudSimulator({
      ...rest,
      extensions: { ...DEMO_EXTENSIONS, ...(precision ? PRECISION_EXTENSIONS : {}) },
    });
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
