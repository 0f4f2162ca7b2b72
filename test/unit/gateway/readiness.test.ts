import { describe, expect, it } from 'vitest';
import { checkSource, createReadiness, READINESS_CACHE_MS } from '../../../src/gateway/readiness.js';
import { FakeResponse, fakeRequest } from './fakeHttp.js';
import { fakeAuth, fakeSource, upstreamDown } from './fakeSources.js';

describe('checkSource', () => {
  it('is ready when the ping answers, and says the breaker state', async () => {
    const { source, state } = fakeSource('a');
    await expect(checkSource(source)).resolves.toEqual({
      id: 'a',
      provider: 'hyperstack',
      ready: true,
      breaker: 'closed',
    });
    expect(state.pings).toBe(1);
  });

  it("is not ready with the failure's code when the ping fails", async () => {
    const { source, state } = fakeSource('a');
    state.pingError = upstreamDown('a');
    await expect(checkSource(source)).resolves.toMatchObject({ ready: false, code: 'UPSTREAM_UNAVAILABLE' });
    state.pingError = new TypeError('bug');
    await expect(checkSource(source)).resolves.toMatchObject({ ready: false, code: 'INTERNAL_SERVER_ERROR' });
  });

  it('does not call a source whose breaker is open until its retry time, and says when that is', async () => {
    const { source, state } = fakeSource('a');
    state.breaker = 'open';
    state.retryAt = Date.UTC(2030, 0, 1);
    const now = () => Date.UTC(2029, 11, 31);
    await expect(checkSource(source, now)).resolves.toEqual({
      id: 'a',
      provider: 'hyperstack',
      ready: false,
      code: 'UPSTREAM_UNAVAILABLE',
      breaker: 'open',
      retryAt: '2030-01-01T00:00:00.000Z',
    });
    expect(state.pings).toBe(0);
  });

  it('lets the probe through once the retry time has come: the ping is that probe', async () => {
    const { source, state } = fakeSource('a');
    state.breaker = 'open';
    state.retryAt = 1000;
    await expect(checkSource(source, () => 1000)).resolves.toMatchObject({ ready: true });
    expect(state.pings).toBe(1);
  });
});

describe('/readyz', () => {
  const ask = async (readiness: ReturnType<typeof createReadiness>, authorization?: string) => {
    const res = new FakeResponse();
    await readiness(fakeRequest({ url: '/readyz', headers: authorization ? { authorization } : {} }), res.asResponse());
    return { status: res.statusCode, body: res.json() };
  };

  it('answers an orchestrator (no key) only the status: 200 ready, 503 when any source is not', async () => {
    const a = fakeSource('a');
    const b = fakeSource('b');
    let clock = 0;
    const readiness = createReadiness({
      sources: new Map([
        ['a', a.source],
        ['b', b.source],
      ]),
      authenticate: fakeAuth,
      now: () => clock,
    });
    await expect(ask(readiness)).resolves.toEqual({ status: 200, body: { status: 'ready' } });
    b.state.pingError = upstreamDown('b');
    clock += READINESS_CACHE_MS;
    await expect(ask(readiness)).resolves.toEqual({ status: 503, body: { status: 'not ready' } });
  });

  it("shows a tenant its own sources' checks, and its readiness is theirs alone", async () => {
    const a = fakeSource('a');
    const b = fakeSource('b');
    b.state.pingError = upstreamDown('b');
    const readiness = createReadiness({
      sources: new Map([
        ['a', a.source],
        ['b', b.source],
      ]),
      authenticate: fakeAuth,
    });
    await expect(ask(readiness, 'Bearer tenant-a')).resolves.toEqual({
      status: 200,
      body: { status: 'ready', sources: [{ id: 'a', provider: 'hyperstack', ready: true, breaker: 'closed' }] },
    });
  });

  it('reuses its checks within the cache time while no breaker changed, and checks again after', async () => {
    const a = fakeSource('a');
    let clock = 10_000;
    const readiness = createReadiness({
      sources: new Map([['a', a.source]]),
      authenticate: fakeAuth,
      now: () => clock,
    });
    await ask(readiness);
    clock += READINESS_CACHE_MS - 1;
    await ask(readiness);
    expect(a.state.pings).toBe(1);
    clock += 1;
    await ask(readiness);
    expect(a.state.pings).toBe(2);
  });

  it('checks again at once when a breaker changed state', async () => {
    const a = fakeSource('a');
    const readiness = createReadiness({ sources: new Map([['a', a.source]]), authenticate: fakeAuth, now: () => 0 });
    await ask(readiness);
    a.state.breaker = 'half-open';
    await expect(ask(readiness)).resolves.toEqual({ status: 200, body: { status: 'ready' } });
    expect(a.state.pings).toBe(2);
  });
});
