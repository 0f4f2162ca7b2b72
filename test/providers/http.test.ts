import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestClient } from '../../src/providers/http.js';
import { createRequestScope } from '../../src/requestScope.js';
import { json, startSimulator, type SimulatorHandle } from '../../src/simulator/kit.js';

describe('RestClient.forRequest', () => {
  let sim: SimulatorHandle;
  let client: RestClient;

  beforeAll(async () => {
    sim = await startSimulator({ routes: [{ method: 'GET', path: '/ping', handler: () => json(200, { ok: true }) }] });
    client = new RestClient({ provider: 'CIVITAI', displayName: 'Test', sourceId: 't', baseUrl: sim.url, timeoutMs: 2000, maxSockets: 2 });
  });
  afterAll(async () => {
    client.close();
    await sim.close();
  });

  it('counts each request view’s upstream calls on its own scope', async () => {
    const a = createRequestScope();
    const b = createRequestScope();
    const viewA = client.forRequest(a);
    const viewB = client.forRequest(b);
    await Promise.all([viewA.json({ method: 'GET', path: '/ping', operation: 'ping' }), viewA.json({ method: 'GET', path: '/ping', operation: 'ping' })]);
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

describe('RestClient under a request deadline', () => {
  let sim: SimulatorHandle;
  let client: RestClient;
  beforeAll(async () => {
    sim = await startSimulator({ routes: [{ method: 'GET', path: '/ping', handler: () => json(200, { ok: true }) }] });
    client = new RestClient({ provider: 'CIVITAI', displayName: 'Test', sourceId: 't', baseUrl: sim.url, timeoutMs: 2000, maxSockets: 2 });
  });
  afterAll(async () => {
    client.close();
    await sim.close();
  });

  it('fails a call past its request deadline with UPSTREAM_TIMEOUT, without calling the upstream or charging the scope', async () => {
    const scope = createRequestScope({ timeoutMs: 0 });
    await expect(client.forRequest(scope).json({ method: 'GET', path: '/ping', operation: 'ping' })).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(sim.count()).toBe(0);
    expect(scope.upstreamCalls).toBe(0);
  });

  it('shortens an attempt to the time the request has left', async () => {
    sim.injectFault({ fault: { kind: 'timeout' } });
    const started = Date.now();
    const error = await client.forRequest(createRequestScope({ timeoutMs: 400 })).json({ method: 'GET', path: '/ping', operation: 'ping' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect((error as Error).message).toMatch(/within the \d+ ms the request had left before its deadline/);
    // The source's own timeout is 2000 ms; the deadline ended the attempt well before.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(sim.count()).toBe(1);
    sim.clearFaults();
  });
});

