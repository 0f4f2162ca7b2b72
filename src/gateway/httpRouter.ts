/**
 * The 'request' listener of the gateway's port: the request id, the Host allow-list, CORS on
 * /graphql, then one route per path (metrics, the browser pages, /graphql, /export/focus, /healthz, /readyz,
 * the index, 404). A route that throws gets a 500 (or its socket destroyed once an answer began).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import type { Config } from '../config.js';
import { ErrorCode } from '../errors.js';
import { truncate } from '../lib/ids.js';
import { logger } from '../logger.js';
import { createHostAllowList } from '../security/hostAllowList.js';
import type { FocusRoute } from './focusRoute.js';
import type { GraphQLOverHttp } from './graphqlOverHttp.js';
import { closeWith, sendError, sendJson } from './httpAnswers.js';
import type { MetricsRoute } from './metricsRoute.js';
import type { Readiness } from './readiness.js';
import { requestIdOf } from './requestId.js';

/** The browser routes (src/web/): true when they answered the request. */
export interface WebRoutes {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}

export interface HttpRouterOptions {
  readonly cors: Config['cors'];
  readonly allowedHosts: Config['allowedHosts'];
  /** The configured host: its Host names are served until bindTo says where the gateway listens. */
  readonly host: string;
  readonly graphql: GraphQLOverHttp;
  /** GET /export/focus (docs/focus.md). */
  readonly focus: FocusRoute;
  readonly readiness: Readiness;
  /** The metrics on the gateway's own port at `path`; undefined when they are off or have their own port. */
  readonly metrics: { readonly path: string; readonly route: MetricsRoute } | undefined;
  readonly web: WebRoutes;
}

export interface HttpRouter {
  /** The 'request' listener of the gateway's HTTP server. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** From now on serves the Host names of an address bound to `host` (listen calls it). */
  bindTo(host: string): void;
}

/** CORS for /graphql: the configured origins may GET and POST with the headers GraphiQL and Apollo clients send. */
export const corsFor = (config: Config['cors']) =>
  cors({
    origin: config.origins,
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

export function createHttpRouter(options: HttpRouterOptions): HttpRouter {
  const { graphql, focus, readiness, metrics, web } = options;
  const corsMiddleware = corsFor(options.cors);
  let hostAllowed = createHostAllowList(options.allowedHosts, options.host);

  return {
    bindTo(host) {
      hostAllowed = createHostAllowList(options.allowedHosts, host);
    },
    handle(req, res) {
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
        if (metrics && url.pathname === metrics.path) return metrics.route(req, res, requestId);
        if (web.handle(req, res, url)) return;
        switch (url.pathname) {
          case '/graphql':
            return graphql(req, res, url, requestId);
          case '/export/focus':
            return focus(req, res, url, requestId);
          case '/healthz':
            return sendJson(res, 200, { status: 'ok' });
          case '/readyz':
            return readiness(req, res);
          case '/':
            return sendJson(res, 200, {
              name: 'billgraph',
              graphql: '/graphql',
              focusExport: '/export/focus',
              health: '/healthz',
              ready: '/readyz',
            });
          default:
            return sendJson(res, 404, { error: `No route ${truncate(url.pathname)}; GraphQL is served at /graphql.` });
        }
      };
      route().catch((error: unknown) => {
        logger.error('request failed', { requestId, path: url.pathname.slice(0, 200), error });
        if (!res.headersSent) sendError(res, 500, 'Unexpected error.', ErrorCode.INTERNAL_SERVER_ERROR, requestId);
        else res.destroy();
      });
    },
  };
}
