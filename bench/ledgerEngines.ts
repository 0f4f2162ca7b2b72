/**
 * `npm run bench:ledger`: the embedded-ledger engines side by side on the report queries the ledger
 * answers (docs/ledger.md has the figures and the choice). Each engine gets the same rows: a year of
 * DAY buckets for 5 sources × ACCOUNTS accounts × 2 metrics, decimal quantities with up to 18
 * decimals and costs in two currencies; then, REPEAT times each, "a year by day grouped by source" and
 * "a month grouped by account". Every engine's sums are compared digit for digit with big.js's.
 *   npm run bench:ledger [-- --accounts N] [--repeat N]   N accounts per source (default 20), runs (default 7)
 * Engines: PGlite in memory and on disk (the embedded default), PostgreSQL when a server is
 * installed (a throwaway cluster on a free loopback port), node:sqlite with the amounts as TEXT and
 * an exact SUM of our own (SQLite has no exact decimal type).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { commandLineOrExit } from '../src/lib/cli.js';
import { addDecimals, equalDecimals, sumDecimals } from '../src/lib/decimal.js';
import { sumRows, writeRows, type LedgerRow } from '../src/ledger/ledgerStore.js';
import { openLedger, type Ledger } from '../src/ledger/openLedger.js';
import { startPostgres } from '../test/helpers/postgres.js';

const USAGE = `Usage: npm run bench:ledger -- [options]

The embedded-ledger engines side by side on the ledger's report queries (docs/ledger.md).

Options:
  --accounts N   accounts per source (default 20): rows = 5 × N × 2 metrics × 365 days
  --repeat N     runs of each query per engine; the median is reported (default 7)
`;
const values = commandLineOrExit(
  'bench:ledger',
  process.argv.slice(2),
  {
    accounts: { type: 'string' },
    repeat: { type: 'string' },
  },
  USAGE,
);
const ACCOUNTS = Number(values.accounts ?? 20);
const REPEAT = Number(values.repeat ?? 7);
if (!(Number.isInteger(ACCOUNTS) && ACCOUNTS > 0 && Number.isInteger(REPEAT) && REPEAT > 0)) {
  process.stderr.write('bench:ledger: --accounts and --repeat take positive whole numbers\n');
  process.exit(2);
}

const YEAR_START = Date.UTC(2025, 11, 1);
const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const SOURCES = ['g8', 'kb', 'hs', 'civitai', 'theirstack'];

/** Deterministic decimals with up to 18 places, some past 2^53. */
function* rows(): Generator<LedgerRow> {
  let n = 0;
  for (let day = 0; day < 365; day++)
    for (const sourceId of SOURCES)
      for (let a = 0; a < ACCOUNTS; a++)
        for (const metric of ['CU', 'SU']) {
          n++;
          const whole = n % 97 === 0 ? '9007199254740993' : String((n * 7919) % 100_000);
          const quantity = `${whole}.${String((n * 104_729) % 1_000_000_007).padStart(18, '0')}`;
          yield {
            sourceId,
            provider: sourceId.toUpperCase(),
            accountId: `${sourceId}-acc-${a}`,
            metric,
            unit: `${metric}-hours`,
            bucketStart: iso(YEAR_START + day * DAY_MS),
            bucketEnd: iso(YEAR_START + (day + 1) * DAY_MS),
            quantity,
            cost: {
              amount: `${(n % 1000) + 1}.${String(n % 10_000).padStart(4, '0')}`,
              currency: n % 2 ? 'EUR' : 'USD',
            },
            isFinal: true,
            fetchedAt: iso(YEAR_START + 366 * DAY_MS),
          };
        }
}
const ALL = [...rows()];

/** The expected year totals by source, from big.js: what every engine must answer digit for digit. */
function expectedBySource(): Map<string, string> {
  const bySource = new Map<string, string[]>();
  for (const row of ALL) {
    const key = `${row.sourceId}|${row.metric}`;
    const list = bySource.get(key);
    if (list) list.push(row.quantity);
    else bySource.set(key, [row.quantity]);
  }
  return new Map([...bySource].map(([k, v]) => [k, sumDecimals(v)]));
}

interface Engine {
  readonly name: string;
  write(rows: readonly LedgerRow[]): Promise<void>;
  /** Year by source: per source and metric the quantity. */
  yearBySource(): Promise<Map<string, string>>;
  monthByAccount(): Promise<number>;
  size(): number | null;
  close(): Promise<void>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const dirSize = (dir: string): number =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + statSync(join(e.parentPath, e.name)).size, 0);

function kyselyEngine(name: string, ledger: Ledger, dir: string | null, stop: () => Promise<void>): Engine {
  return {
    name,
    write: async (rows) => void (await writeRows(ledger.db, rows)),
    async yearBySource() {
      const groups = await sumRows(ledger.db, {
        start: iso(YEAR_START),
        end: iso(YEAR_START + 365 * DAY_MS),
        groupBy: ['SOURCE'],
      });
      return new Map(
        groups.flatMap((g) => g.quantities.map((q) => [`${g.key.SOURCE}|${q.metric}`, q.quantity] as const)),
      );
    },
    async monthByAccount() {
      const groups = await sumRows(ledger.db, {
        start: iso(YEAR_START),
        end: iso(YEAR_START + 31 * DAY_MS),
        groupBy: ['ACCOUNT'],
      });
      return groups.length;
    },
    size: () => (dir ? dirSize(dir) : null),
    async close() {
      await ledger.close();
      await stop();
    },
  };
}

