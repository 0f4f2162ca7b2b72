import type { SimulatorDeclaration } from '../types.js';
import { startTheirstackSimulator, THEIRSTACK_SIM_TOKEN } from './simulator.js';

/**
 * The precision switch the demo and the full harness run with (docs/upstreams/theirstack.md#switches).
 * Off in the simulator's default.
 */
export const DEMO_EXTENSIONS = { fractionalCredits: true } as const;

/** Its source's id in the embedded default and the tests' harness. */
const SOURCE_ID = 'theirstack';

export const simulator = {
  provider: 'THEIRSTACK',
  sourceId: SOURCE_ID,
  async start(options = {}) {
    const handle = await startTheirstackSimulator({ ...options, extensions: DEMO_EXTENSIONS });
    return {
      handle,
      source: {
        id: SOURCE_ID,
        provider: 'THEIRSTACK',
        name: 'TheirStack simulator',
        baseUrl: handle.url,
        credentials: { token: THEIRSTACK_SIM_TOKEN },
      },
    };
  },
} satisfies SimulatorDeclaration<'THEIRSTACK'>;
