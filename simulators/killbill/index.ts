import { DEFAULT_CREATED_BY } from '../../src/providers/killbill/index.js';
import type { SimulatorDeclaration } from '../types.js';
import { KILLBILL_SIM_CREDENTIALS, startKillbillSimulator } from './simulator.js';

/** Its source's id in the embedded default and the tests' harness. */
const SOURCE_ID = 'kb';

export const simulator = {
  provider: 'KILLBILL',
  sourceId: SOURCE_ID,
  async start(options = {}) {
    const handle = await startKillbillSimulator(options);
    return {
      handle,
      source: {
        id: SOURCE_ID,
        provider: 'KILLBILL',
        name: 'Kill Bill simulator',
        baseUrl: handle.url,
        credentials: { ...KILLBILL_SIM_CREDENTIALS },
        options: { createdBy: DEFAULT_CREATED_BY },
      },
    };
  },
} satisfies SimulatorDeclaration<'KILLBILL'>;
