import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';
import { createGateway } from '../../src/server.js';

/** A source no test calls: the gateway is built over it but only its own routes are asked. */
const G8 = { id: 'g8', provider: 'OPENVCLOUD', baseUrl: 'http://127.0.0.1:9', credentials: { token: 't0ken-abc' } };
const gateway = () =>
  createGateway({ config: configSchema.parse({ sources: [G8], ledger: { enabled: false } }), stopGracePeriodMs: 100 });

describe('createGateway wiring its parts', () => {
  it('serves its routes once listening, and walks created → listening → stopped', async () => {
    const gw = gateway();
    expect(gw.phase()).toEqual({ phase: 'created' });
    const url = await gw.listen(0, '127.0.0.1');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(gw.phase()).toEqual({ phase: 'listening', url });
    const health = await fetch(url.replace('/graphql', '/healthz'), { headers: { 'x-request-id': 'w-1' } });
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toBe('w-1');
    const graphql = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await graphql.json()).toEqual({ data: { __typename: 'Query' } });
    expect(gw.metricsUrl()).toBe(url.replace('/graphql', '/metrics'));
    await gw.stop();
    expect(gw.phase()).toEqual({ phase: 'stopped' });
    expect(gw.httpServer.listening).toBe(false);
  });

  it('refuses a second listen, keeps one stop for two calls, and refuses a listen after stop', async () => {
    const gw = gateway();
    const url = await gw.listen(0, '127.0.0.1');
    await expect(gw.listen(0, '127.0.0.1')).rejects.toThrow(`This gateway is already listening at ${url}`);
    const first = gw.stop();
    expect(gw.stop()).toBe(first);
    await first;
    await expect(gw.stop()).resolves.toBeUndefined();
    await expect(gw.listen(0, '127.0.0.1')).rejects.toThrow('create a new gateway');
    expect(gw.httpServer.listening).toBe(false);
  });

  it('stops before listen, and may listen again after a refused start', async () => {
    const never = gateway();
    await never.stop();
    expect(never.phase().phase).toBe('stopped');
    const gw = gateway();
    await expect(gw.listen(0, '0.0.0.0')).rejects.toThrow(/Refusing to listen on "0\.0\.0\.0" without tenants/);
    expect(gw.phase().phase).toBe('created');
    await expect(gw.listen(0, '127.0.0.1')).resolves.toMatch(/\/graphql$/);
    await gw.stop();
  });
});
