import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/bootstrap.js';
import { ConfigError } from '../../../src/config.js';
import { OPENVCLOUD_SIM_TOKEN, startOpenvcloudSimulator } from '../../../simulators/openvcloud/simulator.js';
import { createGateway } from '../../../src/server.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

/** A raw HTTP/1.1 request, so the Host header can be anything (fetch always sends the real one). */
function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const health = async (h: Harness) => (await fetch(h.url.replace(/\/graphql$/, '/healthz'))).status;

describe('cross-site requests', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.g8.resetCounters());

  const QUERY = JSON.stringify({ query: '{ accounts { totalCount } }' });

  it.each([
    'text/plain',
    'text/plain;a=json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonp',
    '',
  ])(
    'refuses a POST of content-type "%s" (which needs no CORS preflight) with 415 and no upstream call',
    async (type) => {
      const res = await fetch(h.url, { method: 'POST', headers: type ? { 'content-type': type } : {}, body: QUERY });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
        'BAD_REQUEST',
      );
      expect(h.g8.count()).toBe(0);
    },
  );

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/graphql-response+json',
  ])('executes a POST of content-type "%s"', async (type) => {
    const res = await fetch(h.url, { method: 'POST', headers: { 'content-type': type }, body: QUERY });
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { data: { accounts: { totalCount: number } } }).data.accounts.totalCount,
    ).toBeGreaterThan(0);
  });

  it('refuses a GET without a preflight-forcing header (CSRF), and a mutation over GET even with one', async () => {
    const bare = await fetch(`${h.url}?query=${encodeURIComponent('{ accounts { totalCount } }')}`);
    expect(bare.status).toBe(400);
    const mutation = await fetch(
      `${h.url}?query=${encodeURIComponent('mutation { recordUsage(input: { subscriptionId: "x", trackingId: "t", units: [] }) { trackingId } }')}`,
      {
        headers: { 'apollo-require-preflight': 'true' },
      },
    );
    expect(mutation.status).toBe(405);
    expect(h.g8.count()).toBe(0);
    expect(await health(h)).toBe(200);
  });

  it('answers no CORS headers to a foreign origin by default, so a browser page elsewhere cannot read answers', async () => {
    const preflight = await fetch(h.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const post = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: QUERY,
    });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a foreign Host header (DNS rebinding) with 421 and no upstream call, and answers the loopback names', async () => {
    const foreign = await rawRequest(h.url, {
      method: 'POST',
      headers: { host: 'rebind.attacker.example:4000', 'content-type': 'application/json' },
      body: QUERY,
    });
    expect(foreign.status).toBe(421);
    expect(JSON.parse(foreign.text).errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(foreign.text).not.toContain('rebind.attacker.example');
    expect(h.g8.count()).toBe(0);
    for (const host of ['localhost:4000', '127.0.0.1', '[::1]:8080', 'LOCALHOST']) {
      const ok = await rawRequest(h.url, {
        method: 'POST',
        headers: { host, 'content-type': 'application/json' },
        body: QUERY,
      });
      expect(ok.status, host).toBe(200);
    }
  });

  it('answers 413 to an oversized body and stays healthy', async () => {
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ sources { id } }`, pad: 'x'.repeat(2_000_000) }),
    });
    expect(res.status).toBe(413);
    expect(h.g8.count()).toBe(0);
    expect(await health(h)).toBe(200);
  });
});

describe('CORS allow-list', () => {
  it('answers a configured origin’s preflight and requests, exposing the request id and Retry-After', async () => {
    const g8 = await startOpenvcloudSimulator();
    const config = validateConfig(
      {
        cors: { origins: ['https://finops.example.com'] },
        ledger: { enabled: false },
        sources: [{ id: 'g8', provider: 'OPENVCLOUD', baseUrl: g8.url, credentials: { token: OPENVCLOUD_SIM_TOKEN } }],
      },
      'test',
      process.env,
    );
    const gateway = createGateway({ config, stopGracePeriodMs: 500 });
    const url = await gateway.listen(0, '127.0.0.1');
    try {
      const preflight = await fetch(url, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://finops.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://finops.example.com');
      expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
      const post = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://finops.example.com' },
        body: '{"query":"{ sources { id } }"}',
      });
      expect(post.headers.get('access-control-allow-origin')).toBe('https://finops.example.com');
      expect(post.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
      const other = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://other.example.com' },
        body: '{"query":"{ sources { id } }"}',
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await gateway.stop();
      await g8.close();
    }
  });
});

describe('exposure without tenants', () => {
  const g8 = { id: 'g8', provider: 'OPENVCLOUD', baseUrl: 'http://127.0.0.1:9', credentials: { token: 't' } };

  it('refuses a config that binds a non-loopback address without tenants, saying how to fix it', () => {
    let error: unknown;
    try {
      validateConfig({ host: '0.0.0.0', sources: [g8] }, 'test', process.env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n')).toMatch(
      /host: "0\.0\.0\.0" is reachable from other machines.*add "tenants".*or bind "127\.0\.0\.1"/,
    );
  });

  it('accepts a non-loopback address with tenants, and tenants that name unknown sources are reported', () => {
    const tenant = { name: 'a', keySha256: 'a'.repeat(64), sources: ['g8'] };
    expect(
      validateConfig({ host: '0.0.0.0', tenants: [tenant], sources: [g8] }, 'test', process.env).tenants?.[0]?.scopes,
    ).toEqual(['read']);
    expect(() =>
      validateConfig({ tenants: [{ ...tenant, sources: ['nope'] }], sources: [g8] }, 'test', process.env),
    ).toThrow(/tenants\[0\]\.sources\[0\]: must be a configured source id \("g8"\), got "nope"/);
    expect(() =>
      validateConfig({ tenants: [{ ...tenant, keySha256: 'KEY' }], sources: [g8] }, 'test', process.env),
    ).toThrow(/keySha256: must be the SHA-256/);
  });

  it('refuses to listen on a non-loopback address without tenants even when the config was bound to loopback', async () => {
    const gateway = createGateway({ config: validateConfig({ sources: [g8] }, 'test', process.env) });
    await expect(gateway.listen(0, '0.0.0.0')).rejects.toThrow(/Refusing to listen on "0\.0\.0\.0" without tenants/);
    await gateway.stop();
  });
});
