/**
 * The behaviour every transport (src/providers/transport/) must have, against one misbehaving
 * loopback server: each transport's unit test runs it with its own factory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TransportError,
  type TransportFactory,
  type TransportRequest,
} from '../../../../src/providers/transport/transport.js';

/** A server whose paths each misbehave one way; it announces no Keep-Alive timeout and never closes idle sockets. */
function startServer(): Promise<{ server: Server; url: string; sockets: Set<Socket>; closed: () => number }> {
  const sockets = new Set<Socket>();
  let closed = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      switch (req.url?.split('?')[0]?.replace(/^\/base/, '')) {
        case '/echo':
          res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'yes' });
          res.end(
            JSON.stringify({
              method: req.method,
              url: req.url,
              body,
              auth: req.headers.authorization ?? null,
              n: 0.015774193694443002,
            }),
          );
          return;
        case '/hang':
          return; // never answers
        case '/big':
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(`"${'x'.repeat(4096)}"`);
          return;
        case '/cut':
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"partial":');
          setTimeout(() => res.socket?.destroy(), 20);
          return;
        case '/reset':
          req.socket.destroy();
          return;
        default:
          res.writeHead(404).end();
      }
    });
  });
  // No Keep-Alive hint and no server-side idle close: only the client can end an idle socket.
  server.keepAliveTimeout = 0;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      closed++;
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`,
        sockets,
        closed: () => closed,
      }),
    ),
  );
}

const get = (path: string, extra: Partial<TransportRequest> = {}): TransportRequest => ({
  method: 'GET',
  path,
  headers: { accept: 'application/json' },
  body: undefined,
  timeoutMs: 2000,
  maxResponseBytes: 1 << 20,
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

/** The shared tests, as `describe('the <name> transport')`. */
export const describeTransport = (name: string, create: TransportFactory) =>
  describe(`the ${name} transport`, () => {
    let env: Awaited<ReturnType<typeof startServer>>;
    beforeAll(async () => {
      env = await startServer();
    });
    afterAll(async () => {
      env.server.closeAllConnections();
      await new Promise((resolve) => env.server.close(resolve));
    });

    it('sends method, path below the base URL, headers and body, and returns status, headers and the exact text', async () => {
      const transport = create({ baseUrl: env.url, maxSockets: 2, idleSocketMs: 4000 });
      try {
        const response = await transport.send({
          ...get('/echo?x=1'),
          method: 'POST',
          headers: { authorization: 'Bearer t', 'content-type': 'text/plain' },
          body: 'hello',
        });
        expect(response.status).toBe(201);
        expect(response.headers.get('X-Upstream')).toBe('yes');
        expect(response.headers.get('x-missing')).toBeNull();
        expect(JSON.parse(response.text)).toMatchObject({
          method: 'POST',
          url: '/base/echo?x=1',
          body: 'hello',
          auth: 'Bearer t',
        });
      } finally {
        await transport.close();
      }
    });

    it('fails as a timeout when no answer comes within timeoutMs, and frees the socket', async () => {
      const transport = create({ baseUrl: env.url, maxSockets: 1, idleSocketMs: 4000 });
      try {
        const started = Date.now();
        expect((await failure(transport.send(get('/hang', { timeoutMs: 150 })))).kind).toBe('timeout');
        expect(Date.now() - started).toBeLessThan(1500);
        // The only socket was given up: the next call is answered, not stuck behind the hung one.
        expect((await transport.send(get('/echo'))).status).toBe(201);
      } finally {
        await transport.close();
      }
    });

    it('fails as too-large past maxResponseBytes', async () => {
      const transport = create({ baseUrl: env.url, maxSockets: 1, idleSocketMs: 4000 });
      try {
        expect((await failure(transport.send(get('/big', { maxResponseBytes: 1024 })))).kind).toBe('too-large');
        expect((await transport.send(get('/big', { maxResponseBytes: 8192 }))).text).toHaveLength(4098);
      } finally {
        await transport.close();
      }
    });

    it('fails as closed-mid-answer when the connection ends inside the announced body', async () => {
      const transport = create({ baseUrl: env.url, maxSockets: 1, idleSocketMs: 4000 });
      try {
        expect((await failure(transport.send(get('/cut')))).kind).toBe('closed-mid-answer');
      } finally {
        await transport.close();
      }
    });

    it('fails as a network error with the system code for a reset before any answer and for a refused connection', async () => {
      const transport = create({ baseUrl: env.url, maxSockets: 1, idleSocketMs: 4000 });
      const refused = create({ baseUrl: 'http://127.0.0.1:1', maxSockets: 1, idleSocketMs: 4000 });
      try {
        const reset = await failure(transport.send(get('/reset')));
        expect([reset.kind, reset.code]).toEqual(['network', 'ECONNRESET']);
        const nobody = await failure(refused.send(get('/echo')));
        expect([nobody.kind, nobody.code]).toEqual(['network', 'ECONNREFUSED']);
      } finally {
        await transport.close();
        await refused.close();
      }
    });

    it('reuses keep-alive sockets and closes idle ones itself after idleSocketMs, even when the server announces nothing', async () => {
      const transport = create({ baseUrl: env.url, maxSockets: 3, idleSocketMs: 300 });
      try {
        const before = env.closed();
        await Promise.all([1, 2, 3].map(() => transport.send(get('/echo'))));
        // A socket goes back to the pool once the parser has finished with it, a tick after the answer.
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(transport.sockets()).toEqual({ busy: 0, free: 3 });
        await Promise.all([1, 2, 3].map(() => transport.send(get('/echo'))));
        expect(env.closed() - before).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 800));
        expect(env.closed() - before).toBe(3);
        expect(transport.sockets()).toEqual({ busy: 0, free: 0 });
      } finally {
        await transport.close();
      }
    });

    it('refuses a header value Node will not write as invalid-request, before anything is sent', async () => {
      const transport = create({ baseUrl: env.url, maxSockets: 1, idleSocketMs: 4000 });
      try {
        expect((await failure(transport.send(get('/echo', { headers: { 'x-bad': 'a\nb' } })))).kind).toBe(
          'invalid-request',
        );
      } finally {
        await transport.close();
      }
    });
  });
