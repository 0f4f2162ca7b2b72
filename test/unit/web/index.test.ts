import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWebRoutes } from '../../../src/web/index.js';
import { IMMUTABLE, REVALIDATE } from '../../../src/web/static.js';
import { fakeRequest, fakeResponse } from '../helpers/http.js';

// A dashboard build of our own, so the routes never depend on whether web/dist was built.
const dist = mkdtempSync(join(tmpdir(), 'billgraph-web-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>dashboard</title>');
writeFileSync(
  join(dist, 'graphiql.html'),
  '<!doctype html><html><head><title>billgraph · GraphiQL</title><script type="module" crossorigin src="/dashboard/assets/graphiql-3c4d.js"></script></head><body><div id="graphiql"></div></body></html>',
);
writeFileSync(join(dist, 'assets', 'app-1a2b.js'), 'console.log(1)');
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const routes = createWebRoutes({ introspection: true, dashboardDist: dist });

/** Hands one request to the routes; `handled` false means the API routes get it. */
function browse(method: string, path: string, headers: Record<string, string> = {}, web = routes) {
  const { res, written } = fakeResponse();
  const handled = web.handle(fakeRequest(method, headers), res, new URL(path, 'http://127.0.0.1:4000'));
  return { handled, ...written, text: written.body?.toString() ?? '' };
}

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('createWebRoutes', () => {
  it('serves GraphiQL at / to a browser, revalidated, under the content security policy', () => {
    const page = browse('GET', '/', HTML);
    expect(page.handled).toBe(true);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe(REVALIDATE);
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(page.text).toContain('<title>billgraph · GraphiQL</title>');
  });

  it('serves the Vite-built GraphiQL page (assets under /dashboard/assets/) and tells it its settings', () => {
    const { text } = browse('GET', '/', HTML);
    expect(text).toContain('<script type="module" crossorigin src="/dashboard/assets/graphiql-3c4d.js"></script>');
    expect(text).toContain('"endpoint":"/graphql","introspection":true,"requiresKey":false');
  });

  it('tells GraphiQL to ask for a key when the gateway has tenants, and when introspection is off', () => {
    const web = createWebRoutes({ introspection: false, requiresKey: true, dashboardDist: dist });
    expect(browse('GET', '/', HTML, web).text).toContain('"introspection":false,"requiresKey":true');
  });

  it('serves GraphiQL at / to curl’s */* too, but leaves / to the API for a client asking only for JSON', () => {
    expect(browse('GET', '/', { accept: '*/*' }).handled).toBe(true);
    expect(browse('GET', '/').handled).toBe(true);
    const json = browse('GET', '/', { accept: 'application/json' });
    expect(json.handled).toBe(false);
    expect(json.status).toBeUndefined();
  });

  it('serves GraphiQL at /graphql to a browser opening it without an operation', () => {
    expect(browse('GET', '/graphql', HTML)).toMatchObject({ handled: true, status: 200 });
  });

  it('leaves /graphql to the API for a GET with a query or extensions, or from a non-browser', () => {
    expect(browse('GET', '/graphql?query=%7B__typename%7D', HTML).handled).toBe(false);
    expect(browse('GET', '/graphql?extensions=%7B%7D', HTML).handled).toBe(false);
    expect(browse('GET', '/graphql', { accept: 'application/graphql-response+json' }).handled).toBe(false);
  });

  it('leaves every method but GET and HEAD to the API', () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      expect(browse(method, '/', HTML).handled).toBe(false);
      expect(browse(method, '/dashboard/', HTML).handled).toBe(false);
    }
  });

  it('answers HEAD / with headers only', () => {
    const head = browse('HEAD', '/', HTML);
    expect(head.handled).toBe(true);
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body).toBeUndefined();
  });

  it('has no /playground/assets/ any more: GraphiQL 3’s single-file build is gone', () => {
    expect(browse('GET', '/playground/assets/graphiql.min.js').handled).toBe(false);
  });

  it('redirects /dashboard to /dashboard/ with a 308, keeping the query', () => {
    const redirect = browse('GET', '/dashboard?range=month');
    expect(redirect).toMatchObject({ handled: true, status: 308 });
    expect(redirect.headers.location).toBe('/dashboard/?range=month');
  });

  it('serves the dashboard’s index.html revalidated and its hashed assets forever', () => {
    const index = browse('GET', '/dashboard/');
    expect(index).toMatchObject({ status: 200, text: '<!doctype html><title>dashboard</title>' });
    expect(index.headers['cache-control']).toBe(REVALIDATE);
    const asset = browse('GET', '/dashboard/assets/app-1a2b.js');
    expect(asset).toMatchObject({ status: 200, text: 'console.log(1)' });
    expect(asset.headers['cache-control']).toBe(IMMUTABLE);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('falls back to the app for client-side routes, but answers 404 for a missing asset', () => {
    expect(browse('GET', '/dashboard/accounts/42')).toMatchObject({
      status: 200,
      text: '<!doctype html><title>dashboard</title>',
    });
    expect(browse('GET', '/dashboard/assets/gone.js')).toMatchObject({
      status: 404,
      text: 'No dashboard asset /dashboard/assets/gone.js.',
    });
  });

  it('refuses a path that climbs out of the dashboard folder', () => {
    expect(browse('GET', '/dashboard/..%2Fpackage.json')).toMatchObject({ status: 404, text: 'Not found.' });
    expect(browse('GET', '/dashboard/%2e%2e%2f%2e%2e%2fetc%2fpasswd')).toMatchObject({
      status: 404,
      text: 'Not found.',
    });
  });

  it('answers 400 for a path that does not decode', () => {
    expect(browse('GET', '/dashboard/%E0%A4%A')).toMatchObject({ status: 400, text: 'Malformed path.' });
  });

  it('says how to build the dashboard when it has not been built', () => {
    const web = createWebRoutes({ introspection: true, dashboardDist: join(dist, 'not-built') });
    const page = browse('GET', '/dashboard/', {}, web);
    expect(page.status).toBe(503);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('Run <code>npm run build:web</code>');
  });

  it('leaves every other path to the API', () => {
    expect(browse('GET', '/healthz', HTML).handled).toBe(false);
    expect(browse('GET', '/dashboards', HTML).handled).toBe(false);
  });
});
