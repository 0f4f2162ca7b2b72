/**
 * The cross-request cache over HTTP against the real G8 simulator: what a repeated traversal
 * asks upstream, counted by the simulator itself. The calendar clock is injected, so finality
 * and TTL expiry are moved by the test instead of waited for.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { QueryAnswer } from '../../helpers/harness.js';
import { configureLogging, flushLogs } from '../../../src/logger.js';
import { startOpenvcloudSimulator, type OpenvcloudSimulator } from '../../../simulators/openvcloud/simulator.js';
import { OPENVCLOUD_SIM_TOKEN } from '../../../simulators/openvcloud/simulator.js';
import { sec, startHarness, TEST_SOURCE_DEFAULTS, type Harness } from '../../helpers/harness.js';

/** The G8 traversal of bench/harness.ts, with the points' finality. */
const TRAVERSAL = /* GraphQL */ `
  query Traversal($w: TimeWindow!, $g: Granularity) {
    accounts(provider: OPENVCLOUD) {
      edges {
        node {
          providerId
          source {
            id
          }
          cloudspaces {
            providerId
            machines {
              providerId
              consumption(window: $w, granularity: $g) {
                start
                metric
                quantity
                isFinal
              }
            }
          }
        }
      }
    }
  }
`;

const NOW = Date.parse('2026-10-15T12:00:00Z');
/** September 2026: over, and past G8's one-hour finality lag at NOW. */
const CLOSED = { start: '2026-09-01T00:00:00Z', end: '2026-10-01T00:00:00Z' };
/** October 2026: the month NOW is in. */
const OPEN = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

let h: Harness | undefined;
let other: OpenvcloudSimulator | undefined;
afterEach(async () => {
  await h?.close();
  await other?.close();
  h = other = undefined;
});

let clock = NOW;
async function start(
  options: {
    cache?: Record<string, number>;
    gatewayCache?: Record<string, number>;
    extraSources?: Record<string, unknown>[];
  } = {},
): Promise<Harness> {
  clock = NOW;
  h = await startHarness({
    now: () => clock,
    ...(options.cache ? { g8Source: { cache: options.cache } } : {}),
    ...(options.gatewayCache ? { config: { cache: options.gatewayCache } } : {}),
    ...(options.extraSources ? { extraSources: options.extraSources } : {}),
  });
  return h;
}

/** Upstream calls of one request, by route. */
async function callsOf(
  harness: Harness,
  sim: OpenvcloudSimulator,
  variables: Record<string, unknown>,
): Promise<{
  calculate: number;
  accounts: number;
  cloudspaces: number;
  machines: number;
  data: QueryAnswer | undefined;
}> {
  sim.resetCounters();
  const res = await harness.query(TRAVERSAL, variables);
  expect(res.body.errors).toBeUndefined();
  return {
    calculate: sim.count({ route: 'billing/calculate' }),
    accounts: sim.count({ route: 'accounts/list' }),
    cloudspaces: sim.count({ route: 'cloudspaces/list' }),
    machines: sim.count({ route: 'machines/list' }),
    data: res.body.data,
  };
}

const liveCloudspaces = (sim: OpenvcloudSimulator) =>
  sim.data.cloudspaces.filter((cs) => cs.deletionTime === null).length;

