import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDashboard, DASHBOARD_DIST, DASHBOARD_PATH } from '../../../src/web/dashboard.js';
import { IMMUTABLE, PROJECT_ROOT, REVALIDATE } from '../../../src/web/static.js';
import { fakeRequest, fakeResponse } from '../helpers/http.js';

// A build of our own, and a sibling folder whose name starts like it (a prefix is not containment).
const root = mkdtempSync(join(tmpdir(), 'billgraph-dashboard-'));
const dist = join(root, 'dist');
mkdirSync(join(dist, 'assets'), { recursive: true });
mkdirSync(join(root, 'dist-secret'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>dashboard</title>');
writeFileSync(join(dist, 'assets', 'app-1a2b.js'), 'console.log(1)');
writeFileSync(join(dist, 'robots.txt'), 'User-agent: *');
writeFileSync(join(root, 'dist-secret', 'key.txt'), 'secret');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function get(path: string, from = dist, headers: Record<string, string> = {}) {
  const { res, written } = fakeResponse();
  const handled = createDashboard(from).handle(fakeRequest('GET', headers), res, new URL(path, 'http://127.0.0.1'));
  return { handled, ...written, text: written.body?.toString() ?? '' };
}

describe('createDashboard', () => {
  it('serves from web/dist of the project by default, at /dashboard', () => {
    expect(DASHBOARD_PATH).toBe('/dashboard');
    expect(DASHBOARD_DIST).toBe(join(PROJECT_ROOT, 'web', 'dist'));
  });

  it('leaves paths outside /dashboard alone', () => {
    for (const path of ['/', '/dashboards', '/dashboard-old/x']) expect(get(path).handled).toBe(false);
  });

  it('redirects /dashboard to /dashboard/ with a 308 and an empty body, keeping the query', () => {
    const redirect = get('/dashboard?tab=1');
    expect(redirect).toMatchObject({ handled: true, status: 308, ended: true });
    expect(redirect.headers).toEqual({ location: '/dashboard/?tab=1', 'content-length': 0 });
  });

  it('serves a top-level file revalidated and a file under assets/ forever', () => {
    const robots = get('/dashboard/robots.txt');
    expect(robots).toMatchObject({ status: 200, text: 'User-agent: *' });
    expect(robots.headers['cache-control']).toBe(REVALIDATE);
    expect(get('/dashboard/assets/app-1a2b.js').headers['cache-control']).toBe(IMMUTABLE);
  });

  it('answers 304 to a browser holding the file’s ETag', () => {
    const first = get('/dashboard/');
    expect(get('/dashboard/', dist, { 'if-none-match': String(first.headers.etag) }).status).toBe(304);
  });

  it('refuses a sibling folder whose name starts like the build folder', () => {
    expect(get('/dashboard/..%2Fdist-secret%2Fkey.txt')).toMatchObject({ status: 404, text: 'Not found.' });
  });

  it('answers the app for an unknown route and 404 for an unknown asset', () => {
    expect(get('/dashboard/settings')).toMatchObject({ status: 200, text: '<!doctype html><title>dashboard</title>' });
    expect(get('/dashboard/assets/nope.js')).toMatchObject({
      status: 404,
      text: 'No dashboard asset /dashboard/assets/nope.js.',
    });
  });

  it('answers 503 saying how to build it when the build is missing, for any path under it', () => {
    for (const path of ['/dashboard/', '/dashboard/assets/app.js']) {
      const missing = get(path, join(root, 'none'));
      expect(missing.status).toBe(503);
      expect(missing.text).toBe(
        '<!doctype html><meta charset="utf-8"><title>billgraph dashboard</title><p>The dashboard has not been built. Run <code>npm run build:web</code> (npm ci does it through the prepare script) and reload.</p>',
      );
    }
  });
});
