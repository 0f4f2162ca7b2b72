import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Config } from './config.js';
import { createContext, type Context, type GatewaySource } from './context.js';
import { APOLLO_REQUEST_CODES, ErrorCode, isGatewayError, withoutHttp } from './errors.js';
import { logger, registerSecrets } from './logger.js';
import { providerModule } from './providers/registry.js';
import { createRequestScope, type RequestScope } from './requestScope.js';
import { createGatewaySchema } from './gatewaySchema.js';
import { aliasLimitRule } from './schema/limits/aliasLimit.js';
import { costLimitPlugin } from './schema/limits/costLimitPlugin.js';
import { ceilingPlugin } from './schema/limits/objectCeiling.js';
import { readCostTable } from './schema/limits/costTable.js';
import { depthLimitRule } from './schema/limits/depthLimit.js';
import { directiveLimitRule } from './schema/limits/directiveLimit.js';
import { tooManyTokens } from './schema/limits/tooManyTokens.js';
import { createWebRoutes } from './web/index.js';
import type { CacheStore } from './cache/cacheStore.js';
import { createLruStore } from './cache/lruStore.js';
import { createSourceCache } from './cache/sourceCache.js';
import cors from 'cors';
import { isLoopbackHost } from './config.js';
import { boundedMessage } from './lib/boundedMessage.js';
import { truncate } from './lib/ids.js';
import { listen } from './lib/listen.js';
import { accessPlugin } from './security/accessPlugin.js';
import { createCostRateLimiter } from './security/costRateLimiter.js';
import { createHostAllowList } from './security/hostAllowList.js';
import { createOperatorAuth } from './security/operatorAuth.js';
import { createTenantAuth, type Authentication, type Tenant } from './security/tenantAuth.js';
import { createGatewayMetrics, type GatewayMetrics } from './observability/metrics.js';
import { listenMetrics, serveMetrics } from './observability/metricsEndpoint.js';
import { observedRateLimiter } from './observability/observedRateLimiter.js';
import { startTracing, type TracingOptions } from './observability/startTracing.js';
import type { GatewayTracing, GraphQLTrace } from './observability/upstreamTelemetry.js';
import { batchObserver } from './providers/loader.js';

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
  /** Starts listening; resolves to the GraphQL endpoint URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes sources. */
  stop(): Promise<void>;
  /** This gateway's metrics; undefined when `metrics.enabled` is false. */
  readonly metrics: GatewayMetrics | undefined;
  /** Where the metrics are scraped once listening: the gateway's port or `metrics.port`. */
  metricsUrl(): string | undefined;
}

const MAX_BODY_BYTES = 1_048_576;

/** Credential keys that hold an identity rather than a secret. */
const USERNAME_KEY = /^(user(name)?|login)$/i;

/** An `x-request-id` a client may choose: short, and only characters that are safe in a log or a header. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is safe, else a fresh UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** What one GraphQL request's access line reports, filled in by the HTTP layer and the Apollo plugin. */
interface AccessRecord {
  /** The resolved operation's name, or "anonymous" (never the query text). */
  operation: string;
  /** query | mutation | subscription, once resolved. */
  operationType: string | undefined;
  readonly codes: Set<string>;
  /** Set once the plugin has stamped the request id into the response's errors. */
  stamped: boolean;
}
const accessRecords = new WeakMap<RequestScope, AccessRecord>();

/** Operation names are GraphQL Names already; still bound what a line can carry. */
const boundedOperationName = (name: string | null | undefined): string => (name ? name.slice(0, 100) : 'anonymous');

/**
 * Whether formatError masks this error as INTERNAL_SERVER_ERROR: it is neither billgraph's own
 * (directly or wrapped by graphql-js) nor one of Apollo's request-level errors.
 */
export function isUnexpectedError(error: unknown): boolean {
  if (isGatewayError(unwrapResolverError(error)) || isGatewayError((error as GraphQLError)?.originalError))
    return false;
  const code = (error as GraphQLError)?.extensions?.code;
  return !(typeof code === 'string' && APOLLO_REQUEST_CODES.has(code));
}