/** node:sqlite: amounts as TEXT, summed by an aggregate of our own through big.js (SQLite has no exact decimal). */
function sqliteEngine(dir: string): Engine {
  const file = join(dir, 'ledger.sqlite');
  const db = new DatabaseSync(file);
  db.exec(`pragma journal_mode = wal; pragma synchronous = normal;
    create table ledger_rows (source_id text, account_id text, metric text, unit text, bucket_start integer,
      bucket_end integer, quantity text, cost text, currency text,
      primary key (source_id, account_id, metric, bucket_start, bucket_end));
    create index ledger_rows_by_time on ledger_rows (bucket_start);`);
  db.aggregate<string>('exact_sum', {
    start: '0',
    step: (acc, value) => (typeof value === 'string' ? addDecimals(acc, value) : acc),
  });
  const insert = db.prepare('insert or replace into ledger_rows values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const bySource = db.prepare(
    'select source_id, metric, exact_sum(quantity) as q from ledger_rows where bucket_start >= ? and bucket_end <= ? group by source_id, metric',
  );
  const byAccount = db.prepare(
    'select account_id, metric, exact_sum(quantity) as q from ledger_rows where bucket_start >= ? and bucket_end <= ? group by account_id, metric',
  );
  return {
    name: 'node:sqlite (TEXT + exact aggregate)',
    async write(rows) {
      db.exec('begin');
      for (const r of rows)
        insert.run(
          r.sourceId,
          r.accountId,
          r.metric,
          r.unit,
          Date.parse(r.bucketStart),
          Date.parse(r.bucketEnd),
          r.quantity,
          r.cost?.amount ?? null,
          r.cost?.currency ?? null,
        );
      db.exec('commit');
    },
    async yearBySource() {
      const out = bySource.all(YEAR_START, YEAR_START + 365 * DAY_MS) as {
        source_id: string;
        metric: string;
        q: string;
      }[];
      return new Map(out.map((r) => [`${r.source_id}|${r.metric}`, r.q]));
    },
    async monthByAccount() {
      return new Set(
        (byAccount.all(YEAR_START, YEAR_START + 31 * DAY_MS) as { account_id: string }[]).map((r) => r.account_id),
      ).size;
    },
    size: () => dirSize(dir),
    async close() {
      db.close();
    },
  };
}

async function main() {
  const expected = expectedBySource();
  const tmp = mkdtempSync(join(tmpdir(), 'billgraph-ledger-bench-'));
  const engines: (() => Promise<Engine>)[] = [
    async () => kyselyEngine('PGlite, in memory', await openLedger({ kind: 'memory' }), null, async () => {}),
    async () => {
      const dir = join(tmp, 'pglite');
      return kyselyEngine('PGlite, on disk', await openLedger({ kind: 'embedded', dataDir: dir }), dir, async () => {});
    },
    async () => {
      const postgres = await startPostgres();
      return kyselyEngine(
        'PostgreSQL 15 (shared)',
        await openLedger({ kind: 'postgres', url: postgres.url }),
        null,
        () => postgres.stop(),
      );
    },
    async () => {
      const dir = join(tmp, 'sqlite');
      mkdirSync(dir);
      return sqliteEngine(dir);
    },
  ];
  const lines = [
    `rows: ${ALL.length.toLocaleString('en')} (365 days × ${SOURCES.length} sources × ${ACCOUNTS} accounts × 2 metrics); medians of ${REPEAT} runs`,
    '',
    '| engine | write rows/s | year by source p50 ms | month by account p50 ms | on disk MB | exact |',
    '|---|---:|---:|---:|---:|:---:|',
  ];
  for (const make of engines) {
    let engine: Engine;
    try {
      engine = await make();
    } catch (error) {
      lines.push(`| (skipped: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}) | | | | | |`);
      continue;
    }
    const started = performance.now();
    for (let i = 0; i < ALL.length; i += 10_000) await engine.write(ALL.slice(i, i + 10_000));
    const writeS = (performance.now() - started) / 1000;
    const year: number[] = [];
    const month: number[] = [];
    let answer = new Map<string, string>();
    for (let i = 0; i < REPEAT; i++) {
      let t = performance.now();
      answer = await engine.yearBySource();
      year.push(performance.now() - t);
      t = performance.now();
      await engine.monthByAccount();
      month.push(performance.now() - t);
    }
    // Exact: the same digits as big.js, compared as numbers of equal value (an engine may pad the scale).
    const exact = [...expected].every(([k, v]) => answer.has(k) && equalDecimals(answer.get(k)!, v));
    const size = engine.size();
    lines.push(
      `| ${engine.name} | ${Math.round(ALL.length / writeS).toLocaleString('en')} | ${median(year).toFixed(1)} | ${median(month).toFixed(1)} | ${size === null ? '—' : (size / 1e6).toFixed(1)} | ${exact ? 'yes' : 'NO'} |`,
    );
    await engine.close();
    process.stderr.write(`${engine.name} done\n`);
  }
  rmSync(tmp, { recursive: true, force: true });
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
