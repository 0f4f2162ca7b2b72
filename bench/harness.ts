/**
 * The bench harness: starts the simulators, the gateway (as users run it) and the baseline in
 * their own processes, drives them with autocannon from this process, reads CPU and peak RSS of
 * the gateway from /proc, counts upstream calls through the simulators' control API, and writes
 * bench/results/latest.{json,md}. bench/run.ts is the CLI; test/repo/bench/smoke.test.ts runs it tiny.
 * See docs/benchmark.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { keySha256 } from '../src/security/tenantAuth.js';
import { generateOpenvcloudData, OPENVCLOUD_DEFAULT_SEED } from '../simulators/openvcloud/seed.js';
import { cpuMs, resetPeakRss, spawnChild, statusMb, type Child } from './processes.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ─── Scenarios ──────────────────────────────────────────────────────────────────────────────────

export interface Scenario {
  id: string;
  title: string;
  operationName: string;
  query: string;
  variables: Record<string, unknown>;
  /** The baseline answers this scenario too (same upstream walk, same JSON shape). */
  baseline: boolean;
  /** Time buckets of the G8 window, for the exact minimum of upstream calls (traversals only). */
  g8Buckets?: number;
  /** Overrides BenchOptions.rounds for a heavy query, so its phases stay within the cap. */
  rounds?: number;
  /**
   * Measured on the gateway with its default cross-request cache (docs/cache.md). Every other
   * scenario runs on a gateway whose sources have `cache.ttlSeconds: 0`, so each query reaches
   * the upstreams as the first ask of a window does: the hot path, not the cache.
   */
  cached?: boolean;
  note?: string;
}

const MONTH = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };
const WEEK = { start: '2026-10-05T00:00:00Z', end: '2026-10-12T00:00:00Z' };
const DAYS_30 = { start: '2026-10-01T00:00:00Z', end: '2026-10-31T00:00:00Z' };
/** Long over and past every source's finality lag: what the cross-request cache may keep. */
const CLOSED = { start: '2026-09-01T00:00:00Z', end: '2026-10-01T00:00:00Z' };

/** The G8 traversal the performance targets are stated for (docs/benchmark.md), with `first: 500` so the 16× world (64 accounts) fits one page. */
export const TRAVERSAL = `query Traversal($w: TimeWindow!, $g: Granularity) {
  accounts(provider: OPENVCLOUD, first: 500) { edges { node { name
    cloudspaces { name machines { name consumption(window: $w, granularity: $g) { metric quantity } } } } } }
}`;
const KB_USAGE = `query KillbillUsage($w: TimeWindow!) {
  accounts(provider: KILLBILL, first: 500) { errors { code } edges { node { name subscriptions { planName usage(window: $w) { metric quantity } } } } }
}`;
const HS_COST = `query HyperstackCost($w: TimeWindow!) {
  accounts(provider: HYPERSTACK, first: 500) { errors { code } edges { node { name resources { name cost(window: $w) { amount currency } } } } }
}`;
const USAGE_REPORT = `query UsageReport($w: TimeWindow!) {
  usageReport(window: $w, granularity: DAY) { points { provider metric quantity } totals { amount currency } errors { code message } }
}`;

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'traversal',
    title: 'G8 traversal, TOTAL, 1 month',
    operationName: 'Traversal',
    query: TRAVERSAL,
    variables: { w: MONTH, g: 'TOTAL' },
    baseline: true,
    g8Buckets: 1,
  },
  {
    id: 'traversal-day',
    title: 'G8 traversal, DAY, 7 days',
    operationName: 'Traversal',
    query: TRAVERSAL,
    variables: { w: WEEK, g: 'DAY' },
    baseline: true,
    g8Buckets: 7,
  },
  {
    id: 'kb-usage',
    title: 'Kill Bill subscriptions → usage, all accounts, 1 month',
    operationName: 'KillbillUsage',
    query: KB_USAGE,
    variables: { w: MONTH },
    baseline: false,
  },
  {
    id: 'hs-cost',
    title: 'Hyperstack resources → cost, every resource, 1 month',
    operationName: 'HyperstackCost',
    query: HS_COST,
    variables: { w: MONTH },
    baseline: false,
  },
  {
    id: 'usage-report',
    title: 'usageReport, all 5 sources, DAY, 30 days',
    operationName: 'UsageReport',
    query: USAGE_REPORT,
    variables: { w: DAYS_30 },
    baseline: false,
    rounds: 1,
  },
  {
    id: 'traversal-repeat',
    title: 'G8 traversal repeated, closed window, cache on',
    operationName: 'Traversal',
    query: TRAVERSAL,
    variables: { w: CLOSED, g: 'TOTAL' },
    baseline: true,
    g8Buckets: 1,
    cached: true,
    note: 'The gateway with its default cache: after warm-up every billing/calculate answer of the closed window comes from the cache, so only the listings (accounts, cloudspaces, machines: not cached by default) reach the upstream. The baseline caches nothing.',
  },
];

/** Special scenario: Hyperstack hung (a `timeout` fault through POST /__sim/faults). */
export const HUNG_ID = 'hs-hung';
/** Special scenario: one tenant floods call-heavy queries, another's latency is measured (fair queue). */
export const NOISY_ID = 'noisy-neighbour';
/** Special scenario: Civitai answers 10 MB bodies (a `hugeBody` fault through POST /__sim/faults). */
export const HUGE_ID = 'huge-body';
export const ALL_SCENARIO_IDS = [...SCENARIOS.map((s) => s.id), HUNG_ID, NOISY_ID, HUGE_ID, 'scale'] as const;

/**
 * Three other sources in one request, each answering its own account's consumption (huge-body).
 * Not TheirStack: its own limit (600 calls a minute per key) answers this load with 429s, and
 * billgraph then rightly pauses the source, which would measure TheirStack's limit, not Civitai's bodies.
 */
const OTHER_SOURCES = `query OtherSources($w: TimeWindow!) {
  g8: accounts(provider: OPENVCLOUD, first: 1) { edges { node { consumption(window: $w) { quantity } } } }
  kb: accounts(provider: KILLBILL, first: 1) { edges { node { consumption(window: $w) { quantity } } } }
  hs: accounts(provider: HYPERSTACK, first: 1) { edges { node { consumption(window: $w) { quantity } } } }
}`;
const CIVITAI_CONSUMPTION = `query CivitaiConsumption($w: TimeWindow!) {
  accounts(provider: CIVITAI, first: 1) { edges { node { consumption(window: $w) { quantity } } } }
}`;

// ─── Options ────────────────────────────────────────────────────────────────────────────────────

/**
 * How the README tells users to run billgraph in production (docs/performance.md): a 64 MB
 * young generation, so a query's short-lived objects die in a scavenge instead of being
 * promoted, and NODE_ENV=production, which turns off graphql-js's development-only checks.
 * The baseline runs with the same, so the comparison stays side by side.
 */
export const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=64'];
const PRODUCTION_ENV = { ...process.env, NODE_ENV: 'production' };

