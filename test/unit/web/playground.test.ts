import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createGatewaySchema } from '../../../src/gatewaySchema.js';
import {
  createPlayground,
  PLAYGROUND_ASSET_PREFIX,
  PLAYGROUND_EXAMPLE_QUERY,
  PLAYGROUND_EXAMPLE_VARIABLES,
} from '../../../src/web/playground.js';
import { IMMUTABLE, REVALIDATE } from '../../../src/web/static.js';
import { fakeRequest, fakeResponse } from '../helpers/http.js';

function page(options: Parameters<typeof createPlayground>[0], headers: Record<string, string> = {}) {
  const { res, written } = fakeResponse();
  createPlayground(options).page(fakeRequest('GET', headers), res);
  return { ...written, text: written.body?.toString() ?? '' };
}

/** The settings the page hands playground.js, parsed from its JSON data block. */
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

  it('escapes "<" in the settings so no value can close the data block, and HTML-escapes the endpoint', () => {
    const { text } = page({ introspection: true, endpoint: '/g</script><b>"x"' });
    expect(text).toContain('"endpoint":"/g\\u003c/script>\\u003cb>\\"x\\""');
    expect(text).toContain('<code>POST /g&lt;/script&gt;&lt;b&gt;&quot;x&quot;</code>');
    expect(settingsOf(text)).toMatchObject({ endpoint: '/g</script><b>"x"' });
  });

  it('is HTML under the content security policy, revalidated, with no inline script', () => {
    const { status, headers, text } = page({ introspection: true });
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['cache-control']).toBe(REVALIDATE);
    expect(headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(text.match(/<script(?![^>]*(src=|type="application\/json"))/g)).toBeNull();
  });

  it('answers 304 to a browser holding the page’s ETag', () => {
    const first = page({ introspection: true });
    const again = page({ introspection: true }, { 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
  });
});

describe('createPlayground().asset', () => {
  const asset = (path: string) => {
    const { res, written } = fakeResponse();
    const handled = createPlayground({ introspection: true }).asset(
      fakeRequest('GET'),
      res,
      new URL(path, 'http://127.0.0.1'),
    );
    return { handled, ...written, text: written.body?.toString() ?? '' };
  };

  it('leaves paths outside its prefix alone', () => {
    expect(PLAYGROUND_ASSET_PREFIX).toBe('/playground/assets/');
    expect(asset('/playground/other.js')).toMatchObject({ handled: false, status: undefined });
  });

  it('serves GraphiQL’s own files with their content type, forever only under their version', () => {
    const plain = asset('/playground/assets/graphiql.min.css');
    expect(plain).toMatchObject({ handled: true, status: 200 });
    expect(plain.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(plain.headers['cache-control']).toBe(REVALIDATE);
    const html = page({ introspection: true }).text;
    const versioned = /\/playground\/assets\/react\.production\.min\.js\?v=[0-9a-f]{12}/.exec(html)![0];
    expect(asset(versioned).headers['cache-control']).toBe(IMMUTABLE);
  });

  it('answers 404 naming an unknown asset, inherited property names included', () => {
    expect(asset('/playground/assets/toString')).toMatchObject({
      handled: true,
      status: 404,
      text: 'No playground asset /playground/assets/toString.',
    });
  });
});
