import type { SimulatorDeclaration } from '../types.js';
import { HYPERSTACK_SIM_KEY, startHyperstackSimulator } from './simulator.js';

/** Its source's id in the embedded default and the tests' harness. */
const SOURCE_ID = 'hs';

export const simulator = {
  provider: 'HYPERSTACK',
  sourceId: SOURCE_ID,
  async start(options = {}) {
    const handle = await startHyperstackSimulator(options);
    return {
      handle,
      source: {
        id: SOURCE_ID,
        provider: 'HYPERSTACK',
        name: 'Hyperstack simulator',
        // Hyperstack's base URL ends in /v1 (docs/upstreams/hyperstack.md#s1); the default simulator serves nothing else.
        baseUrl: handle.baseUrl,
        credentials: { apiKey: HYPERSTACK_SIM_KEY },
      },
    };
  },
} satisfies SimulatorDeclaration<'HYPERSTACK'>;
