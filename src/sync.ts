/**
 * `billgraph sync` (`npm run sync`): backfills the ledger from every source (or those named) over
 * a range, with a progress bar per source on a terminal and plain lines otherwise. Resumable: each
 * source checkpoints after every chunk, so a run stopped by Ctrl-C or a crash and started again
 * with the same range goes on where it was. Loaded by src/main.ts; side effects like src/start.ts.
 */
import cliProgress from 'cli-progress';
import { configOrDemo } from './bootstrap.js';
import { ConfigError } from './config.js';
import { createSources, closeSources } from './gateway/sources.js';
import { commandLineOrExit } from './lib/cli.js';
import { DAY_MS } from './lib/durations.js';
import { ledgerLocationOf } from './ledger/gatewayLedger.js';
import { openLedger } from './ledger/openLedger.js';
import { withSyncLock } from './ledger/syncLock.js';
import { syncSource, type SyncProgress, type SyncResult } from './ledger/syncSource.js';
import { instantOf, SYNC_OPTIONS, SYNC_USAGE } from './ledger/syncCommandLine.js';

/** Where one source's progress goes: a bar on a terminal, else a line at each tenth and at the end. */
function reporter(tty: boolean) {
  if (tty) {
    const bars = new cliProgress.MultiBar(
      {
        format:
          ' {source} [{bar}] {percentage}% | {value}/{total} buckets | {rows} rows | {calls} calls | ETA {eta_formatted}',
        hideCursor: true,
        clearOnComplete: false,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    const byId = new Map<string, cliProgress.SingleBar>();
    return {
      progress(p: SyncProgress) {
        let bar = byId.get(p.sourceId);
        if (!bar) {
          bar = bars.create(p.bucketsTotal, p.bucketsDone, {
            source: p.sourceId.padEnd(12),
            rows: p.rows,
            calls: p.calls,
          });
          byId.set(p.sourceId, bar);
        }
        bar.setTotal(p.bucketsTotal);
        bar.update(p.bucketsDone, { rows: p.rows, calls: p.calls });
      },
      stop: () => bars.stop(),
    };
  }
  const tenths = new Map<string, number>();
  return {
    progress(p: SyncProgress) {
      const tenth = p.bucketsTotal === 0 ? 10 : Math.floor((p.bucketsDone / p.bucketsTotal) * 10);
      if (tenths.get(p.sourceId) === tenth) return;
      tenths.set(p.sourceId, tenth);
      process.stderr.write(
        `sync ${p.sourceId}: ${p.bucketsDone}/${p.bucketsTotal} buckets (${tenth * 10}%), ${p.rows} rows, ${p.calls} upstream calls\n`,
      );
    },
    stop: () => undefined,
  };
}

async function main(): Promise<number> {
  const env = process.env;
  const values = commandLineOrExit('billgraph sync', process.argv.slice(3), SYNC_OPTIONS, SYNC_USAGE);
  const now = Date.now();
  const until = values.until !== undefined ? instantOf('until', values.until) : now;
  const since =
    values.since !== undefined ? instantOf('since', values.since) : Math.floor(now / DAY_MS) * DAY_MS - 365 * DAY_MS;
  if (since >= until) throw new ConfigError([`--since must be before --until`], 'command line');

  const { config, demo } = await configOrDemo(values.config, env);
  const location = ledgerLocationOf(config.ledger, env);
  if (!location) throw new ConfigError(['ledger.enabled is false: there is no ledger to sync into'], 'configuration');
  const wanted = values.source ?? config.sources.map((s) => s.id);
  const unknown = wanted.filter((id) => !config.sources.some((s) => s.id === id));
  if (unknown.length > 0)
    throw new ConfigError(
      [
        `--source ${unknown.join(', ')} is not a configured source; the sources are ${config.sources.map((s) => s.id).join(', ')}`,
      ],
      'command line',
    );

  const ledger = await openLedger(location);
  const sources = createSources({ ...config, metrics: { ...config.metrics, enabled: false } }, Date.now);
  const abort = new AbortController();
  const onSignal = (): void => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
    process.stderr.write(
      '\nStopping after the chunk under way; run the same command again to resume (Ctrl-C again to quit now).\n',
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const report = reporter(Boolean(process.stderr.isTTY));
  const started = performance.now();
  let failed = 0;
  try {
    const results = await withSyncLock(ledger, true, () =>
      Promise.allSettled(
        wanted.map((id) =>
          syncSource(ledger.db, sources.sources.get(id)!, since, until, {
            limits: config.limits,
            now: Date.now,
            onProgress: (p) => report.progress(p),
            resources: values.resources ?? false,
            signal: abort.signal,
          }),
        ),
      ),
    );
    report.stop();
    if (results === 'busy') return 1;
    results.forEach((r, i) => {
      const id = wanted[i]!;
      if (r.status === 'rejected') {
        failed++;
        process.stderr.write(
          `sync ${id}: failed: ${r.reason instanceof Error ? r.reason.message : String(r.reason)} (what was synced before is kept; run again to resume)\n`,
        );
      } else process.stderr.write(`${summary(id, r.value)}\n`);
    });
  } finally {
    report.stop();
    await closeSources(sources);
    await ledger.close();
    await demo?.close();
  }
  process.stderr.write(
    `${abort.signal.aborted ? 'Stopped' : 'Done'} in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`,
  );
  return failed > 0 ? 1 : abort.signal.aborted ? 130 : 0;
}

function summary(id: string, result: SyncResult | null): string {
  if (!result) return `sync ${id}: nothing final in the range`;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const resumed =
    result.resumedFromMs > result.startMs ? `, resumed at ${new Date(result.resumedFromMs).toISOString()}` : '';
  return `sync ${id}: ${day(result.startMs)} → ${new Date(result.doneUntilMs).toISOString()}, ${result.rows} rows, ${result.calls} upstream calls${resumed}`;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof ConfigError || (error instanceof Error && /^Ledger(Busy|Version)Error$/.test(error.name))) {
    process.stderr.write(`billgraph sync: ${error.message}\n`);
    process.exitCode = 2;
  } else throw error;
}
