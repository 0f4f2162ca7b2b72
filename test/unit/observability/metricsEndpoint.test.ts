import type { IncomingMessage, Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayMetrics } from '../../../src/observability/metrics.js';
import { listenMetrics, serveMetrics } from '../../../src/observability/metricsEndpoint.js';
import { fakeResponse } from '../helpers/http.js';
import { captureLogs } from '../gateway/logCapture.js';

const TEXT = '# HELP up 1 when up\nup 1\n';

/** Metrics whose scrape answers TEXT (or fails), counting scrapes. */
function fakeMetrics(failure?: Error) {
  const state = { scrapes: 0 };
  const metrics = {
    contentType: 'text/plain; version=0.0.4; charset=utf-8',
    scrape: async () => {
      state.scrapes++;
      if (failure) throw failure;
      return TEXT;
    },
  } as unknown as GatewayMetrics;
  return { metrics, state };
}

/** A request with a method and a resume() that records the body was drained. */
function request(method: string) {
  const drained = { resumed: false };
  const req = {
    method,
    headers: {},
    resume() {
      drained.resumed = true;
      return req;
    },
  } as unknown as IncomingMessage;
  return { req, drained };
}

describe('serveMetrics', () => {
  it('answers GET with the scrape, its content type and length, never cached', async () => {
    const { metrics } = fakeMetrics();
    const { req, drained } = request('GET');
    const { res, written } = fakeResponse();
    await serveMetrics(req, res, metrics);
    expect(written.status).toBe(200);
    expect(written.headers).toEqual({
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'content-length': Buffer.byteLength(TEXT),
      'cache-control': 'no-store',
    });
    expect(written.body?.toString()).toBe(TEXT);
    expect(drained.resumed).toBe(true);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const { metrics } = fakeMetrics();
    const { res, written } = fakeResponse();
    await serveMetrics(request('HEAD').req, res, metrics);
    expect(written.status).toBe(200);
    expect(written.headers['content-length']).toBe(Buffer.byteLength(TEXT));
    expect(written.body).toBeUndefined();
    expect(written.ended).toBe(true);
  });

  it('refuses other methods with 405 and Allow, without scraping', async () => {
    const { metrics, state } = fakeMetrics();
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const { req, drained } = request(method);
      const { res, written } = fakeResponse();
      await serveMetrics(req, res, metrics);
      expect(written.status).toBe(405);
      expect(written.headers).toEqual({ allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      expect(written.body?.toString()).toBe('Metrics are read with GET.\n');
      expect(drained.resumed).toBe(true);
    }
    expect(state.scrapes).toBe(0);
  });

  it('rejects with the scrape’s error and writes nothing when the scrape fails', async () => {
    const { metrics } = fakeMetrics(new Error('collector broke'));
    const { res, written } = fakeResponse();
    await expect(serveMetrics(request('GET').req, res, metrics)).rejects.toThrow('collector broke');
    expect(written.status).toBeUndefined();
  });
});

describe('listenMetrics', () => {
  let server: Server | undefined;
  let restore: (() => void) | undefined;
  afterEach(async () => {
    restore?.();
    restore = undefined;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('serves the metrics at its path only and names every other path a 404 saying where they are', async () => {
    const started = await listenMetrics(fakeMetrics().metrics, '/metrics', 0, '127.0.0.1');
    server = started.server;
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const ok = await fetch(started.url);
    expect([ok.status, ok.headers.get('cache-control'), await ok.text()]).toEqual([200, 'no-store', TEXT]);
    const elsewhere = await fetch(new URL('/graphql', started.url));
    expect([elsewhere.status, await elsewhere.text()]).toEqual([404, 'Metrics are served at /metrics.\n']);
  });

  it('answers 500 and logs the error when a scrape fails', async () => {
    const logs = captureLogs();
    restore = logs.restore;
    const started = await listenMetrics(fakeMetrics(new Error('collector broke')).metrics, '/m', 0, '127.0.0.1');
    server = started.server;
    const failed = await fetch(started.url);
    expect(failed.status).toBe(500);
    expect(logs.lines.map((l) => [l.level, l.msg ?? l.message])).toEqual([['error', 'metrics scrape failed']]);
  });
});
