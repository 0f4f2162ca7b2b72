/**
 * Backfills one source into the ledger: every account (and resource) of the source, over a range,
 * at the ledger's bucket size, one chunk at a time through the source's own runtime — so its rate
 * limit, breaker and in-flight cap apply, and each chunk spends its own upstream-call budget. A
 * checkpoint after each chunk lets a stopped run resume where it was.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { GatewaySource } from '../context.js';
import { splitWindow } from '../lib/buckets.js';
import { formatDateTime } from '../lib/dateTime.js';
import { DAY_MS } from '../lib/durations.js';
import type { AccountModel, ResourceModel } from '../models.js';
import type { BucketedWindow, SourceApi } from '../providers/types.js';
import { createRequestScope } from '../requestScope.js';
import { finestUnitMs, ledgerWriteOf, type LedgerWrite } from './ledgerApi.js';
import { writeRows, writeSpans } from './ledgerStore.js';
import type { LedgerDatabase } from './tables.js';

/** Where a sync run is, after each chunk (and once at the start). */
export interface SyncProgress {
  readonly sourceId: string;
  /** Ledger buckets (of all accounts together: one per account and bucket) written so far. */
  readonly bucketsDone: number;
  readonly bucketsTotal: number;
  readonly rows: number;
  /** Upstream calls this run made for this source. */
  readonly calls: number;
}

export interface SyncOptions {
  readonly limits: Config['limits'];
  readonly now: () => number;
  /** Days per chunk: one checkpoint and one upstream-call budget each. @default 1 for hourly sources, 31 for daily ones */
  readonly chunkDays?: number;
  /** Re-read chunks a checkpoint says are done (the background sync's restatement window). @default false */
  readonly reread?: boolean;
  /**
   * Also keep each resource's rows (machines, VMs, volumes …), listed once per run: ten times the
   * rows of the accounts alone on G8, for reports grouped by resource. @default false
   */
  readonly resources?: boolean;
  readonly onProgress?: (progress: SyncProgress) => void;
  /** Stops after the chunk under way (Ctrl-C); what was written stays, with its checkpoint. */
  readonly signal?: AbortSignal;
}

export interface SyncResult {
  readonly sourceId: string;
  /** The range synced, after clamping to final buckets: [startMs, endMs). */
  readonly startMs: number;
  readonly endMs: number;
  /** Where the checkpoint stands now. */
  readonly doneUntilMs: number;
  readonly rows: number;
  readonly calls: number;
  /** Chunks a checkpoint said were done already. */
  readonly resumedFromMs: number;
}

/** The range a sync may write: whole ledger buckets that are final now. Null when none is. */
export function syncRange(
  gs: Pick<GatewaySource, 'module'>,
  startMs: number,
  endMs: number,
  now: number,
): { startMs: number; endMs: number } | null {
  const unit = finestUnitMs(gs.module);
  if (unit === null) return null;
  const start = Math.ceil(startMs / unit) * unit;
  let end = Math.floor(endMs / unit) * unit;
  while (end > start && !gs.module.isFinalBucket(end, now)) end -= unit;
  return end > start ? { startMs: start, endMs: end } : null;
}

async function checkpoint(
  db: Kysely<LedgerDatabase>,
  sourceId: string,
  range: { startMs: number; endMs: number },
): Promise<{ doneUntil: number; rows: number } | null> {
  const row = await db
    .selectFrom('ledger_sync')
    .select(['done_until', 'rows'])
    .where('source_id', '=', sourceId)
    .where('range_start', '=', new Date(range.startMs))
    .where('range_end', '=', new Date(range.endMs))
    .executeTakeFirst();
  return row ? { doneUntil: new Date(row.done_until).getTime(), rows: Number(row.rows) } : null;
}

