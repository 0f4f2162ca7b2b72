/**
 * `npm run simulators`: starts the built-in simulators without the gateway and gives a billgraph config file for
 * them (USAGE below says how). Options are parsed by src/lib/cli.ts (node:util parseArgs), like the gateway's.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { commandLineOrExit } from '../src/lib/cli.js';
import { startAllSimulators } from './registry.js';

const USAGE = `Usage: npm run simulators -- [--out FILE] [--latency MS] [--scale N] [--demo-precision] [--json-line]

Starts the built-in simulators (one loopback HTTP server per provider) without the gateway, gives a
billgraph config file for them, and keeps running until Ctrl-C. Then, in another shell:
  npm start -- --config sims.json

Options:
  --out FILE     write the config file to FILE (and say so on stderr) instead of printing it.
                 Printing it works too, with npm's -s so its banner stays out of the file:
                 npm run -s simulators > sims.json
  --latency MS   delay before every upstream answer, in milliseconds (default 0)
  --scale N      size factor of the seeded worlds, an integer from 1 to 1000: N× the OpenvCloud
                 accounts, cloudspaces and machines, the Kill Bill accounts and subscriptions,
                 the Hyperstack VMs and volumes (default 1, exactly the world the tests pin)
  --demo-precision
                 seed the values beyond a double's precision, as the tests do: OpenvCloud's
                 ~92 EiB archive machine, Kill Bill's two 333333333.333333333 records
                 (default off, the demo's ordinary figures; docs/simulators.md)
  --json-line    print ONE line of JSON instead of the pretty config, for programs (the bench):
                 { "config": <the config file>, "latencyMs", "scale",
                   "simulators": [{ "id", "provider", "url", "world": { "<list>": <length>, … } }] }
  -h, --help     print this and exit

Control API of each simulator: <url>/__sim/requests, /__sim/reset, /__sim/faults, /__sim/latency
(docs/simulators.md).
`;

const values = commandLineOrExit(
  'simulators',
  process.argv.slice(2),
  {
    out: { type: 'string' },
    latency: { type: 'string' },
    scale: { type: 'string' },
    'demo-precision': { type: 'boolean' },
    'json-line': { type: 'boolean' },
  },
  USAGE,
);

function numberOption(
  raw: string | undefined,
  name: string,
  fallback: number,
  check: (n: number) => boolean,
  what: string,
) {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !check(n)) {
    process.stderr.write(`simulators: --${name} needs ${what}, got "${raw}"\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

const latencyMs = numberOption(
  values.latency,
  'latency',
  0,
  (n) => Number.isFinite(n) && n >= 0,
  'a non-negative number of milliseconds',
);
const scale = numberOption(
  values.scale,
  'scale',
  1,
  (n) => Number.isInteger(n) && n >= 1 && n <= 1000,
  'an integer from 1 to 1000',
);
const jsonLine = values['json-line'] === true;
const out = values.out;
if (out === '') {
  process.stderr.write(`simulators: --out needs a file name, e.g. --out sims.json\n`);
  process.exit(2);
}

const sims = await startAllSimulators({ latencyMs, scale, precision: values['demo-precision'] === true });

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

const pretty = `${JSON.stringify(sims.config, null, 2)}\n`;
if (out !== undefined) {
  try {
    writeFileSync(out, pretty);
  } catch (error) {
    process.stderr.write(
      `simulators: cannot write ${out}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    await sims.close();
    process.exit(2);
  }
}
if (jsonLine) {
  const simulators = sims.started.map((s) => ({
    id: s.source.id,
    provider: s.source.provider,
    url: s.handle.url,
    world: worldOf(s.handle),
  }));
  process.stdout.write(`${JSON.stringify({ config: sims.config, latencyMs, scale, simulators })}\n`);
} else if (out === undefined) {
  process.stdout.write(pretty);
}
process.stderr.write(
  `Simulators running (latency ${latencyMs} ms, scale ${scale}):\n${sims.started.map((s) => `  ${s.source.provider.padEnd(11)} ${s.handle.url}`).join('\n')}\n${out === undefined ? '' : `Config written to ${resolve(out)}: npm start -- --config ${out}\n`}Ctrl-C to stop.\n`,
);
const stop = () => void sims.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
