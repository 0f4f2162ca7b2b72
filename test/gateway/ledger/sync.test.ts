/**
 * `billgraph sync`'s work (syncSource) against every real simulator, then a gateway over the synced
 * embedded ledger beside an all-live one: exact upstream calls of the sync, resume after a stop,
 * reports from the ledger with no upstream call and digit for digit the live answer (also over
 * random windows, zones and granularities), and a recordUsage that no ledger answer hides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/bootstrap.js';
import type { Config } from '../../../src/config.js';
import { createSources, closeSources } from '../../../src/gateway/sources.js';
import { addDecimals } from '../../../src/lib/decimal.js';
import { encodeId } from '../../../src/lib/ids.js';
import { openLedger, type Ledger } from '../../../src/ledger/openLedger.js';
import { syncSource, type SyncResult } from '../../../src/ledger/syncSource.js';
import { createGateway, type Gateway } from '../../../src/server.js';
import type { KillbillSimulator } from '../../../simulators/killbill/simulator.js';
import { postGraphQL } from '../../helpers/harness.js';

type Sims = Awaited<ReturnType<typeof import('../../../simulators/registry.js').startAllSimulators>>;

const START = Date.parse('2026-10-05T00:00:00Z');
const END = Date.parse('2026-10-08T00:00:00Z');
const NOW = Date.parse('2026-11-20T12:00:00Z');
const DAY = 86_400_000;

let sims: Sims;
let dir: string;
let config: Config;
const results = new Map<string, SyncResult>();
const callsDuringSync = new Map<string, number>();
let ledgerGateway: Gateway;
let liveGateway: Gateway;
let ledgerUrl: string;
let liveUrl: string;

const simOf = (id: string) => sims.started.find((s) => s.source.id === id)!.handle;
const upstreamCalls = (): number => sims.started.reduce((n, s) => n + s.handle.count(), 0);
const resetCounters = (): void => sims.started.forEach((s) => s.handle.resetCounters());

async function withLedger<T>(work: (ledger: Ledger) => Promise<T>): Promise<T> {
  const ledger = await openLedger({ kind: 'embedded', dataDir: join(dir, 'ledger') });
  try {
    return await work(ledger);
  } finally {
    await ledger.close();
  }
}

beforeAll(async () => {
  const { startAllSimulators } = await import('../../../simulators/registry.js');
  sims = await startAllSimulators({ precision: true });
  dir = mkdtempSync(join(tmpdir(), 'billgraph-sync-test-'));
  // No cross-request cache: an answer without upstream calls can only come from the ledger.
  const sources = sims.config.sources.map((s) => ({ ...s, cache: { ttlSeconds: 0 } }));
  config = validateConfig(
    { sources, ledger: { dataDir: join(dir, 'ledger'), syncIntervalSeconds: 0 } },
    'sync test',
    process.env,
  );
  await withLedger(async (ledger) => {
    const gateway = createSources(config, () => NOW);
    try {
      for (const [id, gs] of gateway.sources) {
        resetCounters();
        const result = await syncSource(ledger.db, gs, START, END, { limits: config.limits, now: () => NOW });
        callsDuringSync.set(id, upstreamCalls());
        results.set(id, result!);
      }
    } finally {
      await closeSources(gateway);
    }
  });
  ledgerGateway = createGateway({ config, now: () => NOW, stopGracePeriodMs: 500 });
  liveGateway = createGateway({
    config: validateConfig({ sources, ledger: { enabled: false } }, 'live test', process.env),
    now: () => NOW,
    stopGracePeriodMs: 500,
  });
  [ledgerUrl, liveUrl] = await Promise.all([ledgerGateway.listen(0, '127.0.0.1'), liveGateway.listen(0, '127.0.0.1')]);
}, 120_000);

afterAll(async () => {
  await Promise.all([ledgerGateway?.stop(), liveGateway?.stop()]);
  await sims?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('billgraph sync (syncSource)', () => {
  it('counts exactly the upstream calls it made, and reads every final bucket of the range once', () => {
    for (const [id, result] of results) {
      expect(result.calls, id).toBe(callsDuringSync.get(id));
      expect(result.startMs).toBe(START);
      expect(result.doneUntilMs).toBe(END);
      expect(result.rows, id).toBeGreaterThan(0);
    }
  });

  it('makes one calculate per G8 account and hour, and no other call but the listing', async () => {
    const { startAllSimulators } = await import('../../../simulators/registry.js');
    const own = await startAllSimulators({ precision: true });
    const scratch = mkdtempSync(join(tmpdir(), 'billgraph-sync-g8-'));
    try {
      const ownConfig = validateConfig(
        { sources: own.config.sources, ledger: { enabled: false } },
        'g8 sync test',
        process.env,
      );
      const ledger = await openLedger({ kind: 'memory' });
      const gateway = createSources(ownConfig, () => NOW);
      try {
        const g8 = own.started.find((s) => s.source.id === 'g8')!.handle;
        const result = await syncSource(ledger.db, gateway.sources.get('g8')!, START, START + DAY, {
          limits: ownConfig.limits,
          now: () => NOW,
        });
        const listings = g8.requests.filter((r) => !r.path.includes('calculate')).length;
        const calculates = g8.requests.filter((r) => r.path.includes('calculate')).length;
        const accounts = await ledger.db
          .selectFrom('ledger_spans')
          .select((eb) => eb.fn.count<string>('account_id').distinct().as('n'))
          .where('source_id', '=', 'g8')
          .executeTakeFirstOrThrow();
        expect(listings).toBe(1);
        expect(calculates).toBe(Number(accounts.n) * 24);
        expect(result!.calls).toBe(listings + calculates);
      } finally {
        await closeSources(gateway);
        await ledger.close();
      }
    } finally {
      await own.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 60_000);

  it('resumes after a stop where its checkpoint is, reading no chunk twice', async () => {
    const ledger = await openLedger({ kind: 'memory' });
    const gateway = createSources(config, () => NOW);
    try {
      const kb = gateway.sources.get('kb')!;
      const abort = new AbortController();
      resetCounters();
      const first = await syncSource(ledger.db, kb, START, END, {
        limits: config.limits,
        now: () => NOW,
        chunkDays: 1,
        signal: abort.signal,
        // Stop once the first chunk is written (Ctrl-C): the run ends after it.
        onProgress: (p) => {
          if (p.bucketsDone > 0) abort.abort();
        },
      });
      expect(first!.doneUntilMs).toBe(START + DAY);
      const firstCalls = upstreamCalls();

      resetCounters();
      const second = await syncSource(ledger.db, kb, START, END, {
        limits: config.limits,
        now: () => NOW,
        chunkDays: 1,
      });
      expect(second!.resumedFromMs).toBe(START + DAY);
      expect(second!.doneUntilMs).toBe(END);
      // The whole range once: the two runs' rows are one full run's.
      expect(second!.rows).toBe(results.get('kb')!.rows);
      expect(upstreamCalls()).toBe(second!.calls);
      expect(firstCalls).toBeGreaterThan(0);
    } finally {
      await closeSources(gateway);
      await ledger.close();
    }
  }, 60_000);
});

const REPORT = /* GraphQL */ `
  query R($w: TimeWindow!, $g: Granularity) {
    usageReport(window: $w, granularity: $g) {
      complete
      totals {
        amount
        currency
      }
      virtualTotals {
        amount
        currency
      }
      points {
        provider
        start
        end
        metric
        quantity
        unit
        cost {
          amount
          currency
        }
        isFinal
      }
      freshness {
        source {
          id
        }
        bucketsFromLedger
        bucketsLive
        lastSyncedAt
      }
    }
  }
`;