async function saveCheckpoint(
  db: Kysely<LedgerDatabase>,
  sourceId: string,
  range: { startMs: number; endMs: number },
  doneUntil: number,
  rows: number,
  now: number,
): Promise<void> {
  await db
    .insertInto('ledger_sync')
    .values({
      source_id: sourceId,
      range_start: formatDateTime(range.startMs),
      range_end: formatDateTime(range.endMs),
      done_until: formatDateTime(doneUntil),
      rows,
      updated_at: formatDateTime(now),
    })
    .onConflict((oc) =>
      oc.columns(['source_id', 'range_start', 'range_end']).doUpdateSet((eb) => ({
        done_until: eb.ref('excluded.done_until'),
        rows: eb.ref('excluded.rows'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** What one chunk of one account brings: its account-level rows and each of `resources`' rows. */
async function readAccount(
  gs: GatewaySource,
  api: SourceApi,
  account: AccountModel,
  resources: readonly ResourceModel[],
  window: BucketedWindow,
  now: () => number,
): Promise<LedgerWrite[]> {
  const deps = { source: gs.runtime.source, module: gs.module, now };
  const writes: LedgerWrite[] = [];
  const points = await api.accountConsumption(account, window);
  const own = ledgerWriteOf(points, window, { accountId: account.providerId, resourceId: '', resourceKind: '' }, deps);
  if (own) writes.push(own);
  const perResource = await Promise.all(
    resources.map(async (resource) => {
      const rp = (await api.resourceConsumption?.(resource, window)) ?? [];
      return ledgerWriteOf(
        rp,
        window,
        { accountId: resource.accountProviderId, resourceId: resource.id, resourceKind: resource.type },
        deps,
      );
    }),
  );
  for (const w of perResource) if (w) writes.push(w);
  return writes;
}

/**
 * Syncs [startMs, endMs) of one source (clamped to final ledger buckets). Chunks a checkpoint of
 * the same range says are done are skipped unless `reread`. Throws the first error of a chunk;
 * the chunks before it are kept and checkpointed.
 */
export async function syncSource(
  db: Kysely<LedgerDatabase>,
  gs: GatewaySource,
  startMs: number,
  endMs: number,
  options: SyncOptions,
): Promise<SyncResult | null> {
  const sourceId = gs.runtime.source.id;
  const range = syncRange(gs, startMs, endMs, options.now());
  const unit = finestUnitMs(gs.module);
  if (!range || unit === null) return null;
  const chunkMs = (options.chunkDays ?? (unit < DAY_MS ? 1 : 31)) * DAY_MS;
  const saved = options.reread ? null : await checkpoint(db, sourceId, range);
  const resumedFromMs = saved ? Math.max(range.startMs, saved.doneUntil) : range.startMs;
  let rows = saved?.rows ?? 0;
  let calls = 0;

  // The accounts are listed once per run, on a scope of their own.
  const listScope = createRequestScope({
    timeoutMs: options.limits.requestTimeoutMs,
    maxUpstreamCalls: options.limits.maxUpstreamCallsPerRequest,
  });
  const listApi = gs.runtime.createApi(listScope);
  const accounts = await listApi.listAccounts();
  const listResources = options.resources && listApi.resourceConsumption ? listApi.resources?.bind(listApi) : undefined;
  const resources = await Promise.all(
    accounts.map((a) => (listResources ? listResources(a, null) : Promise.resolve<ResourceModel[]>([]))),
  );
  calls += listScope.upstreamCalls;
  const bucketsPerAccount = (range.endMs - range.startMs) / unit;
  const bucketsTotal = bucketsPerAccount * accounts.length;
  const progress = (doneUntil: number): void =>
    options.onProgress?.({
      sourceId,
      bucketsDone: ((doneUntil - range.startMs) / unit) * accounts.length,
      bucketsTotal,
      rows,
      calls,
    });
  progress(resumedFromMs);

  let doneUntil = resumedFromMs;
  // Hour buckets of one chunk are one window; the HOUR cap of a request does not apply to sync.
  const limits = { ...options.limits, maxHourWindowDays: Math.max(options.limits.maxHourWindowDays, 366) };
  while (doneUntil < range.endMs && !options.signal?.aborted) {
    const chunkEnd = Math.min(doneUntil + chunkMs, range.endMs);
    const window = {
      startMs: doneUntil,
      endMs: chunkEnd,
      start: formatDateTime(doneUntil),
      end: formatDateTime(chunkEnd),
      timeZone: 'UTC',
    };
    const bucketed: BucketedWindow = {
      window,
      granularity: gs.module.finestGranularity,
      buckets: splitWindow(window, gs.module.finestGranularity, limits),
    };
    const scope = createRequestScope({
      timeoutMs: options.limits.requestTimeoutMs * 6,
      maxUpstreamCalls: options.limits.maxUpstreamCallsPerRequest,
    });
    const api = gs.runtime.createApi(scope);
    try {
      const writes = (
        await Promise.all(accounts.map((a, i) => readAccount(gs, api, a, resources[i]!, bucketed, options.now)))
      ).flat();
      const fetchedAt = formatDateTime(options.now());
      for (const w of writes) {
        rows += await writeRows(db, w.rows);
        await writeSpans(db, sourceId, w.spans, fetchedAt);
      }
    } finally {
      calls += scope.upstreamCalls;
    }
    doneUntil = chunkEnd;
    await saveCheckpoint(db, sourceId, range, doneUntil, rows, options.now());
    progress(doneUntil);
  }
  return { sourceId, startMs: range.startMs, endMs: range.endMs, doneUntilMs: doneUntil, rows, calls, resumedFromMs };
}
