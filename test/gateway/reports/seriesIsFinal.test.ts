/**
 * SeriesPoint.isFinal over HTTP against every simulator, at a fixed clock: a DAY report over a
 * window around "now" calls past buckets final and today's and future ones not, a source's
 * restatement lag (Kill Bill's day) keeps its last bucket open, a bucket agrees with the
 * ConsumptionPoint.isFinal of every point in it, the others group folds the flags of the groups
 * it stands for, and a gateway answering from its synced ledger (the per-source sums) gives the
 * same flags as the live one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/bootstrap.js';
import { closeSources, createSources } from '../../../src/gateway/sources.js';
import { openLedger } from '../../../src/ledger/openLedger.js';
import { syncSource } from '../../../src/ledger/syncSource.js';
import { createGateway, type Gateway } from '../../../src/server.js';
import { postGraphQL } from '../../helpers/harness.js';

type Sims = Awaited<ReturnType<typeof import('../../../simulators/registry.js').startAllSimulators>>;

/** "Now": noon of 2026-10-20, so the DAY buckets of the window are past (17–19), today (20) and future (21, 22). */
const NOW = Date.parse('2026-10-20T12:00:00Z');
const WINDOW = { start: '2026-10-17T00:00:00Z', end: '2026-10-23T00:00:00Z' };
const DAYS = ['17', '18', '19', '20', '21', '22'];

let sims: Sims;
let dir: string;
let live: Gateway;
let ledger: Gateway;
let liveUrl: string;
let ledgerUrl: string;

beforeAll(async () => {
  const { startAllSimulators } = await import('../../../simulators/registry.js');
  sims = await startAllSimulators();
  dir = mkdtempSync(join(tmpdir(), 'billgraph-isfinal-test-'));
  // No cross-request cache: the ledger gateway's answer comes from the ledger or the upstream.
  const sources = sims.config.sources.map((s) => ({ ...s, cache: { ttlSeconds: 0 } }));
  const withLedger = validateConfig(
    { sources, ledger: { dataDir: join(dir, 'ledger'), syncIntervalSeconds: 0 } },
    'isFinal ledger test',
    process.env,
  );
  // billgraph sync of the window: it keeps the buckets each source has finalised at NOW.
  const db = await openLedger({ kind: 'embedded', dataDir: join(dir, 'ledger') });
  const synced = createSources(withLedger, () => NOW);
  try {
    for (const gs of synced.sources.values())
      await syncSource(db.db, gs, Date.parse(WINDOW.start), Date.parse(WINDOW.end), {
        limits: withLedger.limits,
        now: () => NOW,
      });
  } finally {
    await closeSources(synced);
    await db.close();
  }
  ledger = createGateway({ config: withLedger, now: () => NOW, stopGracePeriodMs: 500 });
  live = createGateway({
    config: validateConfig({ sources, ledger: { enabled: false } }, 'isFinal live test', process.env),
    now: () => NOW,
    stopGracePeriodMs: 500,
  });
  [liveUrl, ledgerUrl] = await Promise.all([live.listen(0, '127.0.0.1'), ledger.listen(0, '127.0.0.1')]);
}, 120_000);

