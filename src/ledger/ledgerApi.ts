/**
 * A source's per-request API with the ledger under it: consumption of final buckets the ledger
 * holds comes from the ledger (no upstream call), the rest from the upstream, merged into one
 * answer in the buckets asked; what the upstream answers at the ledger's own bucket size is kept.
 */
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';
import type { SourceConfig } from '../config.js';
import type { Bucket } from '../lib/buckets.js';
import { formatDateTime } from '../lib/dateTime.js';
import { DAY_MS, HOUR_MS } from '../lib/durations.js';
import type { AccountModel, ConsumptionPointModel, ResourceModel, SourceModel } from '../models.js';
import { BucketPoint, type PointOrigin } from '../providers/bucketPoint.js';
import type { BucketedWindow, ProviderModule, SourceApi } from '../providers/types.js';
import {
  accountSpans,
  countSpans,
  sumIntoBuckets,
  syncedUntil,
  type BucketSum,
  type LedgerKey,
} from './ledgerReads.js';
import type { LedgerRow, LedgerSpan } from './ledgerStore.js';
import type { LedgerDatabase } from './tables.js';

/** What one answer took from where, per source (UsageReport.freshness). */
export interface SourceFreshness {
  /** Asked buckets answered from the ledger. */
  fromLedger: number;
  /** Asked buckets answered by the upstream. */
  live: number;
}

/** What the ledger learns from a live answer, handed to the gateway's writer (never awaited by the answer). */
export interface LedgerWrite {
  readonly rows: readonly LedgerRow[];
  readonly spans: readonly LedgerSpan[];
}

export interface LedgerSourceDeps {
  readonly db: Kysely<LedgerDatabase>;
  readonly source: SourceModel;
  readonly module: Pick<ProviderModule, 'finestGranularity' | 'isFinalBucket' | 'upstreamSums'>;
  readonly prices: SourceConfig['prices'];
  readonly now: () => number;
  /** Keeps what a live answer brought (read-through). */
  write(write: LedgerWrite): void;
}

/** The ledger's bucket size for a source, in milliseconds: UTC hours or UTC days; null when it keeps none. */
export function finestUnitMs(module: Pick<ProviderModule, 'finestGranularity'>): number | null {
  return module.finestGranularity === 'HOUR' ? HOUR_MS : module.finestGranularity === 'DAY' ? DAY_MS : null;
}

const resourceIdOf = (resource: ResourceModel): string => resource.id;

/** The account-level key, or a resource's, of the ledger. */
const accountKey = (account: Pick<AccountModel, 'providerId'>): LedgerKey => ({
  accountId: account.providerId,
  resourceId: '',
});

/** A bucketed window's buckets from index `from` on, as a window of their own (same zone and granularity). */
export function tailOf(window: BucketedWindow, from: number): BucketedWindow {
  const first = window.buckets[from]!;
  return {
    window: { ...window.window, startMs: first.startMs, start: first.start },
    granularity: window.granularity,
    buckets: window.buckets.slice(from),
  };
}

/** Rows and spans of a live answer that is at the ledger's bucket size; only its final buckets. */
export function ledgerWriteOf(
  points: readonly ConsumptionPointModel[],
  window: BucketedWindow,
  key: LedgerKey & { readonly resourceKind: string },
  deps: Pick<LedgerSourceDeps, 'source' | 'module' | 'now'>,
): LedgerWrite | null {
  const unit = finestUnitMs(deps.module);
  if (unit === null) return null;
  const now = deps.now();
  const finalBuckets = window.buckets.filter(
    (b) => b.endMs - b.startMs === unit && b.startMs % unit === 0 && deps.module.isFinalBucket(b.endMs, now),
  );
  if (finalBuckets.length === 0) return null;
  const kept = new Set(finalBuckets.map((b) => b.startMs));
  const fetchedAt = formatDateTime(now);
  const rows: LedgerRow[] = [];
  let order = 0;
  let lastStart = Number.NaN;
  for (const point of points) {
    const startMs = Date.parse(point.start);
    if (!kept.has(startMs)) continue;
    order = startMs === lastStart ? order + 1 : 0;
    lastStart = startMs;
    const stated = point instanceof BucketPoint ? point.statedCost : point.cost;
    rows.push({
      sourceId: deps.source.id,
      provider: deps.source.provider,
      accountId: key.accountId,
      resourceId: key.resourceId,
      resourceKind: key.resourceKind,
      metric: point.metric,
      unit: point.unit,
      bucketStart: point.start,
      bucketEnd: point.end,
      quantity: point.quantity,
      cost: stated ? { amount: stated.amount, currency: stated.currency } : null,
      isFinal: true,
      fetchedAt,
      metricOrder: order,
    });
  }
  const spans = finalBuckets.map((b) => ({
    accountId: key.accountId,
    resourceId: key.resourceId,
    bucketStart: b.start,
    bucketEnd: b.end,
  }));
  return { rows, spans };
}

