/**
 * npm run bench — latency, throughput and ratios for the gateway over the built-in simulators,
 * all on loopback. Bounded: each scenario runs a fixed number of requests (or stops at its time
 * budget). Numbers vary with the machine; the ratios (upstream calls per query, fields per
 * upstream call, lossless vs plain JSON parsing) are the ones to compare across changes.
 *   BENCH_REQUESTS (default 200), BENCH_CONCURRENCY (default 8), BENCH_SECONDS per scenario (default 20)
 * The "one source hung" scenario (Hyperstack never answers) runs at 20 and 40 clients, half of
 * the queries touching Hyperstack, each run bounded by BENCH_HUNG_SECONDS (default 25) and
 * 4 × clients requests; with the default policy and with the breaker out of the way (to show
 * what the deadline and the bounded queue alone do). BENCH_HUNG=0 skips it.
 */
import './quiet.js';
import { performance } from 'node:perf_hooks';
import { startAllSimulators, validateConfig } from '../src/bootstrap.js';
import { parseJsonLossless } from '../src/providers/http.js';
import { createGateway } from '../src/server.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

const WINDOW = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };
const WEEK = { start: '2026-10-05T00:00:00Z', end: '2026-10-12T00:00:00Z' };
const TRAVERSAL = `query($w: TimeWindow!, $g: Granularity) { accounts(provider: OPENVCLOUD) { edges { node { name
  cloudspaces { name machines { name consumption(window: $w, granularity: $g) { metric quantity } } } } } } }`;

const FEDERATED = `query($w: TimeWindow!) { accounts(first: 500) { edges { node { provider name
  consumption(window: $w) { metric quantity } cost(window: $w) { amount currency }
  cloudspaces { machines { consumption(window: $w) { quantity } } }
  subscriptions { usage(window: $w) { metric quantity } }
  resources { cost(window: $w) { amount currency } } } } } }`;

interface Scenario {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

const scenarios: Scenario[] = [
  { name: 'sources (gateway overhead)', query: '{ sources { id provider name } }' },
  { name: 'traversal, TOTAL, 1 month', query: TRAVERSAL, variables: { w: WINDOW } },
  { name: 'traversal, DAY, 7 days', query: TRAVERSAL, variables: { w: WEEK, g: 'DAY' } },
  { name: 'all 5 sources, TOTAL, 1 month', query: FEDERATED, variables: { w: WINDOW } },
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const countFields = (value: unknown, key: string): number =>
  Array.isArray(value) ? value.reduce((n, v) => n + countFields(v, key), 0)
  : value && typeof value === 'object' ? Object.entries(value).reduce((n, [k, v]) => n + (k === key ? 1 : 0) + countFields(v, key), 0)
  : 0;

async function main(): Promise<void> {
  const sims = await startAllSimulators();
  const config = validateConfig({ sources: sims.config.sources }, 'bench', process.env);
  const gateway = createGateway({ config });
  const url = await gateway.listen(0, '127.0.0.1');
  const g8 = sims.started.find((s) => s.source.provider === 'OPENVCLOUD')!.handle;
  const post = async (s: Scenario) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: s.query, variables: s.variables }) });
    const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
    if (!res.ok || body.errors) throw new Error(`bench query failed: ${JSON.stringify(body).slice(0, 300)}`);
    return body;
  };

  console.log(`billgraph bench — ${REQUESTS} requests per scenario, concurrency ${CONCURRENCY}, Node ${process.version}\n`);
  const rows: string[][] = [['scenario', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'upstream calls/query', 'upstream-backed fields/query', 'fields per G8 calculate']];
  for (const scenario of scenarios) {
    // Warm up (JIT, keep-alive sockets), then measure one query's upstream cost.
    for (let i = 0; i < 5; i++) await post(scenario);
    for (const { handle } of sims.started) handle.resetCounters();
    const sample = await post(scenario);
    const upstream = sims.started.reduce((n, { handle }) => n + handle.requests.length, 0);
    const calculates = g8.count({ route: 'billing/calculate' });
    const fields = countFields(sample.data, 'consumption') + countFields(sample.data, 'usage') + countFields(sample.data, 'cost');

    const latencies: number[] = [];
    const deadline = performance.now() + SECONDS * 1000;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < REQUESTS && performance.now() < deadline) {
          next++;
          const t0 = performance.now();
          await post(scenario);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    rows.push([
      scenario.name,
      (latencies.length / elapsed).toFixed(1),
      percentile(latencies, 50).toFixed(1),
      percentile(latencies, 95).toFixed(1),
      percentile(latencies, 99).toFixed(1),
      String(upstream),
      String(fields),
      calculates ? (fields / calculates).toFixed(1) : '-',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));

  // Lossless parsing keeps every digit; this is what it costs against JSON.parse on a real calculate body.
  const body = await (await fetch(`${g8.url}/restmachine/cloudapi/billing/calculate?accountId=2&start=1790000000&end=1792000000`, { headers: { authorization: `bearer ${String(sims.config.sources[0]!.credentials.token)}` } })).text();
  const time = (fn: () => unknown, n = 2000) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    return (performance.now() - t0) / n;
  };
  const plain = time(() => JSON.parse(body));
  const lossless = time(() => parseJsonLossless(body));
  console.log(`\ncalculate body ${body.length} bytes: JSON.parse ${(plain * 1000).toFixed(1)} µs, lossless ${(lossless * 1000).toFixed(1)} µs (×${(lossless / plain).toFixed(1)})`);

  await gateway.stop();

  if (process.env.BENCH_HUNG !== '0') await hungSource(sims);
  await sims.close();
}