export interface BenchOptions {
  /** Scenario ids to run (SCENARIOS ids, 'hs-hung', 'scale'); all when null. */
  scenarios: readonly string[] | null;
  /** Each figure is the median of this many runs. */
  runs: number;
  /** Requests per client in each throughput phase (clients × rounds requests, closed loop). */
  rounds: number;
  /** Time cap of every measuring phase, seconds: a phase still running then is stopped (and flagged). */
  seconds: number;
  /** Requests at 1 client for p50/p95/p99. */
  latencyRequests: number;
  /** CPU per query is read around the throughput phase with this many clients (a fixed number of requests). */
  cpuClients: number;
  /** Client counts of the throughput runs. */
  throughputClients: readonly number[];
  /** Sequential requests before measuring (JIT, keep-alive sockets). */
  warmup: number;
  /** Upstream latency per call, ms. */
  latencyMs: number;
  /** Simulator size factors of the scale run. */
  scales: readonly number[];
  /** Client counts of the hung-source scenario, and how long each lasts (s). */
  hungClients: readonly number[];
  hungSeconds: number;
  /** Clients of the flooding tenant in the noisy-neighbour row. */
  noisyClients: number;
  /** Client counts of the 10 MB body scenario (half on each query); each phase lasts hungSeconds. */
  hugeClients: readonly number[];
  /** 'dist': node dist/main.js (built output, as users run it); 'tsx': node --import tsx src/main.ts. */
  gateway: 'dist' | 'tsx';
  /** Run `npm run build` first when dist/ is missing or older than src/ (gateway 'dist' only). */
  build: boolean;
  /** Settings merged into every source of the gateway's config, e.g. { transport: 'node-fetch', maxSockets: 32 } to measure one change against another. */
  sourceSettings: Readonly<Record<string, unknown>>;
  /** Top-level keys merged into the gateway's config, e.g. { metrics: { enabled: false } } to measure what metrics cost. */
  gatewaySettings: Readonly<Record<string, unknown>>;
  /** Node flags of the gateway and the baseline processes. @default PRODUCTION_NODE_FLAGS */
  nodeFlags: readonly string[];
  /** Where latest.json and latest.md go; null writes nothing. */
  outDir: string | null;
  log: (line: string) => void;
}

export const DEFAULTS: BenchOptions = {
  scenarios: null,
  runs: 3,
  rounds: 6,
  seconds: 90,
  latencyRequests: 50,
  cpuClients: 20,
  throughputClients: [20, 50],
  warmup: 5,
  latencyMs: 20,
  scales: [1, 4, 16],
  hungClients: [20, 40],
  hungSeconds: 12,
  noisyClients: 8,
  hugeClients: [20],
  gateway: 'dist',
  build: true,
  sourceSettings: {},
  gatewaySettings: {},
  nodeFlags: PRODUCTION_NODE_FLAGS,
  outDir: join(ROOT, 'bench', 'results'),
  log: (line) => process.stdout.write(`${line}\n`),
};

/** --quick: one run, short phases — proves the harness, not the numbers. */
export const QUICK: Partial<BenchOptions> = {
  runs: 1,
  rounds: 2,
  seconds: 30,
  latencyRequests: 10,
  warmup: 2,
  hungSeconds: 8,
};

// ─── Results ────────────────────────────────────────────────────────────────────────────────────

export interface Figures {
  p50: number;
  p95: number;
  p99: number;
  /** Requests per second by client count (as a string key, e.g. "20"). */
  throughput: Record<string, number>;
  cpuMsPerQuery: number;
  peakRssMb: number;
  upstreamPerQuery: number;
  /** Requests that were not a clean 200 answer (non-2xx, socket errors, timeouts, GraphQL errors), summed over phases. */
  badAnswers: number;
  /** The first such answer's body (truncated), to see what went wrong. */
  badSample?: string;
  /** Phases stopped by the time cap (their figures undercount). */
  capped: number;
}

export interface ScenarioResult {
  id: string;
  title: string;
  note?: string;
  /** The exact minimum of upstream calls for this query (G8 traversals), when known. */
  minimumUpstream?: number;
  gateway: Figures;
  baseline?: Figures;
  ratio?: {
    throughput: Record<string, number>;
    p50DeltaMs: number;
    cpuMsPerQuery: { gateway: number; baseline: number };
  };
  /** Gateway and baseline returned the same `data` (baseline scenarios only). */
  sameAnswer?: boolean;
  upstreamByRoute: Record<string, number>;
  runs: { gateway: Figures; baseline?: Figures }[];
}

export interface ScaleRow {
  scale: number;
  world: { accounts: number; cloudspaces: number; machines: number };
  minimumUpstream: number;
  gateway: Pick<Figures, 'p50' | 'cpuMsPerQuery' | 'peakRssMb' | 'upstreamPerQuery' | 'badAnswers'> & {
    throughput20: number;
  };
  baseline: Pick<Figures, 'p50' | 'cpuMsPerQuery' | 'peakRssMb' | 'upstreamPerQuery' | 'badAnswers'> & {
    throughput20: number;
  };
  /** Relative to the first scale of the run. */
  growth: { machines: number; upstream: number; gatewayCpuPerQuery: number; gatewayP50: number };
}

export interface HungRow {
  clients: number;
  query: 'no Hyperstack (G8 traversal)' | 'touches Hyperstack (resources → cost)';
  p50: number;
  p95: number;
  completed: number;
  badAnswers: number;
}

export interface NoisyRow {
  /** Whose queue the measured tenant's calls wait in: its own (fair queue) or the flooding tenant's (one FIFO, as before). */
  queue: 'own tenant' | "the flooding tenant's";
  unloaded: { p50: number; p95: number };
  loaded: { p50: number; p95: number };
  /** loaded p95 ÷ unloaded p95. */
  p95Ratio: number;
  /** Answers of the measured tenant under load, and of the flood while it was measured. */
  completed: number;
  floodCompleted: number;
  badAnswers: number;
}

export interface HugeRow {
  clients: number;
  phase: 'quiet' | 'Civitai answering 10 MB';
  query: 'other 3 sources' | 'Civitai';
  p50: number;
  p95: number;
  completed: number;
  badAnswers: number;
  /** Gateway CPU (utime + stime) over the phase ÷ answers of both queries, ms. */
  cpuMsPerQuery: number;
  /** Gateway VmHWM during the phase, MB. */
  peakRssMb: number;
  /** The first answer with errors, truncated. */
  badSample?: string;
}

export interface BenchResult {
  meta: {
    date: string;
    machine: { cores: number; cpuModel: string; loadAverageAtStart: number[]; platform: string };
    node: string;
    gatewayCommand: string;
    upstreamLatencyMs: number;
    runs: number;
    peakRssSince: 'scenario start' | 'process start';
    options: Omit<BenchOptions, 'log' | 'outDir'>;
  };
  scenarios: ScenarioResult[];
  scale: ScaleRow[];
  hung: HungRow[];
  noisy: NoisyRow[];
  huge: HugeRow[];
}

// ─── Processes ──────────────────────────────────────────────────────────────────────────────────

