/**
 * The server's own sync: every interval, each source's last closed buckets — its restatement
 * window and the day before it — are read again into the ledger, so corrections land and the
 * newest final buckets need no upstream call. One run at a time; with a shared ledger, one
 * replica at a time (a run that finds another replica syncing skips its turn).
 */
import type { Config } from '../config.js';
import type { GatewaySource } from '../context.js';
import { DAY_MS, HOUR_MS } from '../lib/durations.js';
import { logger } from '../logger.js';
import type { Ledger } from './openLedger.js';
import { withSyncLock } from './syncLock.js';
import { syncSource } from './syncSource.js';

export interface BackgroundSyncOptions {
  /** The open ledger, or null while it is not (a run then does nothing). */
  readonly ledger: () => Ledger | null;
  readonly sources: ReadonlyMap<string, GatewaySource>;
  readonly limits: Config['limits'];
  readonly now: () => number;
  /** Between the starts of two runs, in milliseconds. */
  readonly intervalMs: number;
}

export interface BackgroundSync {
  /** Runs once now (after the run under way, if any). */
  runOnce(): Promise<void>;
  /** No further runs; waits for the one under way to stop after its chunk. */
  stop(): Promise<void>;
}

/** The window a run re-reads for one source, ending now: its restatement window and one day more. */
export const recentWindowMs = (gs: Pick<GatewaySource, 'module'>): number =>
  gs.module.restatementHours * HOUR_MS + DAY_MS;

export function startBackgroundSync(options: BackgroundSyncOptions): BackgroundSync {
  const abort = new AbortController();
  let running: Promise<void> = Promise.resolve();

  const run = async (): Promise<void> => {
    const ledger = options.ledger();
    if (!ledger || abort.signal.aborted) return;
    const outcome = await withSyncLock(ledger, false, async () => {
      for (const gs of options.sources.values()) {
        if (abort.signal.aborted) return;
        const now = options.now();
        try {
          const result = await syncSource(ledger.db, gs, now - recentWindowMs(gs), now, {
            limits: options.limits,
            now: options.now,
            reread: true,
            signal: abort.signal,
          });
          if (result)
            logger.info('ledger synced', { source: gs.runtime.source.id, rows: result.rows, calls: result.calls });
        } catch (error) {
          logger.warn('ledger sync failed; the next run tries again', {
            source: gs.runtime.source.id,
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
    });
    if (outcome === 'busy') logger.info('ledger sync skipped: another replica is syncing');
  };
  const runOnce = (): Promise<void> => (running = running.then(run, run));

  const timer = options.intervalMs > 0 ? setInterval(() => void runOnce(), options.intervalMs) : undefined;
  timer?.unref();
  return {
    runOnce,
    async stop() {
      if (timer) clearInterval(timer);
      abort.abort();
      await running.catch(() => undefined);
    },
  };
}
