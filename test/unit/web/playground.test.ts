import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, validate } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { createGatewaySchema } from '../../../src/gatewaySchema.js';
import {
  createPlayground,
  PLAYGROUND_EXAMPLE_QUERY,
  PLAYGROUND_EXAMPLE_VARIABLES,
} from '../../../src/web/playground.js';
import { GRAPHIQL_CONTENT_SECURITY_POLICY, REVALIDATE } from '../../../src/web/static.js';
import { fakeRequest, fakeResponse } from '../helpers/http.js';

// A Vite build of our own (graphiql.html as Vite writes it), so the page never depends on web/dist.
const dist = mkdtempSync(join(tmpdir(), 'billgraph-graphiql-'));
const BUILT =
  '<!doctype html><html><head><title>billgraph · GraphiQL</title><script type="module" crossorigin src="/dashboard/assets/graphiql-1a2b.js"></script></head><body><div id="graphiql"></div></body></html>';
writeFileSync(join(dist, 'graphiql.html'), BUILT);
const unbuilt = mkdtempSync(join(tmpdir(), 'billgraph-graphiql-none-'));
afterAll(() => {
  rmSync(dist, { recursive: true, force: true });
  rmSync(unbuilt, { recursive: true, force: true });
});

function page(options: Parameters<typeof createPlayground>[0], headers: Record<string, string> = {}) {
  const { res, written } = fakeResponse();
  createPlayground({ dist, ...options }).page(fakeRequest('GET', headers), res);
  return { ...written, text: written.body?.toString() ?? '' };
}

/** The settings the page hands the GraphiQL bundle, parsed from its JSON data block. */
const settingsOf = (html: string): unknown =>
  JSON.parse(/<script type="application\/json" id="billgraph-playground-settings">(.*?)<\/script>/s.exec(html)![1]!);

describe('the example', () => {
  it('is a query the gateway’s schema validates, with variables it can run', () => {
    const errors = validate(createGatewaySchema(), parse(PLAYGROUND_EXAMPLE_QUERY));
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(JSON.parse(PLAYGROUND_EXAMPLE_VARIABLES)).toEqual({
      window: { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z', timeZone: 'UTC' },
    });
  });
});

describe('createPlayground().page', () => {
  it('hands the page its settings: endpoint, introspection, key and the example, defaults filled in', () => {
    expect(settingsOf(page({ introspection: true }).text)).toEqual({
      endpoint: '/graphql',
      introspection: true,
      requiresKey: false,
      query: PLAYGROUND_EXAMPLE_QUERY,
      variables: PLAYGROUND_EXAMPLE_VARIABLES,
    });
    expect(settingsOf(page({ introspection: false, endpoint: '/api', requiresKey: true }).text)).toMatchObject({
      endpoint: '/api',
      introspection: false,
      requiresKey: true,
    });
  });

  it('escapes "<" in the settings so no value can close the data block', () => {
    const { text } = page({ introspection: true, endpoint: '/g</script><b>"x"' });
    expect(text).toContain('"endpoint":"/g\\u003c/script>\\u003cb>\\"x\\""');
    expect(settingsOf(text)).toMatchObject({ endpoint: '/g</script><b>"x"' });
  });

  it('is the Vite-built page with the settings block added at the end of the body', () => {
    const { text } = page({ introspection: true });
    expect(text.startsWith(BUILT.slice(0, BUILT.indexOf('</body>')))).toBe(true);
    expect(text).toMatch(
      /<script type="application\/json" id="billgraph-playground-settings">.*<\/script>\n<\/body><\/html>$/s,
    );
  });

  it('answers 503 saying how to build GraphiQL when web/dist has no graphiql.html, the endpoint HTML-escaped', () => {
    const { status, headers, text } = page({ introspection: true, dist: unbuilt, endpoint: '/g<b>' });
    expect(status).toBe(503);
    expect(headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(text).toContain('npm run build:web');
    expect(text).toContain('<code>POST /g&lt;b&gt;</code>');
  });

  it('is HTML under the content security policy, revalidated, with no inline script', () => {
    const { status, headers, text } = page({ introspection: true });
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['cache-control']).toBe(REVALIDATE);
    expect(headers['content-security-policy']).toBe(GRAPHIQL_CONTENT_SECURITY_POLICY);
    expect(text.match(/<script(?![^>]*(src=|type="application\/json"))/g)).toBeNull();
  });

  it('answers 304 to a browser holding the page’s ETag', () => {
    const first = page({ introspection: true });
    const again = page({ introspection: true }, { 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
  });
});
