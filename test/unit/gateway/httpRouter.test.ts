import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpRouter, type HttpRouterOptions } from '../../../src/gateway/httpRouter.js';
import { sendJson } from '../../../src/gateway/httpAnswers.js';
import { captureLogs } from './logCapture.js';
import { FakeResponse, fakeRequest, finished } from './fakeHttp.js';

/** A router whose routes answer with their own name. */
function router(overrides: Partial<HttpRouterOptions> = {}) {
  const answer = (name: string) => (_req: IncomingMessage, res: ServerResponse) => {
    sendJson(res, 200, { route: name });
    return Promise.resolve();
  };
  return createHttpRouter({
    cors: { origins: ['https://app.example'] } as HttpRouterOptions['cors'],
    allowedHosts: undefined,
    host: '127.0.0.1',
    graphql: answer('graphql'),
    focus: answer('focus'),
    readiness: answer('readiness'),
    metrics: { path: '/metrics', route: answer('metrics') },
    web: { handle: () => false },
    ...overrides,
  });
}

async function request(
  r: ReturnType<typeof router>,
  options: { method?: string; url: string; headers?: Record<string, string> },
) {
  const req = fakeRequest({ ...options, headers: { host: '127.0.0.1:4000', ...options.headers } });
  const res = new FakeResponse();
  r.handle(req, res.asResponse());
  await finished(res);
  return { req, res };
}

describe('the HTTP router', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  it('gives every answer an x-request-id, the caller’s when it is safe', async () => {
    const { res } = await request(router(), { url: '/healthz', headers: { 'x-request-id': 'given-1' } });
    expect(res.headers['x-request-id']).toBe('given-1');
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('dispatches each path to its route', async () => {
    const r = router();
    const route = async (url: string) => (await request(r, { url })).res.json();
    expect(await route('/graphql?query=%7Ba%7D')).toEqual({ route: 'graphql' });
    expect(await route('/readyz')).toEqual({ route: 'readiness' });
    expect(await route('/metrics')).toEqual({ route: 'metrics' });
    expect(await route('/export/focus?start=2026-11-01&end=2026-11-02')).toEqual({ route: 'focus' });
    expect(await route('/')).toEqual({
      name: 'billgraph',
      graphql: '/graphql',
      focusExport: '/export/focus',
      health: '/healthz',
      ready: '/readyz',
    });
  });

  it('answers an unknown path with 404 naming /graphql', async () => {
    const { res } = await request(router(), { url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'No route /nope; GraphQL is served at /graphql.' });
  });

  it('leaves the metrics path to the 404 when the metrics are not on this port', async () => {
    const { res } = await request(router({ metrics: undefined }), { url: '/metrics' });
    expect(res.statusCode).toBe(404);
  });

  it('lets the browser routes answer before the API routes', async () => {
    const web = {
      handle: (_req: IncomingMessage, res: ServerResponse, url: URL) => {
        if (url.pathname !== '/') return false;
        res.end('<html>');
        return true;
      },
    };
    const { res } = await request(router({ web }), { url: '/' });
    expect(res.body).toBe('<html>');
  });

  it('refuses a Host the gateway does not serve with 421, a warning line and a closed connection', async () => {
    const { res, req } = await request(router(), { url: '/graphql', headers: { host: 'evil.example' } });
    expect(res.statusCode).toBe(421);
    expect((res.json() as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe(
      'BAD_REQUEST',
    );
    expect(res.headers.connection).toBe('close');
    expect(req.socketDestroyed()).toBe(true);
    expect(logs.lines.map((l) => [l.level, l.message, l.path])).toEqual([['warn', 'refused host', '/graphql']]);
  });

  it('serves the Host names of the address it is bound to once bindTo says so', async () => {
    const r = router();
    const asked = { url: '/healthz', headers: { host: 'billgraph.internal:4000' } };
    expect((await request(r, asked)).res.statusCode).toBe(421);
    r.bindTo('0.0.0.0');
    expect((await request(r, asked)).res.statusCode).toBe(200);
    r.bindTo('127.0.0.1');
    expect((await request(r, asked)).res.statusCode).toBe(421);
  });

  it('answers a CORS preflight on /graphql itself, for a configured origin only', async () => {
    const preflight = (origin: string) =>
      request(router(), {
        method: 'OPTIONS',
        url: '/graphql',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const allowed = await preflight('https://app.example');
    expect(allowed.res.statusCode).toBe(204);
    expect(allowed.res.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(allowed.res.headers['access-control-max-age']).toBe('600');
    const other = await preflight('https://other.example');
    expect(other.res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 500 with the request id when a route throws, and logs the failure', async () => {
    const failing = router({ readiness: () => Promise.reject(new Error('boom')) });
    const { res } = await request(failing, { url: '/readyz', headers: { 'x-request-id': 'r-500' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'r-500' } }],
    });
    expect(logs.lines.map((l) => [l.message, l.requestId, l.path])).toEqual([['request failed', 'r-500', '/readyz']]);
  });
});
