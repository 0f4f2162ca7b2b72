/**
 * The gateway program, loaded by src/main.ts once the Node version is checked; the only module with side effects:
 * parse the command line (--help: bootstrap.ts's MAIN_USAGE), read the config (or, outside NODE_ENV=production, start the demo simulators), listen,
 * print where to go, and shut down gracefully on SIGTERM/SIGINT.
 */
import { ConfigError } from './config.js';
import { configSourceFrom, embeddedConfigOf, loadConfigFile, startEmbeddedDemo, validateConfig } from './bootstrap.js';
import { logger } from './logger.js';
import { createGateway } from './server.js';

const EXAMPLE_QUERY = `query Traversal($window: TimeWindow!) {
  accounts(provider: OPENVCLOUD) {
    edges { node { name
      cloudspaces { name
        machines { name consumption(window: $window) { metric quantity unit } } } } }
  }
}
# variables: { "window": { "start": "2026-10-01T00:00:00Z", "end": "2026-11-01T00:00:00Z" } }`;

async function main(): Promise<void> {
  const env = process.env;
  const origin = configSourceFrom(process.argv.slice(2), env);
  if (origin.kind === 'exit') {
    process[origin.stream].write(origin.text);
    process.exit(origin.code);
  }
  let simulators: Awaited<ReturnType<typeof startEmbeddedDemo>> | null = null;
  let config;
  if (origin.kind === 'file') {
    config = loadConfigFile(origin.path, env);
  } else {
    const precision = origin.precision ?? false;
    simulators = await startEmbeddedDemo({ precision });
    config = validateConfig(embeddedConfigOf(simulators.config, precision, env), 'embedded default', env);
  }
  const port = config.port ?? (env.PORT ? Number(env.PORT) : 4000);
  const gateway = createGateway({ config });
  const url = await gateway.listen(port, config.host);

  const lines = [
    `billgraph is running at ${url}`,
    `GraphiQL:  ${url.replace(/\/graphql$/, '/')}`,
    `Dashboard: ${url.replace(/\/graphql$/, '/dashboard/')}`,
    ...(gateway.metricsUrl() ? [`Metrics:   ${gateway.metricsUrl()} (Prometheus; docs/operations.md)`] : []),
    config.tenants
      ? `Authentication: ${config.tenants.length} tenant(s); every request needs "Authorization: Bearer <key>".`
      : `Authentication: none (no "tenants" configured), so only this machine may connect (bound to ${config.host}).`,
    ...(origin.kind === 'embedded'
      ? [
          'DEMO: no config file, so billgraph serves made-up data from its built-in simulators; for real sources start it with --config FILE (or BILLGRAPH_CONFIG=FILE).',
          ...(origin.precision
            ? ['--demo-precision: the simulators add values beyond a double (a ~92 EiB machine, a 60 M USD day).']
            : []),
        ]
      : []),
    origin.kind === 'embedded'
      ? `Sources: built-in simulators (${simulators!.started.map((s) => `${s.source.id} → ${s.handle.url}`).join(', ')})`
      : `Sources: ${config.sources.map((s) => `${s.id} (${s.provider})`).join(', ')} from ${origin.path}`,
    'Try:',
    `curl -s ${url} -H 'content-type: application/json' -d '${JSON.stringify({ query: 'query Sources { sources { id provider name } }' })}'`,
    '',
    EXAMPLE_QUERY,
  ];
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    gateway
      .stop()
      .then(() => simulators?.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Announce only once the signal handlers are in place: a supervisor may signal as soon as it reads this.
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`billgraph: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`billgraph: could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
