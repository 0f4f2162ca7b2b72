import { DataLoader } from '../loader.js';
import { perKey, single } from '../batch.js';
import {
  KIND_ROUTES,
  LIST_PAGE_SIZE,
  type EventDto,
  type HsWindow,
  type HyperstackClient,
  type LastDayDto,
  type OrgHistoryDto,
  type RowDto,
  type SubResourceRowDto,
  type ThresholdDto,
  type UsageDto,
} from './client.js';
import { NO_CACHE, type Freshness, type SourceCache } from '../../cache/sourceCache.js';
import { isFinalBucket, parseHsDate, sumRows } from './mapping.js';
import type { HsKind } from './kinds.js';

type ListedKind = Exclude<HsKind, 'CONTRACT'>;

/** A kind's whole billing-history list for one window, indexed by infrahub_id. */
export interface HistoryIndex {
  readonly orgId: string | null;
  readonly totalCount: number;
  readonly rows: readonly RowDto[];
  readonly byId: ReadonlyMap<string, RowDto>;
}

export interface HistoryKey {
  readonly kind: HsKind;
  /** Null = the upstream's default window (start of the current month to now). */
  readonly window: HsWindow | null;
}
export interface ResourceKey {
  readonly kind: HsKind;
  readonly id: string;
  /** Null = the upstream's default window (only node lookups use it). */
  readonly window: HsWindow | null;
}

const windowKey = (w: HsWindow | null): string => (w ? `${w.start}|${w.end}` : 'default');
const historyKey = (k: HistoryKey): string => `${k.kind}|${windowKey(k.window)}`;
const resourceKey = (k: ResourceKey): string => `${k.kind}|${k.id}|${windowKey(k.window)}`;

/**
 * Most pages one list walk reads (MAX_LIST_PAGES × LIST_PAGE_SIZE = 10,000 rows). The walk trusts
 * `pagination.pages` only up to here: a larger count is UPSTREAM_BAD_RESPONSE before page 2 is
 * asked, rather than reading the first pages and answering from them, because totals, summaries
 * and "not listed → ask details" would all be silently wrong on a truncated list.
 */
export const MAX_LIST_PAGES = 100;

/** Walks every page of a list (docs/upstreams/hyperstack.md#s7-2): page 1, then 2..pages in parallel; rows de-duplicated by infrahub_id. */
async function walkList(client: HyperstackClient, key: HistoryKey): Promise<HistoryIndex> {
  if (key.kind === 'CONTRACT') {
    const rows = await client.contracts(key.window, null);
    return index(null, rows.length, rows);
  }
  const kind = key.kind;
  const first = await client.list(kind, key.window, 1, LIST_PAGE_SIZE);
  if (first.pages > MAX_LIST_PAGES) {
    throw client.badResponse(
      { operation: KIND_ROUTES[kind].list },
      `pagination.pages ${first.pages}: the list is larger than the ${MAX_LIST_PAGES} pages of ${LIST_PAGE_SIZE} billgraph reads`,
    );
  }
  const rest = await Promise.all(
    Array.from({ length: Math.max(0, first.pages - 1) }, (_, i) =>
      client.list(kind, key.window, i + 2, LIST_PAGE_SIZE),
    ),
  );
  return index(
    first.orgId,
    first.totalCount,
    [first, ...rest].flatMap((p) => p.rows),
  );
}

function index(orgId: string | null, totalCount: number, rows: RowDto[]): HistoryIndex {
  const byId = new Map<string, RowDto>();
  for (const row of rows)
    if (row.attributes.infrahub_id && !byId.has(row.attributes.infrahub_id)) byId.set(row.attributes.infrahub_id, row);
  return { orgId, totalCount, rows: [...byId.values()], byId };
}

/**
 * Per-request loaders (the batch contract of dataloader: results in key order, errors per key).
 * Their caches make each upstream call happen at most once per request, and `row` turns N
 * per-resource figures of one kind and window into ONE list walk (docs/upstreams/hyperstack.md#s7).
 */
