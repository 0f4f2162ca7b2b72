import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  acceptsGzip,
  assetFromBuffer,
  CONTENT_SECURITY_POLICY,
  contentTypeOf,
  GRAPHIQL_CONTENT_SECURITY_POLICY,
  diskAsset,
  escapeHtml,
  IMMUTABLE,
  lazyFileAsset,
  PROJECT_ROOT,
  REVALIDATE,
  sendAsset,
  sendText,
  wantsHtml,
} from '../../../src/web/static.js';
import { fakeRequest, fakeResponse } from '../helpers/http.js';

const dir = mkdtempSync(join(tmpdir(), 'billgraph-static-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (body: Buffer | string) => createHash('sha256').update(body).digest('hex');
const BIG_TEXT = Buffer.from('billgraph '.repeat(200)); // 2000 bytes, compressible
const SECURITY = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

describe('contentTypeOf', () => {
  it('knows the front ends’ file types, case-insensitively', () => {
    expect(contentTypeOf('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('assets/app-3f2a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('x.mjs')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('graphiql.min.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('graphiql.min.js.map')).toBe('application/json; charset=utf-8');
    expect(contentTypeOf('logo.svg')).toBe('image/svg+xml');
    expect(contentTypeOf('font.woff2')).toBe('font/woff2');
  });

  it('falls back to application/octet-stream for anything else', () => {
    expect(contentTypeOf('archive.tar.gz')).toBe('application/octet-stream');
    expect(contentTypeOf('README')).toBe('application/octet-stream');
  });
});

describe('cache policies', () => {
  it('caches versioned URLs for a year and revalidates the rest', () => {
    expect(IMMUTABLE).toBe('public, max-age=31536000, immutable');
    expect(REVALIDATE).toBe('no-cache');
  });

  it('allows nothing inline and nothing from elsewhere', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  });

  it('lets only GraphiQL’s page (Monaco) have inline styles, nothing else', () => {
    expect(GRAPHIQL_CONTENT_SECURITY_POLICY).toBe(
      CONTENT_SECURITY_POLICY.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';"),
    );
    expect(GRAPHIQL_CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(GRAPHIQL_CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
  });
});

describe('PROJECT_ROOT', () => {
  it('is the folder holding package.json', () => {
    expect(existsSync(join(PROJECT_ROOT, 'package.json'))).toBe(true);
    expect(existsSync(join(PROJECT_ROOT, 'src', 'web', 'static.ts'))).toBe(true);
  });
});

describe('assetFromBuffer', () => {
  it('tags the content with its SHA-256: 32 hex digits quoted as the ETag, 12 as the hash', () => {
    const asset = assetFromBuffer(BIG_TEXT, 'text/plain; charset=utf-8');
    expect(asset.etag).toBe(`"${sha256(BIG_TEXT).slice(0, 32)}"`);
    expect(asset.hash).toBe(sha256(BIG_TEXT).slice(0, 12));
    expect(asset.body).toBe(BIG_TEXT);
    expect(asset.type).toBe('text/plain; charset=utf-8');
  });

  it('keeps a gzip form of text, JSON and SVG over 1 KiB, which gunzips to the body', () => {
    for (const type of ['text/html; charset=utf-8', 'application/json; charset=utf-8', 'image/svg+xml']) {
      const asset = assetFromBuffer(BIG_TEXT, type);
      expect(gunzipSync(asset.gzip!).equals(BIG_TEXT)).toBe(true);
    }
  });

  it('keeps no gzip form of small files or of types already compressed', () => {
    expect(assetFromBuffer(Buffer.from('x'.repeat(1024)), 'text/css; charset=utf-8').gzip).toBeNull();
    expect(assetFromBuffer(BIG_TEXT, 'image/png').gzip).toBeNull();
    expect(assetFromBuffer(BIG_TEXT, 'font/woff2').gzip).toBeNull();
  });
});

describe('lazyFileAsset', () => {
  it('reads the file on first use only, with the type of its extension', () => {
    const path = join(dir, 'lazy.css');
    writeFileSync(path, 'a{}');
    const asset = lazyFileAsset(path);
    const first = asset();
    writeFileSync(path, 'b{color:red}');
    expect(asset()).toBe(first);
    expect(first.body.toString()).toBe('a{}');
    expect(first.type).toBe('text/css; charset=utf-8');
  });

  it('does not touch the disk until used', () => {
    expect(() => lazyFileAsset(join(dir, 'missing.js'))).not.toThrow();
    expect(() => lazyFileAsset(join(dir, 'missing.js'))()).toThrow(/ENOENT/);
  });
});

describe('diskAsset', () => {
  it('is null for a missing file or a folder', () => {
    const read = diskAsset();
    expect(read(join(dir, 'nothing.html'))).toBeNull();
    mkdirSync(join(dir, 'folder'), { recursive: true });
    expect(read(join(dir, 'folder'))).toBeNull();
  });

  it('serves the cached asset while size and mtime stay, and rereads when they change', () => {
    const path = join(dir, 'index.html');
    writeFileSync(path, '<p>one</p>');
    utimesSync(path, 1_000, 1_000);
    const read = diskAsset();
    const first = read(path)!;
    expect(first.body.toString()).toBe('<p>one</p>');
    expect(first.type).toBe('text/html; charset=utf-8');
    expect(read(path)).toBe(first);
    writeFileSync(path, '<p>two!</p>');
    utimesSync(path, 2_000, 2_000);
    expect(read(path)!.body.toString()).toBe('<p>two!</p>');
  });
});

describe('sendAsset', () => {
  const asset = assetFromBuffer(BIG_TEXT, 'text/javascript; charset=utf-8');

  it('sends the body with its type, cache policy, ETag, length and security headers', () => {
    const { res, written } = fakeResponse();
    sendAsset(fakeRequest('GET'), res, asset, IMMUTABLE);
    expect(written.status).toBe(200);
    expect(written.headers).toEqual({
      ...SECURITY,
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': IMMUTABLE,
      etag: asset.etag,
      vary: 'accept-encoding',
      'content-length': 2000,
    });
    expect(written.body!.equals(BIG_TEXT)).toBe(true);
  });

  it('adds the content security policy to HTML only', () => {
    const page = assetFromBuffer(Buffer.from('<!doctype html>'), 'text/html; charset=utf-8');
    const html = fakeResponse();
    sendAsset(fakeRequest('GET'), html.res, page, REVALIDATE);
    expect(html.written.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const js = fakeResponse();
    sendAsset(fakeRequest('GET'), js.res, asset, REVALIDATE);
    expect(js.written.headers['content-security-policy']).toBeUndefined();
    // A page may bring its own policy (GraphiQL's).
    const own = fakeResponse();
    sendAsset(fakeRequest('GET'), own.res, page, REVALIDATE, {
      'content-security-policy': GRAPHIQL_CONTENT_SECURITY_POLICY,
    });
    expect(own.written.headers['content-security-policy']).toBe(GRAPHIQL_CONTENT_SECURITY_POLICY);
  });

  it('sends the gzip form to a client that accepts gzip', () => {
    const { res, written } = fakeResponse();
    sendAsset(fakeRequest('GET', { 'accept-encoding': 'br, gzip;q=0.8' }), res, asset, REVALIDATE);
    expect(written.headers['content-encoding']).toBe('gzip');
    expect(written.headers['content-length']).toBe(asset.gzip!.length);
    expect(gunzipSync(written.body!).equals(BIG_TEXT)).toBe(true);
  });

  it('sends the plain body to a client that accepts only other encodings', () => {
    const { res, written } = fakeResponse();
    sendAsset(fakeRequest('GET', { 'accept-encoding': 'br, deflate, xgzip' }), res, asset, REVALIDATE);
    expect(written.headers['content-encoding']).toBeUndefined();
    expect(written.body!.equals(BIG_TEXT)).toBe(true);
  });

  it('sends the plain body to a client that refuses gzip with q=0, even beside "*"', () => {
    const { res, written } = fakeResponse();
    sendAsset(fakeRequest('GET', { 'accept-encoding': 'gzip;q=0, *' }), res, asset, REVALIDATE);
    expect(written.headers['content-encoding']).toBeUndefined();
    expect(written.body!.equals(BIG_TEXT)).toBe(true);
  });

  it('reads Accept-Encoding by its q-values: gzip named or under "*", and not refused', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('GZIP;Q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('gzip;q=0.000, br')).toBe(false);
    expect(acceptsGzip('*;q=0')).toBe(false);
    expect(acceptsGzip('br, xgzip')).toBe(false);
    expect(acceptsGzip('')).toBe(false);
  });

  it('answers 304 without a body when If-None-Match names the ETag, among others', () => {
    const { res, written } = fakeResponse();
    sendAsset(fakeRequest('GET', { 'if-none-match': `"old", ${asset.etag}` }), res, asset, REVALIDATE);
    expect(written.status).toBe(304);
    expect(written.headers.etag).toBe(asset.etag);
    expect(written.headers['content-length']).toBeUndefined();
    expect(written.body).toBeUndefined();
    expect(written.ended).toBe(true);
  });

  it('sends the body when If-None-Match names another ETag', () => {
    const { res, written } = fakeResponse();
    sendAsset(fakeRequest('GET', { 'if-none-match': '"0000"' }), res, asset, REVALIDATE);
    expect(written.status).toBe(200);
  });

  it('answers HEAD with the headers and length of the body but no body', () => {
    const { res, written } = fakeResponse();
    sendAsset(fakeRequest('HEAD'), res, asset, REVALIDATE);
    expect(written.status).toBe(200);
    expect(written.headers['content-length']).toBe(2000);
    expect(written.body).toBeUndefined();
    expect(written.ended).toBe(true);
  });

  it('lets extra headers override its own', () => {
    const { res, written } = fakeResponse();
    sendAsset(fakeRequest('GET'), res, asset, REVALIDATE, { 'x-frame-options': 'DENY', vary: 'cookie' });
    expect(written.headers['x-frame-options']).toBe('DENY');
    expect(written.headers.vary).toBe('cookie');
  });
});

describe('sendText', () => {
  it('sends plain text, revalidated, its length in bytes', () => {
    const { res, written } = fakeResponse();
    sendText(res, 404, 'Not found: café.');
    expect(written.status).toBe(404);
    expect(written.headers).toEqual({
      ...SECURITY,
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-cache',
      'content-length': 17,
    });
    expect(written.body!.toString()).toBe('Not found: café.');
  });

  it('adds the content security policy when the text is HTML', () => {
    const { res, written } = fakeResponse();
    sendText(res, 503, '<p>later</p>', 'text/html; charset=utf-8', { 'retry-after': '5' });
    expect(written.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(written.headers['retry-after']).toBe('5');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in HTML text and attributes', () => {
    expect(escapeHtml(`<a href="x?a=1&b='2'">`)).toBe('&lt;a href=&quot;x?a=1&amp;b=&#39;2&#39;&quot;&gt;');
  });

  it('leaves other text as it is', () => {
    expect(escapeHtml('billgraph · GraphiQL')).toBe('billgraph · GraphiQL');
  });
});

describe('wantsHtml', () => {
  it('is true when Accept names text/html, in any case', () => {
    expect(wantsHtml(fakeRequest('GET', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }))).toBe(true);
    expect(wantsHtml(fakeRequest('GET', { accept: 'TEXT/HTML' }))).toBe(true);
  });

  it('is false for curl’s and fetch’s */*, for JSON, and without Accept', () => {
    expect(wantsHtml(fakeRequest('GET', { accept: '*/*' }))).toBe(false);
    expect(wantsHtml(fakeRequest('GET', { accept: 'application/json' }))).toBe(false);
    expect(wantsHtml(fakeRequest('GET'))).toBe(false);
  });
});
