import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Config } from './config.js';
import { createContext, type Context, type GatewaySource } from './context.js';
import { APOLLO_REQUEST_CODES, ErrorCode, isGatewayError } from './errors.js';
import { logger } from './logger.js';
import { providerModule } from './providers/registry.js';
import { createRequestScope } from './requestScope.js';
import { createSchema } from './schema/index.js';
import { aliasLimitRule } from './schema/aliasLimit.js';
import { depthLimitRule } from './schema/depthLimit.js';
import { createWebRoutes } from './web/index.js';

export interface GatewayOptions {
  readonly config: Config;
  /** Milliseconds since epoch; injectable so isFinal can be tested. @default Date.now */
  readonly now?: () => number;
  /** How long shutdown waits for in-flight requests, in milliseconds. @default 10000 */
  readonly stopGracePeriodMs?: number;
}

export interface Gateway {
  readonly httpServer: Server;
  readonly sources: ReadonlyMap<string, GatewaySource>;
  /** Starts listening; resolves to the GraphQL endpoint URL. */
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes sources. */
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1_048_576;

/**
 * Keeps billgraph's own errors and Apollo's request errors; masks everything else as
 * "Unexpected error." so no upstream URL, credential or stack can reach a client.
 */
export function formatError(formattedIn: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  // hideSchemaDetailsFromClientErrors covers validation only; variable errors carry hints too.
  const formatted = { ...formattedIn, message: withoutSchemaHints(formattedIn.message) };
  const original = unwrapResolverError(error);
  const base = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (isGatewayError(original)) {
    return { message: original.message, ...base, extensions: { ...original.extensions } };
  }
  // Variable coercion and validation wrap our own errors (scalars, depth limit): keep graphql-js's
  // message, which names the variable and path, and restore our code.
  const wrapped = (error as GraphQLError)?.originalError;
  if (isGatewayError(wrapped)) return { message: formatted.message, ...base, extensions: { ...wrapped.extensions } };
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && APOLLO_REQUEST_CODES.has(code)) {
    return { message: formatted.message, ...base, extensions: { code } };
  }
  logger.error('unexpected error', { error: original });
  return { message: 'Unexpected error.', ...base, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/** Drops graphql-js's "Did you mean …?" suggestions, which reveal schema names to any caller. */
export const withoutSchemaHints = (message: string): string => message.replace(/ ?Did you mean [^?]*\?/g, '').trimEnd();

export function createGateway(options: GatewayOptions): Gateway {
  const { config } = options;
  const now = options.now ?? Date.now;
  const sources = new Map<string, GatewaySource>();
  for (const sourceConfig of config.sources) {
    const module = providerModule(sourceConfig.provider);
    if (!module) throw new Error(`Provider ${sourceConfig.provider} is not supported by this build.`);
    sources.set(sourceConfig.id, { module, runtime: module.createRuntime(sourceConfig, { limits: config.limits, now }) });
  }

  const httpServer = createServer();
  const apollo = new ApolloServer<Context>({
    schema: createSchema(),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    // Auth is by header, never cookies, so a cross-site GET cannot act as a user; plain
    // graphql-over-HTTP GETs (curl, links) must work without a preflight header.
    csrfPrevention: false,
    stopOnTerminationSignals: false,
    formatError,
    validationRules: [depthLimitRule(config.limits.maxDepth), aliasLimitRule(config.limits.maxAliases)],
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: options.stopGracePeriodMs ?? 10_000 }),
      // The cache-control plugin runs on every field and costs about a third of throughput; we set no hints.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
    ],
  });
  const started = apollo.start();

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    await started;
    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req);
      if (raw === null) {
        res.setHeader('connection', 'close');
        return sendJson(res, 413, { errors: [{ message: `Request body is larger than ${MAX_BODY_BYTES} bytes.`, extensions: { code: 'BAD_REQUEST' } }] });
      }
      const type = req.headers['content-type'] ?? '';
      if (/json/i.test(type)) {
        try {
          body = raw.length ? JSON.parse(raw) : undefined;
        } catch {
          return sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
        }
      } else {
        body = raw;
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method?.toUpperCase() ?? 'GET', headers, search: url.search, body },
      context: async () =>
        createContext(
          sources,
          config.limits,
          // The deadline starts when the request is handled; it bounds queueing, retries and every attempt.
          createRequestScope({ now, timeoutMs: config.limits.requestTimeoutMs, maxUpstreamCalls: config.limits.maxUpstreamCallsPerRequest }),
        ),
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
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
  async function readiness(res: ServerResponse): Promise<void> {
    const checks = await Promise.all(
      [...sources.values()].map(async ({ runtime }) => {
        const { id, provider } = runtime.source;
        const before = runtime.resilience();
        if (before.breaker === 'open' && before.retryAt !== undefined && before.retryAt > Date.now()) {
          return { id, provider, ready: false, code: ErrorCode.UPSTREAM_UNAVAILABLE, breaker: before.breaker, retryAt: new Date(before.retryAt).toISOString() };
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
    const ready = checks.every((c) => c.ready);
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', sources: checks });
  }

  // GraphiQL at / (and /graphql for a browser), the dashboard at /dashboard.
  const web = createWebRoutes({ introspection: config.introspection });
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = async (): Promise<void> => {
      if (web.handle(req, res, url)) return;
      switch (url.pathname) {
        case '/graphql':
          return handleGraphQL(req, res, url);
        case '/healthz':
          return sendJson(res, 200, { status: 'ok' });
        case '/readyz':
          return readiness(res);
        case '/':
          return sendJson(res, 200, { name: 'billgraph', graphql: '/graphql', health: '/healthz', ready: '/readyz' });
        default:
          return sendJson(res, 404, { error: `No route ${url.pathname}; GraphQL is served at /graphql.` });
      }
    };
    route().catch((error: unknown) => {
      logger.error('request failed', { error });
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Unexpected error.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
      else res.destroy();
    });
  });

  return {
    httpServer,
    sources,
    async listen(port = config.port ?? 4000, host = config.host) {
      await started;
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
      const address = httpServer.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `http://${shownHost}:${address.port}/graphql`;
    },
    async stop() {
      await started.catch(() => undefined);
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await Promise.all([...sources.values()].map((s) => s.runtime.close()));
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The body as text, or null when it exceeds MAX_BODY_BYTES. An oversized body is still read to
 * its end (and dropped): destroying the request mid-body would leave the connection half-open
 * and stall graceful shutdown until its grace period.
 */
async function readBody(req: IncomingMessage): Promise<string | null> {
  if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
    req.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8');
}

