/**
 * Starts the built-in simulators without the gateway and prints a config file for them:
 *   npm run simulators > sims.json   (then, in another shell)   npm start -- --config sims.json
 *
 * Options (all optional):
 *   --latency MS   delay before every upstream answer, in milliseconds (default 0)
 *   --scale N      size factor of the seeded worlds: N× the OpenvCloud accounts, cloudspaces and
 *                  machines, the Kill Bill accounts and subscriptions, the Hyperstack VMs and
 *                  volumes (default 1, exactly the world the tests pin)
 *   --json-line    print ONE line of JSON instead of the pretty config, for programs (the bench):
 *                  { "config": <the config file>, "latencyMs", "scale",
 *                    "simulators": [{ "id", "provider", "url", "world": { "<list>": <length>, … } }] }
 *                  Control API of each simulator: <url>/__sim/requests, /__sim/reset, /__sim/faults, /__sim/latency.
 */
import { startAllSimulators } from './registry.js';

function numberFlag(
  argv: readonly string[],
  name: string,
  fallback: number,
  check: (n: number) => boolean,
  what: string,
): number {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i === -1) return fallback;
  const arg = argv[i]!;
  const raw = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
  const n = Number(raw);
  if (raw === undefined || raw === '' || !check(n)) {
    process.stderr.write(`simulators: ${name} needs ${what}, got "${raw ?? ''}"\n`);
    process.exit(2);
  }
  return n;
}

const argv = process.argv.slice(2);
const latencyMs = numberFlag(
  argv,
  '--latency',
  0,
  (n) => Number.isFinite(n) && n >= 0,
  'a non-negative number of milliseconds',
);
const scale = numberFlag(
  argv,
  '--scale',
  1,
  (n) => Number.isInteger(n) && n >= 1 && n <= 1000,
  'an integer from 1 to 1000',
);
const jsonLine = argv.includes('--json-line');

const sims = await startAllSimulators({ latencyMs, scale });

/** Lengths of the array-valued members of a simulator's seeded world, e.g. { accounts: 4, machines: 112 }. */
function worldOf(handle: object): Record<string, number> {
  const data = (handle as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return {};
  return Object.fromEntries(
    Object.entries(data)
      .filter(([, v]) => Array.isArray(v))
      .map(([k, v]) => [k, (v as unknown[]).length]),
  );
}

if (jsonLine) {
  const simulators = sims.started.map((s) => ({
    id: s.source.id,
    provider: s.source.provider,
    url: s.handle.url,
    world: worldOf(s.handle),
  }));
  process.stdout.write(`${JSON.stringify({ config: sims.config, latencyMs, scale, simulators })}\n`);
} else {
  process.stdout.write(`${JSON.stringify(sims.config, null, 2)}\n`);
}
process.stderr.write(
  `Simulators running (latency ${latencyMs} ms, scale ${scale}):\n${sims.started.map((s) => `  ${s.source.provider.padEnd(11)} ${s.handle.url}`).join('\n')}\nCtrl-C to stop.\n`,
);
const stop = () => void sims.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