interface SimInfo {
  id: string;
  provider: string;
  url: string;
  world: Record<string, number>;
}
interface Stack {
  sims: Child<{ config: { sources: unknown[] }; simulators: SimInfo[] }>;
  /** Every source with `cache.ttlSeconds: 0`: the hot path. */
  gateway: Child<string>;
  /** The same sources with the default cache, for `cached` scenarios; absent when none runs. */
  cachedGateway: Child<string> | undefined;
  baseline: Child<string>;
  dir: string;
  stop(): Promise<void>;
}

const TSX = ['--import', 'tsx'];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than src/ (bounded: 5 minutes). */
export function ensureBuilt(log: (line: string) => void): void {
  const main = join(ROOT, 'dist', 'main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  log('building the gateway (npm run build) …');
  execFileSync('npm', ['run', 'build', '--silent'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 300_000,
  });
}

async function startStack(options: BenchOptions, scale: number, withCachedGateway = false): Promise<Stack> {
  const dir = mkdtempSync(join(os.tmpdir(), 'billgraph-bench-'));
  const started: Child<unknown>[] = [];
  const stop = async () => {
    await Promise.all(started.map((c) => c.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const sims = await spawnChild({
      name: 'simulators',
      command: process.execPath,
      args: [
        ...TSX,
        'simulators/cli.ts',
        '--latency',
        String(options.latencyMs),
        '--scale',
        String(scale),
        '--json-line',
      ],
      cwd: ROOT,
      ready: (line) => (line.startsWith('{') ? (JSON.parse(line) as Stack['sims']['ready']) : undefined),
    });
    started.push(sims);
    const configPath = join(dir, 'billgraph.json');
    const cachedPath = join(dir, 'billgraph-cached.json');
    const sources = sims.ready.config.sources.map((source) => ({ ...(source as object), ...options.sourceSettings }));
    // port 0: a free port, printed in the "running at" line.
    writeFileSync(
      configPath,
      JSON.stringify(
        {
          ...sims.ready.config,
          // These scenarios measure the live path: no ledger answering buckets, no background sync calling upstreams.
          ledger: { enabled: false },
          ...options.gatewaySettings,
          sources: sources.map((source) => ({ ...source, cache: { ttlSeconds: 0 } })),
          port: 0,
        },
        null,
        2,
      ),
    );
    writeFileSync(
      cachedPath,
      JSON.stringify(
        { ...sims.ready.config, ledger: { enabled: false }, ...options.gatewaySettings, sources, port: 0 },
        null,
        2,
      ),
    );
    const gatewayArgs = (file: string) => [
      ...options.nodeFlags,
      ...(options.gateway === 'dist' ? ['dist/main.js', '--config', file] : [...TSX, 'src/main.ts', '--config', file]),
    ];
    const track = <T>(child: Promise<Child<T>>) => child.then((c) => (started.push(c), c));
    const spawnGateway = (name: string, file: string) =>
      track(
        spawnChild({
          name,
          command: process.execPath,
          args: gatewayArgs(file),
          cwd: ROOT,
          env: PRODUCTION_ENV,
          ready: (line) => /billgraph is running at (\S+)/.exec(line)?.[1],
        }),
      );
    const settled = await Promise.allSettled([
      spawnGateway('gateway', configPath),
      track(
        spawnChild({
          name: 'baseline',
          command: process.execPath,
          args: [...options.nodeFlags, ...TSX, 'bench/baseline.ts', '--config', configPath],
          cwd: ROOT,
          env: PRODUCTION_ENV,
          ready: (line) => (line.startsWith('{') ? (JSON.parse(line) as { url: string }).url : undefined),
        }),
      ),
    ]);
    const failed = settled.find((x) => x.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const [gateway, baseline] = settled.map((x) => (x as PromiseFulfilledResult<Child<string>>).value) as [
      Child<string>,
      Child<string>,
    ];
    // Started after the others, so the two gateways do not compete for the CPU while they compile.
    const cachedGateway = withCachedGateway ? await spawnGateway('gateway (cache on)', cachedPath) : undefined;
    return { sims, gateway, cachedGateway, baseline, dir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ─── Measuring ──────────────────────────────────────────────────────────────────────────────────

const median = (values: readonly number[]): number => {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
};
const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

const bodyOf = (s: Pick<Scenario, 'query' | 'variables' | 'operationName'>) =>
  JSON.stringify({ query: s.query, variables: s.variables, operationName: s.operationName });

/** A clean answer: 200 and no `errors` entries (top-level or a source error inside usageReport). */
const isClean = (body: string) => !body.includes('"errors":[{');

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, text: await res.text() };
}

interface CannonResult {
  ok: number;
  bad: number;
  durationS: number;
  latencies: number[];
  /** When each response arrived (performance.now(), ms). */
  arrivals: number[];
  /** Wall time from start to the last answer, seconds. */
  elapsedS: number;
  badSample?: string;
  capped: boolean;
}

/** A request still unanswered after this long counts as a bad answer (autocannon `timeout`). */
const REQUEST_TIMEOUT_S = 30;

/** One bounded autocannon run: `amount` requests (stopped after capS seconds) or `durationS` seconds. */
function cannon(
  url: string,
  body: string,
  connections: number,
  bound: { amount: number; capS: number } | { durationS: number },
  extra: { headers?: Record<string, string>; stop?: AbortSignal } = {},
): Promise<CannonResult> {
  return new Promise((resolvePromise, reject) => {
    const latencies: number[] = [];
    const arrivals: number[] = [];
    let badSample: string | undefined;
    let capped = false;
    const t0 = performance.now();
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...extra.headers },
        body,
        connections,
        pipelining: 1,
        timeout: REQUEST_TIMEOUT_S,
        ...('amount' in bound ? { amount: bound.amount } : { duration: bound.durationS }),
        verifyBody: (raw) => {
          const text = String(raw ?? '');
          const clean = isClean(text);
          if (!clean) badSample ??= text.slice(0, 300);
          return clean;
        },
      },
      (error, result) => {
        clearTimeout(cap);
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const ok = result['2xx'] - result.mismatches;
        const last = arrivals.length ? arrivals[arrivals.length - 1]! : performance.now();
        resolvePromise({
          ok,
          // autocannon counts a timeout in `errors` too.
          bad: result.non2xx + result.errors + result.mismatches,
          durationS: result.duration,
          latencies,
          arrivals,
          elapsedS: (last - t0) / 1000,
          capped,
          ...(badSample !== undefined
            ? { badSample }
            : result.non2xx
              ? { badSample: `HTTP non-2xx × ${result.non2xx}` }
              : result.timeouts
                ? {
                    badSample: `no answer within ${REQUEST_TIMEOUT_S} s × ${result.timeouts} (queued behind the other clients' requests)`,
                  }
                : result.errors
                  ? { badSample: `socket errors × ${result.errors}` }
                  : {}),
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
      arrivals.push(performance.now());
    });
    extra.stop?.addEventListener('abort', () => instance.stop(), { once: true });
    const cap = setTimeout(
      () => {
        capped = true;
        instance.stop();
      },
      ('amount' in bound ? bound.capS : bound.durationS + 35) * 1000,
    );
  });
}

interface Sims {
  reset(): Promise<void>;
  counts(): Promise<{ total: number; byRoute: Record<string, number> }>;
  fault(id: string, rule: object): Promise<void>;
  clearFaults(id: string): Promise<void>;
}

function simsOf(list: readonly SimInfo[]): Sims {
  const control = async (url: string, method: string, body?: object) => {
    const res = await fetch(url, {
      method,
      ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${await res.text()}`);
    return res.json() as Promise<unknown>;
  };
  const urlOf = (id: string) => list.find((s) => s.id === id)?.url ?? '';
  return {
    reset: async () => {
      await Promise.all(list.map((s) => control(`${s.url}/__sim/reset`, 'POST')));
    },
    counts: async () => {
      // ?route= a name no route has: the totals and counts without the request log itself.
      const all = await Promise.all(
        list.map(async (s) => ({
          s,
          r: (await control(`${s.url}/__sim/requests?route=%00`, 'GET')) as {
            total: number;
            counts: Record<string, number>;
          },
        })),
      );
      const byRoute: Record<string, number> = {};
      for (const { s, r } of all) for (const [route, n] of Object.entries(r.counts)) byRoute[`${s.id} ${route}`] = n;
      return { total: all.reduce((n, { r }) => n + r.total, 0), byRoute };
    },
    fault: async (id, rule) => {
      await control(`${urlOf(id)}/__sim/faults`, 'POST', rule);
    },
    clearFaults: async (id) => {
      await control(`${urlOf(id)}/__sim/faults`, 'DELETE');
    },
  };
}

interface Target {
  name: 'gateway' | 'baseline';
  url: string;
  pid: number;
}

interface Phases {
  latencyRequests: number;
  throughputClients: readonly number[];
  rounds: number;
  seconds: number;
  cpuClients: number;
  warmup: number;
}

/**
 * Waits until no upstream call arrives for 300 ms: a phase stopped by its cap leaves queries
 * running in the gateway, which would otherwise be counted (and burn CPU) in the next phase.
 * Bounded by `maxS`; false when the gateway was still busy then.
 */
async function settle(sims: Sims, maxS = 120): Promise<boolean> {
  const until = performance.now() + maxS * 1000;
  await sims.reset();
  while (performance.now() < until) {
    await new Promise((r) => setTimeout(r, 300));
    if ((await sims.counts()).total === 0) return true;
    await sims.reset();
  }
  return false;
}

/** Everything of one scenario on one target, once. */
async function measure(
  target: Target,
  scenario: Scenario,
  sims: Sims,
  phases: Phases,
): Promise<{ figures: Figures; sample: unknown; byRoute: Record<string, number> }> {
  const body = bodyOf(scenario);
  let sample: unknown;
  // Queries the previous phase's load generator gave up on may still be running in the gateway
  // (a capped heavy phase leaves some): let them finish, so the warm-up is not answered by a
  // gateway still busy with them (it would hit the request deadline and carry errors).
  await settle(sims, phases.seconds * 2);
  for (let i = 0; i < Math.max(1, phases.warmup); i++) {
    const res = await post(target.url, body);
    if (res.status !== 200 || !isClean(res.text)) {
      const codes = [...new Set([...res.text.matchAll(/"code":"([A-Z_]+)"/g)].map((m) => m[1]))].join(', ');
      throw new Error(
        `${target.name} answered ${scenario.id} with HTTP ${res.status}${codes ? ` and errors ${codes}` : ''}: ${res.text.slice(0, 400)}`,
      );
    }
    sample = (JSON.parse(res.text) as { data?: unknown }).data;
  }
  // Upstream calls of one query (after the warm-up, so a repeat is what is counted).
  const quiet = await settle(sims, phases.seconds * 2);
  await post(target.url, body);
  const counted = await sims.counts();
  const byRoute = counted.byRoute;
  // Not quiet: other queries were still running, so the count would not be this query's.
  const upstreamPerQuery = quiet ? counted.total : Number.NaN;

  resetPeakRss(target.pid);
  const lat = await cannon(target.url, body, 1, { amount: phases.latencyRequests, capS: phases.seconds });
  const sorted = [...lat.latencies].sort((a, b) => a - b);
  let bad = lat.bad;
  let badSample = lat.badSample;
  let capped = lat.capped ? 1 : 0;

  // Throughput: clients × rounds requests, closed loop; answers ÷ wall time to the last answer
  // (Little's law: unbiased, unlike a fixed duration that drops the requests still in flight).
  // CPU per query: /proc/<pid>/stat around the phase with cpuClients clients, ÷ requests answered.
  const throughput: Record<string, number> = {};
  let cpuMsPerQuery = Number.NaN;
  const clientCounts = phases.throughputClients.includes(phases.cpuClients)
    ? phases.throughputClients
    : [...phases.throughputClients, phases.cpuClients];
  for (const clients of clientCounts) {
    await settle(sims, phases.seconds * 2); // also keeps the simulators' request logs small
    const before = cpuMs(target.pid, ticksPerSecond());
    const run = await cannon(target.url, body, clients, {
      amount: clients * (scenario.rounds ?? phases.rounds),
      capS: phases.seconds,
    });
    const after = cpuMs(target.pid, ticksPerSecond());
    if (phases.throughputClients.includes(clients)) throughput[String(clients)] = run.arrivals.length / run.elapsedS;
    if (clients === phases.cpuClients && run.arrivals.length > 0)
      cpuMsPerQuery = (after - before) / run.arrivals.length;
    bad += run.bad;
    badSample ??= run.badSample;
    if (run.capped) capped++;
  }
  await settle(sims, phases.seconds * 2);
  return {
    figures: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      throughput,
      cpuMsPerQuery,
      peakRssMb: statusMb(target.pid, 'VmHWM'),
      upstreamPerQuery,
      badAnswers: bad,
      ...(badSample !== undefined ? { badSample } : {}),
      capped,
    },
    sample,
    byRoute,
  };
}

function medianFigures(all: readonly Figures[]): Figures {
  const keys = Object.keys(all[0]?.throughput ?? {});
  return {
    p50: median(all.map((f) => f.p50)),
    p95: median(all.map((f) => f.p95)),
    p99: median(all.map((f) => f.p99)),
    throughput: Object.fromEntries(keys.map((k) => [k, median(all.map((f) => f.throughput[k]!))])),
    cpuMsPerQuery: median(all.map((f) => f.cpuMsPerQuery)),
    peakRssMb: median(all.map((f) => f.peakRssMb)),
    upstreamPerQuery: median(all.map((f) => f.upstreamPerQuery)),
    badAnswers: all.reduce((n, f) => n + f.badAnswers, 0),
    ...(all.find((f) => f.badSample) ? { badSample: all.find((f) => f.badSample)!.badSample! } : {}),
    capped: all.reduce((n, f) => n + f.capped, 0),
  };
}

/** The exact minimum of G8 calls for the traversal over the seeded world at `scale`. */
export function minimumTraversalCalls(scale: number, buckets: number): { calls: number; world: ScaleRow['world'] } {
  const data = generateOpenvcloudData(OPENVCLOUD_DEFAULT_SEED, scale);
  const listed = data.cloudspaces.filter((cs) => cs.status !== 'DELETED');
  const withMachines = data.accounts.filter((a) =>
    listed.some(
      (cs) => cs.accountId === a.id && data.machines.some((m) => m.cloudspaceId === cs.id && m.deletionTime === null),
    ),
  );
  return {
    // accounts/list + cloudspaces/list + machines/list per listed cloudspace + calculate per account and bucket
    calls: 1 + 1 + listed.length + withMachines.length * buckets,
    world: {
      accounts: data.accounts.length,
      cloudspaces: listed.length,
      machines: data.machines.filter((m) => m.deletionTime === null).length,
    },
  };
}

// ─── The run ────────────────────────────────────────────────────────────────────────────────────

export async function runBench(partial: Partial<BenchOptions> = {}): Promise<BenchResult> {
  const options: BenchOptions = { ...DEFAULTS, ...partial };
  const { log } = options;
  const wanted = (id: string) => options.scenarios === null || options.scenarios.includes(id);
  for (const id of options.scenarios ?? []) {
    if (!(ALL_SCENARIO_IDS as readonly string[]).includes(id))
      throw new Error(`unknown scenario "${id}"; one of ${ALL_SCENARIO_IDS.join(', ')}`);
  }
  if (options.gateway === 'dist' && options.build) ensureBuilt(log);
  const cpus = os.cpus();
  const result: BenchResult = {
    meta: {
      date: new Date().toISOString(),
      machine: {
        cores: cpus.length,
        cpuModel: cpus[0]?.model.trim() ?? 'unknown',
        loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
        platform: `${os.platform()} ${os.release()}`,
      },
      node: process.version,
      gatewayCommand: `NODE_ENV=production node ${options.nodeFlags.map((f) => `${f} `).join('')}${options.gateway === 'dist' ? 'dist/main.js' : '--import tsx src/main.ts'} --config FILE${Object.keys(options.sourceSettings).length ? ` (every source: ${JSON.stringify(options.sourceSettings)})` : ''}${Object.keys(options.gatewaySettings).length ? ` (config: ${JSON.stringify(options.gatewaySettings)})` : ''}`,
      upstreamLatencyMs: options.latencyMs,
      runs: options.runs,
      peakRssSince: 'scenario start',
      options: (({ log: _l, outDir: _o, ...rest }) => rest)(options),
    },
    scenarios: [],
    scale: [],
    hung: [],
    noisy: [],
    huge: [],
  };
  const phases: Phases = options;

  const scenarios = SCENARIOS.filter((s) => wanted(s.id));
  if (scenarios.length > 0 || wanted(HUNG_ID) || wanted(HUGE_ID)) {
    log(
      `starting simulators (scale 1, ${options.latencyMs} ms), gateway (${result.meta.gatewayCommand}) and baseline …`,
    );
    const stack = await startStack(
      options,
      1,
      scenarios.some((s) => s.cached),
    );
    try {
      const sims = simsOf(stack.sims.ready.simulators);
      const gateway: Target = { name: 'gateway', url: stack.gateway.ready, pid: stack.gateway.pid };
      const cachedGateway: Target | undefined = stack.cachedGateway && {
        name: 'gateway',
        url: stack.cachedGateway.ready,
        pid: stack.cachedGateway.pid,
      };
      if (cachedGateway && !resetPeakRss(cachedGateway.pid)) result.meta.peakRssSince = 'process start';
      const baseline: Target = { name: 'baseline', url: stack.baseline.ready, pid: stack.baseline.pid };
      if (!resetPeakRss(gateway.pid)) result.meta.peakRssSince = 'process start';
      const perScenario = new Map<
        string,
        { runs: ScenarioResult['runs']; sameAnswer?: boolean; byRoute: Record<string, number> }
      >();
      for (let run = 1; run <= options.runs; run++) {
        for (const scenario of scenarios) {
          log(`run ${run}/${options.runs} · ${scenario.id} · gateway`);
          const gw = await measure(scenario.cached ? cachedGateway! : gateway, scenario, sims, phases);
          let bl: Awaited<ReturnType<typeof measure>> | undefined;
          if (scenario.baseline) {
            log(`run ${run}/${options.runs} · ${scenario.id} · baseline`);
            bl = await measure(baseline, scenario, sims, phases);
          }
          const entry = perScenario.get(scenario.id) ?? { runs: [], byRoute: gw.byRoute };
          entry.runs.push({ gateway: gw.figures, ...(bl ? { baseline: bl.figures } : {}) });
          if (bl)
            entry.sameAnswer = (entry.sameAnswer ?? true) && JSON.stringify(gw.sample) === JSON.stringify(bl.sample);
          perScenario.set(scenario.id, entry);
        }
      }
      for (const scenario of scenarios) {
        const entry = perScenario.get(scenario.id)!;
        const g = medianFigures(entry.runs.map((r) => r.gateway));
        const b = scenario.baseline ? medianFigures(entry.runs.map((r) => r.baseline!)) : undefined;
        result.scenarios.push({
          id: scenario.id,
          title: scenario.title,
          ...(scenario.note ? { note: scenario.note } : {}),
          // Cached: the closed window's calculate answers are all in the cache, only listings remain.
          ...(scenario.g8Buckets
            ? { minimumUpstream: minimumTraversalCalls(1, scenario.cached ? 0 : scenario.g8Buckets).calls }
            : {}),
          gateway: g,
          ...(b
            ? {
                baseline: b,
                ratio: {
                  throughput: Object.fromEntries(
                    Object.keys(g.throughput).map((k) => [k, g.throughput[k]! / b.throughput[k]!]),
                  ),
                  p50DeltaMs: g.p50 - b.p50,
                  cpuMsPerQuery: { gateway: g.cpuMsPerQuery, baseline: b.cpuMsPerQuery },
                },
                sameAnswer: entry.sameAnswer ?? false,
              }
            : {}),
          upstreamByRoute: entry.byRoute,
          runs: entry.runs,
        });
      }
      if (wanted(HUNG_ID)) result.hung = await hungScenario(options, gateway, sims);
      if (wanted(HUGE_ID)) result.huge = await hugeBodyScenario(options, gateway, sims);
    } finally {
      await stack.stop();
    }
  }

  if (wanted(NOISY_ID)) result.noisy = await noisyNeighbour(options);
  if (wanted('scale')) result.scale = await scaleRun(options);
  if (options.outDir) writeResults(result, options.outDir, log);
  return result;
}

/** Hyperstack hung: half the clients run a query that never touches it, half one that does. */
async function hungScenario(options: BenchOptions, gateway: Target, sims: Sims): Promise<HungRow[]> {
  const untouched = SCENARIOS.find((s) => s.id === 'traversal')!;
  const touching = SCENARIOS.find((s) => s.id === 'hs-cost')!;
  const perRun: HungRow[][] = [];
  for (let run = 1; run <= options.runs; run++) {
    const rows: HungRow[] = [];
    for (const clients of options.hungClients) {
      log(
        options,
        `run ${run}/${options.runs} · ${HUNG_ID} · ${clients} clients, Hyperstack hung for ${options.hungSeconds} s`,
      );
      await settle(sims, options.seconds * 2);
      // Hook: any simulator fault can be injected here, e.g. { fault: { kind: 'status', status: 503 } }.
      await sims.fault('hs', { fault: { kind: 'timeout' } });
      try {
        const half = Math.max(1, Math.floor(clients / 2));
        const [a, b] = await Promise.all([
          cannon(gateway.url, bodyOf(untouched), half, { durationS: options.hungSeconds }),
          cannon(gateway.url, bodyOf(touching), clients - half || 1, { durationS: options.hungSeconds }),
        ]);
        for (const [query, r] of [
          ['no Hyperstack (G8 traversal)', a],
          ['touches Hyperstack (resources → cost)', b],
        ] as const) {
          const sorted = [...r.latencies].sort((x, y) => x - y);
          rows.push({
            clients,
            query,
            p50: percentile(sorted, 50),
            p95: percentile(sorted, 95),
            completed: r.latencies.length,
            badAnswers: r.bad,
          });
        }
      } finally {
        await sims.clearFaults('hs');
        await sims.reset();
      }
    }
    perRun.push(rows);
  }
  return medianLatencies(perRun);
}

/** G8 calls in flight at once in the noisy-neighbour row: low enough that the flood queues at the bulkhead. */
const NOISY_MAX_IN_FLIGHT = 16;
const NOISY_KEY = 'bench-noisy-tenant-key-0001';
const QUIET_KEY = 'bench-quiet-tenant-key-0002';

/**
 * Tenant "noisy" floods the G8 traversal by DAY over 30 days (~140 upstream calls each) with
 * `noisyClients` clients; tenant "quiet" runs the monthly traversal (~20 calls in 4 rounds) at 1
 * client, unloaded and then under the flood. Measured twice: with quiet's own key (its calls wait
 * in its own FIFO, the fair queue) and with noisy's key (they wait in the flood's FIFO: what every
 * request got when the queue was one FIFO for everybody). Every phase is bounded by a count and
 * by options.seconds; the flood stops when the measured phase ends.
 */
async function noisyNeighbour(options: BenchOptions): Promise<NoisyRow[]> {
  const flood = bodyOf({
    query: TRAVERSAL,
    variables: { w: DAYS_30, g: 'DAY' },
    operationName: 'Traversal',
  });
  const quiet = bodyOf(SCENARIOS.find((s) => s.id === 'traversal')!);
  const requests = Math.max(20, options.latencyRequests);
  log(
    options,
    `${NOISY_ID}: starting simulators and a gateway with two tenants (G8 maxInFlight ${NOISY_MAX_IN_FLIGHT}) …`,
  );
  const stack = await startStack(
    {
      ...options,
      sourceSettings: { ...options.sourceSettings, maxInFlight: NOISY_MAX_IN_FLIGHT },
      gatewaySettings: {
        ...options.gatewaySettings,
        // The row measures the queue, not the rate limit: the flood must not be answered 429.
        rateLimit: { costPerWindow: 1_000_000_000_000, windowSeconds: 60 },
        tenants: [
          { name: 'noisy', keySha256: keySha256(NOISY_KEY), sources: ['g8'] },
          { name: 'quiet', keySha256: keySha256(QUIET_KEY), sources: ['g8'] },
        ],
      },
    },
    1,
  );
  const rows: NoisyRow[] = [];
  try {
    const sims = simsOf(stack.sims.ready.simulators);
    const url = stack.gateway.ready;
    const auth = (key: string) => ({ authorization: `Bearer ${key}` });
    const p = (r: CannonResult) => {
      const sorted = [...r.latencies].sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
    };
    for (const [queue, key] of [
      ['own tenant', QUIET_KEY],
      ["the flooding tenant's", NOISY_KEY],
    ] as const) {
      log(
        options,
        `${NOISY_ID} · quiet tenant's calls in ${queue} queue · unloaded, then under a ${options.noisyClients}-client flood`,
      );
      await settle(sims, options.seconds * 2);
      for (let i = 0; i < Math.max(1, options.warmup); i++) await post(url, quiet, auth(key));
      const unloaded = await cannon(url, quiet, 1, { amount: requests, capS: options.seconds }, { headers: auth(key) });
      const stop = new AbortController();
      const flooding = cannon(
        url,
        flood,
        options.noisyClients,
        { amount: options.noisyClients * 1000, capS: options.seconds },
        { headers: auth(NOISY_KEY), stop: stop.signal },
      );
      // Let the flood fill the G8 queue before measuring.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const loaded = await cannon(url, quiet, 1, { amount: requests, capS: options.seconds }, { headers: auth(key) });
      stop.abort();
      const flooded = await flooding;
      const before = p(unloaded);
      const after = p(loaded);
      rows.push({
        queue,
        unloaded: before,
        loaded: after,
        p95Ratio: after.p95 / before.p95,
        completed: loaded.latencies.length,
        floodCompleted: flooded.latencies.length,
        badAnswers: unloaded.bad + loaded.bad,
      });
    }
  } finally {
    await stack.stop();
  }
  return rows;
}

/**
 * Civitai answering 10 MB bodies: half the clients ask three other sources, half Civitai, for
 * `hungSeconds`; before that, the other-sources half alone without the fault (quiet). Each phase
 * is bounded in time; the p95 of the other sources, quiet against loaded, is the figure.
 */
async function hugeBodyScenario(options: BenchOptions, gateway: Target, sims: Sims): Promise<HugeRow[]> {
  const vars = { w: { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' } };
  const others = JSON.stringify({ query: OTHER_SOURCES, variables: vars, operationName: 'OtherSources' });
  const civitai = JSON.stringify({ query: CIVITAI_CONSUMPTION, variables: vars, operationName: 'CivitaiConsumption' });
  const rowOf = (
    clients: number,
    phase: HugeRow['phase'],
    query: HugeRow['query'],
    r: CannonResult,
    cpu: number,
    rss: number,
  ): HugeRow => {
    const sorted = [...r.latencies].sort((x, y) => x - y);
    return {
      clients,
      phase,
      query,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      completed: r.latencies.length,
      badAnswers: r.bad,
      cpuMsPerQuery: cpu,
      peakRssMb: rss,
      ...(r.badSample !== undefined ? { badSample: r.badSample.slice(0, 300) } : {}),
    };
  };
  const perRun: HugeRow[][] = [];
  for (let run = 1; run <= options.runs; run++) {
    const rows: HugeRow[] = [];
    for (const clients of options.hugeClients) {
      const half = Math.max(1, Math.floor(clients / 2));
      log(options, `run ${run}/${options.runs} · ${HUGE_ID} · ${half} clients on the other sources, quiet`);
      await settle(sims, options.seconds * 2);
      // The hung-source row before this one leaves Hyperstack's breaker open for its half-open time.
      await untilReady(gateway.url, 20_000);
      resetPeakRss(gateway.pid);
      let cpu0 = cpuMs(gateway.pid, ticksPerSecond());
      const quiet = await cannon(gateway.url, others, half, { durationS: options.hungSeconds });
      rows.push(
        rowOf(
          clients,
          'quiet',
          'other 3 sources',
          quiet,
          (cpuMs(gateway.pid, ticksPerSecond()) - cpu0) / Math.max(1, quiet.latencies.length),
          statusMb(gateway.pid, 'VmHWM'),
        ),
      );
      log(options, `run ${run}/${options.runs} · ${HUGE_ID} · ${clients} clients, Civitai answering 10 MB bodies`);
      await settle(sims, options.seconds * 2);
      await sims.fault('civitai', { fault: { kind: 'hugeBody' } });
      try {
        resetPeakRss(gateway.pid);
        cpu0 = cpuMs(gateway.pid, ticksPerSecond());
        const [a, b] = await Promise.all([
          cannon(gateway.url, others, half, { durationS: options.hungSeconds }),
          cannon(gateway.url, civitai, clients - half || 1, { durationS: options.hungSeconds }),
        ]);
        const cpu =
          (cpuMs(gateway.pid, ticksPerSecond()) - cpu0) / Math.max(1, a.latencies.length + b.latencies.length);
        const rss = statusMb(gateway.pid, 'VmHWM');
        rows.push(rowOf(clients, 'Civitai answering 10 MB', 'other 3 sources', a, cpu, rss));
        // Every Civitai answer carries its UPSTREAM_BAD_RESPONSE: "bad" is the expected outcome there.
        rows.push(rowOf(clients, 'Civitai answering 10 MB', 'Civitai', b, cpu, rss));
      } finally {
        await sims.clearFaults('civitai');
        await sims.reset();
      }
    }
    perRun.push(rows);
  }
  return medianLatencies(perRun).map((row, i) => ({
    ...row,
    cpuMsPerQuery: median(perRun.map((r) => r[i]!.cpuMsPerQuery)),
    peakRssMb: median(perRun.map((r) => r[i]!.peakRssMb)),
  }));
}

/** Polls the gateway's /readyz until every source is ready (breakers closed), at most `timeoutMs`. */
async function untilReady(graphqlUrl: string, timeoutMs: number): Promise<void> {
  const url = new URL('/readyz', graphqlUrl);
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const res = await fetch(url).catch(() => null);
    await res?.body?.cancel();
    if (res?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Each row's latency figures as their median over the runs (every run lists its rows in the same order). */
function medianLatencies<R extends { p50: number; p95: number; completed: number; badAnswers: number }>(
  perRun: readonly R[][],
): R[] {
  return perRun[0]!.map((row, i) => ({
    ...row,
    p50: median(perRun.map((r) => r[i]!.p50)),
    p95: median(perRun.map((r) => r[i]!.p95)),
    completed: median(perRun.map((r) => r[i]!.completed)),
    badAnswers: median(perRun.map((r) => r[i]!.badAnswers)),
  }));
}

/** The traversal at each scale, each in a fresh set of processes. */
async function scaleRun(options: BenchOptions): Promise<ScaleRow[]> {
  const traversal = SCENARIOS.find((s) => s.id === 'traversal')!;
  const phases: Phases = { ...options, throughputClients: [20] };
  const rows: ScaleRow[] = [];
  for (const scale of options.scales) {
    log(options, `scale ${scale}×: starting simulators, gateway and baseline …`);
    const stack = await startStack(options, scale);
    try {
      const sims = simsOf(stack.sims.ready.simulators);
      const gw: Figures[] = [];
      const bl: Figures[] = [];
      for (let run = 1; run <= options.runs; run++) {
        log(options, `run ${run}/${options.runs} · traversal at ${scale}× · gateway, baseline`);
        gw.push(
          (
            await measure(
              { name: 'gateway', url: stack.gateway.ready, pid: stack.gateway.pid },
              traversal,
              sims,
              phases,
            )
          ).figures,
        );
        bl.push(
          (
            await measure(
              { name: 'baseline', url: stack.baseline.ready, pid: stack.baseline.pid },
              traversal,
              sims,
              phases,
            )
          ).figures,
        );
      }
      const pick = (f: Figures) => ({
        p50: f.p50,
        cpuMsPerQuery: f.cpuMsPerQuery,
        peakRssMb: f.peakRssMb,
        upstreamPerQuery: f.upstreamPerQuery,
        badAnswers: f.badAnswers,
        throughput20: f.throughput['20']!,
      });
      const { calls, world } = minimumTraversalCalls(scale, 1);
      const g = pick(medianFigures(gw));
      const first = rows[0];
      rows.push({
        scale,
        world,
        minimumUpstream: calls,
        gateway: g,
        baseline: pick(medianFigures(bl)),
        growth: first
          ? {
              machines: world.machines / first.world.machines,
              upstream: g.upstreamPerQuery / first.gateway.upstreamPerQuery,
              gatewayCpuPerQuery: g.cpuMsPerQuery / first.gateway.cpuMsPerQuery,
              gatewayP50: g.p50 / first.gateway.p50,
            }
          : { machines: 1, upstream: 1, gatewayCpuPerQuery: 1, gatewayP50: 1 },
      });
    } finally {
      await stack.stop();
    }
  }
  return rows;
}

const log = (options: BenchOptions, line: string) => options.log(line);

// ─── Output ─────────────────────────────────────────────────────────────────────────────────────

const f1 = (n: number | undefined) =>
  n === undefined || !Number.isFinite(n) ? '–' : n >= 100 ? n.toFixed(0) : n.toFixed(1);
const f2 = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(2));

export function toMarkdown(r: BenchResult): string {
  const m = r.meta;
  const clients = m.options.throughputClients;
  const lines: string[] = [
    `# billgraph bench — ${m.date.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${m.machine.cores} cores (${m.machine.cpuModel}), ${m.machine.platform}, Node ${m.node}, load average at start ${m.machine.loadAverageAtStart.join(' / ')}.`,
    `Gateway: \`${m.gatewayCommand}\` (its own process, default limits, logging on). Upstreams: the five simulators in one process, ${m.upstreamLatencyMs} ms per call. ` +
      `Load: autocannon in the runner process, all on loopback. Each figure is the median of ${m.runs} run(s); ` +
      `p50/p95/p99 from ${m.options.latencyRequests} requests at 1 client; throughput = answers ÷ wall time of ${m.options.rounds} requests per client, closed loop, at ${clients.join(' and ')} clients; ` +
      `CPU per query = gateway utime+stime (/proc/<pid>/stat) over the ${m.options.cpuClients}-client phase ÷ its requests; peak RSS = VmHWM since ${m.peakRssSince}; every phase capped at ${m.options.seconds} s.`,
    '',
  ];
  if (r.scenarios.length) {
    lines.push(
      `| scenario | server | p50 ms | p95 ms | p99 ms | ${clients.map((c) => `req/s @${c}`).join(' | ')} | CPU ms/query | peak RSS MB | upstream calls/query | bad answers |`,
      `|---|---|---:|---:|---:|${clients.map(() => '---:|').join('')}---:|---:|---:|---:|`,
    );
    for (const s of r.scenarios) {
      const row = (who: string, f: Figures, minimum?: number) =>
        `| ${who === 'billgraph' ? s.title : ''} | ${who} | ${f1(f.p50)} | ${f1(f.p95)} | ${f1(f.p99)} | ${clients.map((c) => f1(f.throughput[String(c)])).join(' | ')} | ${f2(f.cpuMsPerQuery)} | ${f1(f.peakRssMb)} | ${f1(f.upstreamPerQuery)}${minimum !== undefined ? ` (min ${minimum})` : ''} | ${f.badAnswers}${f.capped ? ` (${f.capped} phase(s) capped)` : ''} |`;
      lines.push(row('billgraph', s.gateway, s.minimumUpstream));
      if (s.baseline) lines.push(row('baseline', s.baseline, s.minimumUpstream));
    }
    lines.push('');
    const withBaseline = r.scenarios.filter((s) => s.ratio);
    if (withBaseline.length) {
      lines.push(
        '**Against the baseline** (plain node:http doing the same upstream walk, no GraphQL):',
        '',
        `| scenario | ${clients.map((c) => `throughput ratio @${c}`).join(' | ')} | p50 delta ms | CPU ms/query billgraph | CPU ms/query baseline | same answer |`,
        `|---|${clients.map(() => '---:|').join('')}---:|---:|---:|:---:|`,
      );
      for (const s of withBaseline) {
        lines.push(
          `| ${s.title} | ${clients.map((c) => f2(s.ratio!.throughput[String(c)])).join(' | ')} | ${s.ratio!.p50DeltaMs >= 0 ? '+' : ''}${f1(s.ratio!.p50DeltaMs)} | ${f2(s.ratio!.cpuMsPerQuery.gateway)} | ${f2(s.ratio!.cpuMsPerQuery.baseline)} | ${s.sameAnswer ? 'yes' : 'NO'} |`,
        );
      }
      lines.push('');
    }
    for (const s of r.scenarios.filter((x) => x.note)) lines.push(`*${s.title}:* ${s.note}`, '');
    for (const s of r.scenarios) {
      for (const [who, f] of [
        ['billgraph', s.gateway],
        ['baseline', s.baseline],
      ] as const) {
        if (f?.badSample)
          lines.push(`*${s.title}, ${who}, first bad answer:* \`${f.badSample.replace(/`/g, "'").slice(0, 200)}\``, '');
      }
    }
  }
  if (r.hung.length) {
    lines.push(
      `**One source hung** (Hyperstack answers nothing: \`POST /__sim/faults {"fault":{"kind":"timeout"}}\`), ${m.options.hungSeconds} s per row, half the clients on each query:`,
      '',
      '| clients | query | p50 ms | p95 ms | completed | answers with errors |',
      '|---:|---|---:|---:|---:|---:|',
      ...r.hung.map(
        (h) => `| ${h.clients} | ${h.query} | ${f1(h.p50)} | ${f1(h.p95)} | ${h.completed} | ${h.badAnswers} |`,
      ),
      '',
    );
  }
  if (r.noisy.length) {
    lines.push(
      `**Noisy neighbour** (tenant "noisy" floods the G8 traversal by DAY over 30 days with ${m.options.noisyClients} clients; tenant "quiet" runs the monthly G8 traversal at 1 client; G8 maxInFlight ${NOISY_MAX_IN_FLIGHT}, so the flood queues at the bulkhead; rate limit out of the way):`,
      '',
      "| quiet tenant's calls queue in | p50 / p95 ms unloaded | p50 / p95 ms under the flood | p95 ratio | answered (quiet / flood) | bad answers |",
      '|---|---:|---:|---:|---:|---:|',
      ...r.noisy.map(
        (n) =>
          `| ${n.queue} | ${f1(n.unloaded.p50)} / ${f1(n.unloaded.p95)} | ${f1(n.loaded.p50)} / ${f1(n.loaded.p95)} | ×${f2(n.p95Ratio)} | ${n.completed} / ${n.floodCompleted} | ${n.badAnswers} |`,
      ),
      '',
    );
  }
  if (r.huge.length) {
    lines.push(
      `**10 MB upstream body** (Civitai answers every call with a 10 MB JSON body: \`POST /__sim/faults {"fault":{"kind":"hugeBody"}}\`), ${m.options.hungSeconds} s per phase; the other sources' query alone (quiet), then beside as many clients asking Civitai:`,
      '',
      '| clients | phase | query | p50 ms | p95 ms | completed | answers with errors | gateway CPU ms/query | peak RSS MB |',
      '|---:|---|---|---:|---:|---:|---:|---:|---:|',
      ...r.huge.map(
        (h) =>
          `| ${h.clients} | ${h.phase} | ${h.query} | ${f1(h.p50)} | ${f1(h.p95)} | ${h.completed} | ${h.badAnswers} | ${f2(h.cpuMsPerQuery)} | ${f1(h.peakRssMb)} |`,
      ),
      '',
    );
  }
  if (r.scale.length) {
    lines.push(
      '**Scale** (the G8 traversal, TOTAL, 1 month, over `--scale N` simulators; growth relative to the first row):',
      '',
      '| scale | accounts / cloudspaces / machines | upstream calls/query (min) | p50 ms billgraph / baseline | req/s @20 billgraph / baseline | CPU ms/query billgraph / baseline | peak RSS MB | growth: machines · calls · CPU/query · p50 |',
      '|---:|---|---:|---:|---:|---:|---:|---|',
      ...r.scale.map(
        (s) =>
          `| ${s.scale}× | ${s.world.accounts} / ${s.world.cloudspaces} / ${s.world.machines} | ${f1(s.gateway.upstreamPerQuery)} / ${f1(s.baseline.upstreamPerQuery)} (${s.minimumUpstream}) | ${f1(s.gateway.p50)} / ${f1(s.baseline.p50)} | ${f1(s.gateway.throughput20)} / ${f1(s.baseline.throughput20)} | ${f2(s.gateway.cpuMsPerQuery)} / ${f2(s.baseline.cpuMsPerQuery)} | ${f1(s.gateway.peakRssMb)} | ×${f1(s.growth.machines)} · ×${f2(s.growth.upstream)} · ×${f2(s.growth.gatewayCpuPerQuery)} · ×${f2(s.growth.gatewayP50)} |`,
      ),
      '',
    );
  }
  lines.push(
    'The machine is shared (2 cores, other work running): compare figures within one run, not across runs.',
    '',
  );
  return lines.join('\n');
}

function writeResults(r: BenchResult, outDir: string, logLine: (line: string) => void): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(join(outDir, 'latest.md'), toMarkdown(r));
  logLine(`wrote ${join(outDir, 'latest.json')} and latest.md`);
}
