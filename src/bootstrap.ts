import { ConfigError, parseConfig, readConfigFile, type Config } from './config.js';
import { credentialRules } from './providers/registry.js';

/**
 * What src/main.ts needs of the demo simulators (simulators/registry.ts, outside src/, loaded on demand): declared
 * here so the production build never compiles them; the registry states that it satisfies this.
 */
export interface EmbeddedDemo {
  startAllSimulators(): Promise<{
    readonly config: unknown;
    readonly started: readonly {
      readonly source: { readonly id: string };
      readonly handle: { readonly url: string };
    }[];
    close(): Promise<void>;
  }>;
}

export type ConfigSource = { kind: 'file'; path: string } | { kind: 'embedded' };

/** The config could not be found where it had to be: said as one line, no "Invalid configuration" list. */
export class MissingConfigError extends ConfigError {
  constructor(message: string) {
    super([message], 'no configuration');
    this.message = message;
  }
}

/**
 * `--config PATH` (or `--config=PATH`), else BILLGRAPH_CONFIG, else the embedded default — a demo
 * over the built-in simulators, refused under NODE_ENV=production, where serving made-up data
 * instead of the real sources would be a silent failure.
 */
export function configSourceFrom(argv: readonly string[], env: NodeJS.ProcessEnv): ConfigSource {
  const i = argv.findIndex((a) => a === '--config' || a.startsWith('--config='));
  if (i !== -1) {
    const arg = argv[i]!;
    const path = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
    if (!path || path.startsWith('--'))
      throw new ConfigError(['--config needs a file path, e.g. --config billgraph.json'], 'command line');
    return { kind: 'file', path };
  }
  if (env.BILLGRAPH_CONFIG) return { kind: 'file', path: env.BILLGRAPH_CONFIG };
  if (env.NODE_ENV === 'production')
    throw new MissingConfigError(
      'no configuration file: with NODE_ENV=production billgraph does not start its built-in demo simulators. ' +
        'Name the file with --config FILE (e.g. node dist/main.js --config billgraph.json) or BILLGRAPH_CONFIG=FILE.',
    );
  return { kind: 'embedded' };
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv): Config {
  return readConfigFile(path, env, credentialRules);
}

export function validateConfig(raw: unknown, origin: string, env: NodeJS.ProcessEnv): Config {
  return parseConfig(raw, origin, env, credentialRules);
}
