import { get as httpGet } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_HUGE_BODY_BYTES,
  DEFAULT_MALFORMED_BODY,
  json,
  startSimulator,
  UNMATCHED_ROUTE,
  type RouteDef,
  type SimulatorHandle,
} from '../../simulators/kit.js';

let sideEffects = 0;

const routes: RouteDef[] = [
  {
    name: 'usage',
    method: ['GET', 'POST'],
    path: '/1.0/kb/usages/:subscriptionId/:unitType',
    handler: (req) =>
      json(200, {
        method: req.method,
        params: req.params,
        query: req.query,
        form: req.form,
        json: req.json,
        rawBody: req.rawBody,
        args: req.args,
      }),
  },
  {
    method: 'POST',
    path: '/side-effect',
    handler: () => {
      sideEffects += 1;
      return { status: 201, body: { sideEffects } };
    },
  },
  { method: 'GET', path: '/text', handler: () => ({ status: 200, body: 'plain words' }) },
  { method: 'GET', path: '/bytes', handler: () => ({ status: 200, body: Buffer.from([1, 2, 3]) }) },
  {
    method: 'GET',
    path: '/custom',
    handler: () => ({ status: 202, headers: { 'Content-Type': 'application/xml', 'X-Extra': 'yes' }, body: '<ok/>' }),
  },
  {
    method: 'GET',
    path: '/boom',
    handler: () => {
      throw new Error('kaput');
    },
  },
];

let sim: SimulatorHandle;

beforeAll(async () => {
  sim = await startSimulator({ routes });
});

afterAll(async () => {
  await sim.close();
});

afterEach(() => {
  sim.clearFaults();
  sim.setLatency(0);
  sim.resetCounters();
});

const get = (path: string, init?: RequestInit) => fetch(`${sim.url}${path}`, init);

interface Echo {
  method: string;
  params: Record<string, string>;
  query: Record<string, string>;
  form: Record<string, string>;
  json: unknown;
  rawBody: string;
  args: Record<string, string>;
}
interface ControlLog {
  total: number;
  counts: Record<string, number>;
  requests: { route: string }[];
}
const echo = async (res: Response) => (await res.json()) as Echo;
const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

describe('simulator kit routing', () => {
  it('listens on a free loopback port', () => {
    expect(sim.port).toBeGreaterThan(0);
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
  });

  it('passes decoded path params and the query string to the handler', async () => {
    const res = await get('/1.0/kb/usages/sub%201/api-calls?startDate=2026-01-01&x=1&x=2');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await echo(res);
    expect(body.params).toEqual({ subscriptionId: 'sub 1', unitType: 'api-calls' });
    expect(body.query).toEqual({ startDate: '2026-01-01', x: '2' });
    expect(body.args).toEqual({ subscriptionId: 'sub 1', unitType: 'api-calls', startDate: '2026-01-01', x: '2' });
  });

  it('parses a form-encoded body and keeps the raw text', async () => {
    const res = await get('/1.0/kb/usages/a/b', {
      method: 'POST',
      body: new URLSearchParams({ start: '10', end: '20' }),
    });
    const body = await echo(res);
    expect(body.form).toEqual({ start: '10', end: '20' });
    expect(body.rawBody).toBe('start=10&end=20');
    expect(body.json).toBeUndefined();
  });

  it('parses a JSON body and exposes its scalar fields as form', async () => {
    const res = await get('/1.0/kb/usages/a/b', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ trackingId: 't-1', amount: 5, nested: { no: true } }),
    });
    const body = await echo(res);
    expect(body.json).toEqual({ trackingId: 't-1', amount: 5, nested: { no: true } });
    expect(body.form).toEqual({ trackingId: 't-1', amount: '5' });
  });

  it('answers 404 for an unknown path and records it as unmatched', async () => {
    const res = await get('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'No route matches "GET /nope".' });
    expect(sim.count({ route: UNMATCHED_ROUTE })).toBe(1);
  });

  it('answers 405 with Allow for a known path and the wrong method', async () => {
    const res = await get('/side-effect');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(sim.count({ route: '/side-effect', method: 'GET' })).toBe(1);
    expect(sideEffects).toBe(0);
  });

  it('sends strings as text, Buffers as bytes, and honours handler headers', async () => {
    const text = await get('/text');
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await text.text()).toBe('plain words');
    const bytes = await get('/bytes');
    expect(bytes.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await bytes.arrayBuffer())]).toEqual([1, 2, 3]);
    const custom = await get('/custom');
    expect(custom.status).toBe(202);
    expect(custom.headers.get('content-type')).toBe('application/xml');
    expect(custom.headers.get('x-extra')).toBe('yes');
  });

  it('turns a throwing handler into a 500', async () => {
    const res = await get('/boom');
    expect(res.status).toBe(500);
    expect(await errorOf(res)).toContain('kaput');
  });
});

