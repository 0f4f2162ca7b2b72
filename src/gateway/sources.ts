import type { CacheStore } from '../cache/cacheStore.js';
import { createLruStore } from '../cache/lruStore.js';
import { createSourceCache } from '../cache/sourceCache.js';
import type { Config } from '../config.js';
import type { GatewaySource } from '../context.js';
import { registerSecrets } from '../logger.js';
import { createGatewayMetrics, type GatewayMetrics } from '../observability/metrics.js';
import { providerModule } from '../providers/registry.js';
import type { GatewayLedger } from '../ledger/gatewayLedger.js';
import { sourceModelOf } from '../providers/sourceOf.js';

/** Credential keys that hold an identity rather than a secret. */
const USERNAME_KEY = /^(user(name)?|login)$/i;

/**
 * No log line may carry a credential, whichever field or message it ends up in: registers every
 * source's credential values with the logger. Usernames name someone, they do not authenticate:
 * registering "billgraph" would redact it everywhere.
 */
export function registerSourceSecrets(config: Config): void {
  registerSecrets(
    config.sources.flatMap((s) =>
      Object.entries(s.credentials)
        .filter(([key]) => !USERNAME_KEY.test(key))
        .map(([, value]) => value),
    ),
  );
}

/** The configured sources, the cross-request cache they share, and the metrics that watch both. */
export interface GatewaySources {
  readonly sources: ReadonlyMap<string, GatewaySource>;
  readonly cache: CacheStore;
  /** Undefined when `metrics.enabled` is false. */
  readonly metrics: GatewayMetrics | undefined;
}

/**
 * One runtime per configured source, each with its own slice of one LRU cache. The metrics
 * (when enabled) are made first: every source reports its upstream calls to them, and they read
 * the sources' state when scraped.
 */
export function createSources(config: Config, now: () => number, ledger?: GatewayLedger): GatewaySources {
  const sources = new Map<string, GatewaySource>();
  // TTLs run on the same clock as isFinal, so a test that moves `now` also ages the cache.
  const cache = createLruStore({ ...config.cache, now });
  const metrics = config.metrics.enabled
    ? createGatewayMetrics({
        sources,
        sourceIds: config.sources.map((s) => s.id),
        cache,
        tenants: (config.tenants ?? []).map((t) => t.name),
      })
    : undefined;
  for (const sourceConfig of config.sources) {
    const module = providerModule(sourceConfig.provider);
    if (!module) throw new Error(`Provider ${sourceConfig.provider} is not supported by this build.`);
    const sourceCache = createSourceCache(cache, sourceConfig.id, {
      ttlSeconds: sourceConfig.cache.ttlSeconds ?? module.cacheTtlSeconds,
      openWindowTtlSeconds: sourceConfig.cache.openWindowTtlSeconds,
      listTtlSeconds: sourceConfig.cache.listTtlSeconds,
    });
    const sourceLedger = ledger?.forSource(sourceConfig, module, sourceModelOf(sourceConfig));
    const runtime = module.createRuntime(sourceConfig, {
      limits: config.limits,
      now,
      cache: sourceCache,
      ...(metrics ? { telemetry: metrics } : {}),
      ...(sourceLedger ? { ledger: sourceLedger } : {}),
    });
    sources.set(sourceConfig.id, { module, runtime, ...(sourceLedger ? { ledger: sourceLedger } : {}) });
  }
  return { sources, cache, metrics };
}

/** Closes every source (their agents and timers), then empties the cache. */
export async function closeSources({ sources, cache }: Pick<GatewaySources, 'sources' | 'cache'>): Promise<void> {
  await Promise.all([...sources.values()].map((s) => s.runtime.close()));
  await cache.clear();
}
