import { ConfigError, parseConfig, readConfigFile, type Config } from './config.js';
import { PROVIDER_MODULES, credentialRules } from './providers/registry.js';
import type { StartedSimulator } from './providers/types.js';

export interface RunningSimulators {
  readonly started: StartedSimulator[];
  /** A config file (as an object) pointing one source at each simulator. */
  readonly config: { port?: number; sources: StartedSimulator['source'][] };
  close(): Promise<void>;
}

/** Starts every provider's simulator on a free loopback port. */
export async function startAllSimulators(options: { latencyMs?: number; scale?: number } = {}): Promise<RunningSimulators> {
  const started = await Promise.all(Object.values(PROVIDER_MODULES).map((module) => module.startSimulator(options)));
  return {
    started,
    config: { sources: started.map((s) => s.source) },
    close: async () => {
      await Promise.all(started.map((s) => s.handle.close()));
    },
  };
}

export type ConfigSource = { kind: 'file'; path: string } | { kind: 'embedded' };

/** `--config PATH` (or `--config=PATH`), else BILLGRAPH_CONFIG, else the embedded default. */
export function configSourceFrom(argv: readonly string[], env: NodeJS.ProcessEnv): ConfigSource {
  const i = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (i !== -1) {
    const arg = argv[i]!;
    const path = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
    if (!path || path.startsWith('--')) throw new ConfigError(['--config needs a file path, e.g. --config billgraph.json'], 'command line');
    return { kind: 'file', path };
  }
  if (env.BILLGRAPH_CONFIG) return { kind: 'file', path: env.BILLGRAPH_CONFIG };
  return { kind: 'embedded' };
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv): Config {
  return readConfigFile(path, env, credentialRules);
}

export function validateConfig(raw: unknown, origin: string, env: NodeJS.ProcessEnv): Config {
  return parseConfig(raw, origin, env, credentialRules);
}
