import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CacheStore } from '../cache/cacheStore.js';
import type { GatewaySource } from '../context.js';
import type { BatchObserver } from '../providers/loader.js';
import type { ResilienceStatus } from '../providers/resilience.js';
import { BoundedLabel } from './boundedLabel.js';
import type { GraphQLOutcome, UpstreamTelemetry } from './upstreamTelemetry.js';

/**
 * GraphQL operation names as labels: GraphQL Names up to 64 characters, the first 200 distinct
 * ones of each tenant (a tenant's junk names use up its own budget, never another's).
 */
export const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_OPERATION_NAMES = 200;
/** Status of a request its client closed before the answer (never sent; nginx's convention). */
const CLIENT_CLOSED = 499;
/** Upstream operations are short literals of the providers ("billing/calculate"); bounded anyway. */
const UPSTREAM_OPERATION = /^[A-Za-z0-9_./:-]{1,64}$/;
/** Error codes are billgraph's and Apollo's SCREAMING_SNAKE_CASE codes. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const BREAKER_STATES = ['closed', 'open', 'half-open'] as const;

/** Seconds: from a cache hit (~1 ms) to past the default request deadline (10 s). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

export interface GatewayMetrics extends UpstreamTelemetry {
  readonly registry: Registry;
  /** One GraphQL request is over (its access line is written). */
  graphqlRequest(outcome: GraphQLOutcome, seconds: number): void;
  /** A tenant's request was refused by the cost rate limiter. */
  rateLimited(tenant: string): void;
  readonly observeBatch: BatchObserver;
  /** The Prometheus text exposition of everything, gauges read now. */
  scrape(): Promise<string>;
  readonly contentType: string;
}

/**
 * Every metric of one gateway in its own Registry (never prom-client's global one: a process
 * may run several gateways, as the tests do). Counters and histograms are updated on the hot
 * path through cached children; state that already exists elsewhere (breakers, queues, cache
 * counters) is read only when scraped.
 */
