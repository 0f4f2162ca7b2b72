import type { SourceConfig } from '../config.js';
import type { Provider, SourceModel } from '../models.js';
import type { RequestScope } from '../requestScope.js';
import type { RestClient, RestClientOptions } from './http.js';
import { restOptionsOf, sourceModelOf } from './sourceOf.js';
import type { ProviderModule, RuntimeDeps, SourceApi, SourceRuntime } from './types.js';

/** What a provider builds for one configured source: its long-lived client, its API per request and its ping. */
export interface RuntimeParts {
  /** Built once per source, from `options` (the source's config with the provider's defaults). */
  readonly client: RestClient;
  /** The API of one request, on `client.forRequest(scope)`, so its upstream calls count on that request. */
  createApi(scope: RequestScope, source: SourceModel): SourceApi;
  /** The cheapest authenticated call, for /readyz; what it answers is ignored. */
  ping(): Promise<unknown>;
}

/**
 * A provider's runtime, given the source's config, the gateway's deps and the REST client options
 * (`restOptionsOf` with the module's `displayName`, `maxResponseBytes` and `maxInFlight`).
 */
export type RuntimeBuilder = (config: SourceConfig, deps: RuntimeDeps, options: RestClientOptions) => RuntimeParts;

/** A `ProviderModule` whose `createRuntime` is written as a `runtime` builder. */
export type ProviderDefinition<P extends Provider> = Omit<ProviderModule<P>, 'createRuntime'> & {
  readonly runtime: RuntimeBuilder;
};

/**
 * The module of a provider: its definition, with the `createRuntime` every provider shares —
 * the source model, the client options, `createApi` on the request's scope, `ping`, `resilience`
 * (the client's breaker, queue and sockets) and `close` — around its own `runtime` builder.
 */
export function defineProvider<const P extends Provider>(definition: ProviderDefinition<P>): ProviderModule<P> {
  const { runtime, ...module } = definition;
  return {
    ...module,
    createRuntime(config: SourceConfig, deps: RuntimeDeps): SourceRuntime {
      const source = sourceModelOf(config);
      const options = restOptionsOf(config, module.displayName, deps, module.maxResponseBytes);
      const parts = runtime(config, deps, {
        ...options,
        // A provider's lower in-flight default (its upstream limits callers), unless the source sets one.
        ...(module.maxInFlight !== undefined && config.maxInFlight === undefined
          ? { maxInFlight: Math.min(module.maxInFlight, config.maxSockets) }
          : {}),
      });
      const { client } = parts;
      return {
        source,
        config,
        createApi: (scope) => parts.createApi(scope, source),
        ping: async () => {
          await parts.ping();
        },
        resilience: () => client.resilienceStatus(),
        close: async () => client.close(),
      };
    },
  };
}
