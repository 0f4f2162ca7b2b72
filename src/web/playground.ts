/**
 * GraphiQL, served by billgraph itself from the installed `graphiql` package's UMD build and
 * React 18's UMD builds (no bundler, no CDN: it works with no network). The page has no inline
 * script or style; its settings travel in a JSON data block that playground.js reads.
 */
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assetFromBuffer,
  escapeHtml,
  IMMUTABLE,
  lazyFileAsset,
  REVALIDATE,
  sendAsset,
  sendText,
  type Asset,
} from './static.js';

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));
/** playground.js/.css beside this module: src/web/assets, or dist/web/assets (npm run build copies them). */
const OWN_ASSETS = fileURLToPath(new URL('./assets/', import.meta.url));

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

/** Files under /playground/assets/, by name. */
const ASSETS: Record<string, () => Asset> = {
  'react.production.min.js': lazyFileAsset(join(packageDir('react'), 'umd/react.production.min.js')),
  'react-dom.production.min.js': lazyFileAsset(join(packageDir('react-dom'), 'umd/react-dom.production.min.js')),
  'graphiql.min.js': lazyFileAsset(join(packageDir('graphiql'), 'graphiql.min.js')),
  'graphiql.min.js.map': lazyFileAsset(join(packageDir('graphiql'), 'graphiql.min.js.map')),
  'graphiql.min.css': lazyFileAsset(join(packageDir('graphiql'), 'graphiql.min.css')),
  'playground.js': lazyFileAsset(join(OWN_ASSETS, 'playground.js')),
  'playground.css': lazyFileAsset(join(OWN_ASSETS, 'playground.css')),
};

export const PLAYGROUND_ASSET_PREFIX = '/playground/assets/';

export interface PlaygroundOptions {
  /** Whether the server answers introspection; when false GraphiQL runs without a schema and says why. */
  readonly introspection: boolean;
  /** The GraphQL endpoint path. @default '/graphql' */
  readonly endpoint?: string;
  /** Whether the server has tenants, so the page asks for an API key and sends it as `Authorization: Bearer`. @default false */
  readonly requiresKey?: boolean;
}

export function createPlayground(options: PlaygroundOptions) {
  let page: Asset | undefined;
  const versioned = (name: string) => `${PLAYGROUND_ASSET_PREFIX}${name}?v=${ASSETS[name]!().hash}`;

  function renderPage(): Asset {
    const settings = {
      endpoint: options.endpoint ?? '/graphql',
      introspection: options.introspection,
      requiresKey: options.requiresKey ?? false,
      query: PLAYGROUND_EXAMPLE_QUERY,
      variables: PLAYGROUND_EXAMPLE_VARIABLES,
    };
    // JSON inside <script type="application/json"> is data, never executed, so the CSP needs no
    // 'unsafe-inline'; "<" is escaped so no string in it can close the element.
    const json = JSON.stringify(settings).replace(/</g, '\\u003c');
    const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>billgraph · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeHtml(versioned('graphiql.min.css'))}">
<link rel="stylesheet" href="${escapeHtml(versioned('playground.css'))}">
</head>
<body>
<div id="billgraph-banner" class="billgraph-banner" hidden></div>
<form id="billgraph-key" class="billgraph-key" hidden>
<label for="billgraph-key-input">API key</label>
<input id="billgraph-key-input" name="key" type="password" autocomplete="off" required>
<button type="submit">Use key</button>
<span class="billgraph-key-note">Kept in this tab only (sessionStorage) and sent as <code>Authorization: Bearer</code>.</span>
</form>
<div id="graphiql" class="billgraph-graphiql"><p class="billgraph-loading">Loading GraphiQL…</p></div>
<noscript><p class="billgraph-loading">GraphiQL needs JavaScript. The API itself is at <code>POST ${escapeHtml(settings.endpoint)}</code>.</p></noscript>
<script type="application/json" id="billgraph-playground-settings">${json}</script>
<script src="${escapeHtml(versioned('react.production.min.js'))}"></script>
<script src="${escapeHtml(versioned('react-dom.production.min.js'))}"></script>
<script src="${escapeHtml(versioned('graphiql.min.js'))}"></script>
<script src="${escapeHtml(versioned('playground.js'))}"></script>
</body>
</html>
`;
    return assetFromBuffer(Buffer.from(html), 'text/html; charset=utf-8');
  }

  return {
    /** Sends the GraphiQL page. */
    page(req: IncomingMessage, res: ServerResponse): void {
      sendAsset(req, res, (page ??= renderPage()), REVALIDATE);
    },
    /** Serves /playground/assets/<name>; false when the path is not one. */
    asset(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
      if (!url.pathname.startsWith(PLAYGROUND_ASSET_PREFIX)) return false;
      const load = ASSETS[url.pathname.slice(PLAYGROUND_ASSET_PREFIX.length)];
      if (!load || !Object.hasOwn(ASSETS, url.pathname.slice(PLAYGROUND_ASSET_PREFIX.length))) {
        sendText(res, 404, `No playground asset ${url.pathname}.`);
        return true;
      }
      const asset = load();
      // Only a URL naming this exact content may be cached forever.
      sendAsset(req, res, asset, url.searchParams.get('v') === asset.hash ? IMMUTABLE : REVALIDATE);
      return true;
    },
  };
}
