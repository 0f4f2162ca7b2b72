import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../src/simulator/kit.js';
import { startFullHarness, type FullHarness, type GraphQLResponse } from './helpers/harness.js';

const WINDOW = { start: '2026-10-01T00:00:00Z', end: '2026-10-08T00:00:00Z' };
const EVERYTHING = /* GraphQL */ `
  query($w: TimeWindow!) {
    accounts(first: 500) { errors { code message } edges { node { id name
      consumption(window: $w) { metric quantity } cost(window: $w) { amount currency }
      cloudspaces { machines { consumption(window: $w) { quantity } } }
      subscriptions { usage(window: $w) { quantity } }
      resources { cost(window: $w) { amount } }
      billingThresholds { id } } } }
    usageReport(window: $w) { errors { code message } }
  }
`;

const FAULTS: Fault[] = [
  { kind: 'status', status: 500, body: { error: 'boom', detail: 'stack at Foo.bar (/srv/app.js:1:1)' } },
  { kind: 'status', status: 401 },
  { kind: 'status', status: 403 },
  { kind: 'status', status: 404 },
  { kind: 'rateLimit', retryAfterSeconds: 3 },
  { kind: 'malformed' },
  { kind: 'timeout' },
];

describe('no response leaks credentials, upstream URLs or stack traces, whatever every source does', () => {
  let h: FullHarness;
  const responses: GraphQLResponse[] = [];
  beforeAll(async () => {
    h = await startFullHarness({ sourceOverrides: Object.fromEntries(['g8', 'kb', 'hs', 'civitai', 'theirstack'].map((id) => [id, { timeoutMs: 300 }])) });
  });
  afterAll(async () => h?.close());

  for (const fault of FAULTS) {
    it(`every simulator answering ${fault.kind}${'status' in fault ? ` ${fault.status}` : ''}: errors carry codes, not secrets`, async () => {
      h.resetAll();
      for (const sim of Object.values(h.sims)) sim.injectFault({ fault });
      const res = await h.query(EVERYTHING, { w: WINDOW });
      responses.push(res);
      expect(res.status).toBe(200);
      const codes = new Set([
        ...(res.body.errors ?? []).map((e) => e.extensions?.code),
        ...res.body.data.accounts.errors.map((e: { code: string }) => e.code),
        ...res.body.data.usageReport.errors.map((e: { code: string }) => e.code),
      ]);
      expect(codes.size).toBeGreaterThan(0);
      expect(codes.has('INTERNAL_SERVER_ERROR')).toBe(false);
    });
  }

  it('and the collected responses contain none of them', () => {
    const config = h.gateway.sources;
    const secrets = [...config.values()].flatMap(({ runtime }) => Object.values(runtime.config.credentials)).filter((v) => v.length >= 5);
    const urls = Object.values(h.sims).map((s) => s.url);
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    expect(responses).toHaveLength(FAULTS.length);
    for (const { text } of responses) {
      for (const secret of secrets) expect(text).not.toContain(secret);
      for (const url of urls) expect(text).not.toContain(url.replace('http://', ''));
      expect(text).not.toMatch(/127\.0\.0\.1|localhost|\/srv\/app\.js|\bat \S+ \(|stacktrace/i);
    }
  });
});