/** The real cause of an error: graphql-js wraps what a resolver threw in a GraphQLError. */
const causeOf = (error: unknown): unknown => {
  const unwrapped = unwrapResolverError(error);
  return unwrapped instanceof Error && (unwrapped as GraphQLError).originalError
    ? (unwrapped as GraphQLError).originalError
    : unwrapped;
};

/** Errors formatError has already seen logged by the plugin, so it does not log them twice. */
const loggedErrors = new WeakSet<object>();

/**
 * Request ids in every error, one access line per request, and the real cause of every
 * unexpected error (with the request id) in the log.
 */
function observabilityPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const { scope } = contextValue;
      const record = accessRecords.get(scope);
      return {
        async didResolveOperation({ operationName, operation }) {
          if (record) {
            record.operation = boundedOperationName(operationName);
            record.operationType = operation?.operation;
          }
        },
        async didEncounterErrors({ errors, operationName }) {
          for (const error of errors) {
            if (!isUnexpectedError(error)) continue;
            loggedErrors.add(error);
            logger.error('unexpected error', {
              requestId: scope.requestId,
              operation: boundedOperationName(operationName),
              ...(error.path ? { path: error.path.join('.').slice(0, 200) } : {}),
              error: causeOf(error),
            });
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          // A part a source could not give is named at the top level whatever the client selected.
          if (contextValue.partial.size > 0 && singleResult.data !== undefined) {
            singleResult.errors = [...(singleResult.errors ?? []), ...contextValue.partial.formatted()];
          }
          if (singleResult.errors?.length) {
            singleResult.errors = singleResult.errors.map((e) => {
              const code = e.extensions?.code;
              if (record && typeof code === 'string') record.codes.add(code);
              return { ...e, extensions: { ...e.extensions, requestId: scope.requestId } };
            });
          }
          if (record) record.stamped = true;
        },
      };
    },
  };
}

/**
 * Keeps billgraph's own errors and Apollo's request errors; masks everything else as
 * "Unexpected error." so no upstream URL, credential or stack can reach a client.
 */
export function formatError(formattedIn: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const out = formatErrorUnbounded(formattedIn, error);
  // Every message may quote the caller's input (graphql-js quotes a variable whole): bound it.
  return { ...out, message: boundedMessage(out.message) };
}

/** A stack overflow is the engine's, never the caller's to read. */
const STACK_OVERFLOW = /Maximum call stack size exceeded/;

