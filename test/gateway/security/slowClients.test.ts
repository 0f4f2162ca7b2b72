/**
 * The HTTP edge against clients that send slowly, never finish, connect too often or go away:
 * every case over a real socket (node:net), so what is measured is what a hostile client gets.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configureLogging } from '../../../src/logger.js';
import { keySha256 } from '../../../src/security/tenantAuth.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { parseMetrics, sum } from '../../helpers/prometheus.js';

const KEY = 'slow-clients-key-0123456789';
/** Generous: a loaded machine answers later, never earlier. */
const MARGIN_MS = 3000;
const BODY = JSON.stringify({ query: '{ sources { id } }' });

/** A socket to the gateway, with everything it receives and when it closed. */
async function open(url: string): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  // A reset is a close too; what matters is when and what arrived before it. (events.once would
  // reject on the 'error' of a reset: a drip byte sent after the server closed draws one, after
  // its answer and FIN have arrived.)
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
  await once(socket, 'connect');
  return { socket, received: () => Buffer.concat(chunks).toString('utf8'), closed };
}

const head = (contentLength: number, extra = '') =>
  `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n${extra}\r\n`;

const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a request body sent one byte at a time', () => {
  let h: Harness;
  const BODY_TIMEOUT_MS = 1000;
  beforeAll(async () => {
    h = await startHarness({ config: { server: { bodyTimeoutMs: BODY_TIMEOUT_MS } } });
  });
  afterAll(async () => h?.close());

  it('is cut at server.bodyTimeoutMs with a 408 and a closed connection', async () => {
    const { socket, received, closed } = await open(h.url);
    const started = Date.now();
    socket.write(head(1000));
    const drip = setInterval(() => socket.writable && socket.write('{'), 100);
    try {
      const at = await closed;
      // Without the deadline Node held this socket for 300 s (its requestTimeout).
      expect(at - started).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 50);
      expect(at - started).toBeLessThan(BODY_TIMEOUT_MS + MARGIN_MS);
    } finally {
      clearInterval(drip);
    }
    const text = received();
    expect(statusOf(text)).toBe(408);
    expect(text).toMatch(/\r\nconnection: close\r\n/i);
    expect(text).toContain('"code":"BAD_REQUEST"');
    expect(text).toContain('server.bodyTimeoutMs');
    expect(h.g8.count()).toBe(0);
  });

  it('still answers a body that arrives in time', async () => {
    const { socket, received, closed } = await open(h.url);
    socket.write(head(Buffer.byteLength(BODY), 'Connection: close\r\n'));
    socket.write(BODY.slice(0, 5));
    setTimeout(() => socket.write(BODY.slice(5)), 100);
    await closed;
    expect(statusOf(received())).toBe(200);
    expect(received()).toContain('{"data":{"sources":[{"id":"g8"}]}}');
  });
});

