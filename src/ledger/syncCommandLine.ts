/**
 * `billgraph sync`'s command line: its options, its usage text and how it reads a date. Apart from
 * src/sync.ts (a program: it runs when imported) so it can be tested.
 */
import { ConfigError } from '../config.js';

export const SYNC_OPTIONS = {
  config: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  source: { type: 'string', multiple: true },
  resources: { type: 'boolean' },
} as const;

export const SYNC_USAGE = `Usage: npm run sync [-- --since DATE] [--until DATE] [--source ID ...] [--config FILE]
       (the built output: node dist/main.js sync ...)

Reads every final bucket of the range from the sources into the usage ledger (docs/ledger.md), so
reports over it need no upstream call. Stopped (Ctrl-C) or crashed, the same command resumes.

Options:
  --since DATE    first day to sync, YYYY-MM-DD or an RFC 3339 instant (UTC). Default: 365 days ago
  --until DATE    first day not to sync (exclusive). Default: now (buckets not final yet are left out)
  --source ID     only this source (its id in the config); repeat for several. Default: every source
  --resources     also keep each resource's rows (machines, VMs, volumes), for reports by resource;
                  about ten times the rows. Default: accounts only
  --config FILE   the configuration file (as for npm start). Default: BILLGRAPH_CONFIG, else the demo
  -h, --help      print this and exit
`;

/** An instant from YYYY-MM-DD (UTC midnight) or RFC 3339; a ConfigError naming the option otherwise. */
export function instantOf(option: string, value: string): number {
  // A day is UTC midnight; an instant names its offset (Z or ±hh:mm), never the machine's zone.
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value);
  const ms = day ? Date.parse(`${value}T00:00:00Z`) : instant ? Date.parse(value) : Number.NaN;
  // Date.parse rolls 2026-02-30 over to 2 March: the day must read back as written.
  const real = Number.isFinite(ms) && (!day || new Date(ms).toISOString().slice(0, 10) === value);
  if (!real)
    throw new ConfigError(
      [`--${option} must be a date such as 2026-01-01 or an instant such as 2026-01-01T00:00:00Z, got "${value}"`],
      'command line',
    );
  return ms;
}