/**
 * How many leading buckets of `window` the ledger could answer: final, and on the ledger's bucket
 * edges. The buckets after them are asked of the upstream.
 */
export function ledgerHead(window: BucketedWindow, unit: number, isFinal: (endMs: number) => boolean): number {
  let k = 0;
  for (const b of window.buckets) {
    if (b.startMs % unit !== 0 || b.endMs % unit !== 0 || !isFinal(b.endMs)) break;
    k++;
  }
  return k;
}

/** The point of one sum, in its asked bucket, priced the way the provider prices its own. */
const pointOfSum = (s: BucketSum, buckets: readonly Bucket[], origin: PointOrigin): ConsumptionPointModel =>
  new BucketPoint(
    origin,
    buckets[s.bucket]!,
    s.metric,
    s.quantity,
    s.unit,
    s.cost !== null && s.currency !== null ? { amount: s.cost, currency: s.currency } : undefined,
  );

/** Points of the sums of one key, in the asked buckets, priced the way the provider prices its own. */
export function pointsOfSums(
  sums: readonly BucketSum[],
  buckets: readonly Bucket[],
  origin: PointOrigin,
): ConsumptionPointModel[] {
  return sums.map((s) => pointOfSum(s, buckets, origin));
}

/**
 * A source's account-level points of a report, from the ledger: the leading buckets of `window`
 * that are final and that `billgraph sync` read whole for the source (every account it had), and
 * how many those are (`head`); the buckets after them are the upstream's to answer.
 */
export type LedgerReport = (
  window: BucketedWindow,
  /** 'source': one point per bucket and metric for all accounts together, with accountProviderId ''. */
  level?: 'account' | 'source',
) => Promise<{ head: number; points: ConsumptionPointModel[] }>;

const reports = new WeakMap<SourceApi, LedgerReport>();

/** The ledger's report reader of a request's API; null when the source has no ledger under it. */
export const ledgerReportOf = (api: SourceApi): LedgerReport | null => reports.get(api) ?? null;

interface SumsKey extends LedgerKey {
  readonly window: BucketedWindow;
  readonly head: number;
}

/**
 * The API of one request over the ledger. The returned object inherits every member of `api`
 * (provider-specific ones included, so `instanceof` and the providers' own resolvers keep
 * working) and replaces the two consumption reads.
 */