describe('request headers sent one line at a time', () => {
  let h: Harness;
  const HEADERS_TIMEOUT_MS = 1000;
  beforeAll(async () => {
    h = await startHarness({ config: { server: { headersTimeoutMs: HEADERS_TIMEOUT_MS } } });
  });
  afterAll(async () => h?.close());

  it('are cut at server.headersTimeoutMs (Node checks once a second) with the connection closed', async () => {
    const { socket, received, closed } = await open(h.url);
    const started = Date.now();
    socket.write('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    let n = 0;
    const drip = setInterval(() => socket.writable && socket.write(`X-Drip-${n++}: 1\r\n`), 100);
    try {
      const at = await closed;
      // Node's own default would have waited 60 s, checked every 30 s.
      expect(at - started).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
      expect(at - started).toBeLessThan(HEADERS_TIMEOUT_MS + 1000 + MARGIN_MS);
    } finally {
      clearInterval(drip);
    }
    expect(statusOf(received())).toBe(408);
    expect(h.g8.count()).toBe(0);
  });
});

describe('a request without a valid key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      config: {
        // A body deadline far past the test's bound: the 401 must not depend on it.
        server: { bodyTimeoutMs: 60_000 },
        tenants: [{ name: 'ops', keySha256: keySha256(KEY), sources: ['g8'] }],
      },
    });
  });
  afterAll(async () => h?.close());

  it('is answered 401 and closed without waiting for its body', async () => {
    for (const auth of ['', 'Authorization: Bearer wrong-key\r\n']) {
      const { socket, received, closed } = await open(h.url);
      const started = Date.now();
      // Announces 100 kB and sends none of it.
      socket.write(head(100_000, auth));
      const at = await closed;
      expect(at - started).toBeLessThan(MARGIN_MS);
      const text = received();
      expect(statusOf(text)).toBe(401);
      expect(text).toMatch(/\r\nconnection: close\r\n/i);
      expect(text).toContain('"code":"UNAUTHENTICATED"');
    }
  });

  it('does not hold a valid key to the 401 rule: a keyed request still waits for its body', async () => {
    const { socket, received, closed } = await open(h.url);
    socket.write(head(Buffer.byteLength(BODY), `Authorization: Bearer ${KEY}\r\nConnection: close\r\n`));
    setTimeout(() => socket.write(BODY), 100);
    await closed;
    expect(statusOf(received())).toBe(200);
  });
});

describe('connections past server.maxConnections', () => {
  let h: Harness;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    h = await startHarness({ config: { server: { maxConnections: 2 } } });
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.destroy();
  });
  afterAll(async () => h?.close());

  const connections = () =>
    new Promise<number>((resolve, reject) =>
      h.gateway.httpServer.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );
  const GET = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

  it('are closed without an answer, and a freed place is taken again', async () => {
    const held = [await open(h.url), await open(h.url)];
    for (const c of held) {
      sockets.push(c.socket);
      c.socket.write(GET);
      await until(() => statusOf(c.received()) === 200, 'a keep-alive answer');
    }
    expect(await connections()).toBe(2);

    const third = await open(h.url);
    sockets.push(third.socket);
    third.socket.write(GET);
    await third.closed;
    expect(third.received()).toBe('');

    held[0]!.socket.destroy();
    await until(async () => (await connections()) < 2, 'the freed connection');
    const fourth = await open(h.url);
    sockets.push(fourth.socket);
    fourth.socket.write(GET);
    await until(() => statusOf(fourth.received()) === 200, 'an answer on the freed place');
  });
});

describe('a client that goes away mid-body', () => {
  let h: Harness;
  const lines: { level: string; message: string; [key: string]: unknown }[] = [];
  let restore: () => void;
  beforeAll(async () => {
    restore = configureLogging({
      level: 'debug',
      maxPerSecond: 0,
      destination: { write: (s: string) => void lines.push(JSON.parse(s)) },
    });
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
    restore?.();
  });

  it('is logged at info as a closed request, never as an error, and is no INTERNAL_SERVER_ERROR in the metrics', async () => {
    const { socket, closed } = await open(h.url);
    const handled = once(h.gateway.httpServer, 'request');
    socket.write(head(1000) + '{"query":');
    await handled;
    socket.destroy();
    await closed;
    await until(() => lines.some((l) => l.message === 'graphql request'), 'the access line');

    const access = lines.filter((l) => l.message === 'graphql request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ level: 'info', status: 499, clientClosed: true, errorCodes: [] });
    expect(lines.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
    expect(JSON.stringify(lines)).not.toMatch(/stack|ECONNRESET/);

    const samples = parseMetrics(await (await fetch(h.gateway.metricsUrl()!)).text());
    expect(sum(samples, 'billgraph_graphql_errors_total', { code: 'INTERNAL_SERVER_ERROR' })).toBe(0);
    expect(
      sum(samples, 'billgraph_graphql_request_duration_seconds_count', { operation: 'anonymous', outcome: 'aborted' }),
    ).toBe(1);
    // The gateway is fine afterwards.
    expect((await h.query('{ sources { id } }')).body.data).toEqual({ sources: [{ id: 'g8' }] });
  });
});