describe('simulator kit request log', () => {
  it('records every request with route, method, path, args, headers and time', async () => {
    const before = Date.now();
    await get('/1.0/kb/usages/s1/u1?accountId=7', { headers: { 'X-Killbill-ApiKey': 'bob' } });
    await get('/side-effect', { method: 'POST' });
    expect(sim.requests).toHaveLength(2);
    const [first] = sim.requests;
    expect(first).toMatchObject({
      method: 'GET',
      route: 'usage',
      path: '/1.0/kb/usages/s1/u1',
      params: { subscriptionId: 's1', unitType: 'u1' },
      query: { accountId: '7' },
    });
    expect(first!.headers['x-killbill-apikey']).toBe('bob');
    expect(first!.at).toBeGreaterThanOrEqual(before);
  });

  it('counts by route, method and predicate, and resets', async () => {
    await get('/1.0/kb/usages/s1/u1?accountId=1');
    await get('/1.0/kb/usages/s1/u1?accountId=2');
    await get('/1.0/kb/usages/s2/u1', { method: 'POST' });
    await get('/side-effect', { method: 'POST' });
    expect(sim.count()).toBe(4);
    expect(sim.count({ route: 'usage' })).toBe(3);
    expect(sim.count({ route: 'usage', method: 'post' })).toBe(1);
    expect(sim.count({ route: 'usage', where: (r) => r.args.accountId === '2' })).toBe(1);
    sim.resetCounters();
    expect(sim.count()).toBe(0);
    expect(sim.requests).toEqual([]);
  });
});