export function ledgerBacked(api: SourceApi, deps: LedgerSourceDeps, freshness: SourceFreshness): SourceApi {
  const unit = finestUnitMs(deps.module);
  if (unit === null) return api;
  const now = deps.now();
  const isFinal = (endMs: number): boolean => deps.module.isFinalBucket(endMs, now);

  // One coverage query and one sum query per window for every key a request asks at once.
  const windowId = (w: BucketedWindow, head: number): string =>
    `${w.buckets[0]?.startMs}|${w.buckets[head - 1]?.endMs}|${w.window.timeZone}|${w.granularity}|${head}`;
  const keyId = (k: SumsKey): string => `${k.accountId}\u0000${k.resourceId}\u0000${windowId(k.window, k.head)}`;
  const byWindow = <T>(keys: readonly SumsKey[], run: (group: SumsKey[]) => Promise<T[]>): Promise<T[]> => {
    const groups = new Map<string, number[]>();
    keys.forEach((k, i) => {
      const id = windowId(k.window, k.head);
      const list = groups.get(id);
      if (list) list.push(i);
      else groups.set(id, [i]);
    });
    const out: T[] = new Array<T>(keys.length);
    return Promise.all(
      [...groups.values()].map(async (indexes) => {
        const answers = await run(indexes.map((i) => keys[i]!));
        indexes.forEach((i, j) => (out[i] = answers[j]!));
      }),
    ).then(() => out);
  };
  const covered = new DataLoader<SumsKey, boolean, string>(
    (keys) =>
      byWindow(keys, async (group) => {
        const { window, head } = group[0]!;
        const startMs = window.buckets[0]!.startMs;
        const endMs = window.buckets[head - 1]!.endMs;
        const counts = await countSpans(deps.db, deps.source.id, group, startMs, endMs);
        return counts.map((n) => n === (endMs - startMs) / unit);
      }),
    { cacheKeyFn: keyId },
  );
  const sums = new DataLoader<SumsKey, BucketSum[], string>(
    (keys) =>
      byWindow(keys, async (group) => {
        const { window, head } = group[0]!;
        const edges = window.buckets.slice(0, head).map((b) => b.startMs);
        const all = await sumIntoBuckets(deps.db, deps.source.id, group, edges, window.buckets[head - 1]!.endMs, {
          keepScale: deps.module.upstreamSums ?? false,
        });
        const byKey = new Map<string, BucketSum[]>();
        for (const s of all) {
          const id = `${s.accountId}\u0000${s.resourceId}`;
          const list = byKey.get(id);
          if (list) list.push(s);
          else byKey.set(id, [s]);
        }
        return group.map((k) => byKey.get(`${k.accountId}\u0000${k.resourceId}`) ?? []);
      }),
    { cacheKeyFn: keyId },
  );

  async function read(
    key: LedgerKey,
    resource: ResourceModel | null,
    window: BucketedWindow,
    live: (w: BucketedWindow) => Promise<ConsumptionPointModel[]>,
  ): Promise<ConsumptionPointModel[]> {
    let head = ledgerHead(window, unit!, isFinal);
    if (head > 0 && !(await covered.load({ ...key, window, head }))) head = 0;
    const n = window.buckets.length;
    freshness.fromLedger += head;
    freshness.live += n - head;
    const asked = head < n ? (head === 0 ? window : tailOf(window, head)) : null;
    const [kept, fetched] = await Promise.all([
      head > 0 ? sums.load({ ...key, window, head }) : Promise.resolve([]),
      asked ? live(asked) : Promise.resolve([]),
    ]);
    if (asked) {
      const write = ledgerWriteOf(fetched, asked, { ...key, resourceKind: resource?.type ?? '' }, deps);
      if (write) deps.write(write);
    }
    if (head === 0) return fetched;
    const points = pointsOfSums(kept, window.buckets, originOf(key.accountId, resource));
    return fetched.length > 0 ? points.concat(fetched) : points;
  }

  const originOf = (accountId: string, resource: ResourceModel | null): PointOrigin => ({
    source: deps.source,
    prices: deps.prices,
    accountProviderId: accountId,
    resource,
    now,
    isFinalBucket: deps.module.isFinalBucket,
  });

  const report: LedgerReport = async (window, level = 'account') => {
    let head = ledgerHead(window, unit, isFinal);
    if (head === 0) return { head, points: [] };
    const synced = await syncedUntil(deps.db, deps.source.id, window.buckets[0]!.startMs);
    while (head > 0 && window.buckets[head - 1]!.endMs > synced) head--;
    if (head === 0) return { head, points: [] };
    const startMs = window.buckets[0]!.startMs;
    const endMs = window.buckets[head - 1]!.endMs;
    // Every synced account must still hold every bucket: a write upstream forgets the days it touched.
    const spans = await accountSpans(deps.db, deps.source.id, startMs, endMs, (endMs - startMs) / unit);
    if (!spans.whole) return { head: 0, points: [] };
    const edges = window.buckets.slice(0, head).map((b) => b.startMs);
    const all = await sumIntoBuckets(deps.db, deps.source.id, null, edges, endMs, {
      keepScale: deps.module.upstreamSums ?? false,
      acrossAccounts: level === 'source',
    });
    const points: ConsumptionPointModel[] = [];
    let origin: PointOrigin | undefined;
    for (const s of all) {
      if (origin?.accountProviderId !== s.accountId) origin = originOf(s.accountId, null);
      points.push(pointOfSum(s, window.buckets, origin));
    }
    freshness.fromLedger += head * spans.accounts;
    return { head, points };
  };

  const backed: SourceApi = Object.create(api) as SourceApi;
  reports.set(backed, report);
  backed.accountConsumption = (account, window) =>
    read(accountKey(account), null, window, (w) => api.accountConsumption(account, w));
  if (api.resourceConsumption) {
    const resourceConsumption = api.resourceConsumption.bind(api);
    backed.resourceConsumption = (resource, window) =>
      read({ accountId: resource.accountProviderId, resourceId: resourceIdOf(resource) }, resource, window, (w) =>
        resourceConsumption(resource, w),
      );
  }
  return backed;
}
