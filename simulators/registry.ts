/**
 * Provider → built-in simulator, and startAllSimulators() for the embedded default, the tests,
 * `npm run simulators` and the bench. Nothing in production imports this tree statically:
 * src/start.ts loads this file with a dynamic import() only when no --config is given (EmbeddedDemo)
 * (docs/architecture.md; test/repo/architecture.test.ts enforces it).
 */
import type { EmbeddedDemo } from '../src/bootstrap.js';
import type { SourceConfig } from '../src/config.js';
import type { Provider } from '../src/models.js';
import { DEFAULT_CREATED_BY } from '../src/providers/killbill/index.js';
import { PROVIDER_MODULES } from '../src/providers/registry.js';
import { CIVITAI_SIM_API_KEY, startCivitaiSimulator } from './civitai/simulator.js';
import { HYPERSTACK_SIM_KEY, startHyperstackSimulator } from './hyperstack/simulator.js';
import { KILLBILL_SIM_CREDENTIALS, startKillbillSimulator } from './killbill/simulator.js';
import type { SimulatorHandle } from './kit.js';
import { OPENVCLOUD_SIM_TOKEN, startOpenvcloudSimulator } from './openvcloud/simulator.js';
import { startTheirstackSimulator, THEIRSTACK_SIM_TOKEN } from './theirstack/simulator.js';

/** A built-in simulator plus the source entry that points billgraph at it. */
export interface StartedSimulator {
  readonly handle: SimulatorHandle;
  readonly source: Pick<SourceConfig, 'id' | 'provider' | 'baseUrl' | 'credentials'> & Partial<SourceConfig>;
}

/** `scale` (benchmark size factor, default 1) is honoured by the simulators whose seed supports it. */
export interface SimulatorStartOptions {
  port?: number;
  latencyMs?: number;
  scale?: number;
}

/**
 * The precision switches the demo and the full harness run with, so the README's example keeps
 * its 17-significant-digit SU total and lossless parsing has long decimals to keep
 * (docs/upstreams/{openvcloud,civitai,theirstack}.md#switches). Off in every simulator's default.
 */
export const DEMO_PRECISION_EXTENSIONS = {
  OPENVCLOUD: { paddedDecimals: true, beyondDoublePrecision: true },
  CIVITAI: { longDecimals: true },
  THEIRSTACK: { fractionalCredits: true },
} as const;

export type StartSimulator = (options?: SimulatorStartOptions) => Promise<StartedSimulator>;

/** Per unit-hour (CU/SU/TU) and per TB (NU), in EUR. Illustrative, for the built-in simulator only. */
const OPENVCLOUD_DEMO_PRICES = {
  CU: { amount: '0.0125', currency: 'EUR' },
  SU: { amount: '0.00004', currency: 'EUR' },
  TU: { amount: '0.0005', currency: 'EUR' },
  NU: { amount: '4.50', currency: 'EUR' },
};

/** The id of each simulator's source in the embedded default and the tests' harness. */
export const SIMULATED_SOURCE_IDS = {
  OPENVCLOUD: 'g8',
  KILLBILL: 'kb',
  HYPERSTACK: 'hs',
  CIVITAI: 'civitai',
  THEIRSTACK: 'theirstack',
} as const satisfies Record<Provider, string>;

/**
 * A Record over every Provider, so a provider added to the production registry without a
 * simulator fails the typecheck instead of silently missing from the embedded default.
 */
export const SIMULATORS: Record<Provider, StartSimulator> = {
  async OPENVCLOUD(options = {}) {
    const handle = await startOpenvcloudSimulator({ ...options, extensions: DEMO_PRECISION_EXTENSIONS.OPENVCLOUD });
    return {
      handle,
      source: {
        id: SIMULATED_SOURCE_IDS.OPENVCLOUD,
        provider: 'OPENVCLOUD',
        name: 'OpenvCloud simulator',
        baseUrl: handle.url,
        credentials: { token: OPENVCLOUD_SIM_TOKEN },
        // G8 reports quantities only; an illustrative price list so the demo shows cost.
        prices: OPENVCLOUD_DEMO_PRICES,
      },
    };
  },
  async KILLBILL(options = {}) {
    const handle = await startKillbillSimulator(options);
    return {
      handle,
      source: {
        id: SIMULATED_SOURCE_IDS.KILLBILL,
        provider: 'KILLBILL',
        name: 'Kill Bill simulator',
        baseUrl: handle.url,
        credentials: { ...KILLBILL_SIM_CREDENTIALS },
        options: { createdBy: DEFAULT_CREATED_BY },
      },
    };
  },
  async HYPERSTACK(options = {}) {
    const handle = await startHyperstackSimulator(options);
    return {
      handle,
      source: {
        id: SIMULATED_SOURCE_IDS.HYPERSTACK,
        provider: 'HYPERSTACK',
        name: 'Hyperstack simulator',
        // Hyperstack's base URL ends in /v1 (docs/upstreams/hyperstack.md#s1); the default simulator serves nothing else.
        baseUrl: handle.baseUrl,
        credentials: { apiKey: HYPERSTACK_SIM_KEY },
      },
    };
  },
  async CIVITAI(options = {}) {
    const handle = await startCivitaiSimulator({ ...options, extensions: DEMO_PRECISION_EXTENSIONS.CIVITAI });
    return {
      handle,
      source: {
        id: SIMULATED_SOURCE_IDS.CIVITAI,
        provider: 'CIVITAI',
        name: 'Civitai simulator',
        baseUrl: handle.url,
        credentials: { apiKey: CIVITAI_SIM_API_KEY },
      },
    };
  },
  async THEIRSTACK(options = {}) {
    const handle = await startTheirstackSimulator({ ...options, extensions: DEMO_PRECISION_EXTENSIONS.THEIRSTACK });
    return {
      handle,
      source: {
        id: SIMULATED_SOURCE_IDS.THEIRSTACK,
        provider: 'THEIRSTACK',
        name: 'TheirStack simulator',
        baseUrl: handle.url,
        credentials: { token: THEIRSTACK_SIM_TOKEN },
      },
    };
  },
};

export interface RunningSimulators {
  readonly started: StartedSimulator[];
  /** A config file (as an object) pointing one source at each simulator. */
  readonly config: { port?: number; sources: StartedSimulator['source'][] };
  close(): Promise<void>;
}

/** Starts the simulator of every provider this build supports, each on a free loopback port. */
export async function startAllSimulators(options: SimulatorStartOptions = {}): Promise<RunningSimulators> {
  // The production registry's order, so the embedded default lists its sources as before.
  const providers = Object.keys(PROVIDER_MODULES) as Provider[];
  const started = await Promise.all(providers.map((provider) => SIMULATORS[provider](options)));
  return {
    started,
    config: { sources: started.map((s) => s.source) },
    close: async () => {
      await Promise.all(started.map((s) => s.handle.close()));
    },
  };
}

// src/start.ts loads this module by a computed specifier, typed as EmbeddedDemo: keep the two in step.
startAllSimulators satisfies EmbeddedDemo['startAllSimulators'];
