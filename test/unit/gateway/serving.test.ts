import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheStore } from '../../../src/cache/cacheStore.js';
import { createServing, type ServingParts } from '../../../src/gateway/serving.js';
import type { GatewayMetrics } from '../../../src/observability/metrics.js';
import { fakeSource } from './fakeSources.js';

const METRICS = { scrape: async () => '', contentType: 'text/plain' } as unknown as GatewayMetrics;

/** Serving over fakes that record what ran, in order. */
function serving(options: { tenants?: boolean; metrics?: boolean; metricsPort?: number } = {}) {
  const calls: string[] = [];
  const httpServer = createServer();
  const a = fakeSource('a');
  const cache = { clear: async () => void calls.push('cache cleared') } as unknown as CacheStore;
  const parts: ServingParts = {
    config: {
      tenants: options.tenants ? [] : undefined,
      metrics: {
        enabled: options.metrics ?? false,
        path: '/metrics',
        host: '127.0.0.1',
        operatorKeySha256: [],
        ...(options.metricsPort !== undefined ? { port: options.metricsPort } : {}),
      },
    } as unknown as ServingParts['config'],
    httpServer,
    router: { bindTo: (host) => void calls.push(`bind ${host}`) },
    apollo: { stop: async () => void calls.push('apollo stopped') },
    apolloStarted: Promise.resolve(),
    tracing: { started: Promise.resolve(), shutdown: async () => void calls.push('tracing shut down') },
    sources: {
      sources: new Map([['a', a.source]]),
      cache,
      metrics: options.metrics ? METRICS : undefined,
    },
  };
  return { serving: createServing(parts), calls, httpServer, source: a.state };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) if (s.listening) await new Promise((r) => s.close(r));
});

describe('serving: what listen and stop do', () => {
  it('refuses a non-loopback host without tenants before binding or listening', async () => {
    const { serving: s, calls, httpServer } = serving();
    await expect(s.start(0, '0.0.0.0')).rejects.toThrow(
      'Refusing to listen on "0.0.0.0" without tenants: anyone who can reach it could read every source and run mutations. Configure "tenants" or listen on 127.0.0.1.',
    );
    expect(calls).toEqual([]);
    expect(httpServer.listening).toBe(false);
  });

  it('binds the Host allow-list to the host, listens and resolves to the /graphql URL', async () => {
    const { serving: s, calls, httpServer } = serving();
    servers.push(httpServer);
    const url = await s.start(0, '127.0.0.1');
    const { port } = httpServer.address() as AddressInfo;
    expect(url).toBe(`http://127.0.0.1:${port}/graphql`);
    expect(calls).toEqual(['bind 127.0.0.1']);
    expect(s.metricsUrl()).toBeUndefined();
  });

  it("gives the metrics URL on the gateway's port when metrics have no port of their own", async () => {
    const { serving: s, httpServer } = serving({ metrics: true });
    servers.push(httpServer);
    const url = await s.start(0, '127.0.0.1');
    expect(s.metricsUrl()).toBe(url.replace('/graphql', '/metrics'));
  });

  it("closes the gateway's port again when the metrics port cannot be had, so listen may be retried", async () => {
    const taken = createServer();
    servers.push(taken);
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const { port } = taken.address() as AddressInfo;
    const { serving: s, httpServer } = serving({ metrics: true, metricsPort: port });
    servers.push(httpServer);
    await expect(s.start(0, '127.0.0.1')).rejects.toThrow(/EADDRINUSE/);
    expect(httpServer.listening).toBe(false);
    expect(s.metricsUrl()).toBeUndefined();
  });

  it('stops in order: Apollo, tracing, the port, then the sources and the cache', async () => {
    const { serving: s, calls, httpServer, source } = serving();
    await s.start(0, '127.0.0.1');
    await s.stop();
    expect(calls).toEqual(['bind 127.0.0.1', 'apollo stopped', 'tracing shut down', 'cache cleared']);
    expect(httpServer.listening).toBe(false);
    expect(source.closed).toBe(1);
  });

  it('stops without having listened: the sources are closed all the same', async () => {
    const { serving: s, calls, source } = serving();
    await s.stop();
    expect(calls).toEqual(['apollo stopped', 'tracing shut down', 'cache cleared']);
    expect(source.closed).toBe(1);
  });
});
