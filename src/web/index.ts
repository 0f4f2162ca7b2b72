/**
 * The browser-facing routes: GraphiQL 5 at `/` (and at `/graphql` for a browser GET without a
 * query), and the React dashboard under /dashboard; both are one Vite build (web/dist) whose
 * assets are served under /dashboard/assets/.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createDashboard } from './dashboard.js';
import { createPlayground } from './playground.js';
import { wantsHtml } from './static.js';

export interface WebRoutesOptions {
  readonly introspection: boolean;
  /** The gateway has tenants: GraphiQL asks for an API key. @default false */
  readonly requiresKey?: boolean;
  /** Folder of the Vite build (dashboard and GraphiQL). @default web/dist */
  readonly dashboardDist?: string;
}

export function createWebRoutes(options: WebRoutesOptions) {
  const playground = createPlayground({
    introspection: options.introspection,
    requiresKey: options.requiresKey ?? false,
    ...(options.dashboardDist === undefined ? {} : { dist: options.dashboardDist }),
  });
  const dashboard = createDashboard(options.dashboardDist);
  return {
    /** Answers the request when it is a browser route; false to let the API routes have it. */
    handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const { pathname } = url;
      if (pathname === '/') {
        // `/` is GraphiQL; a client asking only for JSON still gets the endpoint index.
        const accept = String(req.headers.accept ?? '');
        if (/\bapplication\/json\b/i.test(accept) && !wantsHtml(req)) return false;
        playground.page(req, res);
        return true;
      }
      if (pathname === '/graphql') {
        // A browser opening the endpoint: no operation in the URL, and it asks for HTML.
        if (!wantsHtml(req) || url.searchParams.has('query') || url.searchParams.has('extensions')) return false;
        playground.page(req, res);
        return true;
      }
      return dashboard.handle(req, res, url);
    },
  };
}