/** A report that shows no points and neither groups nor filters by account: the ledger sums per source. */
const BY_SOURCE = /* GraphQL */ `
  query S($w: TimeWindow!, $g: Granularity) {
    usageReport(window: $w, granularity: $g, groupBy: [SOURCE]) {
      complete
      totals {
        amount
        currency
      }
      virtualTotals {
        amount
        currency
      }
      unpricedMetrics {
        source {
          id
        }
        metric
        unit
      }
      groups(first: 10) {
        totalCount
        edges {
          node {
            key {
              value
            }
            totals {
              amount
              currency
            }
            quantities {
              metric
              unit
              quantity
            }
            series {
              start
              totals {
                amount
                currency
              }
              quantities {
                metric
                quantity
              }
            }
          }
        }
      }
    }
  }
`;

interface BySource {
  usageReport: {
    complete: boolean;
    groups: { edges: { node: { key: { value: string }[]; series: unknown[] } }[] };
  };
}

interface ReportAnswer {
  usageReport: {
    complete: boolean;
    totals: { amount: string; currency: string }[];
    virtualTotals: { amount: string; currency: string }[];
    points: Record<string, unknown>[];
    freshness: {
      source: { id: string };
      bucketsFromLedger: number;
      bucketsLive: number;
      lastSyncedAt: string | null;
    }[];
  };
}

