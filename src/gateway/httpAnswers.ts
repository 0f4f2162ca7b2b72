/** The answers the HTTP layer writes itself (JSON bodies, GraphQL-shaped errors, refusals that close the connection). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../errors.js';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** A GraphQL-shaped error answer written by the HTTP layer itself. */
export function sendError(res: ServerResponse, status: number, message: string, code: string, requestId: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, requestId } }] });
}

/**
 * Writes an answer with `Connection: close` and destroys the socket once it is flushed, whatever
 * of the request body is still to come (Node would otherwise wait for the body to keep the
 * connection alive).
 */
export function closeWith(req: IncomingMessage, res: ServerResponse, answer: () => void): void {
  res.setHeader('connection', 'close');
  res.once('finish', () => req.socket.destroy());
  answer();
}

/**
 * 401 with the Bearer challenge: no schema detail and no hint of which tenants exist, just how to
 * authenticate. The body is never read: the answer says `Connection: close` and the socket is
 * closed once it is written, so a caller without a key cannot hold a connection by sending slowly.
 */
export function refuseUnauthenticated(
  req: IncomingMessage,
  res: ServerResponse,
  message: string,
  requestId: string,
): void {
  res.setHeader('www-authenticate', 'Bearer realm="billgraph"');
  closeWith(req, res, () => sendError(res, 401, message, ErrorCode.UNAUTHENTICATED, requestId));
}

/** A 401 for a request whose key is missing or unknown, saying which and what to send. */
export function refuseRejectedKey(
  req: IncomingMessage,
  res: ServerResponse,
  reason: 'missing' | 'invalid',
  requestId: string,
): void {
  refuseUnauthenticated(
    req,
    res,
    reason === 'missing'
      ? 'This gateway needs an API key: send "Authorization: Bearer <key>".'
      : 'The API key is not valid: send "Authorization: Bearer <key>" with a key configured for a tenant.',
    requestId,
  );
}
