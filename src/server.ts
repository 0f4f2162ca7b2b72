/**
 * The gateway shell: createGateway wires the parts of src/gateway/ together, the way Apollo
 * Server splits its own — the sources and their cache, Apollo with its plugins, the HTTP
 * routes (GraphQL over HTTP, /readyz, /metrics, the browser pages) and the lifecycle that
 * listens and stops (docs/architecture.md#the-gateway-shell).
 */
import type { Server } from 'node:http';
import type { Config } from './config.js';
import type { GatewaySource } from './context.js';
import type { CacheStore } from './cache/cacheStore.js';
import type { GatewayMetrics } from './observability/metrics.js';
import type { TracingOptions } from './observability/startTracing.js';
import { createTenantAuth } from './security/tenantAuth.js';
import { createWebRoutes } from './web/index.js';
import { createApollo } from './gateway/apollo.js';
import { startGatewayTracing } from './gateway/gatewayTracing.js';
import { createGraphQLOverHttp } from './gateway/graphqlOverHttp.js';
import { createFocusRoute } from './gateway/focusRoute.js';
import { createHttpRouter } from './gateway/httpRouter.js';
import { createHttpServer } from './gateway/httpServer.js';
import { createLifecycle, type LifecyclePhase } from './gateway/lifecycle.js';
import { createMetricsRoute } from './gateway/metricsRoute.js';
import { createReadiness } from './gateway/readiness.js';
import { createServing } from './gateway/serving.js';
import { createSources, registerSourceSecrets } from './gateway/sources.js';
import { createGatewayLedger, type GatewayLedger } from './ledger/gatewayLedger.js';

export { formatError, isUnexpectedError, withoutSchemaHints } from './gateway/formatError.js';
export { requestIdOf } from './gateway/requestId.js';
export type { LifecyclePhase } from './gateway/lifecycle.js';

export interface GatewayOptions {
  readonly config: Config;
  /** Milliseconds since epoch; injectable so isFinal can be tested. @default Date.now */
  readonly now?: () => number;
  /** How long shutdown waits for in-flight requests, in milliseconds. @default 10000 */
  readonly stopGracePeriodMs?: number;
  /**
   * Traces (docs/operations.md#traces): an exporter given here (tests), false for none.
   * @default from the OTEL_* variables of `env`; off unless they name an exporter
   */
  readonly tracing?: TracingOptions | false;
  /** Where OTEL_* settings are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export interface Gateway {
  readonly httpServer: Server;
  readonly sources: ReadonlyMap<string, GatewaySource>;
  /** The cross-request cache every source keeps its upstream answers in (stats() for metrics). */
  readonly cache: CacheStore;
  /** The usage ledger (docs/ledger.md): open while the gateway listens, when `ledger.enabled`. */
  readonly ledger: GatewayLedger;
  /**
   * Starts listening; resolves to the GraphQL endpoint URL. Runs once: a second call rejects,
   * and so does a call after stop(). A failed start may be retried.
   */
  listen(port?: number, host?: string): Promise<string>;
  /**
   * Stops accepting, lets in-flight requests finish (up to the grace period), closes sources.
   * Also before listen; a second call returns the first one's promise (or resolves once stopped).
   */
  stop(): Promise<void>;
  /** Where the gateway is in its lifecycle (created, starting, listening, stopping, stopped). */
  phase(): LifecyclePhase;
  /** This gateway's metrics; undefined when `metrics.enabled` is false. */
  readonly metrics: GatewayMetrics | undefined;
  /** Where the metrics are scraped once listening: the gateway's port or `metrics.port`. */
  metricsUrl(): string | undefined;
}

export function createGateway(options: GatewayOptions): Gateway {
  const { config } = options;
  const now = options.now ?? Date.now;
  registerSourceSecrets(config);
  const tracing = startGatewayTracing(options.tracing, options.env ?? process.env);
  const ledger = createGatewayLedger(config, now, options.env ?? process.env);
  const sources = createSources(config, now, ledger);
  ledger.keepCurrent(sources.sources);
  const { metrics } = sources;

  const httpServer = createHttpServer(config.server);
  const apollo = createApollo({ config, metrics, httpServer, stopGracePeriodMs: options.stopGracePeriodMs ?? 10_000 });
  const apolloStarted = apollo.start();

  const authenticate = createTenantAuth(config.tenants);
  const router = createHttpRouter({
    cors: config.cors,
    allowedHosts: config.allowedHosts,
    host: config.host,
    graphql: createGraphQLOverHttp({
      apollo,
      apolloStarted,
      sources: sources.sources,
      limits: config.limits,
      currencies: config.currencies,
      bodyTimeoutMs: config.server.bodyTimeoutMs,
      now,
      authenticate,
      metrics,
      tracing: () => tracing.current(),
    }),
    focus: createFocusRoute({
      sources: sources.sources,
      limits: config.limits,
      currencies: config.currencies,
      now,
      authenticate,
    }),
    readiness: createReadiness({ sources: sources.sources, authenticate }),
    // On the gateway's own port unless metrics.port gives them one of their own.
    metrics:
      metrics && config.metrics.port === undefined
        ? {
            path: config.metrics.path,
            route: createMetricsRoute({
              metrics,
              hasTenants: config.tenants !== undefined,
              operatorKeySha256: config.metrics.operatorKeySha256,
              authenticate,
            }),
          }
        : undefined,
    // GraphiQL at / (and /graphql for a browser), the dashboard at /dashboard.
    web: createWebRoutes({ introspection: config.introspection, requiresKey: config.tenants !== undefined }),
  });
  httpServer.on('request', (req, res) => router.handle(req, res));

  const serving = createServing({ config, httpServer, router, apollo, apolloStarted, tracing, sources, ledger });
  const lifecycle = createLifecycle(serving);
  return {
    httpServer,
    sources: sources.sources,
    cache: sources.cache,
    ledger,
    metrics,
    metricsUrl: () => serving.metricsUrl(),
    phase: () => lifecycle.state(),
    listen: (port = config.port ?? 4000, host = config.host) => lifecycle.listen(port, host),
    stop: () => lifecycle.stop(),
  };
}
