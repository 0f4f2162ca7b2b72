import { ConfigError, parseConfig, readConfigFile, type Config } from './config.js';
import { credentialRules } from './providers/registry.js';

export type ConfigSource = { kind: 'file'; path: string } | { kind: 'embedded' };

/** `--config PATH` (or `--config=PATH`), else BILLGRAPH_CONFIG, else the embedded default. */
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
  return { kind: 'embedded' };
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv): Config {
  return readConfigFile(path, env, credentialRules);
}

export function validateConfig(raw: unknown, origin: string, env: NodeJS.ProcessEnv): Config {
  return parseConfig(raw, origin, env, credentialRules);
}