function formatErrorUnbounded(formattedIn: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  // hideSchemaDetailsFromClientErrors covers validation only; variable errors carry hints too.
  const formatted = { ...formattedIn, message: withoutSchemaHints(formattedIn.message) };
  const code = formatted.extensions?.code;
  // graphql-js's parser recurses once per nested list, input object or selection: a document a
  // few thousand brackets deep overflows the stack, and Apollo reports the RangeError as a parse error.
  if (code === 'GRAPHQL_PARSE_FAILED' && STACK_OVERFLOW.test(formatted.message))
    return {
      message:
        'The document nests lists, input objects or selections too deeply to parse. Selections may be limits.maxDepth fields deep (12 by default) and no input of the schema nests more than a few levels: flatten the document.',
      extensions: { code: ErrorCode.QUERY_TOO_COMPLEX },
    };
  const original = unwrapResolverError(error);
  const base = {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
  if (isGatewayError(original)) {
    return { message: original.message, ...base, extensions: withoutHttp(original.extensions) };
  }
  // Variable coercion and validation wrap our own errors (scalars, depth limit): keep graphql-js's
  // message, which names the variable and path, and restore our code.
  const wrapped = (error as GraphQLError)?.originalError;
  if (isGatewayError(wrapped))
    return { message: formatted.message, ...base, extensions: withoutHttp(wrapped.extensions) };
  const tokens = code === 'GRAPHQL_PARSE_FAILED' ? tooManyTokens(formatted.message) : null;
  if (tokens) return { message: tokens.message, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } };
  if (typeof code === 'string' && APOLLO_REQUEST_CODES.has(code) && !STACK_OVERFLOW.test(formatted.message)) {
    return { message: formatted.message, ...base, extensions: { code } };
  }
  // The plugin logs unexpected errors of a request with its id; anything reaching here otherwise is logged now.
  if (!(error instanceof Object && loggedErrors.has(error)))
    logger.error('unexpected error', { error: causeOf(error) });
  return { message: 'Unexpected error.', ...base, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/** Drops graphql-js's "Did you mean …?" suggestions, which reveal schema names to any caller. */
export const withoutSchemaHints = (message: string): string => message.replace(/ ?Did you mean [^?]*\?/g, '').trimEnd();

export function createGateway(options: GatewayOptions): Gateway {
  const { config } = options;
  const now = options.now ?? Date.now;
  const sources = new Map<string, GatewaySource>();
  // No log line may carry a credential, whichever field or message it ends up in.
  // Usernames name someone, they do not authenticate: registering "billgraph" would redact it everywhere.
  registerSecrets(
    config.sources.flatMap((s) =>
      Object.entries(s.credentials)
        .filter(([key]) => !USERNAME_KEY.test(key))
        .map(([, value]) => value),
    ),
  );
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
  // Assigned once the OpenTelemetry SDK is loaded (only when tracing is configured).
  let tracing: GatewayTracing | undefined;
  const tracingStarted = startTracing(options.tracing, options.env ?? process.env).then((started) => {
    tracing = started;
  });
  // A failure to start tracing surfaces in listen(); until then it must not be an unhandled rejection.
  tracingStarted.catch(() => undefined);
  for (const sourceConfig of config.sources) {
    const module = providerModule(sourceConfig.provider);
    if (!module) throw new Error(`Provider ${sourceConfig.provider} is not supported by this build.`);
    const sourceCache = createSourceCache(cache, sourceConfig.id, {
      ttlSeconds: sourceConfig.cache.ttlSeconds ?? module.cacheTtlSeconds,
      openWindowTtlSeconds: sourceConfig.cache.openWindowTtlSeconds,
      listTtlSeconds: sourceConfig.cache.listTtlSeconds,
    });
    sources.set(sourceConfig.id, {
      module,
      runtime: module.createRuntime(sourceConfig, {
        limits: config.limits,
        now,
        cache: sourceCache,
        ...(metrics ? { telemetry: metrics } : {}),
      }),
    });
  }

  const { headersTimeoutMs, bodyTimeoutMs, maxConnections } = config.server;
  const httpServer = createServer({
    headersTimeout: headersTimeoutMs,
    // Node's own cap on receiving a whole request, a backstop behind our body deadline (readBody).
    requestTimeout: headersTimeoutMs + bodyTimeoutMs + 1000,
    // Node checks both timeouts on this period (30 s by default): a second keeps them close to what is configured.
    connectionsCheckingInterval: 1000,
  });
  // Past the cap Node closes each new connection as soon as it is accepted (no answer, no request read).
  httpServer.maxConnections = maxConnections;
  httpServer.on('drop', () => logger.warn('connection refused', { reason: 'server.maxConnections', maxConnections }));
  const schema = createGatewaySchema();
  const { limits } = config;
  const apollo = new ApolloServer<Context>({
    schema,
    // graphql-js stops lexing past the limit, so a token flood costs no more than the limit.
    parseOptions: { maxTokens: limits.maxTokens },
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    // Apollo's CSRF prevention: a GET (or a POST of a type a form could send) runs only with a
    // header no simple cross-site request can carry, e.g. `apollo-require-preflight: 1`.
    csrfPrevention: true,
    stopOnTerminationSignals: false,
    formatError,
    // Each rule measures a fragment once and reuses it: linear in the document, never re-expanded.
    validationRules: [
      depthLimitRule(limits.maxDepth),
      aliasLimitRule(limits.maxAliases),
      directiveLimitRule(limits.maxDirectives),
    ],
    plugins: [
      // Runs once variables are known and before execution: the cost limit and every TimeWindow.
      // It sets ctx.cost synchronously, so the access plugin listed after it charges that cost.
      costLimitPlugin(readCostTable(schema), limits),
      // Before observabilityPlugin, whose willSendResponse stamps request ids on the final errors.
      ceilingPlugin(),
      accessPlugin({
        rateLimiter: observedRateLimiter(createCostRateLimiter(config.rateLimit), metrics),
        costOf: (ctx) => ctx.cost ?? 1,
        maxCost: limits.maxCost,
      }),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.stopGracePeriodMs ?? 10_000 }),
      // The cache-control plugin runs on every field and costs about a third of throughput; we set no hints.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      observabilityPlugin(),
    ],
  });
  const started = apollo.start();

  const authenticate = createTenantAuth(config.tenants);
  const corsMiddleware = cors({
    origin: config.cors.origins,
    methods: ['GET', 'POST'],
    allowedHeaders: [
      'authorization',
      'content-type',
      'x-request-id',
      'apollo-require-preflight',
      'x-apollo-operation-name',
    ],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
  let hostAllowed = createHostAllowList(config.allowedHosts, config.host);

  /** One GraphQL request, then its access line (whatever happened). */
  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> {
    const startedAt = performance.now();
    const trace: GraphQLTrace | undefined = tracing?.startRequest(req.headers, requestId);
    // Before anything is read: an unauthenticated request is refused without its body.
    const auth = authenticate(req.headers.authorization);
    // The deadline starts when the request is handled; it bounds queueing, retries and every attempt.
    const scope = createRequestScope({
      now,
      requestId,
      timeoutMs: config.limits.requestTimeoutMs,
      maxUpstreamCalls: config.limits.maxUpstreamCallsPerRequest,
      ...(trace ? { trace } : {}),
      // Each source's bulkhead queues the tenant's calls apart from other tenants' (fair queue).
      ...(auth.kind === 'granted' ? { tenant: auth.tenant.name } : {}),
    });
    const record: AccessRecord = { operation: 'anonymous', operationType: undefined, codes: new Set(), stamped: false };
    accessRecords.set(scope, record);
    try {
      await serveGraphQL(req, res, url, scope, record, auth);
    } catch (error) {
      if (error instanceof ClientClosed) {
        // The client went away mid-body: nothing to answer and nothing wrong with the gateway.
        res.statusCode = CLIENT_CLOSED_STATUS;
        res.destroy();
        return;
      }
      record.codes.add(ErrorCode.INTERNAL_SERVER_ERROR);
      logger.error('request failed', { requestId, error });
      if (!res.headersSent) sendError(res, 500, 'Unexpected error.', ErrorCode.INTERNAL_SERVER_ERROR, requestId);
      else res.destroy();
    } finally {
      const codes = [...record.codes];
      const line = {
        requestId,
        method: req.method === 'GET' || req.method === 'POST' ? req.method : 'OTHER',
        operation: record.operation,
        status: res.statusCode,
        durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
        errorCodes: codes,
        upstreamCalls: scope.upstreamCalls,
        ...(trace ? { traceId: trace.traceId } : {}),
      };
      // Failing requests get their own level (and so their own rate-limit budget): a flood of
      // broken requests cannot crowd out the access lines of working ones.
      // A client closing its own request is its business: info, like a success.
      if (res.statusCode === CLIENT_CLOSED_STATUS) logger.info('graphql request', { ...line, clientClosed: true });
      else if (codes.length || res.statusCode >= 400) logger.warn('graphql request', line);
      else logger.info('graphql request', line);
      if (metrics || trace) {
        const outcome = {
          operation: record.operation,
          operationType: record.operationType,
          status: res.statusCode,
          errorCodes: codes,
          ...(scope.tenant !== undefined ? { tenant: scope.tenant } : {}),
        };
        metrics?.graphqlRequest(outcome, (performance.now() - startedAt) / 1000);
        trace?.end(outcome);
      }
    }
  }

  async function serveGraphQL(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    scope: RequestScope,
    record: AccessRecord,
    auth: Authentication,
  ): Promise<void> {
    const { requestId } = scope;
    await started;
    if (auth.kind === 'rejected') {
      record.codes.add(ErrorCode.UNAUTHENTICATED);
      return refuseUnauthenticated(
        req,
        res,
        auth.reason === 'missing'
          ? 'This gateway needs an API key: send "Authorization: Bearer <key>".'
          : 'The API key is not valid: send "Authorization: Bearer <key>" with a key configured for a tenant.',
        requestId,
      );
    }
    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, bodyTimeoutMs);
      if (raw === TIMED_OUT) {
        record.codes.add('BAD_REQUEST');
        return closeWith(req, res, () =>
          sendError(
            res,
            408,
            `The request body did not arrive within ${bodyTimeoutMs} ms (server.bodyTimeoutMs).`,
            'BAD_REQUEST',
            requestId,
          ),
        );
      }
      if (raw === null) {
        res.setHeader('connection', 'close');
        record.codes.add('BAD_REQUEST');
        return sendError(res, 413, `Request body is larger than ${MAX_BODY_BYTES} bytes.`, 'BAD_REQUEST', requestId);
      }
      // Only JSON executes: a form or text/plain POST (which any web page may send without a
      // CORS preflight) is refused before Apollo sees it.
      if (!JSON_MEDIA_TYPES.has(mediaTypeOf(req.headers['content-type']))) {
        record.codes.add('BAD_REQUEST');
        return sendError(
          res,
          415,
          'POST bodies must be "content-type: application/json" (or application/graphql-response+json).',
          'BAD_REQUEST',
          requestId,
        );
      }
      try {
        body = raw.length ? JSON.parse(raw) : undefined;
      } catch {
        record.codes.add('BAD_REQUEST');
        return sendError(res, 400, 'Request body is not valid JSON.', 'BAD_REQUEST', requestId);
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const execute = () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search: url.search, body },
        context: async () => createContext(sources, config.limits, scope, auth.tenant),
      });
    // Loaders built during execution report their batch sizes to this gateway's metrics.
    const result = await (metrics ? batchObserver.run(metrics.observeBatch, execute) : execute());
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      // Errors Apollo answers before its request pipeline (bad requests, context failures) never
      // reach the plugin: stamp the request id here.
      res.end(record.stamped ? result.body.string : withRequestId(result.body.string, requestId, record.codes));
      return;
    }
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }

  /**
   * Each source's ping, unless its circuit breaker is open: then it is not ready and is not
   * called (a due probe is let through, and the ping is that probe). Every entry says the
   * breaker's state ('closed' | 'open' | 'half-open').
   */
  async function readiness(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // With tenants, which sources exist is for authenticated callers; an orchestrator needs only the status.
    const auth = authenticate(req.headers.authorization);
    const tenant: Tenant | null = auth.kind === 'granted' ? auth.tenant : null;
    const checks = await sourceChecks();
    // A tenant's readiness is that of its own sources; an orchestrator (no key) gets the whole gateway's.
    const shown = tenant ? checks.filter((c) => tenant.sources === null || tenant.sources.has(c.id)) : undefined;
    const ready = (shown ?? checks).every((c) => c.ready);
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...(shown ? { sources: shown } : {}) });
  }

  /**
   * The sources' checks, shared by every /readyz within READINESS_CACHE_MS while no breaker
   * changed state: an unauthenticated endpoint must not turn each hit into a call to every upstream.
   */
  let lastChecks: { at: number; breakers: string; checks: Promise<SourceCheck[]> } | null = null;
  function sourceChecks(): Promise<SourceCheck[]> {
    const breakers = [...sources.values()].map(({ runtime }) => runtime.resilience().breaker).join();
    if (lastChecks && Date.now() - lastChecks.at < READINESS_CACHE_MS && lastChecks.breakers === breakers)
      return lastChecks.checks;
    const checks = checkSources();
    lastChecks = { at: Date.now(), breakers, checks };
    return checks;
  }

  function checkSources(): Promise<SourceCheck[]> {
    return Promise.all(
      [...sources.values()].map(async ({ runtime }): Promise<SourceCheck> => {
        const { id, provider } = runtime.source;
        const before = runtime.resilience();
        if (before.breaker === 'open' && before.retryAt !== undefined && before.retryAt > Date.now()) {
          return {
            id,
            provider,
            ready: false,
            code: ErrorCode.UPSTREAM_UNAVAILABLE,
            breaker: before.breaker,
            retryAt: new Date(before.retryAt).toISOString(),
          };
        }
        try {
          await runtime.ping();
          return { id, provider, ready: true, breaker: runtime.resilience().breaker };
        } catch (error) {
          const code = isGatewayError(error) ? error.code : ErrorCode.INTERNAL_SERVER_ERROR;
          return { id, provider, ready: false, code, breaker: runtime.resilience().breaker };
        }
      }),
    );
  }

  /**
   * Metrics on the gateway's own port. They name every tenant's operations and every source's
   * traffic, so with tenants only an operator key reads them; a tenant's own key gets 403.
   */
  const isOperator = createOperatorAuth(config.metrics.operatorKeySha256);
  async function scrape(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    if (config.tenants && !isOperator(req.headers.authorization)) {
      if (authenticate(req.headers.authorization).kind === 'granted') {
        req.resume();
        return sendError(
          res,
          403,
          'The metrics are for operators: send an operator key (metrics.operatorKeySha256), not a tenant key.',
          ErrorCode.FORBIDDEN,
          requestId,
        );
      }
      return refuseUnauthenticated(
        req,
        res,
        'The metrics need an operator key: send "Authorization: Bearer <key>".',
        requestId,
      );
    }
    return serveMetrics(req, res, metrics!);
  }
  let metricsServer: { server: Server; url: string } | undefined;
  let metricsAt: string | undefined;

  // GraphiQL at / (and /graphql for a browser), the dashboard at /dashboard.
  const web = createWebRoutes({ introspection: config.introspection, requiresKey: config.tenants !== undefined });
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Every response carries the request's id, whichever layer answers it.
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    const route = async (): Promise<void> => {
      if (!hostAllowed(req.headers.host)) {
        logger.warn('refused host', { requestId, path: url.pathname.slice(0, 200) });
        // Like a 401: answered without reading the body, then the connection is closed.
        return closeWith(req, res, () =>
          sendError(
            res,
            421,
            'This Host header is not served here; use an address listed in "allowedHosts".',
            'BAD_REQUEST',
            requestId,
          ),
        );
      }
      if (url.pathname === '/graphql') {
        const preflightDone = await new Promise<boolean>((resolve) => {
          corsMiddleware(req, res, () => resolve(false));
          if (res.writableEnded) resolve(true);
        });
        if (preflightDone) return;
      }
      if (metrics && config.metrics.port === undefined && url.pathname === config.metrics.path)
        return scrape(req, res, requestId);
      if (web.handle(req, res, url)) return;
      switch (url.pathname) {
        case '/graphql':
          return handleGraphQL(req, res, url, requestId);
        case '/healthz':
          return sendJson(res, 200, { status: 'ok' });
        case '/readyz':
          return readiness(req, res);
        case '/':
          return sendJson(res, 200, { name: 'billgraph', graphql: '/graphql', health: '/healthz', ready: '/readyz' });
        default:
          return sendJson(res, 404, { error: `No route ${truncate(url.pathname)}; GraphQL is served at /graphql.` });
      }
    };
    route().catch((error: unknown) => {
      logger.error('request failed', { requestId, path: url.pathname.slice(0, 200), error });
      if (!res.headersSent) sendError(res, 500, 'Unexpected error.', ErrorCode.INTERNAL_SERVER_ERROR, requestId);
      else res.destroy();
    });
  });

  return {
    httpServer,
    sources,
    cache,
    metrics,
    metricsUrl: () => metricsAt,
    async listen(port = config.port ?? 4000, host = config.host) {
      if (!config.tenants && !isLoopbackHost(host)) {
        throw new Error(
          `Refusing to listen on "${host}" without tenants: anyone who can reach it could read every source and run mutations. Configure "tenants" or listen on 127.0.0.1.`,
        );
      }
      hostAllowed = createHostAllowList(config.allowedHosts, host);
      await started;
      // Traced from the first request on.
      await tracingStarted;
      const origin = await listen(httpServer, port, host);
      if (metrics && config.metrics.port !== undefined) {
        metricsServer = await listenMetrics(metrics, config.metrics.path, config.metrics.port, config.metrics.host);
        metricsAt = metricsServer.url;
      } else if (metrics) {
        metricsAt = `${origin}${config.metrics.path}`;
      }
      return `${origin}/graphql`;
    },
    async stop() {
      await started.catch(() => undefined);
      await apollo.stop();
      if (metricsServer) {
        const { server } = metricsServer;
        await new Promise<void>((resolve) => server.close(() => resolve()));
        metricsServer = undefined;
      }
      await tracingStarted.catch(() => undefined);
      await tracing?.shutdown();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await Promise.all([...sources.values()].map((s) => s.runtime.close()));
      await cache.clear();
    },
  };
}

