import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IDLE_SOCKET_MS, RestClient } from '../../../src/providers/http.js';
import {
  TransportError,
  type Transport,
  type TransportOptions,
  type TransportRequest,
  type TransportResponse,
} from '../../../src/providers/transport/transport.js';
import type { UpstreamError } from '../../../src/errors.js';
import { createUndiciTransport } from '../../../src/providers/transport/undiciTransport.js';
import { createRequestScope } from '../../../src/requestScope.js';
import { json, startSimulator, type SimulatorHandle } from '../../../simulators/kit.js';

describe('RestClient against a ping upstream', () => {
  let sim: SimulatorHandle;
  let client: RestClient;
  beforeAll(async () => {
    sim = await startSimulator({ routes: [{ method: 'GET', path: '/ping', handler: () => json(200, { ok: true }) }] });
    client = new RestClient({
      provider: 'CIVITAI',
      displayName: 'Test',
      sourceId: 't',
      baseUrl: sim.url,
      timeoutMs: 2000,
      maxSockets: 2,
    });
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });
  beforeEach(() => sim.resetCounters());

  describe('forRequest', () => {
    it('counts each request view’s upstream calls on its own scope', async () => {
      const a = createRequestScope();
      const b = createRequestScope();
      const viewA = client.forRequest(a);
      const viewB = client.forRequest(b);
      await Promise.all([
        viewA.json({ method: 'GET', path: '/ping', operation: 'ping' }),
        viewA.json({ method: 'GET', path: '/ping', operation: 'ping' }),
      ]);
      await viewB.json({ method: 'GET', path: '/ping', operation: 'ping' });
      expect([a.upstreamCalls, b.upstreamCalls]).toEqual([2, 1]);
      expect(sim.count({ route: '/ping' })).toBe(3);
    });

    it('freezes the view, so state kept across requests cannot fork per request', () => {
      const view = client.forRequest(createRequestScope()) as unknown as Record<string, unknown>;
      expect(Object.isFrozen(view)).toBe(true);
      expect(() => {
        view.forked = 1;
      }).toThrow(TypeError);
    });

    it('gives each request a distinct id unless one is passed in', () => {
      expect(createRequestScope().requestId).not.toBe(createRequestScope().requestId);
      expect(createRequestScope({ requestId: 'abc' }).requestId).toBe('abc');
    });
  });

  describe('under a request deadline', () => {
    it('fails a call past its request deadline with UPSTREAM_TIMEOUT, without calling the upstream or charging the scope', async () => {
      const scope = createRequestScope({ timeoutMs: 0 });
      await expect(
        client.forRequest(scope).json({ method: 'GET', path: '/ping', operation: 'ping' }),
      ).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
      expect(sim.count()).toBe(0);
      expect(scope.upstreamCalls).toBe(0);
    });

    it('shortens an attempt to the time the request has left', async () => {
      sim.injectFault({ fault: { kind: 'timeout' } });
      const started = Date.now();
      const error = await client
        .forRequest(createRequestScope({ timeoutMs: 400 }))
        .json({ method: 'GET', path: '/ping', operation: 'ping' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
      expect((error as Error).message).toMatch(/within the \d+ ms the request had left before its deadline/);
      // The source's own timeout is 2000 ms; the deadline ended the attempt well before.
      expect(Date.now() - started).toBeLessThan(1500);
      expect(sim.count()).toBe(1);
      sim.clearFaults();
    });
  });
});

describe('RestClient keep-alive sockets', () => {
  // The cause of the dashboard test's flaky "Hyperstack failing" banner: free sockets were kept
  // until the server closed them, so a burst sent as the server's idle timer fired met resets
  // on every pooled socket, the one retry included.
  let server: Server;
  let url: string;
  let connections = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    server.keepAliveTimeout = 2000; // announces timeout=2; closes an idle socket after 3 s (Node adds 1 s)
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("closes an idle socket before the server's announced idle timeout, so no call is sent on a socket the server is closing", async () => {
    const client = new RestClient({
      provider: 'CIVITAI',
      displayName: 'Test',
      sourceId: 't',
      baseUrl: url,
      timeoutMs: 2000,
      maxSockets: 4,
    });
    try {
      const burst = () =>
        Promise.all(Array.from({ length: 4 }, () => client.json({ method: 'GET', path: '/', operation: 'ping' })));
      await burst();
      expect(connections).toBe(4);
      await burst(); // reused while fresh
      expect(connections).toBe(4);
      // Past the client's limit (hint 2 s − 1 s), well before the server's close at 3 s: the
      // client has dropped its idle sockets itself and opens new ones.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await burst();
      expect(connections).toBe(8);
    } finally {
      await client.close();
    }
  });

  it(`gives its transport an idle-socket limit of ${IDLE_SOCKET_MS} ms (test/unit/providers/transport shows each transport honours it)`, async () => {
    const seen: TransportOptions[] = [];
    const client = new RestClient({
      provider: 'CIVITAI',
      displayName: 'Test',
      sourceId: 't',
      baseUrl: url,
      timeoutMs: 2000,
      maxSockets: 4,
      createTransport: (options) => {
        seen.push(options);
        return createUndiciTransport(options);
      },
    });
    expect(seen).toEqual([{ baseUrl: url, maxSockets: 4, idleSocketMs: IDLE_SOCKET_MS }]);
    await client.close();
  });
});

describe('RestClient through its transport seam (no sockets)', () => {
  type Step = TransportResponse | TransportError;
  /** A transport that answers from a script and records what was sent. */
  function scripted(steps: Step[]) {
    const sent: TransportRequest[] = [];
    const factory = (): Transport => ({
      send: async (request) => {
        sent.push(request);
        const step = steps.shift();
        if (!step) throw new Error('the script ran out');
        if (step instanceof TransportError) throw step;
        return step;
      },
      sockets: () => ({ busy: 0, free: 0 }),
      close: async () => {},
    });
    return { sent, factory };
  }
  const answer = (status: number, text = '{}', headers: Record<string, string> = {}): TransportResponse => ({
    status,
    text,
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
  });
  const clientOf = (factory: () => Transport, extra: Partial<ConstructorParameters<typeof RestClient>[0]> = {}) =>
    new RestClient({
      provider: 'CIVITAI',
      displayName: 'Test',
      sourceId: 't',
      baseUrl: 'http://upstream.internal:9/api',
      timeoutMs: 2000,
      maxSockets: 4,
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 2,
      createTransport: factory,
      ...extra,
    });
  const failure = async (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: unknown) => error as UpstreamError,
    );

  it('sends the path with its query, the bearer token and the size cap, and parses numbers as their literals', async () => {
    const { sent, factory } = scripted([answer(200, '{"amount": 0.015774193694443002001}')]);
    const client = clientOf(factory, { bearerToken: 'secret', maxResponseBytes: 4096 });
    expect(
      await client.json({ method: 'GET', path: '/usage', query: { from: 1, to: undefined }, operation: 'usage' }),
    ).toEqual({ amount: '0.015774193694443002001' });
    expect(sent).toMatchObject([
      {
        method: 'GET',
        path: '/usage?from=1',
        headers: { authorization: 'Bearer secret', accept: 'application/json' },
        maxResponseBytes: 4096,
      },
    ]);
    await client.close();
  });

  it('retries an idempotent read after 5xx and a reset, up to retryAttempts, and answers with the data', async () => {
    const { sent, factory } = scripted([answer(503), new TransportError('network', 'ECONNRESET'), answer(200, '[1]')]);
    const client = clientOf(factory);
    expect(await client.json({ method: 'GET', path: '/x', operation: 'x' })).toEqual(['1']);
    expect(sent).toHaveLength(3);
    await client.close();
  });

  it('sends a write once: a 503 to a POST is the answer, not a retry', async () => {
    const { sent, factory } = scripted([answer(503)]);
    const client = clientOf(factory);
    const error = await failure(client.json({ method: 'POST', path: '/x', body: { a: 1 }, operation: 'record' }));
    expect(error.extensions.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toBe('{"a":1}');
    await client.close();
  });

  it('maps transport failures to codes whose messages never carry the upstream URL', async () => {
    const cases: [Step, string][] = [
      [new TransportError('timeout', undefined), 'UPSTREAM_TIMEOUT'],
      [new TransportError('too-large', undefined), 'UPSTREAM_BAD_RESPONSE'],
      [answer(200, '{"cut'), 'UPSTREAM_BAD_RESPONSE'],
      [answer(401), 'UPSTREAM_AUTH_FAILED'],
      [answer(404), 'NOT_FOUND'],
    ];
    for (const [step, code] of cases) {
      const { factory } = scripted([step, step, step]);
      const client = clientOf(factory, { retryAttempts: 1 });
      const error = await failure(client.json({ method: 'GET', path: '/x', operation: 'x' }));
      expect(error.extensions.code).toBe(code);
      expect(error.message).not.toContain('upstream.internal');
      await client.close();
    }
  });

  describe('the cause behind a refusal', () => {
    const get = { method: 'GET', path: '/x', operation: 'x' } as const;
    const HALF_OPEN_MS = 60_000;
    const breakerClient = (factory: () => Transport) =>
      clientOf(factory, { retryAttempts: 1, breakerThreshold: 2, breakerHalfOpenAfterMs: HALF_OPEN_MS });

    it('an open breaker’s refusal names the 503s that opened it, their status and when it probes again', async () => {
      const { sent, factory } = scripted([answer(503), answer(503)]);
      const client = breakerClient(factory);
      const direct = await failure(client.json(get));
      // The upstream's own failure, the breaker still closed: no cause, no retry time.
      expect(direct.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 });
      expect(direct.extensions).not.toHaveProperty('causeCode');
      expect(direct.extensions).not.toHaveProperty('retryAt');
      const opening = await failure(client.json(get));
      const before = Date.now();
      const refused = await failure(client.json(get));
      expect(sent).toHaveLength(2);
      // The 503 that opened the breaker already says when the source is called again.
      expect(opening.extensions.retryAt).toBe(refused.extensions.retryAt);
      expect(refused.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        causeCode: 'UPSTREAM_UNAVAILABLE',
        upstreamStatus: 503,
        retryable: true,
        breaker: 'open',
      });
      const retryAt = Date.parse(refused.extensions.retryAt as string);
      expect(retryAt).toBeGreaterThan(before);
      expect(retryAt).toBeLessThanOrEqual(before + HALF_OPEN_MS);
      expect(refused.message).toMatch(
        /^Test source "t" was not called for "x": its circuit breaker opened after repeated failures \(last: HTTP 503, UPSTREAM_UNAVAILABLE\) and retries at \S+Z \(in \d+ s\)\.$/,
      );
      await client.close();
    });

    it('a breaker opened by timeouts names UPSTREAM_TIMEOUT and no status, and every request’s view sees it', async () => {
      const { factory } = scripted([
        new TransportError('timeout', undefined),
        new TransportError('timeout', undefined),
      ]);
      const client = breakerClient(factory);
      await failure(client.forRequest(createRequestScope()).json(get));
      await failure(client.forRequest(createRequestScope()).json(get));
      const refused = await failure(client.forRequest(createRequestScope()).json(get));
      expect(refused.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', causeCode: 'UPSTREAM_TIMEOUT' });
      expect(refused.extensions).not.toHaveProperty('upstreamStatus');
      expect(refused.message).toContain('(last: UPSTREAM_TIMEOUT)');
      await client.close();
    });

    it('a call queued behind the failure that opens the breaker is refused naming that very failure', async () => {
      let answerFirst!: (response: TransportResponse) => void;
      const factory = (): Transport => ({
        send: () => new Promise<TransportResponse>((resolve) => (answerFirst = resolve)),
        sockets: () => ({ busy: 0, free: 0 }),
        close: async () => {},
      });
      const client = clientOf(factory, { retryAttempts: 1, breakerThreshold: 1, maxInFlight: 1 });
      const first = failure(client.json(get));
      const queued = failure(client.json(get));
      await new Promise((resolve) => setImmediate(resolve));
      answerFirst(answer(502));
      expect((await first).extensions).toMatchObject({ upstreamStatus: 502 });
      expect((await queued).extensions).toMatchObject({ causeCode: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 502 });
      await client.close();
    });

    it('a body that breaks its contract, when it opens the breaker, is named as the cause with its status', async () => {
      const { factory } = scripted([answer(200, '{"cut'), answer(200, '{"cut')]);
      const client = breakerClient(factory);
      await failure(client.json(get));
      await failure(client.json(get));
      const refused = await failure(client.json(get));
      expect(refused.extensions).toMatchObject({ causeCode: 'UPSTREAM_BAD_RESPONSE', upstreamStatus: 200 });
      await client.close();
    });

    it('a 429 pause’s refusal names the 429 and when the pause ends; the 429 itself says when too', async () => {
      const { sent, factory } = scripted([answer(429, '{}', { 'retry-after': '30' })]);
      const client = clientOf(factory, { retryAttempts: 1, maxRetryAfterMs: 100 });
      const before = Date.now();
      const limited = await failure(client.json(get));
      expect(limited.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', upstreamStatus: 429, retryAfter: 30 });
      expect(limited.extensions).not.toHaveProperty('causeCode');
      const refused = await failure(client.json(get));
      expect(sent).toHaveLength(1);
      expect(refused.extensions).toMatchObject({
        code: 'UPSTREAM_RATE_LIMITED',
        causeCode: 'UPSTREAM_RATE_LIMITED',
        upstreamStatus: 429,
      });
      const retryAt = Date.parse(refused.extensions.retryAt as string);
      expect(retryAt).toBeGreaterThanOrEqual(before + 30_000);
      expect(retryAt).toBeLessThanOrEqual(Date.now() + 30_000);
      expect(limited.extensions.retryAt).toBe(refused.extensions.retryAt);
      await client.close();
    });
  });

  it('stops at the request’s upstream-call ceiling without calling the transport', async () => {
    const { sent, factory } = scripted([answer(200), answer(200)]);
    const client = clientOf(factory);
    const scope = createRequestScope({ maxUpstreamCalls: 1 });
    const view = client.forRequest(scope);
    await view.json({ method: 'GET', path: '/x', operation: 'x' });
    const error = await failure(view.json({ method: 'GET', path: '/x', operation: 'x' }));
    expect(error.extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect([sent.length, scope.upstreamCalls]).toEqual([1, 1]);
    await client.close();
  });
});
