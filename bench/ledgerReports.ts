/**
 * `npm run bench:reports`: the ledger's figures (docs/ledger.md), side by side with the live path.
 *   1. Sync DAYS days (a year by default) of every simulator at --scale N into a new embedded ledger:
 *      rows, seconds, upstream calls (counted by the simulators), peak RSS of this process.
 *   2. A gateway over that ledger and one without a ledger, both over the same simulators: REPEAT
 *      times each, the dashboard's questions — the whole range by DAY grouped by SOURCE, and its last
 *      month by DAY — p50 milliseconds and upstream calls per query, and whether the answers agree.
 *   npm run bench:reports [-- --scale N] [--days N] [--repeat N]
 * Loopback only, bounded: the sync is DAYS days, each query REPEAT times.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { validateConfig } from '../src/bootstrap.js';
import { configureLogging } from '../src/logger.js';
import { createSources, closeSources } from '../src/gateway/sources.js';
import { commandLineOrExit } from '../src/lib/cli.js';
import { openLedger } from '../src/ledger/openLedger.js';
import { syncSource } from '../src/ledger/syncSource.js';
import { createGateway } from '../src/server.js';
import { startAllSimulators } from '../simulators/registry.js';

const USAGE = `Usage: npm run bench:reports -- [options]

Syncs the simulators into a new embedded ledger, then times reports from it beside the live path.

Options:
  --scale N    size factor of the simulated worlds (default 1)
  --days N     days synced and reported, ending at the last whole UTC day before 2026-12-01 (default 365)
  --repeat N   runs of each query per gateway; the median is reported (default 7)
`;
const values = commandLineOrExit(
  'bench:reports',
  process.argv.slice(2),
  { scale: { type: 'string' }, days: { type: 'string' }, repeat: { type: 'string' } },
  USAGE,
);
// The figures are the output; the gateways' access lines would bury them.
configureLogging({ level: 'silent' });
const SCALE = Number(values.scale ?? 1);
const DAYS = Number(values.days ?? 365);
const REPEAT = Number(values.repeat ?? 7);
const DAY = 86_400_000;
const END = Date.parse('2026-12-01T00:00:00Z');
const START = END - DAYS * DAY;
const NOW = Date.parse('2026-12-07T12:00:00Z');

const sims = await startAllSimulators({ scale: SCALE });
const upstreamCalls = (): number => sims.started.reduce((n, s) => n + s.handle.count(), 0);
const resetCounters = (): void => sims.started.forEach((s) => s.handle.resetCounters());
const dir = mkdtempSync(join(tmpdir(), 'billgraph-bench-reports-'));
const dataDir = join(dir, 'ledger');
const sources = sims.config.sources.map((s) => ({ ...s, cache: { ttlSeconds: 0 } }));
// Generous ceilings: the live side of the comparison is measured, not refused.
const limits = { maxUpstreamCallsPerRequest: 1_000_000, maxBucketsPerRequest: 1_000_000, requestTimeoutMs: 600_000 };

const du = (path: string): number =>
  readdirSync(path, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? du(join(path, e.name)) : statSync(join(path, e.name)).size),
    0,
  );

try {
  // 1. Sync.
  const config = validateConfig(
    { sources, limits, ledger: { dataDir, syncIntervalSeconds: 0 } },
    'bench reports',
    process.env,
  );
  const ledger = await openLedger({ kind: 'embedded', dataDir });
  const gatewaySources = createSources(config, () => NOW);
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  resetCounters();
  const started = performance.now();
  const perSource: { id: string; rows: number; calls: number; seconds: number }[] = [];
  // One source after another: the simulators share this process with the ledger, and a source's
  // timeouts must not measure another source's load (npm run sync runs them at once).
  for (const [id, gs] of gatewaySources.sources) {
    const t = performance.now();
    const result = await syncSource(ledger.db, gs, START, END, { limits: config.limits, now: () => NOW });
    perSource.push({ id, rows: result?.rows ?? 0, calls: result?.calls ?? 0, seconds: (performance.now() - t) / 1000 });
  }
  const syncSeconds = (performance.now() - started) / 1000;
  clearInterval(rssTimer);
  const syncCalls = upstreamCalls();
  await closeSources(gatewaySources);
  await ledger.close();
  const rows = perSource.reduce((n, s) => n + s.rows, 0);
  const bytes = du(dataDir);

  // 2. Reports, from the ledger and live.
  const withLedger = createGateway({ config, now: () => NOW, stopGracePeriodMs: 500 });
  const live = createGateway({
    config: validateConfig({ sources, limits, ledger: { enabled: false } }, 'bench live', process.env),
    now: () => NOW,
    stopGracePeriodMs: 500,
  });
  const [ledgerUrl, liveUrl] = await Promise.all([withLedger.listen(0, '127.0.0.1'), live.listen(0, '127.0.0.1')]);
  const QUERY = `query Y($w: TimeWindow!) { usageReport(window: $w, granularity: DAY, groupBy: [SOURCE]) {
    complete totals { amount currency } virtualTotals { amount currency }
    groups(first: 10) { edges { node { key { value } totals { amount currency } series { start totals { amount currency } } } } } } }`;
  const MONTH = `query M($w: TimeWindow!) { usageReport(window: $w, granularity: DAY) {
    complete totals { amount currency } points { provider start metric quantity cost { amount currency } } } }`;
  const time = async (url: string, query: string, w: object) => {
    const runs: number[] = [];
    let calls = 0;
    let body = '';
    for (let i = 0; i < REPEAT; i++) {
      resetCounters();
      const t = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: { w } }),
      });
      body = await res.text();
      runs.push(performance.now() - t);
      calls = upstreamCalls();
    }
    runs.sort((a, b) => a - b);
    const parsed = JSON.parse(body) as {
      errors?: { message: string }[];
      data?: { usageReport: { totals: unknown; complete: boolean } };
    };
    return {
      p50: runs[Math.floor(runs.length / 2)]!,
      calls,
      totals: JSON.stringify(parsed.data?.usageReport.totals),
      complete: parsed.data?.usageReport.complete,
      errors: parsed.errors?.length ?? 0,
    };
  };
  const year = { start: new Date(START).toISOString(), end: new Date(END).toISOString() };
  const month = { start: new Date(END - 30 * DAY).toISOString(), end: new Date(END).toISOString() };
  const yearLedger = await time(ledgerUrl, QUERY, year);
  const yearLive = await time(liveUrl, QUERY, year);
  const monthLedger = await time(ledgerUrl, MONTH, month);
  const monthLive = await time(liveUrl, MONTH, month);
  // 3. The FOCUS export of the whole range by DAY (docs/focus.md): rows per second, upstream calls
  // and how much this process's RSS grew while it streamed, from the ledger and live.
  const exportOf = async (url: string) => {
    resetCounters();
    const rss = process.memoryUsage().rss;
    let peak = rss;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    const t = performance.now();
    const res = await fetch(
      `${url.replace(/\/graphql$/, '')}/export/focus?start=${year.start}&end=${year.end}&granularity=DAY&virtual=skip&unpriced=skip`,
    );
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
    }
    const seconds = (performance.now() - t) / 1000;
    clearInterval(timer);
    if (res.status !== 200) process.stderr.write(`export from ${url}: HTTP ${res.status}\n`);
    return {
      status: res.status,
      rows: Math.max(lines - 1, 0),
      bytes,
      seconds,
      calls: upstreamCalls(),
      growth: peak - rss,
    };
  };
  const exportLedger = await exportOf(ledgerUrl);
  const exportLive = await exportOf(liveUrl);
  await Promise.all([withLedger.stop(), live.stop()]);

  const table = [
    `bench:reports — scale ${SCALE}, ${DAYS} days (${year.start.slice(0, 10)} → ${year.end.slice(0, 10)}), ${REPEAT} runs, ${new Date().toISOString().slice(0, 10)}`,
    '',
    `sync: ${rows} rows in ${syncSeconds.toFixed(1)} s, ${syncCalls} upstream calls, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB, ledger ${(bytes / 2 ** 20).toFixed(1)} MiB on disk (${(((bytes / Math.max(rows, 1)) * 1e6) / 2 ** 20).toFixed(0)} MiB per million rows)`,
    ...perSource
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((s) => `  ${s.id}: ${s.rows} rows, ${s.calls} calls, ${s.seconds.toFixed(1)} s`),
    '',
    '| query | from the ledger p50 ms | calls | live p50 ms | calls | same totals |',
    '|---|---:|---:|---:|---:|:---:|',
    `| ${DAYS} days by DAY, grouped by SOURCE | ${yearLedger.p50.toFixed(0)} | ${yearLedger.calls} | ${yearLive.p50.toFixed(0)} | ${yearLive.calls} | ${yearLedger.totals === yearLive.totals ? 'yes' : 'no'} |`,
    `| last 30 days by DAY (the dashboard's month) | ${monthLedger.p50.toFixed(0)} | ${monthLedger.calls} | ${monthLive.p50.toFixed(0)} | ${monthLive.calls} | ${monthLedger.totals === monthLive.totals ? 'yes' : 'no'} |`,
    '',
    '| FOCUS export, the range by DAY | rows | rows/s | MiB | upstream calls | RSS growth MiB |',
    '|---|---:|---:|---:|---:|---:|',
    ...(
      [
        ['from the ledger', exportLedger],
        ['live (no ledger)', exportLive],
      ] as const
    ).map(
      ([name, e]) =>
        `| ${name} | ${e.rows} | ${(e.rows / e.seconds).toFixed(0)} | ${(e.bytes / 2 ** 20).toFixed(1)} | ${e.calls} | ${(e.growth / 2 ** 20).toFixed(0)} |`,
    ),
  ];
  for (const [name, a, b] of [
    ['year', yearLedger, yearLive],
    ['month', monthLedger, monthLive],
  ] as const)
    if (a.totals !== b.totals || !a.complete || !b.complete)
      table.push(
        '',
        `${name}: from the ledger complete=${a.complete} errors=${a.errors} totals=${a.totals}`,
        `${name}: live complete=${b.complete} errors=${b.errors} totals=${b.totals}`,
      );
  process.stdout.write(`${table.join('\n')}\n`);
} finally {
  await sims.close();
  rmSync(dir, { recursive: true, force: true });
}
