/**
 * Exact prices across a price change (docs/pricing.md#a-bucket-spanning-a-change). A bucket is
 * priced at the price valid at its start; when a requested bucket contains a change of the
 * source's price list (a MONTH bucket with a new price from the 2nd), this wrapper asks the inner
 * API for the window split at the change instants and merges the pieces back into the requested
 * buckets: quantity = exact sum of the pieces, cost and list cost = exact sum of the pieces'
 * (null when a piece has none). When no change falls inside a bucket the inner API is called
 * exactly as it would be without the wrapper. Generic: it names no provider.
 */
import { addDecimals } from '../lib/decimal.js';
import type { Bucket } from '../lib/buckets.js';
import { formatDateTime } from '../lib/dateTime.js';
import type { Money } from '../lib/money.js';
import { changesWithin, type PriceTable } from '../lib/prices.js';
import type { AccountModel, ConsumptionPointModel, ResourceModel, SourceModel } from '../models.js';
import type { BucketedWindow, SourceApi } from './types.js';

/** The buckets of `window` cut at every price change inside them, and for each piece its requested bucket. */
export function splitAtChanges(
  window: BucketedWindow,
  prices: PriceTable,
): { readonly window: BucketedWindow; readonly parentOf: ReadonlyMap<number, Bucket> } | null {
  const pieces: Bucket[] = [];
  const parentOf = new Map<number, Bucket>();
  let split = false;
  for (const bucket of window.buckets) {
    const cuts = changesWithin(prices, bucket.startMs, bucket.endMs);
    if (cuts.length > 0) split = true;
    const edges = [bucket.startMs, ...cuts, bucket.endMs];
    for (let i = 0; i + 1 < edges.length; i++) {
      const piece = cuts.length === 0 ? bucket : { startMs: edges[i]!, endMs: edges[i + 1]!, start: '', end: '' };
      pieces.push(
        cuts.length === 0
          ? piece
          : { ...piece, start: formatDateTime(piece.startMs), end: formatDateTime(piece.endMs) },
      );
      parentOf.set(piece.startMs, bucket);
    }
  }
  return split ? { window: { ...window, buckets: pieces }, parentOf } : null;
}

/** Exact sum of two costs; null when either is missing or they are in different currencies. */
function addCosts(a: Money | null, b: Money | null): Money | null {
  if (!a || !b || a.currency !== b.currency) return null;
  return { amount: addDecimals(a.amount, b.amount), currency: a.currency };
}

/** One requested bucket's point, summed from its pieces' points. */
class MergedPoint implements ConsumptionPointModel {
  quantity: string;
  cost: Money | null;
  listCost: Money | null;
  isFinal: boolean;
  readonly source: SourceModel;
  readonly metric: string;
  readonly unit: string;
  readonly accountProviderId: string;
  readonly resource: ResourceModel | null;
  readonly start: string;
  readonly end: string;

  constructor(bucket: Bucket, first: ConsumptionPointModel) {
    this.start = bucket.start;
    this.end = bucket.end;
    this.source = first.source;
    this.metric = first.metric;
    this.unit = first.unit;
    this.accountProviderId = first.accountProviderId;
    this.resource = first.resource;
    this.quantity = first.quantity;
    this.cost = first.cost;
    this.listCost = first.listCost ?? null;
    this.isFinal = first.isFinal;
  }

  add(point: ConsumptionPointModel): void {
    this.quantity = addDecimals(this.quantity, point.quantity);
    this.cost = addCosts(this.cost, point.cost);
    this.listCost = addCosts(this.listCost, point.listCost ?? null);
    this.isFinal &&= point.isFinal;
  }
}

/**
 * The pieces' points merged into their requested buckets, in the order each (bucket, metric,
 * unit, account, resource) first appears. A bucket some of whose pieces lack a metric's point
 * still sums the pieces that have one (a missing piece reported nothing).
 */
export function mergePieces(
  points: readonly ConsumptionPointModel[],
  parentOf: ReadonlyMap<number, Bucket>,
): ConsumptionPointModel[] {
  const merged = new Map<string, MergedPoint | ConsumptionPointModel>();
  for (const point of points) {
    const startMs = Date.parse(point.start);
    const parent = parentOf.get(startMs);
    if (!parent) {
      merged.set(`unmatched|${merged.size}`, point);
      continue;
    }
    const key = JSON.stringify([
      parent.startMs,
      point.metric,
      point.unit,
      point.accountProviderId,
      point.resource?.providerId ?? null,
    ]);
    const found = merged.get(key);
    if (found instanceof MergedPoint) found.add(point);
    else merged.set(key, new MergedPoint(parent, point));
  }
  return [...merged.values()];
}

/**
 * `inner` priced exactly across price changes of `prices`: a bucket containing a change is asked
 * for in pieces and summed back; otherwise every call passes straight through.
 */
export function withPriceChanges(inner: SourceApi, prices: PriceTable): SourceApi {
  if (Object.values(prices).every((setting) => !Array.isArray(setting) || setting.length <= 1)) return inner;
  const consumption =
    <T>(ask: (target: T, window: BucketedWindow) => Promise<ConsumptionPointModel[]>) =>
    async (target: T, window: BucketedWindow): Promise<ConsumptionPointModel[]> => {
      const split = splitAtChanges(window, prices);
      if (!split) return ask(target, window);
      return mergePieces(await ask(target, split.window), split.parentOf);
    };
  const own = new Map<PropertyKey, unknown>([
    ['accountConsumption', consumption<AccountModel>((account, window) => inner.accountConsumption(account, window))],
  ]);
  if (inner.resourceConsumption)
    own.set(
      'resourceConsumption',
      consumption<ResourceModel>((resource, window) => inner.resourceConsumption!(resource, window)),
    );
  // A Proxy, so the provider's own methods (reached with `instanceof` by its resolvers) still run on
  // the inner API itself, `this` included; only the two consumption methods are replaced.
  return new Proxy(inner, {
    get(target, property) {
      if (own.has(property)) return own.get(property);
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const bound = (value as (...args: unknown[]) => unknown).bind(target);
      own.set(property, bound);
      return bound;
    },
  });
}
