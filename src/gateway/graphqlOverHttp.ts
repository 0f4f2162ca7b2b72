/**
 * GraphQL over HTTP at /graphql: the tenant's key checked before any body is read, the body read
 * within its deadline and size, only JSON media types executed, then Apollo's
 * executeHTTPGraphQLRequest; one access line (and the metrics and trace of the request) whatever
 * happened.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Config } from '../config.js';
import { createContext, type Context, type GatewaySource } from '../context.js';
import { ErrorCode } from '../errors.js';
import { logger } from '../logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { GatewayTracing, GraphQLTrace } from '../observability/upstreamTelemetry.js';
import { batchObserver } from '../providers/loader.js';
import { createRequestScope, type RequestScope } from '../requestScope.js';
import type { Authentication } from '../security/tenantAuth.js';
import { trackAccess, type AccessRecord } from './accessRecord.js';
import { closeWith, refuseRejectedKey, sendError } from './httpAnswers.js';

export const MAX_BODY_BYTES = 1_048_576;

/** Request bodies that execute; anything a plain HTML form or a no-preflight fetch can send is refused. */
const JSON_MEDIA_TYPES: ReadonlySet<string> = new Set(['application/json', 'application/graphql-response+json']);

/** `Application/JSON; charset=utf-8` → `application/json`. */
export const mediaTypeOf = (header: string | undefined): string => (header ?? '').split(';')[0]!.trim().toLowerCase();

/** Whether a POST with this content-type header executes. */
export const executesMediaType = (header: string | undefined): boolean => JSON_MEDIA_TYPES.has(mediaTypeOf(header));

/** readBody's answer when the body did not arrive within its deadline. */
export const TIMED_OUT = Symbol('timed out');

/** The client closed the connection before its body was in (an abort, not a gateway failure). */
export class ClientClosed extends Error {}

/** What the access line and the metrics record for a request its client abandoned (nginx's convention; never sent). */
export const CLIENT_CLOSED_STATUS = 499;

export interface GraphQLOverHttpOptions {
  readonly apollo: ApolloServer<Context>;
  /** Apollo's start(): every request waits for it. */
  readonly apolloStarted: Promise<void>;
  readonly sources: ReadonlyMap<string, GatewaySource>;
  readonly limits: Config['limits'];
  /** The config's `currencies` (docs/pricing.md). Default: none. */
  readonly currencies?: Config['currencies'];
  /** server.bodyTimeoutMs */
  readonly bodyTimeoutMs: number;
  /** The clock of the request scope (isFinal, the deadline). */
  readonly now: () => number;
  readonly authenticate: (authorization: string | undefined) => Authentication;
  readonly metrics: GatewayMetrics | undefined;
  /** The tracing once started (it loads in the background). */
  readonly tracing: () => GatewayTracing | undefined;
}

/** The handler of /graphql: serves one request, then writes its access line. */
export type GraphQLOverHttp = (req: IncomingMessage, res: ServerResponse, url: URL, requestId: string) => Promise<void>;

export function createGraphQLOverHttp(options: GraphQLOverHttpOptions): GraphQLOverHttp {
  const { apollo, apolloStarted, sources, limits, bodyTimeoutMs, now, authenticate, metrics } = options;

  /** One GraphQL request, then its access line (whatever happened). */
  return async function handleGraphQL(req, res, url, requestId) {
    const startedAt = performance.now();
    const trace: GraphQLTrace | undefined = options.tracing()?.startRequest(req.headers, requestId);
    // Before anything is read: an unauthenticated request is refused without its body.
    const auth = authenticate(req.headers.authorization);
    // The deadline starts when the request is handled; it bounds queueing, retries and every attempt.
    const scope = createRequestScope({
      now,
      requestId,
      timeoutMs: limits.requestTimeoutMs,
      maxUpstreamCalls: limits.maxUpstreamCallsPerRequest,
      ...(trace ? { trace } : {}),
      // Each source's bulkhead queues the tenant's calls apart from other tenants' (fair queue).
      ...(auth.kind === 'granted' ? { tenant: auth.tenant.name } : {}),
    });
    const record = trackAccess(scope);
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
  };

  async function serveGraphQL(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    scope: RequestScope,
    record: AccessRecord,
    auth: Authentication,
  ): Promise<void> {
    const { requestId } = scope;
    await apolloStarted;
    if (auth.kind === 'rejected') {
      record.codes.add(ErrorCode.UNAUTHENTICATED);
      return refuseRejectedKey(req, res, auth.reason, requestId);
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
      if (!executesMediaType(req.headers['content-type'])) {
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
        context: async () => createContext(sources, limits, scope, auth.tenant, options.currencies),
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
}

/**
 * A JSON answer with `extensions.requestId` added to each of its `errors` (and their codes
 * collected); any other text is returned unchanged.
 */
export function withRequestId(text: string, requestId: string, codes: Set<string>): string {
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

/**
 * The body as text; null when it exceeds MAX_BODY_BYTES; TIMED_OUT when it is not all in within
 * `timeoutMs`. Throws ClientClosed when the client goes away first. An oversized body is read to
 * its end (within the deadline) and dropped, so the 413 reaches a client still sending it.
 */
export function readBody(req: IncomingMessage, timeoutMs: number): Promise<string | null | typeof TIMED_OUT> {
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
