/**
 * The gateway's ledger: where `config.ledger` says, opened when the gateway starts listening and
 * closed when it stops; per source, the handle that puts it under each request's API and keeps
 * what live answers bring. Until it is open (and when it is off) every answer is live.
 */
import { join, resolve } from 'node:path';
import type { Config, SourceConfig } from '../config.js';
import { logger } from '../logger.js';
import type { SourceModel } from '../models.js';
import type { ProviderModule, SourceApi } from '../providers/types.js';
import { ledgerBacked, type LedgerWrite, type SourceFreshness } from './ledgerApi.js';
import { forgetSpans, writeRows, writeSpans } from './ledgerStore.js';
import { lastSynced } from './ledgerReads.js';
import { startBackgroundSync, type BackgroundSync } from './backgroundSync.js';
import type { GatewaySource } from '../context.js';
import { openLedger, type Ledger, type LedgerLocation } from './openLedger.js';

/** Where `config.ledger` puts the ledger; null when it is off. */
export function ledgerLocationOf(
  ledger: Config['ledger'],
  env: NodeJS.ProcessEnv = process.env,
): LedgerLocation | null {
  if (!ledger.enabled) return null;
  if (ledger.url) return { kind: 'postgres', url: ledger.url };
  if (ledger.memory) return { kind: 'memory' };
  const dataDir = ledger.dataDir ?? join(env.BILLGRAPH_DATA_DIR || '.billgraph', 'ledger');
  return { kind: 'embedded', dataDir: resolve(dataDir) };
}

/** One source's side of the gateway ledger. */
export interface SourceLedger {
  /** The request's API with the ledger under it (the API itself while the ledger is closed or off). */
  backed(api: SourceApi, freshness: SourceFreshness): SourceApi;
  /** When `billgraph sync` last wrote this source (RFC 3339); null when never, or while the ledger is closed. */
  lastSynced(): Promise<string | null>;
  /** An upstream write changed an account's buckets in [startMs, endMs): answers ask the upstream again. */
  touched(accountId: string, startMs: number, endMs: number): Promise<void>;
}

export interface GatewayLedger {
  /**
   * Opens (and migrates) the ledger; nothing when it is off. The gateway listens only once it is
   * open: PGlite runs on this thread, and creating a new embedded ledger keeps it busy for
   * seconds, which must not fall on requests. A ledger that cannot be opened (a newer
   * billgraph's, one another process holds, an unreachable database) fails the start, saying why.
   */
  open(): Promise<void>;
  /** Resolves once opening has settled, open or not (a ledger that is off is settled at once). */
  ready(): Promise<void>;
  /** Waits for pending writes, then closes (a ledger still opening closes as soon as it is open). */
  close(): Promise<void>;
  /** The open ledger, or null. */
  current(): Ledger | null;
  forSource(config: SourceConfig, module: ProviderModule, source: SourceModel): SourceLedger;
  /** Resolves once every write handed over so far is in the ledger (tests, shutdown). */
  settled(): Promise<void>;
  /**
   * Keeps the ledger current from these sources (ledger.syncIntervalSeconds; none when 0): one
   * run per interval once the ledger is open, the first an interval after it, until close().
   */
  keepCurrent(sources: ReadonlyMap<string, GatewaySource>): void;
}

export function createGatewayLedger(
  config: Config,
  now: () => number,
  env: NodeJS.ProcessEnv = process.env,
): GatewayLedger {
  const location = ledgerLocationOf(config.ledger, env);
  let ledger: Ledger | null = null;
  let opening: Promise<void> | null = null;
  let closing = false;
  let sync: BackgroundSync | null = null;
  let syncSources: ReadonlyMap<string, GatewaySource> | null = null;
  const intervalMs = config.ledger.syncIntervalSeconds * 1000;
  // Writes run one after another, off the answer's path; a failed one is logged and dropped
  // (the ledger only loses a shortcut: the next answer asks the upstream again).
  let pending: Promise<void> = Promise.resolve();
  const enqueue = (sourceId: string, run: (l: Ledger) => Promise<unknown>): Promise<void> => {
    const l = ledger;
    if (!l) return Promise.resolve();
    pending = pending.then(
      () =>
        run(l).then(
          () => undefined,
          (error: unknown) => {
            logger.warn('ledger write failed', {
              source: sourceId,
              error: error instanceof Error ? error.message : String(error),
            });
          },
        ),
      () => undefined,
    );
    return pending;
  };

  return {
    open() {
      if (!location) return Promise.resolve();
      if (opening) return opening;
      // A gateway never opens again once closing: the lifecycle stops it for good.
      if (closing) return Promise.resolve();
      opening = openLedger(location).then(
        async (opened) => {
          if (closing) return opened.close();
          ledger = opened;
          // The first run is one interval after the start, not at it: a restart loop must not
          // turn into a loop of syncs, and a fresh start answers its first queries undisturbed.
          if (syncSources && intervalMs > 0) {
            sync = startBackgroundSync({
              ledger: () => ledger,
              sources: syncSources,
              limits: config.limits,
              now,
              intervalMs,
            });
          }
        },
        (error: unknown) => {
          opening = null;
          throw error;
        },
      );
      return opening;
    },
    ready: () => (opening ?? Promise.resolve()).catch(() => undefined),
    keepCurrent(sources) {
      syncSources = sources;
    },
    async close() {
      closing = true;
      const stopping = sync;
      sync = null;
      await stopping?.stop();
      // Stopping during a start does not wait for a ledger still being created: it closes once open.
      const wasOpening = opening;
      opening = null;
      if (!ledger && wasOpening) return;
      const l = ledger;
      if (!l) return;
      await pending;
      ledger = null;
      await l.close();
    },
    current: () => ledger,
    settled: () => pending,
    forSource(sourceConfig, module, source) {
      const write = (w: LedgerWrite): void => {
        void enqueue(source.id, async (l) => {
          await writeRows(l.db, w.rows);
          await writeSpans(l.db, source.id, w.spans, new Date(now()).toISOString());
        });
      };
      return {
        backed(api, freshness) {
          const l = ledger;
          if (!l) return api;
          return ledgerBacked(api, { db: l.db, source, module, prices: sourceConfig.prices, now, write }, freshness);
        },
        async lastSynced() {
          const l = ledger;
          return l ? ((await lastSynced(l.db, source.id)).get(source.id) ?? null) : null;
        },
        touched(accountId, startMs, endMs) {
          return enqueue(source.id, (l) => forgetSpans(l.db, source.id, accountId, startMs, endMs));
        },
      };
    },
  };
}
