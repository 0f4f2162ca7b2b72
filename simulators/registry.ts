/**
 * Provider → built-in simulator, and startAllSimulators() for the embedded default, the tests,
 * `npm run simulators` and the bench. It follows the production registry: each registered
 * provider's simulator is the `simulator` its folder's index.ts declares
 * (simulators/<provider id in lower case>/index.ts, a SimulatorDeclaration), so adding a provider
 * needs no line here. Nothing in production imports this tree statically: src/start.ts loads this
 * file with a dynamic import() only when no --config is given (EmbeddedDemo)
 * (docs/architecture.md; test/repo/architecture.test.ts enforces it).
 */
import type { EmbeddedDemo } from '../src/bootstrap.js';
import type { Provider } from '../src/models.js';
import { REGISTERED_PROVIDERS } from '../src/providers/registry.js';
import type { SimulatorDeclaration, SimulatorStartOptions, StartedSimulator, StartSimulator } from './types.js';

export type { SimulatorDeclaration, SimulatorStartOptions, StartedSimulator, StartSimulator };

/** Where a provider's simulator lives: simulators/<its id in lower case>/index.ts. */
export const simulatorFolderOf = (provider: Provider): string => provider.toLowerCase();

/** A provider's declared simulator, checked for what the folder convention cannot type. */
async function declarationOf(provider: Provider): Promise<SimulatorDeclaration> {
  const folder = simulatorFolderOf(provider);
  let module: { simulator?: SimulatorDeclaration };
  try {
    // A computed specifier, not a template literal, which bundlers would try to expand into a glob.
    const specifier: string = `./${folder}/index.js`;
    module = (await import(specifier)) as { simulator?: SimulatorDeclaration };
  } catch (error) {
    throw new Error(`${provider} has no simulator: simulators/${folder}/index.ts could not be loaded.`, {
      cause: error,
    });
  }
  const { simulator } = module;
  if (simulator?.provider !== provider)
    throw new Error(
      `simulators/${folder}/index.ts must export \`simulator\` (a SimulatorDeclaration) for ${provider}, not ${simulator?.provider ?? 'nothing'}.`,
    );
  return simulator;
}

/** Every registered provider's simulator, in registry order. */
const DECLARATIONS: readonly SimulatorDeclaration[] = await Promise.all(REGISTERED_PROVIDERS.map(declarationOf));

const byProvider = <T>(value: (declaration: SimulatorDeclaration) => T): Record<Provider, T> =>
  Object.fromEntries(DECLARATIONS.map((d) => [d.provider, value(d)])) as Record<Provider, T>;

/** The id of each simulator's source in the embedded default and the tests' harness (each folder declares its own). */
export const SIMULATED_SOURCE_IDS: Readonly<Record<Provider, string>> = byProvider((d) => d.sourceId);

/** Provider → start function, one per registered provider (loading this module fails for a provider without one). */
export const SIMULATORS: Readonly<Record<Provider, StartSimulator>> = byProvider((d) => d.start);

export interface RunningSimulators {
  readonly started: StartedSimulator[];
  /** A config file (as an object) pointing one source at each simulator. */
  readonly config: { port?: number; sources: StartedSimulator['source'][]; currencies: typeof DEMO_CURRENCIES };
  close(): Promise<void>;
}

/**
 * The demo's exchange rates for the simulators' virtual currencies (docs/pricing.md), so its FOCUS
 * export and `usageReport(currency: USD)` have national values: illustrative, not the providers'
 * prices (Civitai sells Buzz at about 1,000 for a dollar; TheirStack's credits cost cents).
 */
export const DEMO_CURRENCIES = {
  BUZZ: { rates: [{ rate: '0.001', to: 'USD', from: '2020-01-01' }] },
  CREDITS: { rates: [{ rate: '0.002', to: 'USD', from: '2020-01-01' }] },
};

/**
 * Starts the simulator of every provider this build supports, each on a free loopback port.
 * `precision: true` adds the values beyond a double (SimulatorStartOptions.precision): the tests that
 * pin those figures pass it; the demo (`npm start`, `npm run simulators`) leaves it off.
 */
export async function startAllSimulators(options: SimulatorStartOptions = {}): Promise<RunningSimulators> {
  // The production registry's order, so the embedded default lists its sources as before.
  const started = await Promise.all(DECLARATIONS.map((declaration) => declaration.start(options)));
  return {
    started,
    config: { sources: started.map((s) => s.source), currencies: DEMO_CURRENCIES },
    close: async () => {
      await Promise.all(started.map((s) => s.handle.close()));
    },
  };
}

// src/start.ts loads this module by a computed specifier, typed as EmbeddedDemo: keep the two in step.
startAllSimulators satisfies EmbeddedDemo['startAllSimulators'];
