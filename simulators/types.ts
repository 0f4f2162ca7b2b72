/**
 * What a simulator folder declares (simulators/<provider id in lower case>/index.ts exports one
 * `simulator`), and what simulators/registry.ts makes of it. Types only: nothing here starts anything.
 */
import type { SourceConfig } from '../src/config.js';
import type { Provider } from '../src/models.js';
import type { SimulatorHandle } from './kit.js';

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
  /**
   * The extremes beyond a double's precision on (docs/simulators.md#precision-switches): OpenvCloud's
   * ~92 EiB archive machine and Kill Bill's two `333333333.333333333` records, each its simulator's
   * `beyondDoublePrecision` switch. For the tests and `npm start -- --demo-precision`; off by default,
   * so the demo's figures look like an ordinary fleet's. @default false
   */
  precision?: boolean;
}

export type StartSimulator = (options?: SimulatorStartOptions) => Promise<StartedSimulator>;

/**
 * One provider's simulator, as its folder's index.ts exports it (`export const simulator = { … }
 * satisfies SimulatorDeclaration<'ACME'>`). simulators/registry.ts finds it by the provider's id
 * (the folder is the id in lower case), so adding a provider needs no line outside its folders.
 */
export interface SimulatorDeclaration<P extends Provider = Provider> {
  /** The provider it simulates: its key in src/providers/registry.ts. */
  readonly provider: P;
  /** The id of its source in the embedded default and the tests' harness (SIMULATED_SOURCE_IDS). */
  readonly sourceId: string;
  /** Starts it on a free loopback port (or `options.port`) and says how billgraph reaches it. */
  readonly start: StartSimulator;
}