export function createHyperstackLoaders(
  client: HyperstackClient,
  cache: SourceCache = NO_CACHE,
  now: () => number = Date.now,
) {
  /** A window over and past the finality lag is final; the upstream's default window (null) is this month so far. */
  const freshness = (window: HsWindow | null): Freshness => {
    const end = window ? parseHsDate(window.end) : null;
    return end !== null && isFinalBucket(end, now()) ? 'final' : 'open';
  };
  const history = new DataLoader<HistoryKey, HistoryIndex, string>(
    perKey((key: HistoryKey) =>
      cache.through('history', historyKey(key), freshness(key.window), () => walkList(client, key)),
    ),
    { name: 'hyperstack.history', cacheKeyFn: historyKey },
  );
  const details = new DataLoader<ResourceKey, RowDto[], string>(
    perKey((key: ResourceKey) =>
      cache.through('details', resourceKey(key), freshness(key.window), () =>
        client.details(key.kind as ListedKind, key.id, key.window),
      ),
    ),
    { name: 'hyperstack.details', cacheKeyFn: resourceKey },
  );

  /**
   * The list row of one resource in one window. The batch is grouped by (kind, window): each
   * group costs one list walk however many resources it holds. An id the complete walk lacks
   * gets one per-id details call to tell "no billing in the window" (200) from "no such
   * resource" (404 → NOT_FOUND) (docs/upstreams/hyperstack.md#s7-4); contracts have no per-id endpoint, so a missing
   * contract has no row (null).
   */
  const row = new DataLoader<ResourceKey, RowDto | null, string>(
    async (keys) => {
      const groups = new Map<string, Promise<HistoryIndex>>();
      for (const k of keys) {
        const g = historyKey(k);
        if (!groups.has(g)) groups.set(g, history.load({ kind: k.kind, window: k.window }));
      }
      return Promise.all(
        keys.map(async (k): Promise<RowDto | null | Error> => {
          try {
            const listed = (await groups.get(historyKey(k))!).byId.get(k.id);
            if (listed) return listed;
            if (k.kind === 'CONTRACT') return null;
            return sumRows(await details.load(k));
          } catch (error) {
            return error as Error;
          }
        }),
      );
    },
    { name: 'hyperstack.row', cacheKeyFn: resourceKey },
  );

  return {
    /** For the one write (the threshold PUT), which must never be cached. */
    client,
    history,
    row,
    details,
    orgHistory: new DataLoader<{ window: HsWindow | null; graph: boolean }, OrgHistoryDto, string>(
      perKey((key: { window: HsWindow | null; graph: boolean }) =>
        cache.through('orgHistory', `${windowKey(key.window)}|${key.graph}`, freshness(key.window), () =>
          client.orgHistory(key.window, key.graph),
        ),
      ),
      { name: 'hyperstack.orgHistory', cacheKeyFn: (k) => `${windowKey(k.window)}|${k.graph}` },
    ),
    graph: new DataLoader<ResourceKey, { granularity: number | null; rows: RowDto[] }, string>(
      perKey((key: ResourceKey) =>
        cache.through('graph', resourceKey(key), freshness(key.window), () =>
          client.graph(key.kind as ListedKind, key.id, key.window),
        ),
      ),
      { name: 'hyperstack.graph', cacheKeyFn: resourceKey },
    ),
    events: new DataLoader<ResourceKey, EventDto[], string>(
      perKey((key: ResourceKey) =>
        cache.through('events', resourceKey(key), freshness(key.window), () =>
          client.events(key.kind as 'VIRTUAL_MACHINE' | 'VOLUME', key.id, key.window),
        ),
      ),
      { name: 'hyperstack.events', cacheKeyFn: resourceKey },
    ),
    subResources: new DataLoader<ResourceKey & { graph: boolean }, SubResourceRowDto, string>(
      perKey((key: ResourceKey & { graph: boolean }) =>
        cache.through('subResources', `${resourceKey(key)}|${key.graph}`, freshness(key.window), () =>
          client.subResources(key.id, key.window, key.graph),
        ),
      ),
      { name: 'hyperstack.subResources', cacheKeyFn: (k) => `${resourceKey(k)}|${k.graph}` },
    ),
    usage: new DataLoader<{ deleted: boolean; environment: string | null }, UsageDto[], string>(
      // Current resources and their running cost: state, not a closed window.
      perKey((key: { deleted: boolean; environment: string | null }) =>
        cache.through('usage', `${key.deleted}|${key.environment ?? ''}`, 'listing', () =>
          client.usage(key.deleted, key.environment),
        ),
      ),
      { name: 'hyperstack.usage', cacheKeyFn: (k) => `${k.deleted}|${k.environment ?? ''}` },
    ),
    // A rolling "last day": it moves with the clock, so it is state rather than a closed window.
    lastDayCost: new DataLoader<'all', LastDayDto>(
      single(() => cache.through('lastDayCost', '', 'listing', () => client.lastDayCost())),
      { name: 'hyperstack.lastDayCost' },
    ),
    thresholds: new DataLoader<'all', ThresholdDto[]>(
      single(() => cache.through(THRESHOLDS_OPERATION, '', 'listing', () => client.thresholds())),
      { name: 'hyperstack.thresholds' },
    ),
    /** Contract lookups by id use the list's `search` (the only per-contract access Hyperstack has). */
    contractSearch: new DataLoader<string, RowDto[]>(
      perKey((id: string) => client.contracts(null, id)),
      { name: 'hyperstack.contractSearch' },
    ),
  };
}

/** The cache operation of the threshold list; updateBillingThreshold invalidates it. */
export const THRESHOLDS_OPERATION = 'thresholds';

export type HyperstackLoaders = ReturnType<typeof createHyperstackLoaders>;
