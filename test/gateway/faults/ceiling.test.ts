/**
 * limits.maxUpstreamCallsPerRequest: a request that needs more upstream calls than the limit
 * keeps what it fetched and errors the rest with QUERY_TOO_COMPLEX, without sending them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { overEverySource } from '../../helpers/providers.js';

const LIMIT = 3;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ limits: { maxUpstreamCallsPerRequest: LIMIT } });
});
afterAll(async () => h?.close());

describe('the upstream-call ceiling per request', () => {
  it('keeps the first results, errors the rest with QUERY_TOO_COMPLEX and makes exactly the limit of calls', async () => {
    const accounts = h.g8.data.accounts.length;
    // One listing call, then one calculate call per account: more than the limit allows.
    expect(1 + accounts).toBeGreaterThan(LIMIT);
    h.g8.resetCounters();
    const res = await h.query(
      `query($w: TimeWindow!) { accounts { edges { node { providerId consumption(window: $w) { quantity } } } } }`,
      {
        w: { start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z' },
      },
    );
    expect(h.g8.count()).toBe(LIMIT);
    const nodes = res.body.data!.accounts.edges.map((e: { node: { consumption: unknown } }) => e.node);
    expect(nodes).toHaveLength(accounts);
    expect(nodes.filter((n: { consumption: unknown }) => n.consumption !== null)).toHaveLength(LIMIT - 1);
    const errors = res.body.errors!;
    expect(errors).toHaveLength(accounts - (LIMIT - 1));
    for (const e of errors) {
      expect(e.extensions?.code).toBe('QUERY_TOO_COMPLEX');
      expect(e.message).toMatch(/limit of 3 upstream calls \(limits\.maxUpstreamCallsPerRequest\)/);
    }
  });

  it('counts per request: the next request starts from zero', async () => {
    h.g8.resetCounters();
    const res = await h.query(`{ accounts { edges { node { providerId } } } }`);
    expect(res.body.errors).toBeUndefined();
    expect(h.g8.count()).toBe(1);
  });
});

describe('the default ceiling and queue', () => {
  it("let the dashboard's month-by-day cost report through (about 600 upstream calls, 440 of them to Kill Bill)", async () => {
    const { startFullHarness } = await import('../../helpers/harness.js');
    // Generous timeouts (this is about the call ceiling and the queue, not the machine's speed);
    // maxUpstreamCallsPerRequest and maxQueue keep their defaults.
    const full = await startFullHarness({
      limits: { requestTimeoutMs: 60_000 },
      sourceOverrides: overEverySource({ timeoutMs: 30_000 }),
    });
    try {
      const res = await full.query(
        `query($w: TimeWindow!) { usageReport(window: $w, granularity: DAY) { points { start } errors { code message } } }`,
        {
          w: { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' },
        },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.usageReport.errors).toEqual([]);
      const calls = Object.values(full.sims).reduce((n, s) => n + s.count(), 0);
      expect(calls).toBeGreaterThan(500);
    } finally {
      await full.close();
    }
  }, 90_000);
});
