import type { Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { isLoopbackHost, type Config } from '../config.js';
import type { Context } from '../context.js';
import { listen } from '../lib/listen.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { listenMetrics } from '../observability/metricsEndpoint.js';
import type { TracingHandle } from './gatewayTracing.js';
import type { HttpRouter } from './httpRouter.js';
import type { LifecycleSteps } from './lifecycle.js';
import { closeSources, type GatewaySources } from './sources.js';
import type { GatewayLedger } from '../ledger/gatewayLedger.js';

export interface ServingParts {
  readonly config: Pick<Config, 'tenants' | 'metrics'>;
  readonly httpServer: Server;
  readonly router: Pick<HttpRouter, 'bindTo'>;
  readonly apollo: Pick<ApolloServer<Context>, 'stop'>;
  readonly apolloStarted: Promise<void>;
  readonly tracing: Pick<TracingHandle, 'started' | 'shutdown'>;
  readonly sources: GatewaySources;
  /** Opened before the port is, closed after the sources. */
  readonly ledger?: Pick<GatewayLedger, 'open' | 'close'>;
}

/** The steps of listen and stop (lifecycle.ts decides when they run), and where the metrics are scraped. */
export interface Serving extends LifecycleSteps {
  /** Where the metrics are scraped once listening: the gateway's port or `metrics.port`. */
  metricsUrl(): string | undefined;
}

export function createServing(parts: ServingParts): Serving {
  const { config, httpServer, router, apollo, apolloStarted, tracing, sources, ledger } = parts;
  const metrics: GatewayMetrics | undefined = sources.metrics;
  let metricsServer: { server: Server; url: string } | undefined;
  let metricsAt: string | undefined;

  return {
    metricsUrl: () => metricsAt,

    async start(port, host) {
      if (!config.tenants && !isLoopbackHost(host)) {
        throw new Error(
          `Refusing to listen on "${host}" without tenants: anyone who can reach it could read every source and run mutations. Configure "tenants" or listen on 127.0.0.1.`,
        );
      }
      router.bindTo(host);
      await apolloStarted;
      // Traced from the first request on.
      await tracing.started;
      // Before the port: PGlite works on this thread, and creating a new one takes seconds.
      await ledger?.open();
      const origin = await listen(httpServer, port, host);
      if (metrics && config.metrics.port !== undefined) {
        try {
          metricsServer = await listenMetrics(metrics, config.metrics.path, config.metrics.port, config.metrics.host);
        } catch (error) {
          // Not half started: the gateway's port closes again, so listen may be retried.
          await new Promise<void>((resolve) => httpServer.close(() => resolve()));
          throw error;
        }
        metricsAt = metricsServer.url;
      } else if (metrics) {
        metricsAt = `${origin}${config.metrics.path}`;
      }
      return `${origin}/graphql`;
    },

    async stop() {
      await apolloStarted.catch(() => undefined);
      await apollo.stop();
      if (metricsServer) {
        const { server } = metricsServer;
        await new Promise<void>((resolve) => server.close(() => resolve()));
        metricsServer = undefined;
      }
      await tracing.shutdown();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await closeSources(sources);
      await ledger?.close();
    },
  };
}
