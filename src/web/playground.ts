/**
 * GraphiQL 5, bundled by Vite with the dashboard (web/graphiql.html → web/dist/graphiql.html, its
 * scripts, styles and Monaco workers under /dashboard/assets/) and served here at / and /graphql:
 * no CDN, it works with no network. The page has no inline script or style; the gateway adds its
 * settings as a JSON data block that the bundle reads.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { DASHBOARD_DIST } from './dashboard.js';
import {
  assetFromBuffer,
  diskAsset,
  escapeHtml,
  GRAPHIQL_CONTENT_SECURITY_POLICY,
  REVALIDATE,
  sendAsset,
  sendText,
  type Asset,
} from './static.js';

/** Monaco (GraphiQL 5's editor) needs inline styles; see GRAPHIQL_CONTENT_SECURITY_POLICY. */
const CSP = { 'content-security-policy': GRAPHIQL_CONTENT_SECURITY_POLICY };
/** The query GraphiQL opens with: the README's traversal, account → cloudspace → machine → consumption. */
export const PLAYGROUND_EXAMPLE_QUERY = `# Welcome to billgraph. Press the ▶ button (or Ctrl-Enter) to run this example:
# one query walks account → cloudspace → machine → consumption; every upstream
# call is batched per request. Open "Docs" (the book icon) to explore the schema.
query Traversal($window: TimeWindow!) {
  accounts(provider: OPENVCLOUD, first: 1) {
    edges {
      node {
        name
        source { id name }
        cloudspaces {
          name
          machines {
            name
            consumption(window: $window) { metric quantity unit }
          }
        }
        consumption(window: $window) { metric quantity unit }
        cost(window: $window) { amount currency }
      }
    }
    errors { source { id } code message }
  }
}
`;

export const PLAYGROUND_EXAMPLE_VARIABLES = `{
  "window": {
    "start": "2026-10-01T00:00:00Z",
    "end": "2026-11-01T00:00:00Z",
    "timeZone": "UTC"
  }
}
`;

export interface PlaygroundOptions {
  /** Whether the server answers introspection; when false GraphiQL runs without a schema and says why. */
  readonly introspection: boolean;
  /** The GraphQL endpoint path. @default '/graphql' */
  readonly endpoint?: string;
  /** Whether the server has tenants, so the page asks for an API key and puts it in the headers editor as `Authorization: Bearer`. @default false */
  readonly requiresKey?: boolean;
  /** Folder of the Vite build holding graphiql.html. @default web/dist */
  readonly dist?: string;
}

export function createPlayground(options: PlaygroundOptions) {
  const read = diskAsset();
  const file = join(options.dist ?? DASHBOARD_DIST, 'graphiql.html');
  const settings = {
    endpoint: options.endpoint ?? '/graphql',
    introspection: options.introspection,
    requiresKey: options.requiresKey ?? false,
    query: PLAYGROUND_EXAMPLE_QUERY,
    variables: PLAYGROUND_EXAMPLE_VARIABLES,
  };
  // JSON inside <script type="application/json"> is data, never executed, so the CSP needs no
  // 'unsafe-inline'; "<" is escaped so no string in it can close the element.
  const block = `<script type="application/json" id="billgraph-playground-settings">${JSON.stringify(settings).replace(/</g, '\\u003c')}</script>\n`;
  let page: { built: Asset; asset: Asset } | undefined;

  /** The built page with the settings block, rebuilt when a new build replaces graphiql.html. */
  function renderPage(): Asset | null {
    const built = read(file);
    if (!built) return null;
    if (page?.built !== built) {
      const html = built.body.toString('utf8').replace('</body>', `${block}</body>`);
      page = { built, asset: assetFromBuffer(Buffer.from(html), 'text/html; charset=utf-8') };
    }
    return page.asset;
  }

  return {
    /** Sends the GraphiQL page, or a 503 page saying how to build it. */
    page(req: IncomingMessage, res: ServerResponse): void {
      const asset = renderPage();
      if (asset) {
        sendAsset(req, res, asset, REVALIDATE, CSP);
        return;
      }
      sendText(
        res,
        503,
        `<!doctype html><meta charset="utf-8"><title>billgraph · GraphiQL</title><p>GraphiQL has not been built. Run <code>npm run build:web</code> (npm ci does it through the prepare script) and reload. The API itself is at <code>POST ${escapeHtml(settings.endpoint)}</code>.</p>`,
        'text/html; charset=utf-8',
      );
    },
  };
}
