/**
 * `npm run bench`: latency, throughput, CPU per query, peak RSS and upstream calls of the gateway against a plain
 * node:http baseline, every program in its own process, all on loopback, every phase bounded. Writes
 * bench/results/latest.json and bench/results/latest.md. Options (USAGE; docs/benchmark.md) are parsed by
 * src/lib/cli.ts (node:util parseArgs), like the gateway's; each also reads an environment variable.
 */
import { commandLineOrExit } from '../src/lib/cli.js';
import { DEFAULTS, QUICK, runBench, toMarkdown, type BenchOptions } from './harness.js';
import { killAllChildren } from './processes.js';

const USAGE = `Usage: npm run bench -- [options]        (each option also reads the environment variable beside it)

The gateway against a plain node:http baseline over the simulators; writes bench/results/latest.{json,md}.

Options:
  --scenarios a,b     BENCH_SCENARIOS     scenario ids: traversal, traversal-day, kb-usage, hs-cost,
                                          usage-report, traversal-repeat, hs-hung, noisy-neighbour, huge-body,
                                          scale (default all)
  --quick             BENCH_QUICK=1       1 run, few requests: proves the harness
  --runs N            BENCH_RUNS          runs per figure, the median is reported (default 3)
  --rounds N          BENCH_ROUNDS        requests per client in each throughput phase (default 6; quick 2)
  --seconds S         BENCH_SECONDS       time cap of every phase, in seconds (default 90; quick 30)
  --latency-requests N  BENCH_LATENCY_REQUESTS  requests at 1 client for p50/p95/p99 (default 50; quick 10)
  --clients 20,50     BENCH_CLIENTS       throughput client counts (default 20,50)
  --scales 1,4,16     BENCH_SCALES        simulator size factors of the scale run (default 1,4,16)
  --upstream-ms MS    BENCH_UPSTREAM_MS   simulator latency per call, in milliseconds (default 20)
  --hung-seconds S    BENCH_HUNG_SECONDS  each hung-source row and each 10 MB body phase, in seconds
                                          (default 12; quick 8)
  --noisy-clients N   BENCH_NOISY_CLIENTS clients of the flooding tenant in the noisy-neighbour row (default 8)
  --gateway dist|tsx  BENCH_GATEWAY       built output (default; builds when stale) or tsx on src/
  --no-build                              never run npm run build
  --source k=v,k=v    BENCH_SOURCE        settings merged into every source of the gateway config,
                                          e.g. transport=node-fetch,maxSockets=32 (numbers and booleans
                                          parsed; default none)
  --config JSON       BENCH_CONFIG        top-level keys merged into the gateway config,
                                          e.g. '{"metrics":{"enabled":false}}' (default none)
  --node-flags "…"    BENCH_NODE_FLAGS    node flags of gateway and baseline (default --max-semi-space-size=64;
                                          "" for none)
  --out DIR           BENCH_OUT           results folder (default bench/results)
  -h, --help                              print this and exit
`;

const STRING = { type: 'string' } as const;
const values = commandLineOrExit(
  'bench',
  process.argv.slice(2),
  {
    scenarios: STRING,
    quick: { type: 'boolean' },
    runs: STRING,
    rounds: STRING,
    seconds: STRING,
    'latency-requests': STRING,
    clients: STRING,
    scales: STRING,
    'upstream-ms': STRING,
    'hung-seconds': STRING,
    'noisy-clients': STRING,
    gateway: STRING,
    'no-build': { type: 'boolean' },
    source: STRING,
    config: STRING,
    'node-flags': STRING,
    out: STRING,
  },
  USAGE,
);
type Flag = Exclude<keyof typeof values, 'quick' | 'no-build'>;

/** A value the harness cannot use: said in one line with the usage, exit 2 (no stack trace). */
function refuse(message: string): never {
  process.stderr.write(`bench: ${message}\n\n${USAGE}`);
  return process.exit(2);
}

const env = process.env;
const text = (flag: Flag, variable: string): string | undefined => values[flag] ?? env[variable];
const num = (flag: Flag, variable: string): number | undefined => {
  const raw = text(flag, variable);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0)
    refuse(`--${flag} / ${variable} needs a non-negative number, got "${raw}"`);
  return n;
};
const list = (flag: Flag, variable: string): number[] | undefined => {
  const raw = text(flag, variable);
  if (raw === undefined) return undefined;
  const numbers = raw.split(',').map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 1))
    refuse(`--${flag} / ${variable} needs positive integers separated by commas, got "${raw}"`);
  return numbers;
};

const quick = values.quick === true || env.BENCH_QUICK === '1';
const options: Partial<BenchOptions> = { ...(quick ? QUICK : {}) };
const set = <K extends keyof BenchOptions>(key: K, value: BenchOptions[K] | undefined) => {
  if (value !== undefined) options[key] = value;
};
set('scenarios', text('scenarios', 'BENCH_SCENARIOS')?.split(',').filter(Boolean));
set('runs', num('runs', 'BENCH_RUNS'));
set('seconds', num('seconds', 'BENCH_SECONDS'));
set('latencyRequests', num('latency-requests', 'BENCH_LATENCY_REQUESTS'));
set('rounds', num('rounds', 'BENCH_ROUNDS'));
set('throughputClients', list('clients', 'BENCH_CLIENTS'));
set('scales', list('scales', 'BENCH_SCALES'));
set('latencyMs', num('upstream-ms', 'BENCH_UPSTREAM_MS'));
set('hungSeconds', num('hung-seconds', 'BENCH_HUNG_SECONDS'));
set('noisyClients', num('noisy-clients', 'BENCH_NOISY_CLIENTS'));
const gateway = text('gateway', 'BENCH_GATEWAY');
if (gateway !== undefined && gateway !== 'dist' && gateway !== 'tsx')
  refuse(`--gateway must be dist or tsx, got "${gateway}"`);
set('gateway', gateway);
if (values['no-build'] === true) options.build = false;
set('outDir', text('out', 'BENCH_OUT'));
const sourceSettings = text('source', 'BENCH_SOURCE');
if (sourceSettings !== undefined) {
  options.sourceSettings = Object.fromEntries(
    sourceSettings
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const [key, value = ''] = pair.split('=');
        if (!key) refuse(`--source needs key=value pairs, got "${pair}"`);
        return [key, /^\d+$/.test(value) ? Number(value) : value === 'true' ? true : value === 'false' ? false : value];
      }),
  );
}
const gatewaySettings = text('config', 'BENCH_CONFIG');
if (gatewaySettings !== undefined) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(gatewaySettings);
  } catch {
    refuse(`--config needs a JSON object, got ${gatewaySettings}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    refuse(`--config needs a JSON object, got ${gatewaySettings}`);
  options.gatewaySettings = parsed as Record<string, unknown>;
}
const nodeFlags = text('node-flags', 'BENCH_NODE_FLAGS');
if (nodeFlags !== undefined) options.nodeFlags = nodeFlags.split(/\s+/).filter(Boolean);

const onSignal = (signal: NodeJS.Signals) => {
  process.stderr.write(`\nbench: ${signal}, stopping every child process\n`);
  killAllChildren();
  process.exit(130);
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

const startedAt = Date.now();
try {
  const result = await runBench(options);
  process.stdout.write(`\n${toMarkdown(result)}\n`);
  process.stdout.write(
    `bench took ${((Date.now() - startedAt) / 1000).toFixed(0)} s (${DEFAULTS.runs === options.runs ? 'default' : `${options.runs ?? DEFAULTS.runs}`} runs)\n`,
  );
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  killAllChildren();
  process.exit(1);
}
