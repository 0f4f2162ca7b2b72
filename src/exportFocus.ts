/**
 * `billgraph export focus` (`npm run export -- focus …`): the FOCUS export of docs/focus.md to a
 * file or standard output, with a progress bar on a terminal (rows, sources done, ETA) and plain
 * lines otherwise, both on standard error. Reads through the ledger like the gateway; a file is
 * written beside its target and renamed only once whole, so a failed export leaves no cut file.
 * Loaded by src/main.ts; side effects like src/sync.ts.
 */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { configOrDemo } from './bootstrap.js';
import { ConfigError, type Config } from './config.js';
import { createSources, closeSources } from './gateway/sources.js';
import { commandLineOrExit } from './lib/cli.js';
import { createGatewayLedger } from './ledger/gatewayLedger.js';
import { LOCAL_TENANT } from './security/tenantAuth.js';
import { EXPORT_OPTIONS, EXPORT_USAGE, exportParams } from './export/focus/exportCommandLine.js';
import { FocusExportError, focusRows, planFocusExport, type FocusExportPlan } from './export/focus/focusExport.js';
import { focusRequestOf } from './export/focus/focusRequest.js';
import { writeFocusRows } from './export/focus/focusWriter.js';

/** Progress on standard error: a bar on a terminal, else a line per source done. */
function reporter(plan: FocusExportPlan, tty: boolean) {
  const { stats } = plan;
  if (tty) {
    const bar = new cliProgress.SingleBar(
      {
        format:
          ' FOCUS [{bar}] {percentage}% | {value}/{total} buckets | {rows} rows | sources {done}/{sources} | ETA {eta_formatted}',
        hideCursor: true,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(stats.bucketsTotal, 0, { rows: 0, done: 0, sources: stats.sourcesTotal });
    const timer = setInterval(
      () => bar.update(stats.bucketsDone, { rows: stats.rows, done: stats.sourcesDone, sources: stats.sourcesTotal }),
      200,
    );
    return () => {
      clearInterval(timer);
      bar.update(stats.bucketsDone, { rows: stats.rows, done: stats.sourcesDone, sources: stats.sourcesTotal });
      bar.stop();
    };
  }
  let done = 0;
  const timer = setInterval(() => {
    if (stats.sourcesDone === done) return;
    done = stats.sourcesDone;
    process.stderr.write(`export focus: ${done}/${stats.sourcesTotal} sources, ${stats.rows} rows\n`);
  }, 200);
  return () => clearInterval(timer);
}

async function main(): Promise<number> {
  const env = process.env;
  const [what, ...rest] = process.argv.slice(3);
  if (what !== 'focus') {
    process.stderr.write(`billgraph export: the only export is "focus".\n\n${EXPORT_USAGE}`);
    return 2;
  }
  const values = commandLineOrExit('billgraph export focus', rest, EXPORT_OPTIONS, EXPORT_USAGE);
  const request = focusRequestOf(exportParams(values));

  const loaded = await configOrDemo(values.config, env);
  const { demo } = loaded;
  // No metrics and no background sync in a one-off command.
  const config: Config = {
    ...loaded.config,
    metrics: { ...loaded.config.metrics, enabled: false },
    ledger: { ...loaded.config.ledger, syncIntervalSeconds: 0 },
  };
  const ledger = createGatewayLedger(config, Date.now, env);
  const sources = createSources(config, Date.now, ledger);
  const abort = new AbortController();
  const onSignal = (): void => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const partial = values.out ? `${values.out}.partial` : null;
  try {
    await ledger.open();
    const deps = {
      sources: sources.sources,
      limits: config.limits,
      currencies: config.currencies,
      tenant: LOCAL_TENANT,
      now: Date.now,
    };
    const plan = planFocusExport(request, deps);
    for (const [id, r] of plan.notFinal)
      process.stderr.write(
        `export focus: ${id} is not final from ${r.from} to ${r.to}; those rows may still change (x_IsFinal=false)\n`,
      );
    const stop = reporter(plan, Boolean(process.stderr.isTTY));
    const started = performance.now();
    try {
      const out = partial ? createWriteStream(partial) : process.stdout;
      await writeFocusRows(focusRows(plan, deps), plan.columns, request.format, out, abort.signal);
      if (partial) renameSync(partial, values.out!);
    } finally {
      stop();
    }
    const skipped = [...plan.stats.skipped].map(([k, n]) => `${k} ${n}`).join(', ');
    process.stderr.write(
      `export focus: ${plan.stats.rows} rows from ${plan.stats.sourcesDone} sources in ${((performance.now() - started) / 1000).toFixed(1)} s, ${plan.stats.upstreamCalls} upstream calls${skipped ? `; left out: ${skipped}` : ''}${values.out ? `; written to ${values.out}` : ''}\n`,
    );
    return 0;
  } catch (error) {
    if (partial) rmSync(partial, { force: true });
    if (error instanceof FocusExportError) {
      process.stderr.write(`billgraph export focus: ${error.message}\n`);
      return error.stage === 'request' ? 2 : 1;
    }
    if (abort.signal.aborted) {
      process.stderr.write('billgraph export focus: stopped; nothing was written to --out\n');
      return 130;
    }
    throw error;
  } finally {
    await closeSources(sources);
    await ledger.close();
    await demo?.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (
    error instanceof ConfigError ||
    error instanceof FocusExportError ||
    (error instanceof Error && /^Ledger(Busy|Version)Error$/.test(error.name))
  ) {
    process.stderr.write(`billgraph export focus: ${error.message}\n`);
    process.exitCode = 2;
  } else throw error;
}
