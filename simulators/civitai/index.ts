import type { SimulatorDeclaration } from '../types.js';
import { CIVITAI_SIM_API_KEY, startCivitaiSimulator } from './simulator.js';

/**
 * The precision switch the demo and the full harness run with, so lossless parsing has long
 * decimals to keep (docs/upstreams/civitai.md#switches). Off in the simulator's default.
 */
export const DEMO_EXTENSIONS = { longDecimals: true } as const;

/** Its source's id in the embedded default and the tests' harness. */
const SOURCE_ID = 'civitai';

export const simulator = {
  provider: 'CIVITAI',
  sourceId: SOURCE_ID,
  async start(options = {}) {
    const handle = await startCivitaiSimulator({ ...options, extensions: DEMO_EXTENSIONS });
    return {
      handle,
      source: {
        id: SOURCE_ID,
        provider: 'CIVITAI',
        name: 'Civitai simulator',
        baseUrl: handle.url,
        credentials: { apiKey: CIVITAI_SIM_API_KEY },
      },
    };
  },
} satisfies SimulatorDeclaration<'CIVITAI'>;
