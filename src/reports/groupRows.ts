import { sumDecimals } from '../lib/decimal.js';
import { totalsByCurrency, type Money } from '../lib/money.js';
import type { ReportDimension } from '../generated/resolvers.js';
import type { SourceModel } from '../models.js';
import type { ReportRow } from './reportRow.js';

/** The key value of consumption no resource or sub-account explains (Kubecost's name for it). */
export const UNALLOCATED = '__unallocated__';
/** The key value of the group `top` folds the smaller groups into. */
export const OTHERS = '__others__';

export interface GroupKeyPart {
  readonly dimension: ReportDimension;
  readonly value: string;
  readonly label: string | null;
}

export interface Quantity {
  readonly metric: string;
  readonly unit: string;
  readonly quantity: string;
}

export interface SeriesPoint {
  readonly start: string;
  readonly end: string;
  readonly totals: readonly Money[];
  readonly quantities: readonly Quantity[];
  /** Every source that could feed the group has finalised [start, end) (its ConsumptionPoint.isFinal rule). */
  readonly isFinal: boolean;
}

/** One group of a report: what UsageReportGroup answers. */
export interface ReportGroup {
  readonly key: readonly GroupKeyPart[];
  readonly others: boolean;
  readonly groupCount: number;
  readonly totals: readonly Money[];
  readonly quantities: readonly Quantity[];
  readonly series: readonly SeriesPoint[];
  readonly complete: boolean;
}

/** A bucket of the report: only its edges, as the points carry them. */
export interface ReportBucket {
  readonly start: string;
  readonly end: string;
}

/**
 * What decides whether a series bucket is final: the sources in the report's scope and each
 * one's finality rule. A bucket's flag comes from the rule, not from the points in it, so an
 * empty bucket is judged like a full one and a report read from the ledger agrees with a live one.
 */
export interface BucketFinality {
  /** The sources in the report's scope, in config order. */
  readonly sources: readonly SourceModel[];
  /** Whether `source` no longer revises a bucket ending at `endMs` (epoch ms): its ConsumptionPoint.isFinal rule at the request's clock. */
  readonly isFinal: (source: SourceModel, endMs: number) => boolean;
}

/** A row's part of a group key for one dimension. */
export function keyPartOf(row: ReportRow, dimension: ReportDimension): GroupKeyPart {
  switch (dimension) {
    case 'PROVIDER':
      return { dimension, value: row.source.provider, label: null };
    case 'SOURCE':
      return { dimension, value: row.source.id, label: row.source.name };
    case 'ACCOUNT':
      return { dimension, value: row.account.id, label: row.account.name };
    case 'SUB_ACCOUNT':
      return row.subAccount
        ? { dimension, value: row.subAccount.id, label: row.subAccount.name }
        : { dimension, value: UNALLOCATED, label: 'Unallocated' };
    case 'RESOURCE':
      return row.resource
        ? { dimension, value: row.resource.id, label: row.resource.name }
        : { dimension, value: UNALLOCATED, label: 'Unallocated' };
    case 'RESOURCE_TYPE':
      return row.resource
        ? { dimension, value: row.resource.type, label: null }
        : { dimension, value: UNALLOCATED, label: 'Unallocated' };
    case 'METRIC':
      return { dimension, value: row.metric, label: null };
  }
}

/** A key as one comparable string: the tie-break of the sort and the identity of a group. */
export const keyString = (key: readonly GroupKeyPart[]): string => key.map((p) => p.value).join('\u0000');

/** Exact per-(metric, unit) sums, sorted by metric then unit. */
export function quantitiesOf(rows: readonly Pick<ReportRow, 'metric' | 'unit' | 'quantity'>[]): Quantity[] {
  const byMetric = new Map<string, { metric: string; unit: string; values: string[] }>();
  for (const row of rows) {
    const id = `${row.metric}\u0000${row.unit}`;
    const entry = byMetric.get(id);
    if (entry) entry.values.push(row.quantity);
    else byMetric.set(id, { metric: row.metric, unit: row.unit, values: [row.quantity] });
  }
  return [...byMetric.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, e]) => ({ metric: e.metric, unit: e.unit, quantity: sumDecimals(e.values) }));
}

/**
 * Whether a failed source could have fed a group with this key: not when a part of the key
 * names another provider or source, or an account, sub-account or resource of another source
 * (all rows of such a group come from one source, `rowSource`).
 */
function couldFeed(key: readonly GroupKeyPart[], rowSource: SourceModel | null, failed: SourceModel): boolean {
  for (const part of key) {
    if (part.dimension === 'PROVIDER' && part.value !== failed.provider) return false;
    if (part.dimension === 'SOURCE' && part.value !== failed.id) return false;
    if (
      (part.dimension === 'ACCOUNT' || part.dimension === 'SUB_ACCOUNT' || part.dimension === 'RESOURCE') &&
      rowSource &&
      rowSource.id !== failed.id
    )
      return false;
  }
  return true;
}

/**
 * Groups rows by the values of `dimensions` (one group with an empty key when there are none):
 * each group's totals per currency, quantities per metric and a series over `buckets`, all exact
 * sums of its rows, so the groups' totals add up to the rows' exactly. A group is incomplete
 * when one of the `failed` sources could have fed it; a bucket of its series is final when every
 * source in `finality` that could have fed it calls the bucket final. Groups come in first-seen order.
 */
export function groupRows(
  rows: readonly ReportRow[],
  dimensions: readonly ReportDimension[],
  buckets: readonly ReportBucket[],
  failed: readonly SourceModel[],
  finality: BucketFinality,
): ReportGroup[] {
  const groups = new Map<string, { key: GroupKeyPart[]; rows: ReportRow[] }>();
  for (const row of rows) {
    const key = dimensions.map((d) => keyPartOf(row, d));
    const id = keyString(key);
    const group = groups.get(id);
    if (group) group.rows.push(row);
    else groups.set(id, { key, rows: [row] });
  }
  // No dimension: one group over everything, also when nothing was consumed.
  if (dimensions.length === 0 && groups.size === 0) groups.set('', { key: [], rows: [] });
  const bucketIndex = new Map(buckets.map((b, i) => [b.start, i]));
  const bucketEnds = buckets.map((b) => Date.parse(b.end));
  return [...groups.values()].map(({ key, rows: own }) => {
    const single = new Set(own.map((r) => r.source.id)).size === 1 ? own[0]!.source : null;
    // Built when first read: sorting needs only totals, and a page shows few of many groups
    // (an HOUR series over a month is 744 points per group).
    let series: SeriesPoint[] | undefined;
    const seriesOf = (): SeriesPoint[] => {
      const perBucket: ReportRow[][] = buckets.map(() => []);
      for (const row of own) perBucket[bucketIndex.get(row.start) ?? -1]?.push(row);
      // The same sources `complete` considers: any of them may still add to or revise the bucket.
      const feeders = finality.sources.filter((s) => couldFeed(key, single, s));
      return buckets.map((b, i) => ({
        start: b.start,
        end: b.end,
        totals: totalsByCurrency(perBucket[i]!.flatMap((r) => r.costs)),
        quantities: quantitiesOf(perBucket[i]!),
        isFinal: feeders.every((s) => finality.isFinal(s, bucketEnds[i]!)),
      }));
    };
    return {
      key,
      others: false,
      groupCount: 1,
      totals: totalsByCurrency(own.flatMap((r) => r.costs)),
      quantities: quantitiesOf(own),
      get series() {
        return (series ??= seriesOf());
      },
      complete: !failed.some((s) => couldFeed(key, single, s)),
    };
  });
}
