/**
 * The React dashboard (web/), built by Vite into web/dist (at `npm ci` through `prepare`, or
 * `npm run build:web`) and served at /dashboard: index.html revalidated, hashed assets cached forever.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve, sep } from 'node:path';
import { diskAsset, IMMUTABLE, PROJECT_ROOT, REVALIDATE, sendAsset, sendText } from './static.js';

export const DASHBOARD_PATH = '/dashboard';
export const DASHBOARD_DIST = join(PROJECT_ROOT, 'web', 'dist');

export function createDashboard(dist = DASHBOARD_DIST) {
  const read = diskAsset();
  const root = resolve(dist);
  return {
    /** Serves /dashboard and everything under it; false for other paths. */
    handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
      const { pathname } = url;
      if (pathname !== DASHBOARD_PATH && !pathname.startsWith(`${DASHBOARD_PATH}/`)) return false;
      if (pathname === DASHBOARD_PATH) {
        // Relative asset URLs resolve against the trailing slash.
        res.writeHead(308, { location: `${DASHBOARD_PATH}/${url.search}`, 'content-length': 0 });
        res.end();
        return true;
      }
      let rel: string;
      try {
        rel = decodeURIComponent(pathname.slice(DASHBOARD_PATH.length + 1));
      } catch {
        sendText(res, 400, 'Malformed path.');
        return true;
      }
      const file = rel === '' ? join(root, 'index.html') : resolve(root, rel);
      if (!file.startsWith(root + sep)) {
        sendText(res, 404, 'Not found.');
        return true;
      }
      const asset = read(file);
      if (asset) {
        sendAsset(req, res, asset, rel.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
        return true;
      }
      const index = read(join(root, 'index.html'));
      if (!index) {
        sendText(
          res,
          503,
          '<!doctype html><meta charset="utf-8"><title>billgraph dashboard</title><p>The dashboard has not been built. Run <code>npm run build:web</code> (npm ci does it through the prepare script) and reload.</p>',
          'text/html; charset=utf-8',
        );
        return true;
      }
      if (rel.startsWith('assets/')) {
        sendText(res, 404, `No dashboard asset ${pathname}.`);
        return true;
      }
      // Client-side routes fall back to the app.
      sendAsset(req, res, index, REVALIDATE);
      return true;
    },
  };
}