describe('simulator kit latency', () => {
  it('delays every response by setLatency milliseconds', async () => {
    sim.setLatency(150);
    const t0 = performance.now();
    const res = await get('/text');
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('takes an initial latency option', async () => {
    const slow = await startSimulator({ routes, latencyMs: 120 });
    try {
      const t0 = performance.now();
      await fetch(`${slow.url}/text`);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
    } finally {
      await slow.close();
    }
  });

  it('rejects a negative latency', () => {
    expect(() => sim.setLatency(-1)).toThrow(RangeError);
  });
});

describe('simulator kit faults', () => {
  it('answers a status fault with its body, content type and headers, and still counts it', async () => {
    sim.injectFault({
      route: 'usage',
      fault: {
        kind: 'status',
        status: 503,
        body: 'down for upgrade',
        contentType: 'text/html',
        headers: { 'x-why': 'upgrade' },
      },
    });
    const res = await get('/1.0/kb/usages/a/b');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.headers.get('x-why')).toBe('upgrade');
    expect(await res.text()).toBe('down for upgrade');
    expect(sim.count({ route: 'usage' })).toBe(1);
  });

  it('renders a status fault without a body through the upstream error format', async () => {
    sim.injectFault({ fault: { kind: 'status', status: 500 } });
    const res = await get('/text');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'Simulated HTTP 500.' });
  });

  it('answers a rateLimit fault with 429 and Retry-After', async () => {
    sim.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 7, body: { message: 'slow down' } } });
    const res = await get('/text');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({ message: 'slow down' });
  });

  it('holds a timeout fault until the client aborts', async () => {
    sim.injectFault({ fault: { kind: 'timeout' } });
    const t0 = performance.now();
    await expect(get('/text', { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    expect(sim.count({ route: '/text' })).toBe(1);
  });

  it('answers a malformed fault with 200 JSON that does not parse', async () => {
    sim.injectFault({ fault: { kind: 'malformed' }, times: 1 });
    sim.injectFault({ fault: { kind: 'malformed', body: '{"a": 1,,}' }, times: 1 });
    const first = await get('/text');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json');
    const text = await first.text();
    expect(text).toBe(DEFAULT_MALFORMED_BODY);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(await (await get('/text')).text()).toBe('{"a": 1,,}');
  });

  it('runs the handler for dropResponse and then drops the connection', async () => {
    const before = sideEffects;
    sim.injectFault({ route: '/side-effect', fault: { kind: 'dropResponse' } });
    await expect(get('/side-effect', { method: 'POST' })).rejects.toThrow(TypeError);
    expect(sideEffects).toBe(before + 1);
    expect(sim.count({ route: '/side-effect' })).toBe(1);
  });

  it('resets the connection for a reset fault without running the handler', async () => {
    const before = sideEffects;
    sim.injectFault({ route: '/side-effect', fault: { kind: 'reset' } });
    const err = await get('/side-effect', { method: 'POST' }).catch(
      (e: unknown) => e as TypeError & { cause?: { code?: string } },
    );
    expect(err).toBeInstanceOf(TypeError);
    expect((err as { cause?: { code?: string } }).cause?.code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(sideEffects).toBe(before);
    expect(sim.count({ route: '/side-effect' })).toBe(1);
  });

  it('sends headers at once for a slowDrip fault, then the real body a few bytes per interval', async () => {
    sim.injectFault({ route: '/text', fault: { kind: 'slowDrip', chunkBytes: 4, intervalMs: 40 } });
    const t0 = performance.now();
    const res = await get('/text');
    const headersAfter = performance.now() - t0;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String('plain words'.length));
    expect(await res.text()).toBe('plain words');
    // 11 bytes in 4-byte chunks: 3 intervals of 40 ms after the headers.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(headersAfter + 100);
  });

  it('announces more bytes than it sends for a truncated fault, then closes', async () => {
    sim.injectFault({ route: '/text', fault: { kind: 'truncated' } });
    const res = await get('/text');
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan('plain words'.length);
    await expect(res.text()).rejects.toThrow();
  });

  it('answers a hugeBody fault with a 200 JSON body of the asked size (10 MiB by default)', async () => {
    sim.injectFault({ fault: { kind: 'hugeBody' }, times: 1 });
    sim.injectFault({ fault: { kind: 'hugeBody', bytes: 1000 }, times: 1 });
    const big = await get('/text');
    expect(big.headers.get('content-type')).toBe('application/json');
    expect((await big.arrayBuffer()).byteLength).toBe(DEFAULT_HUGE_BODY_BYTES);
    const small = await (await get('/text')).text();
    expect(small).toHaveLength(1000);
    expect(Object.keys(JSON.parse(small))).toEqual(['padding']);
  });

  it('answers a rewrite fault with what its function makes of the real JSON body, after running the handler', async () => {
    const before = sideEffects;
    sim.injectFault({
      route: '/side-effect',
      fault: { kind: 'rewrite', rewrite: (body, req) => ({ was: body, path: req.path }) },
      times: 1,
    });
    const res = await fetch(`${sim.url}/side-effect`, { method: 'POST' });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ was: { sideEffects: before + 1 }, path: '/side-effect' });
    expect(sideEffects).toBe(before + 1);
    // A body that is not JSON passes unchanged.
    sim.injectFault({ route: '/text', fault: { kind: 'rewrite', rewrite: () => 'changed' }, times: 1 });
    expect(await (await get('/text')).text()).toBe('plain words');
  });

  it('counts its open connections, fault-held ones included', async () => {
    const baseline = sim.openConnections;
    sim.injectFault({ fault: { kind: 'timeout' } });
    // A fresh connection (no pool), so the held request cannot reuse an idle keep-alive socket.
    const req = httpGet(`${sim.url}/text`, { agent: false });
    req.on('error', () => undefined);
    await expect.poll(() => sim.openConnections, { timeout: 2000 }).toBe(baseline + 1);
    const overHttp = await new Promise<{ open: number }>((resolve, reject) => {
      httpGet(`${sim.url}/__sim/connections`, { agent: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(JSON.parse(text) as { open: number }));
      }).on('error', reject);
    });
    // The control call's own connection is open while it is answered.
    expect(overHttp.open).toBe(baseline + 2);
    req.destroy();
    await expect.poll(() => sim.openConnections, { timeout: 2000 }).toBe(baseline);
  });

  it('applies a fault only `times` times', async () => {
    sim.injectFault({ fault: { kind: 'status', status: 502 }, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await get('/text')).status);
    expect(statuses).toEqual([502, 502, 200]);
  });

  it('filters faults by route, method, args and predicate', async () => {
    sim.injectFault({
      route: 'usage',
      method: 'POST',
      match: { accountId: '2' },
      where: (r) => r.params.unitType === 'cpu',
      fault: { kind: 'status', status: 418 },
    });
    expect((await get('/1.0/kb/usages/s/cpu?accountId=2', { method: 'POST' })).status).toBe(418);
    expect((await get('/1.0/kb/usages/s/cpu?accountId=2')).status).toBe(200);
    expect((await get('/1.0/kb/usages/s/cpu?accountId=1', { method: 'POST' })).status).toBe(200);
    expect((await get('/1.0/kb/usages/s/ram?accountId=2', { method: 'POST' })).status).toBe(200);
    expect((await get('/text')).status).toBe(200);
  });

  it('removes every fault on clearFaults', async () => {
    sim.injectFault({ fault: { kind: 'status', status: 500 } });
    expect((await get('/text')).status).toBe(500);
    sim.clearFaults();
    expect((await get('/text')).status).toBe(200);
  });
});