describe('cross-request cache (G8 traversal)', () => {
  it('a repeated traversal over a closed month makes no calculate call; listings are still asked (not cached by default)', async () => {
    const harness = await start();
    const accounts = harness.g8.data.accounts.length;
    expect(accounts).toBeGreaterThanOrEqual(3);
    const first = await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' });
    expect(first).toMatchObject({
      calculate: accounts,
      accounts: 1,
      cloudspaces: 1,
      machines: liveCloudspaces(harness.g8),
    });
    const second = await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' });
    expect(second).toMatchObject({ calculate: 0, accounts: 1, cloudspaces: 1, machines: liveCloudspaces(harness.g8) });
    // Same answer, digit for digit, and still final.
    expect(second.data).toEqual(first.data);
    expect(JSON.stringify(second.data)).toContain('"isFinal":true');
    expect(harness.gateway.cache.stats().namespaces.g8).toMatchObject({
      hits: accounts,
      misses: accounts,
      sets: accounts,
      entries: accounts,
      evictions: 0,
    });
  });

  it("a hit is not an upstream call: the access line's upstreamCalls counts only what reached the simulator", async () => {
    const harness = await start();
    const raw: string[] = [];
    const restore = configureLogging({
      level: 'info',
      maxPerSecond: 0,
      destination: { write: (line: string) => void raw.push(line) },
    });
    try {
      const first = await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' });
      const second = await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' });
      flushLogs();
      const counted = raw
        .map((line) => JSON.parse(line) as { message: string; upstreamCalls?: number })
        .filter((l) => l.message === 'graphql request')
        .map((l) => l.upstreamCalls);
      const lists = 2 + liveCloudspaces(harness.g8);
      expect(counted).toEqual([first.calculate + lists, lists]);
      expect(second.calculate + second.accounts + second.cloudspaces + second.machines).toBe(lists);
    } finally {
      restore();
    }
  });

  it('with cache.listTtlSeconds the repeat makes no upstream call at all', async () => {
    const harness = await start({ cache: { listTtlSeconds: 60 } });
    const first = await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' });
    expect(first.calculate + first.accounts + first.cloudspaces + first.machines).toBe(
      harness.g8.data.accounts.length + 2 + liveCloudspaces(harness.g8),
    );
    const second = await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' });
    expect(second).toMatchObject({ calculate: 0, accounts: 0, cloudspaces: 0, machines: 0 });
    expect(second.data).toEqual(first.data);
  });

  it('an open window (the month `now` is in) is asked upstream every time', async () => {
    const harness = await start();
    const accounts = harness.g8.data.accounts.length;
    for (let i = 0; i < 3; i++) {
      const r = await callsOf(harness, harness.g8, { w: OPEN, g: 'TOTAL' });
      expect(r.calculate).toBe(accounts);
      expect(JSON.stringify(r.data)).not.toContain('"isFinal":true');
    }
    expect(harness.gateway.cache.stats().namespaces.g8?.entries ?? 0).toBe(0);
  });

  it('the last hour of a month is open until an hour after it ends (the finality lag), then cached', async () => {
    const harness = await start();
    const accounts = harness.g8.data.accounts.length;
    const lastHour = { start: '2026-10-15T11:00:00Z', end: '2026-10-15T12:00:00Z' };
    // At NOW the hour has just ended: not final yet.
    expect((await callsOf(harness, harness.g8, { w: lastHour, g: 'TOTAL' })).calculate).toBe(accounts);
    expect((await callsOf(harness, harness.g8, { w: lastHour, g: 'TOTAL' })).calculate).toBe(accounts);
    clock = NOW + 3_600_000;
    expect((await callsOf(harness, harness.g8, { w: lastHour, g: 'TOTAL' })).calculate).toBe(accounts);
    expect((await callsOf(harness, harness.g8, { w: lastHour, g: 'TOTAL' })).calculate).toBe(0);
  });

  it('cache.openWindowTtlSeconds keeps an open window for that long', async () => {
    const harness = await start({ cache: { openWindowTtlSeconds: 30 } });
    const accounts = harness.g8.data.accounts.length;
    expect((await callsOf(harness, harness.g8, { w: OPEN, g: 'TOTAL' })).calculate).toBe(accounts);
    clock += 29_000;
    expect((await callsOf(harness, harness.g8, { w: OPEN, g: 'TOTAL' })).calculate).toBe(0);
    clock += 2_000;
    expect((await callsOf(harness, harness.g8, { w: OPEN, g: 'TOTAL' })).calculate).toBe(accounts);
  });

  it('ttlSeconds: 0 turns it off: the repeat calls upstream again', async () => {
    const harness = await start({ cache: { ttlSeconds: 0 } });
    const accounts = harness.g8.data.accounts.length;
    expect((await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' })).calculate).toBe(accounts);
    expect((await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' })).calculate).toBe(accounts);
    expect(harness.gateway.cache.stats().namespaces.g8?.entries ?? 0).toBe(0);
  });

  it('honours ttlSeconds on the injected clock: kept until it expires, then asked again', async () => {
    const harness = await start({ cache: { ttlSeconds: 60 } });
    const accounts = harness.g8.data.accounts.length;
    expect((await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' })).calculate).toBe(accounts);
    clock += 59_000;
    expect((await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' })).calculate).toBe(0);
    clock += 2_000;
    expect((await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' })).calculate).toBe(accounts);
    expect((await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' })).calculate).toBe(0);
  });

  it('an upstream error is never cached', async () => {
    const harness = await start();
    const accounts = harness.g8.data.accounts.length;
    harness.g8.injectFault({ route: 'billing/calculate', fault: { kind: 'status', status: 500 } });
    harness.g8.resetCounters();
    const failed = await harness.query(TRAVERSAL, { w: CLOSED, g: 'TOTAL' });
    expect(failed.body.errors?.length).toBeGreaterThan(0);
    expect(harness.gateway.cache.stats().namespaces.g8?.entries ?? 0).toBe(0);
    harness.g8.clearFaults();
    expect((await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' })).calculate).toBe(accounts);
    expect((await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' })).calculate).toBe(0);
  });

  it('two concurrent requests missing the same keys both answer correctly and leave one entry per key', async () => {
    const harness = await start();
    const accounts = harness.g8.data.accounts.length;
    harness.g8.resetCounters();
    const [a, b] = await Promise.all([
      harness.query(TRAVERSAL, { w: CLOSED, g: 'TOTAL' }),
      harness.query(TRAVERSAL, { w: CLOSED, g: 'TOTAL' }),
    ]);
    expect(a.body.errors).toBeUndefined();
    expect(b.body.data).toEqual(a.body.data);
    const calls = harness.g8.count({ route: 'billing/calculate' });
    expect(calls).toBeGreaterThanOrEqual(accounts);
    expect(calls).toBeLessThanOrEqual(2 * accounts);
    expect(harness.gateway.cache.stats().namespaces.g8?.entries).toBe(accounts);
    expect((await callsOf(harness, harness.g8, { w: CLOSED, g: 'TOTAL' })).data).toEqual(a.body.data);
  });

  it('a cache full to its entry bound evicts instead of growing', async () => {
    const harness = await start({ gatewayCache: { maxEntries: 5 } });
    const accounts = harness.g8.data.accounts.length;
    // DAY over September: 30 calculate answers per account, far more than 5.
    const first = await callsOf(harness, harness.g8, { w: CLOSED, g: 'DAY' });
    expect(first.calculate).toBe(30 * accounts);
    const stats = harness.gateway.cache.stats();
    expect(stats.entries).toBeLessThanOrEqual(5);
    expect(stats.namespaces.g8).toMatchObject({ sets: 30 * accounts, evictions: 30 * accounts - 5, entries: 5 });
  });

  it('a cache full to its byte bound evicts instead of growing', async () => {
    const maxBytes = 65_536;
    const harness = await start({ gatewayCache: { maxBytes } });
    const accounts = harness.g8.data.accounts.length;
    await callsOf(harness, harness.g8, { w: CLOSED, g: 'DAY' });
    const stats = harness.gateway.cache.stats();
    expect(stats.bytes).toBeLessThanOrEqual(maxBytes);
    expect(stats.namespaces.g8!.evictions).toBeGreaterThan(0);
    expect(stats.namespaces.g8!.entries).toBeLessThan(30 * accounts);
    expect(stats.namespaces.g8!.entries + stats.namespaces.g8!.evictions).toBe(30 * accounts);
  });

  it('two G8 sources with different data never share entries', async () => {
    other = await startOpenvcloudSimulator({ seed: 4242 });
    const harness = await start({
      extraSources: [
        {
          id: 'g8b',
          provider: 'OPENVCLOUD',
          baseUrl: other.url,
          credentials: { token: OPENVCLOUD_SIM_TOKEN },
          ...TEST_SOURCE_DEFAULTS,
        },
      ],
    });
    const sims = { g8: harness.g8, g8b: other };
    // Both worlds number their accounts from the same ids, so only the namespace tells them apart.
    const shared = harness.g8.data.accounts
      .map((a) => a.id)
      .filter((id) => other!.data.accounts.some((b) => b.id === id));
    expect(shared.length).toBeGreaterThan(0);
    const tree = (sim: OpenvcloudSimulator, id: number) =>
      JSON.stringify(sim.expectedCalculate(id, sec(CLOSED.start), sec(CLOSED.end)).account.cloudspaces);
    expect(shared.some((id) => tree(harness.g8, id) !== tree(other!, id))).toBe(true);

    const check = (data: QueryAnswer | undefined) => {
      for (const { node } of data!.accounts.edges) {
        const sim = sims[node.source.id as 'g8' | 'g8b'];
        const expected = sim.expectedCalculate(Number(node.providerId), sec(CLOSED.start), sec(CLOSED.end)).account;
        for (const cs of node.cloudspaces) {
          for (const m of cs.machines) {
            const want = expected.cloudspaces[cs.providerId]?.machines[m.providerId]?.consumption ?? {};
            expect(Object.fromEntries(m.consumption.map((p) => [p.metric, p.quantity]))).toEqual(want);
          }
        }
      }
    };
    for (const sim of Object.values(sims)) sim.resetCounters();
    const first = await harness.query(TRAVERSAL, { w: CLOSED, g: 'TOTAL' });
    expect(first.body.errors).toBeUndefined();
    check(first.body.data);
    expect(harness.g8.count({ route: 'billing/calculate' })).toBe(harness.g8.data.accounts.length);
    expect(other.count({ route: 'billing/calculate' })).toBe(other.data.accounts.length);

    for (const sim of Object.values(sims)) sim.resetCounters();
    const second = await harness.query(TRAVERSAL, { w: CLOSED, g: 'TOTAL' });
    check(second.body.data);
    expect(second.body.data).toEqual(first.body.data);
    expect(harness.g8.count({ route: 'billing/calculate' }) + other.count({ route: 'billing/calculate' })).toBe(0);
    const { namespaces } = harness.gateway.cache.stats();
    expect(namespaces.g8!.entries).toBe(harness.g8.data.accounts.length);
    expect(namespaces.g8b!.entries).toBe(other.data.accounts.length);
  });
});