afterAll(async () => {
  await Promise.all([live?.stop(), ledger?.stop()]);
  await sims?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Series {
  start: string;
  end: string;
  isFinal: boolean;
}
interface Group {
  key: { value: string }[];
  others: boolean;
  series: Series[];
}
interface Report {
  usageReport: {
    complete: boolean;
    points?: { start: string; provider: string; isFinal: boolean }[];
    freshness: { source: { id: string }; bucketsFromLedger: number; bucketsLive: number }[];
    groups: { edges: { node: Group }[] };
  };
}

const query = (points: boolean) => /* GraphQL */ `
  query ($w: TimeWindow!, $by: [ReportDimension!], $top: Int) {
    usageReport(window: $w, granularity: DAY, groupBy: $by) {
      complete
      ${points ? 'points { start provider isFinal }' : ''}
      freshness {
        source {
          id
        }
        bucketsFromLedger
        bucketsLive
      }
      groups(top: $top) {
        edges {
          node {
            key {
              value
            }
            others
            series {
              start
              end
              isFinal
            }
          }
        }
      }
    }
  }
`;

async function report(url: string, variables: Record<string, unknown>, points = false) {
  const res = await postGraphQL<Report>(url, query(points), { w: WINDOW, ...variables });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data!.usageReport.complete).toBe(true);
  return res.body.data!.usageReport;
}

/** Each group's flags, by day of the bucket: "17=true 18=true …". */
const flags = (group: Group): string => group.series.map((p) => `${p.start.slice(8, 10)}=${p.isFinal}`).join(' ');
const byKey = (r: Report['usageReport']): Record<string, string> =>
  Object.fromEntries(
    r.groups.edges.map((e) => [e.node.others ? 'others' : (e.node.key[0]?.value ?? ''), flags(e.node)]),
  );
const expected = (finalDays: number) => DAYS.map((d, i) => `${d}=${i < finalDays}`).join(' ');

describe('SeriesPoint.isFinal', () => {
  it('is true for past buckets and false for today’s and future ones; Kill Bill’s day of lag keeps yesterday open', async () => {
    const bySource = byKey(await report(liveUrl, { by: ['SOURCE'] }));
    expect(Object.keys(bySource).sort()).toEqual(sims.started.map((s) => s.source.id).sort());
    const killbill = sims.started.find((s) => s.source.provider === 'KILLBILL')!.source.id;
    for (const [source, got] of Object.entries(bySource))
      // Yesterday's bucket (19) ended at midnight: final for sources finalised within the hour or at
      // once, not for Kill Bill, which restates a day for a day after it ends.
      expect(got, source).toBe(expected(source === killbill ? 2 : 3));
    // One group over every source: a bucket is final only once the slowest source has finalised it.
    expect(byKey(await report(liveUrl, { by: [] }))).toEqual({ '': expected(2) });
  });

  it('agrees with ConsumptionPoint.isFinal of every point in the bucket', async () => {
    const r = await report(liveUrl, { by: ['PROVIDER'] }, true);
    const flagOf = new Map(
      r.groups.edges.flatMap((e) => e.node.series.map((p) => [`${e.node.key[0]!.value}|${p.start}`, p.isFinal])),
    );
    expect(r.points!.length).toBeGreaterThan(0);
    for (const point of r.points!)
      expect(point.isFinal, point.start).toBe(flagOf.get(`${point.provider}|${point.start}`));
  });

  it('makes the others group’s bucket final only when every folded group’s is', async () => {
    const all = (await report(liveUrl, { by: ['SOURCE'] })).groups.edges.map((e) => e.node);
    const folded = (await report(liveUrl, { by: ['SOURCE'], top: 1 })).groups.edges.map((e) => e.node);
    const others = folded.find((g) => g.others)!;
    const rest = all.slice(1);
    expect(others.series.map((p) => p.isFinal)).toEqual(
      others.series.map((_, i) => rest.every((g) => g.series[i]!.isFinal)),
    );
    // Yesterday's bucket of the others group is open exactly when Kill Bill is folded into it.
    const killbill = sims.started.find((s) => s.source.provider === 'KILLBILL')!.source.id;
    expect(flags(others)).toBe(rest.some((g) => g.key[0]!.value === killbill) ? expected(2) : expected(3));
  });

  it('is the same from the synced ledger (per-source sums) as live', async () => {
    const fromLedger = await report(ledgerUrl, { by: ['SOURCE'], top: 2 });
    // The report was answered from the ledger for every source's finalised buckets.
    for (const f of fromLedger.freshness) expect(f.bucketsFromLedger, f.source.id).toBeGreaterThan(0);
    const fromUpstream = await report(liveUrl, { by: ['SOURCE'], top: 2 });
    expect(byKey(fromLedger)).toEqual(byKey(fromUpstream));
    expect(byKey(await report(ledgerUrl, { by: [] }))).toEqual({ '': expected(2) });
  });
});