/** How long /readyz reuses its last upstream checks, in milliseconds. */
const READINESS_CACHE_MS = 1000;

/** One source's entry in /readyz. */
interface SourceCheck {
  readonly id: string;
  readonly provider: string;
  readonly ready: boolean;
  readonly code?: string;
  readonly breaker: string;
  readonly retryAt?: string;
}

/** Request bodies that execute; anything a plain HTML form or a no-preflight fetch can send is refused. */
const JSON_MEDIA_TYPES: ReadonlySet<string> = new Set(['application/json', 'application/graphql-response+json']);

/** `Application/JSON; charset=utf-8` → `application/json`. */
const mediaTypeOf = (header: string | undefined): string => (header ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * 401 with the Bearer challenge: no schema detail and no hint of which tenants exist, just how to
 * authenticate. The body is never read: the answer says `Connection: close` and the socket is
 * closed once it is written, so a caller without a key cannot hold a connection by sending slowly.
 */
function refuseUnauthenticated(req: IncomingMessage, res: ServerResponse, message: string, requestId: string): void {
  res.setHeader('www-authenticate', 'Bearer realm="billgraph"');
  closeWith(req, res, () => sendError(res, 401, message, ErrorCode.UNAUTHENTICATED, requestId));
}

/**
 * Writes an answer with `Connection: close` and destroys the socket once it is flushed, whatever
 * of the request body is still to come (Node would otherwise wait for the body to keep the
 * connection alive).
 */
function closeWith(req: IncomingMessage, res: ServerResponse, answer: () => void): void {
  res.setHeader('connection', 'close');
  res.once('finish', () => req.socket.destroy());
  answer();
}

/** A GraphQL-shaped error answer written by the HTTP layer itself. */
function sendError(res: ServerResponse, status: number, message: string, code: string, requestId: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, requestId } }] });
}

