/**
 * Replicas sharing one PostgreSQL ledger (test/helpers/postgres.ts starts a real cluster on a free
 * loopback port): one syncs at a time (the advisory lock), and a gateway over the shared ledger
 * answers what another process synced with no upstream call, as the live graph does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/bootstrap.js';
import type { Config } from '../../../src/config.js';
import { createSources, closeSources } from '../../../src/gateway/sources.js';
import { openLedger } from '../../../src/ledger/openLedger.js';
import { withSyncLock } from '../../../src/ledger/syncLock.js';
import { syncSource } from '../../../src/ledger/syncSource.js';
import { createGateway, type Gateway } from '../../../src/server.js';
import { postGraphQL } from '../../helpers/harness.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';

type Sims = Awaited<ReturnType<typeof import('../../../simulators/registry.js').startAllSimulators>>;

const START = Date.parse('2026-10-05T00:00:00Z');
const END = Date.parse('2026-10-07T00:00:00Z');
const NOW = Date.parse('2026-11-20T12:00:00Z');

let sims: Sims;
let postgres: TestPostgres;
let config: Config;
let replica: Gateway;
let live: Gateway;
let replicaUrl: string;
let liveUrl: string;

const upstreamCalls = (): number => sims.started.reduce((n, s) => n + s.handle.count(), 0);
const resetCounters = (): void => sims.started.forEach((s) => s.handle.resetCounters());

beforeAll(async () => {
  const { startAllSimulators } = await import('../../../simulators/registry.js');
  [sims, postgres] = await Promise.all([startAllSimulators({ precision: true }), startPostgres()]);
  const sources = sims.config.sources.map((s) => ({ ...s, cache: { ttlSeconds: 0 } }));
  config = validateConfig({ sources, ledger: { url: postgres.url, syncIntervalSeconds: 0 } }, 'shared', process.env);
  replica = createGateway({ config, now: () => NOW, stopGracePeriodMs: 500 });
  live = createGateway({
    config: validateConfig({ sources, ledger: { enabled: false } }, 'live', process.env),
    now: () => NOW,
    stopGracePeriodMs: 500,
  });
  [replicaUrl, liveUrl] = await Promise.all([replica.listen(0, '127.0.0.1'), live.listen(0, '127.0.0.1')]);
}, 120_000);

afterAll(async () => {
  await Promise.all([replica?.stop(), live?.stop()]);
  await sims?.close();
  await postgres?.stop();
});

describe('a shared PostgreSQL ledger', () => {
  it('lets one replica sync at a time: a second finds the lock taken and skips its turn', async () => {
    const [a, b] = await Promise.all([
      openLedger({ kind: 'postgres', url: postgres.url }),
      openLedger({ kind: 'postgres', url: postgres.url }),
    ]);
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const first = withSyncLock(a, false, async () => {
        entered();
        await held;
        return 'synced';
      });
      await inside;
      expect(await withSyncLock(b, false, async () => 'synced too')).toBe('busy');
      release();
      expect(await first).toBe('synced');
      // Released: the next turn is taken.
      expect(await withSyncLock(b, false, async () => 'next')).toBe('next');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 60_000);

  it('answers a report another process synced into it with no upstream call, as the live graph', async () => {
    // Another process (billgraph sync) writes the shared ledger.
    const ledger = await openLedger({ kind: 'postgres', url: postgres.url });
    const gateway = createSources(config, () => NOW);
    try {
      for (const gs of gateway.sources.values())
        await syncSource(ledger.db, gs, START, END, { limits: config.limits, now: () => NOW });
    } finally {
      await closeSources(gateway);
      await ledger.close();
    }
    const query = `query R($w: TimeWindow!) { usageReport(window: $w, granularity: DAY) {
      complete totals { amount currency } virtualTotals { amount currency } points { provider start metric quantity cost { amount currency } }
      freshness { source { id } bucketsFromLedger bucketsLive } } }`;
    const w = { start: new Date(START).toISOString(), end: new Date(END).toISOString() };
    resetCounters();
    const a = await postGraphQL<{
      usageReport: Record<string, unknown> & { points: unknown[]; freshness: { bucketsLive: number }[] };
    }>(replicaUrl, query, { w });
    expect(a.body.errors).toBeUndefined();
    expect(upstreamCalls()).toBe(0);
    expect(a.body.data!.usageReport.freshness.every((f) => f.bucketsLive === 0)).toBe(true);
    const b = await postGraphQL<{ usageReport: Record<string, unknown> & { points: unknown[] } }>(liveUrl, query, {
      w,
    });
    const norm = (r: Record<string, unknown> & { points: unknown[] }) => ({
      ...r,
      freshness: [],
      points: r.points.map((p) => JSON.stringify(p)).sort(),
    });
    expect(norm(a.body.data!.usageReport)).toEqual(norm(b.body.data!.usageReport));
  }, 120_000);
});
