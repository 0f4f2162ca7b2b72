import { createServer, type Server } from 'node:http';
import type { Config } from '../config.js';
import { logger } from '../logger.js';

/**
 * The gateway's Node HTTP server with `server.*`'s limits: the header deadline, a backstop behind
 * the body deadline, and the connection cap. Requests are routed by whoever listens to its
 * 'request' event (httpRouter.ts).
 */
export function createHttpServer({ headersTimeoutMs, bodyTimeoutMs, maxConnections }: Config['server']): Server {
  const httpServer = createServer({
    headersTimeout: headersTimeoutMs,
    // Node's own cap on receiving a whole request, a backstop behind our body deadline (readBody).
    requestTimeout: headersTimeoutMs + bodyTimeoutMs + 1000,
    // Node checks both timeouts on this period (30 s by default): a second keeps them close to what is configured.
    connectionsCheckingInterval: 1000,
  });
  // Past the cap Node closes each new connection as soon as it is accepted (no answer, no request read).
  httpServer.maxConnections = maxConnections;
  httpServer.on('drop', () => logger.warn('connection refused', { reason: 'server.maxConnections', maxConnections }));
  return httpServer;
}
