import { startTracing, type TracingOptions } from '../observability/startTracing.js';
import type { GatewayTracing } from '../observability/upstreamTelemetry.js';

/** The gateway's traces: loaded in the background, read per request once they are there. */
export interface TracingHandle {
  /** Settles once the OpenTelemetry SDK is loaded (or known not to be wanted); rejects if it failed to start. */
  readonly started: Promise<void>;
  /** The tracing once started; undefined before, and always when tracing is off. */
  current(): GatewayTracing | undefined;
  /** Waits for a start still under way, then flushes and ends the tracing (never rejects for a failed start). */
  shutdown(): Promise<void>;
}

/** Starts loading the OpenTelemetry SDK when tracing is configured (docs/operations.md#traces). */
export function startGatewayTracing(
  options: TracingOptions | false | undefined,
  env: NodeJS.ProcessEnv,
): TracingHandle {
  // Assigned once the OpenTelemetry SDK is loaded (only when tracing is configured).
  let tracing: GatewayTracing | undefined;
  const started = startTracing(options, env).then((loaded) => {
    tracing = loaded;
  });
  // A failure to start tracing surfaces in listen(); until then it must not be an unhandled rejection.
  started.catch(() => undefined);
  return {
    started,
    current: () => tracing,
    async shutdown() {
      await started.catch(() => undefined);
      await tracing?.shutdown();
    },
  };
}
