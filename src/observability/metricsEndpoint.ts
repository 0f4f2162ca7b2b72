import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { logger } from '../logger.js';
import type { GatewayMetrics } from './metrics.js';
import { listen } from '../lib/listen.js';

/** Answers a scrape: GET (or HEAD) only, never cached by a proxy. */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: GatewayMetrics): Promise<void> {
  req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end('Metrics are read with GET.\n');
    return;
  }
  const text = await metrics.scrape();
  res.writeHead(200, {
    'content-type': metrics.contentType,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/**
 * The metrics alone on their own port (metrics.port), for a scraper on a private network: no
 * GraphQL, no key. Everything else there is a 404.
 */
export async function listenMetrics(
  metrics: GatewayMetrics,
  path: string,
  port: number,
  host: string,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) {
      req.resume();
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Metrics are served at ${path}.\n`);
      return;
    }
    serveMetrics(req, res, metrics).catch((error: unknown) => {
      logger.error('metrics scrape failed', { error });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  return { server, url: `${await listen(server, port, host)}${path}` };
}