describe('simulator kit control endpoint', () => {
  const control = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${sim.url}/__sim/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('lists the request log with counts by route, without counting itself', async () => {
    await get('/text');
    await get('/text');
    await get('/side-effect', { method: 'POST' });
    const res = await control('requests');
    expect(res.status).toBe(200);
    const body = (await res.json()) as ControlLog;
    expect(body.total).toBe(3);
    expect(body.counts).toEqual({ '/text': 2, '/side-effect': 1 });
    expect(body.requests.map((r) => r.route)).toEqual(['/text', '/text', '/side-effect']);
    const filtered = (await (await control('requests?route=%2Ftext')).json()) as ControlLog;
    expect(filtered.requests).toHaveLength(2);
    expect(sim.count()).toBe(3);
  });

  it('resets counters', async () => {
    await get('/text');
    expect((await control('reset', 'POST')).status).toBe(200);
    expect(sim.count()).toBe(0);
  });

  it('sets latency', async () => {
    expect((await control('latency', 'POST', { ms: 120 })).status).toBe(200);
    const t0 = performance.now();
    await get('/text');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
    expect((await control('latency', 'POST', { ms: -5 })).status).toBe(400);
  });

  it('injects faults with route, method, args and times, and clears them', async () => {
    const created = await control('faults', 'POST', {
      fault: { kind: 'rateLimit', retryAfterSeconds: 3 },
      route: 'usage',
      method: 'GET',
      match: { accountId: '9' },
      times: 1,
    });
    expect(created.status).toBe(201);
    expect((await get('/1.0/kb/usages/s/u?accountId=1')).status).toBe(200);
    const limited = await get('/1.0/kb/usages/s/u?accountId=9');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await get('/1.0/kb/usages/s/u?accountId=9')).status).toBe(200);

    await control('faults', 'POST', { fault: { kind: 'status', status: 500 } });
    expect((await get('/text')).status).toBe(500);
    expect((await control('faults', 'DELETE')).status).toBe(200);
    expect((await get('/text')).status).toBe(200);
  });

  it('accepts the reset, slowDrip, truncated and hugeBody kinds over HTTP', async () => {
    for (const fault of [
      { kind: 'reset' },
      { kind: 'slowDrip', chunkBytes: 2, intervalMs: 10 },
      { kind: 'truncated' },
      { kind: 'hugeBody', bytes: 64 },
    ]) {
      const res = await fetch(`${sim.url}/__sim/faults`, {
        method: 'POST',
        body: JSON.stringify({ route: '/text', fault, times: 1 }),
      });
      expect(res.status).toBe(201);
    }
    await expect(get('/text')).rejects.toThrow(TypeError);
    expect(await (await get('/text')).text()).toBe('plain words');
    await expect((await get('/text')).text()).rejects.toThrow();
    expect(await (await get('/text')).text()).toHaveLength(64);
  });

  it('refuses a rewrite fault over HTTP, since its function cannot travel', async () => {
    const res = await control('faults', 'POST', { fault: { kind: 'rewrite' } });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toContain('in-process');
  });

  it('rejects an unknown fault kind', async () => {
    const res = await control('faults', 'POST', { fault: { kind: 'gremlins' } });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toContain('gremlins');
  });

  it('is not subject to faults or latency', async () => {
    sim.injectFault({ fault: { kind: 'timeout' } });
    sim.setLatency(500);
    const t0 = performance.now();
    expect((await control('requests')).status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(400);
  });
});

describe('simulator kit close', () => {
  it('does not hang on a socket held by a timeout fault', async () => {
    const s = await startSimulator({ routes });
    s.injectFault({ fault: { kind: 'timeout' } });
    const pending = fetch(`${s.url}/text`).then(
      () => 'answered',
      () => 'failed',
    );
    while (s.count() === 0) await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    await s.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(await pending).toBe('failed');
    await expect(fetch(`${s.url}/text`)).rejects.toThrow(TypeError);
  });

  it('can be closed twice', async () => {
    const s = await startSimulator({ routes });
    await s.close();
    await expect(s.close()).resolves.toBeUndefined();
  });
});