type Sims = Awaited<ReturnType<typeof startAllSimulators>>;

/**
 * One source hung: Hyperstack holds every request open. Reports the p95 of queries that do not
 * touch it (G8 only) and of queries that do (Hyperstack only), at 20 and 40 clients.
 */
async function hungSource(sims: Sims): Promise<void> {
  const seconds = Number(process.env.BENCH_HUNG_SECONDS ?? 25);
  const hs = sims.started.find((s) => s.source.provider === 'HYPERSTACK')!.handle;
  const healthy = `query($w: TimeWindow!) { accounts(source: "g8") { errors { code } edges { node { consumption(window: $w) { quantity } } } } }`;
  const touching = `query($w: TimeWindow!) { accounts(source: "hs") { errors { code } edges { node { consumption(window: $w) { quantity } } } } }`;
  console.log(`\none source hung (Hyperstack never answers; default timeoutMs 5000, requestTimeoutMs 10000; ≤ ${seconds} s and 4 × clients requests per run)`);
  const rows: string[][] = [['policy', 'clients', 'requests', 'p95 not touching it ms', 'p50 touching it ms', 'p95 touching it ms', 'max touching ms', 'hs calls', 'hs codes']];
  for (const variant of [
    { name: 'default (breaker on)', overrides: {} },
    { name: 'breaker off', overrides: { breakerThreshold: 1000 } },
  ]) {
    for (const clients of [20, 40]) {
      const config = validateConfig({ sources: sims.config.sources.map((s) => (s.id === 'hs' ? { ...s, ...variant.overrides } : s)) }, 'bench', process.env);
      const gateway = createGateway({ config, stopGracePeriodMs: 1000 });
      const url = await gateway.listen(0, '127.0.0.1');
      hs.clearFaults();
      hs.injectFault({ fault: { kind: 'timeout' } });
      hs.resetCounters();
      const codes = new Map<string, number>();
      const times: { healthy: number[]; touching: number[] } = { healthy: [], touching: [] };
      const total = 4 * clients;
      const stopAt = performance.now() + seconds * 1000;
      let next = 0;
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (next < total && performance.now() < stopAt) {
            const kind = next++ % 2 === 0 ? 'healthy' : 'touching';
            const t0 = performance.now();
            const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: kind === 'healthy' ? healthy : touching, variables: { w: WEEK } }) });
            const body = (await res.json()) as { data?: { accounts?: { errors?: { code: string }[] } } };
            times[kind].push(performance.now() - t0);
            for (const e of body.data?.accounts?.errors ?? []) codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
            if (kind === 'healthy' && (body.data?.accounts?.errors ?? []).length > 0) throw new Error('a query that does not touch the hung source failed');
          }
        }),
      );
      hs.clearFaults();
      const pct = (xs: number[], p: number) => (xs.length ? percentile([...xs].sort((a, b) => a - b), p).toFixed(0) : '-');
      const p95 = (xs: number[]) => pct(xs, 95);
      rows.push([
        variant.name,
        String(clients),
        String(times.healthy.length + times.touching.length),
        p95(times.healthy),
        pct(times.touching, 50),
        p95(times.touching),
        times.touching.length ? Math.max(...times.touching).toFixed(0) : '-',
        String(hs.requests.length),
        [...codes].map(([c, n]) => `${c}×${n}`).join(' '),
      ]);
      await gateway.stop();
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
}

await main();