async function report(url: string, variables: Record<string, unknown>) {
  const res = await postGraphQL<ReportAnswer>(url, REPORT, variables);
  expect(res.body.errors).toBeUndefined();
  const r = res.body.data!.usageReport;
  // The ledger lists a source's accounts by id, the upstream in its own order: compare as sets.
  const points = r.points.map((p) => JSON.stringify(p)).sort();
  return { ...r, points };
}

/** The whole answer, errors included (without request ids), points as a sorted multiset, freshness left out. */
async function answer(url: string, variables: Record<string, unknown>) {
  const res = await postGraphQL<ReportAnswer>(url, REPORT, variables);
  const r = res.body.data?.usageReport;
  return {
    errors: res.body.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code })),
    report: r && { ...r, freshness: [], points: r.points.map((p) => JSON.stringify(p)).sort() },
  };
}

describe('a gateway over the synced ledger', () => {
  const WINDOW = { start: new Date(START).toISOString(), end: new Date(END).toISOString() };

  it.each(['DAY', 'WEEK', 'TOTAL'] as const)(
    'answers a %s report of the synced range with no upstream call, digit for digit the live answer',
    async (granularity) => {
      resetCounters();
      const fromLedger = await report(ledgerUrl, { w: WINDOW, g: granularity });
      expect(upstreamCalls()).toBe(0);
      const live = await report(liveUrl, { w: WINDOW, g: granularity });
      expect({ ...fromLedger, freshness: [] }).toEqual({ ...live, freshness: [] });
      for (const f of fromLedger.freshness) {
        expect(f.bucketsLive, f.source.id).toBe(0);
        expect(f.bucketsFromLedger, f.source.id).toBeGreaterThan(0);
        expect(f.lastSyncedAt, f.source.id).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      }
    },
    60_000,
  );

  it.each(['DAY', 'WEEK', 'TOTAL'] as const)(
    'answers a %s report grouped by SOURCE without points from the per-source sums, digit for digit the live answer',
    async (granularity) => {
      resetCounters();
      const fromLedger = await postGraphQL<{ usageReport: unknown }>(ledgerUrl, BY_SOURCE, {
        w: WINDOW,
        g: granularity,
      });
      expect(upstreamCalls()).toBe(0);
      const live = await postGraphQL<{ usageReport: unknown }>(liveUrl, BY_SOURCE, { w: WINDOW, g: granularity });
      expect(fromLedger.body.errors).toBeUndefined();
      expect(fromLedger.body.data).toEqual(live.body.data);
      // Every source answered, with its own non-empty series.
      const groups = (fromLedger.body.data as { usageReport: { groups: { totalCount: number } } }).usageReport.groups;
      expect(groups.totalCount).toBe(sims.started.length);
    },
    60_000,
  );

  it('exports FOCUS rows of the synced range from the ledger, with no upstream call but the account listings, as live', async () => {
    const focus = async (url: string) => {
      const res = await fetch(
        `${url.replace(/\/graphql$/, '')}/export/focus?start=2026-10-05&end=2026-10-08&format=jsonl&virtual=skip`,
      );
      expect(res.status).toBe(200);
      return (await res.text()).trimEnd().split('\n');
    };
    resetCounters();
    await postGraphQL(ledgerUrl, '{ accounts(first: 500) { totalCount } }');
    const listing = upstreamCalls();
    resetCounters();
    const fromLedger = await focus(ledgerUrl);
    expect(upstreamCalls()).toBe(listing);
    const live = await focus(liveUrl);
    expect(fromLedger.length).toBeGreaterThan(100);
    expect(fromLedger.sort()).toEqual(live.sort());
  }, 60_000);

  it('answers random windows, zones and granularities identically to the live graph', async () => {
    const zones = ['UTC', 'Europe/Madrid', 'America/New_York', 'Asia/Tokyo', 'Asia/Kolkata'];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 70 }),
        fc.integer({ min: 1, max: 72 }),
        fc.constantFrom(...zones),
        fc.constantFrom('DAY', 'WEEK', 'MONTH', 'TOTAL'),
        async (fromHour, hours, timeZone, granularity) => {
          const start = START + fromHour * 3_600_000;
          const end = Math.min(start + hours * 3_600_000, END + 2 * DAY);
          const w = { start: new Date(start).toISOString(), end: new Date(end).toISOString(), timeZone };
          const [a, b] = await Promise.all([
            answer(ledgerUrl, { w, g: granularity }),
            answer(liveUrl, { w, g: granularity }),
          ]);
          // Errors too: a source that cannot answer (an hour asked by DAY of a daily source) says so alike.
          expect(a).toEqual(b);
        },
      ),
      { numRuns: 20, seed: 20261207 },
    );
  }, 120_000);
});

