/**
 * Static files for the browser front ends (GraphiQL at /, the dashboard at /dashboard): served
 * by billgraph itself from disk — no CDN — with content types, ETags, gzip and cache headers.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Long-lived caching for URLs that change when their content does (hashed names, ?v=hash). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Revalidate every time (HTML pages, unversioned URLs); the ETag makes that a 304. */
export const REVALIDATE = 'no-cache';

/**
 * The strictest policy GraphiQL and the dashboard work under: scripts, styles and requests only
 * from billgraph itself, nothing inline. Fonts and icons GraphiQL embeds as data: URLs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The GraphiQL page's policy: the same, but styles may be inline. GraphiQL 5's editor is Monaco,
 * which renders its lines as HTML with `style="…"` attributes and writes its colour theme into a
 * `<style>` element; it has no nonce support, so without 'unsafe-inline' in style-src the editors
 * do not lay out. Scripts stay 'self' only (no 'unsafe-inline', no 'unsafe-eval'): an injected
 * style can restyle the page but cannot run code or send data anywhere but billgraph
 * (connect-src, img-src and font-src stay 'self'). The dashboard keeps the strict policy.
 */
export const GRAPHIQL_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "style-src 'self'",
  "style-src 'self' 'unsafe-inline'",
);

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

/** The project root: the nearest folder above this module with a package.json (works from src/ and dist/src/). */
export const PROJECT_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
})();

export interface Asset {
  readonly type: string;
  readonly body: Buffer;
  readonly gzip: Buffer | null;
  readonly etag: string;
  /** First 12 hex digits of the content's SHA-256: the `?v=` of versioned URLs. */
  readonly hash: string;
}

export function assetFromBuffer(body: Buffer, type: string): Asset {
  const digest = createHash('sha256').update(body).digest('hex');
  const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && body.length > 1024;
  return {
    type,
    body,
    gzip: compressible ? gzipSync(body, { level: 6 }) : null,
    etag: `"${digest.slice(0, 32)}"`,
    hash: digest.slice(0, 12),
  };
}

/** A file read once, on first use, and kept in memory (with its gzip form). */
export function lazyFileAsset(path: string, type = contentTypeOf(path)): () => Asset {
  let asset: Asset | undefined;
  return () => (asset ??= assetFromBuffer(readFileSync(path), type));
}

/** Reads a file on each call, cached while its size and mtime stay the same (dashboard builds change under a running server). */
export function diskAsset(): (path: string) => Asset | null {
  const cache = new Map<string, { key: string; asset: Asset }>();
  return (path) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return null;
    }
    if (!stat.isFile()) return null;
    const key = `${stat.size}:${stat.mtimeMs}`;
    const hit = cache.get(path);
    if (hit?.key === key) return hit.asset;
    const asset = assetFromBuffer(readFileSync(path), contentTypeOf(path));
    cache.set(path, { key, asset });
    return asset;
  };
}

export function sendAsset(
  req: IncomingMessage,
  res: ServerResponse,
  asset: Asset,
  cacheControl: string,
  extraHeaders: Record<string, string> = {},
): void {
  const headers: Record<string, string | number> = {
    ...SECURITY_HEADERS,
    'content-type': asset.type,
    'cache-control': cacheControl,
    etag: asset.etag,
    vary: 'accept-encoding',
    ...extraHeaders,
  };
  if (asset.type.startsWith('text/html')) headers['content-security-policy'] ??= CONTENT_SECURITY_POLICY;
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim() === asset.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const gzip = asset.gzip && acceptsGzip(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? asset.gzip! : asset.body;
  if (gzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type = 'text/plain; charset=utf-8',
  extraHeaders: Record<string, string> = {},
): void {
  const headers: Record<string, string | number> = {
    ...SECURITY_HEADERS,
    'content-type': type,
    'cache-control': REVALIDATE,
    'content-length': Buffer.byteLength(text),
    ...extraHeaders,
  };
  if (type.startsWith('text/html')) headers['content-security-policy'] ??= CONTENT_SECURITY_POLICY;
  res.writeHead(status, headers);
  res.end(text);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** True when a browser asks for a page: Accept names text/html (curl's and fetch's "*\/*" do not count). */
export function wantsHtml(req: IncomingMessage): boolean {
  return /\btext\/html\b/i.test(String(req.headers.accept ?? ''));
}

/**
 * Whether an Accept-Encoding header admits gzip (RFC 9110 §12.5.3): named, or covered by "*", with a q-value above 0.
 * "gzip;q=0" is a refusal, and an explicit gzip entry wins over "*".
 */
export function acceptsGzip(header: string): boolean {
  let star: boolean | undefined;
  for (const entry of header.split(',')) {
    const [name = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const admitted = q === undefined || Number(q.slice(2)) > 0;
    if (name === 'gzip' || name === 'x-gzip') return admitted;
    if (name === '*') star = admitted;
  }
  return star ?? false;
}