/**
 * A JSON answer with `extensions.requestId` added to each of its `errors` (and their codes
 * collected); any other text is returned unchanged.
 */
function withRequestId(text: string, requestId: string, codes: Set<string>): string {
  if (!text.includes('"errors"')) return text;
  try {
    const parsed = JSON.parse(text) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return text;
    parsed.errors = parsed.errors.map((e: { extensions?: Record<string, unknown> }) => {
      const code = e?.extensions?.code;
      if (typeof code === 'string') codes.add(code);
      return { ...e, extensions: { ...e?.extensions, requestId } };
    });
    return JSON.stringify(parsed);
  } catch {
    return text;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** readBody's answer when the body did not arrive within its deadline. */
const TIMED_OUT = Symbol('timed out');

/** The client closed the connection before its body was in (an abort, not a gateway failure). */
class ClientClosed extends Error {}

/** What the access line and the metrics record for a request its client abandoned (nginx's convention; never sent). */
const CLIENT_CLOSED_STATUS = 499;

/**
 * The body as text; null when it exceeds MAX_BODY_BYTES; TIMED_OUT when it is not all in within
 * `timeoutMs`. Throws ClientClosed when the client goes away first. An oversized body is read to
 * its end (within the deadline) and dropped, so the 413 reaches a client still sending it.
 */
function readBody(req: IncomingMessage, timeoutMs: number): Promise<string | null | typeof TIMED_OUT> {
  const oversized = Number(req.headers['content-length']) > MAX_BODY_BYTES;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (finish: () => void) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      finish();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (!oversized && size <= MAX_BODY_BYTES) chunks.push(chunk);
    };
    const onEnd = () =>
      done(() => resolve(oversized || size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    // 'error' (ECONNRESET "aborted") and 'close' before 'end' both mean the client is gone.
    const onGone = () => done(() => reject(new ClientClosed('client closed the request')));
    const timer = setTimeout(() => done(() => resolve(TIMED_OUT)), timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}