describe('a report past what the ledger holds, at the call ceiling', () => {
  it('answers what the ledger holds and says which range is not synced, with a sync command, instead of failing', async () => {
    // The same ledger under a gateway allowed 40 upstream calls per request (one process per embedded folder).
    await ledgerGateway.stop();
    ledgerGateway = createGateway({
      config: { ...config, limits: { ...config.limits, maxUpstreamCallsPerRequest: 40 } },
      now: () => NOW,
      stopGracePeriodMs: 500,
    });
    const url = await ledgerGateway.listen(0, '127.0.0.1');
    try {
      // Ten days by DAY: the ledger holds the first three (the synced range), the rest is the upstreams'.
      const w = { start: new Date(START).toISOString(), end: new Date(START + 10 * DAY).toISOString() };
      const held = { start: w.start, end: new Date(END).toISOString() };
      const synced = await postGraphQL<BySource>(url, BY_SOURCE, { w: held, g: 'DAY' });
      expect(synced.body.errors).toBeUndefined();
      const res = await postGraphQL<BySource>(url, BY_SOURCE, { w, g: 'DAY' });
      const notSynced = (res.body.errors ?? []).filter((e) => e.extensions?.code === 'LEDGER_NOT_SYNCED');
      expect(notSynced.length).toBeGreaterThan(0);
      expect(res.body.errors!.filter((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX')).toEqual([]);
      expect(res.body.data!.usageReport.complete).toBe(false);
      for (const error of notSynced) {
        const source = error.extensions!.source as string;
        expect(error.path).toEqual(['usageReport']);
        const from = '2026-10-08';
        expect(error.message).toContain(`${from}T00:00:00Z → 2026-10-15T00:00:00Z of source "${source}"`);
        expect(error.message).toContain(`billgraph sync --source ${source} --since ${from}`);
        expect(error.extensions!.notSyncedFrom).toBe(`${from}T00:00:00Z`);
        expect(error.message).not.toMatch(/https?:|127\.0\.0\.1/);
        // What the ledger holds of that source is in the answer: its first three days, as synced.
        const series = (r: BySource) =>
          r.usageReport.groups.edges.find((e) => e.node.key[0]!.value === source)!.node.series.slice(0, 3);
        expect(series(res.body.data!)).toEqual(series(synced.body.data!));
      }
    } finally {
      // The default ceiling again, for the tests after this one.
      await ledgerGateway.stop();
      ledgerGateway = createGateway({ config, now: () => NOW, stopGracePeriodMs: 500 });
      ledgerUrl = await ledgerGateway.listen(0, '127.0.0.1');
    }
  }, 60_000);
});

describe('recordUsage under a synced ledger', () => {
  it('no report from the ledger hides the write: the new usage is in the next answer, as live', async () => {
    const kb = simOf('kb') as KillbillSimulator;
    const sub = kb.data.subscriptions[0]!;
    const window = { start: new Date(START).toISOString(), end: new Date(END).toISOString() };
    const before = await report(ledgerUrl, { w: window, g: 'TOTAL' });
    const write = await postGraphQL<{ recordUsage: { alreadyRecorded: boolean } }>(
      ledgerUrl,
      'mutation ($in: RecordUsageInput!) { recordUsage(input: $in) { alreadyRecorded } }',
      {
        in: {
          subscriptionId: encodeId('Subscription', 'kb', sub.subscriptionId),
          trackingId: `ledger-test-${Date.now()}`,
          units: [{ unitType: 'api-calls', records: [{ recordDate: '2026-10-06T10:00:00Z', amount: '7' }] }],
        },
      },
    );
    expect(write.body.errors).toBeUndefined();
    await ledgerGateway.ledger.settled();

    const after = await report(ledgerUrl, { w: window, g: 'TOTAL' });
    const live = await report(liveUrl, { w: window, g: 'TOTAL' });
    expect({ ...after, freshness: [] }).toEqual({ ...live, freshness: [] });
    expect(after.points).not.toEqual(before.points);
    const calls = (r: { points: string[] }) =>
      r.points
        .map((p) => JSON.parse(p) as { provider: string; metric: string; quantity: string })
        .filter((p) => p.provider === 'KILLBILL' && p.metric === 'api-calls')
        .reduce((sum, p) => addDecimals(sum, p.quantity), '0');
    expect(calls(after)).toBe(addDecimals(calls(before), '7'));
  }, 60_000);
});