export function createGatewayMetrics(deps: {
  /** Read when scraped (it may be filled after this call). */
  readonly sources: ReadonlyMap<string, GatewaySource>;
  /** The configured source ids, the only values the source label may take. */
  readonly sourceIds: readonly string[];
  readonly cache: CacheStore;
  /** Tenants' names, the only values the rate-limit label may take. */
  readonly tenants: readonly string[];
}): GatewayMetrics {
  const registry = new Registry();
  // Process metrics start with the first scrape: each collector keeps an event-loop monitor and a
  // GC observer for the life of the process, which gateways nobody scrapes (tests) do not need.
  let processMetrics = false;
  const registers = [registry];
  const { sourceIds } = deps;

  const graphqlDuration = new Histogram({
    name: 'billgraph_graphql_request_duration_seconds',
    help: 'GraphQL requests over HTTP, from the request handled to the answer sent, by operation name and outcome (ok, error, aborted: the client closed it first).',
    labelNames: ['operation', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const graphqlErrors = new Counter({
    name: 'billgraph_graphql_errors_total',
    help: 'GraphQL requests that answered an error, once per distinct error code of a request.',
    labelNames: ['code'] as const,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: 'billgraph_upstream_request_duration_seconds',
    help: 'Upstream HTTP attempts (a retry is another attempt) by source, upstream operation, HTTP status ("none" without an answer) and code.',
    labelNames: ['source', 'operation', 'status', 'code'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const upstreamRefused = new Counter({
    name: 'billgraph_upstream_refused_total',
    help: 'Upstream calls the resilience policy refused without sending (open breaker, full queue, deadline passed), by source, upstream operation and code.',
    labelNames: ['source', 'operation', 'code'] as const,
    registers,
  });
  const rateLimited = new Counter({
    name: 'billgraph_rate_limit_rejections_total',
    help: 'Requests refused with RATE_LIMITED because the tenant spent its cost budget for the window.',
    labelNames: ['tenant'] as const,
    registers,
  });
  const batchSize = new Histogram({
    name: 'billgraph_dataloader_batch_size',
    help: 'Keys per DataLoader batch, by loader.',
    labelNames: ['loader'] as const,
    buckets: BATCH_BUCKETS,
    registers,
  });

  // --- read when scraped: once per scrape, shared by every collector below ---
  let snapshot:
    { runtimes: (readonly [string, ResilienceStatus])[]; cache: ReturnType<CacheStore['stats']> } | undefined;
  const current = () =>
    (snapshot ??= {
      runtimes: [...deps.sources.values()].map(({ runtime }) => [runtime.source.id, runtime.resilience()] as const),
      cache: deps.cache.stats(),
    });
  const runtimes = () => current().runtimes;
  new Gauge({
    name: 'billgraph_upstream_in_flight',
    help: 'Upstream calls in flight now, by source.',
    labelNames: ['source'] as const,
    registers,
    collect() {
      for (const [source, status] of runtimes()) this.set({ source }, status.inFlight);
    },
  });
  new Gauge({
    name: 'billgraph_upstream_queued',
    help: 'Upstream calls waiting for an in-flight slot now (sources[].maxInFlight), by source.',
    labelNames: ['source'] as const,
    registers,
    collect() {
      for (const [source, status] of runtimes()) this.set({ source }, status.queued);
    },
  });
  new Gauge({
    name: 'billgraph_upstream_sockets',
    help: "Sockets of the source's keep-alive pool now, by source and state (busy, free).",
    labelNames: ['source', 'state'] as const,
    registers,
    collect() {
      for (const [source, status] of runtimes()) {
        this.set({ source, state: 'busy' }, status.sockets.busy);
        this.set({ source, state: 'free' }, status.sockets.free);
      }
    },
  });
  new Gauge({
    name: 'billgraph_upstream_breaker_state',
    help: "1 for the circuit breaker's current state (closed, open, half-open) of each source, 0 for the others.",
    labelNames: ['source', 'state'] as const,
    registers,
    collect() {
      for (const [source, status] of runtimes())
        for (const state of BREAKER_STATES) this.set({ source, state }, status.breaker === state ? 1 : 0);
    },
  });
  const cacheCounter = (name: string, what: 'hits' | 'misses' | 'evictions', help: string) =>
    new Counter({
      name,
      help,
      labelNames: ['source'] as const,
      registers,
      collect() {
        const { namespaces } = current().cache;
        this.reset();
        for (const source of sourceIds) this.inc({ source }, namespaces[source]?.[what] ?? 0);
      },
    });
  cacheCounter('billgraph_cache_hits_total', 'hits', 'Cross-request cache lookups answered from the store, by source.');
  cacheCounter(
    'billgraph_cache_misses_total',
    'misses',
    'Cross-request cache lookups that found nothing live, by source.',
  );
  cacheCounter(
    'billgraph_cache_evictions_total',
    'evictions',
    'Cache entries dropped to make room (cache.maxEntries, cache.maxBytes), by source.',
  );
  new Gauge({
    name: 'billgraph_cache_entries',
    help: 'Entries held by the cross-request cache now, all sources.',
    registers,
    collect() {
      this.set(current().cache.entries);
    },
  });
  new Gauge({
    name: 'billgraph_cache_bytes',
    help: 'Approximate bytes held by the cross-request cache now, all sources (bounded by cache.maxBytes).',
    registers,
    collect() {
      this.set(current().cache.bytes);
    },
  });

  const upstreamOperations = new BoundedLabel(UPSTREAM_OPERATION, 500);
  const codes = new BoundedLabel(ERROR_CODE, 100);
  const loaders = new BoundedLabel(UPSTREAM_OPERATION, 200);
  const knownSources = new Set(sourceIds);
  const knownTenants = new Set(deps.tenants);
  /** One budget of operation names per tenant; the tenants are the config's, so the map is bounded too. */
  const operations = new Map<string, BoundedLabel>();
  const operationsOf = (tenant: string | undefined): BoundedLabel => {
    const key = tenant !== undefined && knownTenants.has(tenant) ? tenant : '';
    let label = operations.get(key);
    if (!label) operations.set(key, (label = new BoundedLabel(OPERATION_NAME, MAX_OPERATION_NAMES, 'other')));
    return label;
  };
  /** Children by their label values: one Map lookup per attempt instead of prom-client's label hashing. */
  const upstreamChildren = new Map<string, Histogram.Internal<'source' | 'operation' | 'status' | 'code'>>();

  return {
    registry,
    contentType: registry.contentType,
    upstreamAttempt(source, operation, status, code, seconds) {
      const key = `${source} ${operation} ${status} ${code}`;
      let child = upstreamChildren.get(key);
      if (!child) {
        child = upstreamDuration.labels({
          source: knownSources.has(source) ? source : 'other',
          operation: upstreamOperations.of(operation),
          status: status === undefined ? 'none' : String(status),
          code: codes.of(code),
        });
        // The labels are bounded, so the key set is too; stop caching past a sane size all the same.
        if (upstreamChildren.size < 10_000) upstreamChildren.set(key, child);
      }
      child.observe(seconds);
    },
    upstreamRefused(source, operation, code) {
      upstreamRefused.inc({
        source: knownSources.has(source) ? source : 'other',
        operation: upstreamOperations.of(operation),
        code: codes.of(code),
      });
    },
    graphqlRequest(outcome, seconds) {
      const failed = outcome.errorCodes.length > 0 || outcome.status >= 400;
      const operation =
        outcome.operation === 'anonymous' ? 'anonymous' : operationsOf(outcome.tenant).of(outcome.operation);
      const result = outcome.status === CLIENT_CLOSED ? 'aborted' : failed ? 'error' : 'ok';
      graphqlDuration.observe({ operation, outcome: result }, seconds);
      for (const code of outcome.errorCodes) graphqlErrors.inc({ code: codes.of(code) });
    },
    rateLimited(tenant) {
      rateLimited.inc({ tenant: knownTenants.has(tenant) ? tenant : 'other' });
    },
    observeBatch(loader, size) {
      batchSize.observe({ loader: loaders.of(loader) }, size);
    },
    scrape() {
      if (!processMetrics) {
        processMetrics = true;
        collectDefaultMetrics({ register: registry });
      }
      snapshot = undefined;
      return registry.metrics();
    },
  };
}
