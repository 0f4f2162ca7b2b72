import { join } from 'node:path';
import { ConfigError, parseConfig, readConfigFile, type Config } from './config.js';
import { parseCommandLine, type CommandLine } from './lib/cli.js';
import { credentialRules } from './providers/registry.js';

/**
 * What src/start.ts needs of the demo simulators (simulators/registry.ts, outside src/, loaded on demand): declared
 * here so the production build never compiles them; the registry states that it satisfies this.
 */
export interface EmbeddedDemo {
  /** `precision`: the values beyond a double on (`--demo-precision`; simulators/types.ts SimulatorStartOptions). */
  startAllSimulators(options?: { readonly precision?: boolean }): Promise<{
    readonly config: unknown;
    readonly started: readonly {
      readonly source: { readonly id: string };
      readonly handle: { readonly url: string };
    }[];
    close(): Promise<void>;
  }>;
}

/** Where the config comes from; `precision` (only with `--demo-precision`) asks for the demo's values beyond a double. */
export type ConfigSource = { kind: 'file'; path: string } | { kind: 'embedded'; precision?: true };

/** The config could not be found where it had to be: said as one line, no "Invalid configuration" list. */
export class MissingConfigError extends ConfigError {
  constructor(message: string) {
    super([message], 'no configuration');
    this.message = message;
  }
}

/** The gateway's options (src/start.ts), parsed by src/lib/cli.ts (node:util parseArgs). */
export const MAIN_OPTIONS = { config: { type: 'string' }, 'demo-precision': { type: 'boolean' } } as const;

export const MAIN_USAGE = `Usage: npm start [-- --config FILE]        (the built output: node dist/main.js --config FILE)

Starts the billgraph GraphQL gateway and prints its URL.

Options:
  --config FILE   the configuration file, JSON (docs/configuration.md). Default: the file named by
                  BILLGRAPH_CONFIG, else a demo over the built-in simulators (made-up data), which
                  NODE_ENV=production refuses
  --demo-precision
                  the demo only: seed the values beyond a double's precision (a ~92 EiB OpenvCloud
                  machine, two 333333333.333333333 Kill Bill records), as README's example shows.
                  Default: off, ordinary figures
  -h, --help      print this and exit

Environment:
  BILLGRAPH_CONFIG=FILE   the configuration file, when --config is not given
  PORT=N                  port to listen on when the file sets no "port" (default 4000)
  NODE_ENV=production     refuse to start the demo; name a file instead
`;

/**
 * The command line (see MAIN_USAGE): `--help` or a mistake is an exit, the caller writes its text; otherwise
 * `--config PATH` (or `--config=PATH`), else BILLGRAPH_CONFIG, else the embedded default — a demo over the
 * built-in simulators, refused under NODE_ENV=production, where serving made-up data instead of the real
 * sources would be a silent failure.
 */
/** How to name a config file, the end of every "no configuration" message. */
export const NAME_THE_CONFIG =
  'Name the file with --config FILE (e.g. node dist/main.js --config billgraph.json) or BILLGRAPH_CONFIG=FILE.';

export function configSourceFrom(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ConfigSource | Extract<CommandLine<typeof MAIN_OPTIONS>, { kind: 'exit' }> {
  const line = parseCommandLine('billgraph', argv, MAIN_OPTIONS, MAIN_USAGE);
  if (line.kind === 'exit') return line;
  return configSourceOf(line.values.config, env, line.values['demo-precision'] ?? false);
}

/**
 * `--config PATH` when given, else BILLGRAPH_CONFIG, else the embedded demo (refused under NODE_ENV=production),
 * with its values beyond a double when `demoPrecision` (`--demo-precision`, which a config file refuses: it
 * changes the simulators' data, not a real source's).
 */
export function configSourceOf(path: string | undefined, env: NodeJS.ProcessEnv, demoPrecision = false): ConfigSource {
  const file = (p: string): ConfigSource => {
    if (demoPrecision)
      throw new ConfigError(
        [`--demo-precision applies to the built-in demo only, not to the sources of ${p}: drop one of the two.`],
        'command line',
      );
    return { kind: 'file', path: p };
  };
  if (path !== undefined) {
    if (!path) throw new ConfigError(['--config needs a file path, e.g. --config billgraph.json'], 'command line');
    return file(path);
  }
  if (env.BILLGRAPH_CONFIG) return file(env.BILLGRAPH_CONFIG);
  if (env.NODE_ENV === 'production')
    throw new MissingConfigError(
      `no configuration file: with NODE_ENV=production billgraph does not start its built-in demo simulators. ${NAME_THE_CONFIG}`,
    );
  return demoPrecision ? { kind: 'embedded', precision: true } : { kind: 'embedded' };
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv): Config {
  return readConfigFile(path, env, credentialRules);
}

export function validateConfig(raw: unknown, origin: string, env: NodeJS.ProcessEnv): Config {
  return parseConfig(raw, origin, env, credentialRules);
}

/**
 * The embedded default's simulators live outside src/ (test and demo code, never shipped), and are loaded here on
 * demand only: `--config` mode never imports them. The specifier is not a literal on purpose, so that neither tsc's
 * production build nor a bundler follows it into simulators/; simulators/registry.ts declares that it satisfies
 * EmbeddedDemo, and test/repo/architecture.test.ts checks which modules each mode loads. Used by the gateway
 * (src/start.ts) and `billgraph sync` (src/sync.ts), which sync the same demo data.
 */
const EMBEDDED_DEMO: string = '../simulators/registry.js';

export async function startEmbeddedDemo(
  options: { readonly precision?: boolean } = {},
): Promise<Awaited<ReturnType<EmbeddedDemo['startAllSimulators']>>> {
  let demo: EmbeddedDemo;
  try {
    demo = (await import(EMBEDDED_DEMO)) as EmbeddedDemo;
  } catch {
    throw new MissingConfigError(
      `no configuration file, and this build has no demo simulators (they run from a source checkout with npm start). ${NAME_THE_CONFIG}`,
    );
  }
  return demo.startAllSimulators({ precision: options.precision ?? false });
}

/** The folder of `--demo-precision`'s ledger, under BILLGRAPH_DATA_DIR (default .billgraph). */
export const DEMO_PRECISION_LEDGER = 'ledger-demo-precision';

/**
 * The embedded demo's config as its simulators give it; with `precision` (`--demo-precision`) its ledger in a
 * folder of its own (`ledger-demo-precision` beside the demo's `ledger`), since the ledger keeps answers by
 * source id: the two demos' figures for the same window differ, and neither may answer for the other.
 */
export function embeddedConfigOf(raw: unknown, precision: boolean, env: NodeJS.ProcessEnv): unknown {
  if (!precision) return raw;
  return {
    ...(raw as object),
    ledger: { dataDir: join(env.BILLGRAPH_DATA_DIR || '.billgraph', DEMO_PRECISION_LEDGER) },
  };
}

/**
 * The configuration a command runs with: the file `--config` or BILLGRAPH_CONFIG names, else the
 * embedded demo's, with its simulators started (close them with `demo.close()`). Used by
 * `billgraph sync` and `billgraph export`, which read the same sources as `npm start`.
 */
export async function configOrDemo(
  path: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<{ config: Config; demo: Awaited<ReturnType<typeof startEmbeddedDemo>> | null }> {
  const origin = configSourceOf(path, env);
  if (origin.kind === 'file') return { config: loadConfigFile(origin.path, env), demo: null };
  const demo = await startEmbeddedDemo();
  return { config: validateConfig(demo.config, 'embedded default', env), demo };
}
