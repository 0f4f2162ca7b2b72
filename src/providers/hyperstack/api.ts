import { BadUserInputError, isNotFound } from '../../errors.js';
import { formatDateTime } from '../../lib/dateTime.js';
import { sumDecimals as sumDecimalsOf } from '../../lib/decimal.js';
import type { DecodedId } from '../../lib/ids.js';
import type { Window } from '../../lib/timeWindow.js';
import type { AccountModel, ConsumptionPointModel, NodeModel, ResourceModel, SourceModel } from '../../models.js';
import type {
  BillingThresholdModel,
  HyperstackOrganizationBillingModel,
  HyperstackResourceModel,
  HyperstackResourceUsageModel,
} from './models.js';
import type { BucketedWindow, SourceApi } from '../types.js';
import { NO_PRICES, type PointOrigin } from '../bucketPoint.js';
import type { HsWindow, RowDto } from './client.js';
import { THRESHOLDS_OPERATION, type HyperstackLoaders } from './loaders.js';
import { NO_CACHE, type SourceCache } from '../../cache/sourceCache.js';
import {
  HS_KINDS,
  ORG_GRAPH_SECONDS,
  SUB_RESOURCE_METRICS,
  bucketPoints,
  costPoint,
  dec,
  isFinalBucket,
  isHsKind,
  parseHsDate,
  sumRows,
  toAccount,
  toBilling,
  toClusterBilling,
  toEvent,
  toHsWindow,
  toResource,
  toSubResourceCosts,
  toThreshold,
  toTokenBilling,
  toUsage,
  usd,
} from './mapping.js';
import type { HsKind } from './kinds.js';
import { DAY_MS } from '../../lib/durations.js';

const METRIC = 'incurred_bill';
/** Most organization-history calls one Account.consumption may make (one per bucket when the daily graph does not fit). */
const MAX_ACCOUNT_BUCKET_CALLS = 72;
const hsWindow = (w: { startMs: number; endMs: number }): HsWindow => toHsWindow(w.startMs, w.endMs);

/** Answers the graph for one Hyperstack source within one request; every upstream read goes through a loader. */
export class HyperstackApi implements SourceApi {
  constructor(
    private readonly source: SourceModel,
    private readonly loaders: HyperstackLoaders,
    private readonly now: () => number,
    private readonly cache: SourceCache = NO_CACHE,
  ) {}

  /**
   * One organization per API key. Its id comes from the organization billing history (the
   * cheapest call that carries org_id); the source id stands in if the upstream omits it.
   */
  async listAccounts(): Promise<AccountModel[]> {
    const history = await this.loaders.orgHistory.load({ window: null, graph: false });
    return [toAccount(this.source, history.orgId ?? this.source.id)];
  }

  async getAccount(providerId: string): Promise<AccountModel | null> {
    return (await this.listAccounts()).find((a) => a.providerId === providerId) ?? null;
  }

  /** Discovery from each type's billing-history list in the upstream's default window (this month so far). */
  async resources(account: AccountModel, types: readonly string[] | null): Promise<ResourceModel[]> {
    const kinds = types ? HS_KINDS.filter((k) => types.includes(k)) : HS_KINDS;
    const lists = await Promise.all(
      kinds.map((kind) => this.loaders.history.load({ kind, window: null }).then((index) => ({ kind, index }))),
    );
    return lists.flatMap(({ kind, index }) =>
      index.rows
        .map((row) => toResource(this.source, account.providerId, kind, row))
        .filter((r): r is HyperstackResourceModel => r !== null),
    );
  }

  async billingThresholds(_account: AccountModel): Promise<BillingThresholdModel[]> {
    return (await this.loaders.thresholds.load('all')).map((dto) => toThreshold(this.source, dto));
  }

  /** Thresholds are addressed by an integer id; anything else is rejected before the PUT. */
  async updateBillingThreshold(id: DecodedId, subscribe: boolean): Promise<BillingThresholdModel> {
    const [thresholdId] = id.parts;
    if (id.parts.length !== 1 || !/^\d{1,9}$/.test(thresholdId ?? '')) {
      throw new BadUserInputError(
        `Argument "input.id" must be a BillingThreshold id returned by this API, got one naming threshold "${id.parts.join(':')}".`,
        'input.id',
      );
    }
    let dto;
    try {
      dto = await this.loaders.client.updateThreshold(thresholdId!, subscribe);
    } finally {
      // Later requests must see the new flag too; a failed PUT may still have landed.
      await this.cache.invalidate(THRESHOLDS_OPERATION, '');
    }
    // A threshold list read later in the same request must show the new flag.
    this.loaders.thresholds.clearAll();
    return toThreshold(this.source, dto);
  }

  /**
   * Organization incurred bill from the organization history (1). DAY/WEEK/MONTH buckets that start
   * and end on UTC midnights are summed from ONE call's daily graph; anything else costs one
   * call per bucket, so HOUR is capped (an hour series over a month would be 744 calls).
   */
  async accountConsumption(account: AccountModel, window: BucketedWindow): Promise<ConsumptionPointModel[]> {
    const ctx = this.pointContext(account.providerId, null);
    const dayAligned =
      window.granularity !== 'HOUR' && window.buckets.every((b) => b.startMs % DAY_MS === 0 && b.endMs % DAY_MS === 0);
    if (dayAligned && window.buckets.length > 1) {
      const dto = await this.loaders.orgHistory.load({ window: hsWindow(window.window), graph: true });
      const points = dto.metrics.flatMap((m) => m.incurred_bill_graph ?? []);
      if (dto.metrics.some((m) => m.incurred_bill_graph))
        return bucketPoints(points, ORG_GRAPH_SECONDS, window, METRIC, ctx);
    }
    if (window.buckets.length > MAX_ACCOUNT_BUCKET_CALLS) {
      throw new BadUserInputError(
        `Argument "granularity" ${window.granularity} would need ${window.buckets.length} Hyperstack organization-history calls for this window; use at most ${MAX_ACCOUNT_BUCKET_CALLS} buckets (a shorter window, or DAY aligned to UTC).`,
        'granularity',
      );
    }
    const results = await Promise.all(
      window.buckets.map((b) => this.loaders.orgHistory.load({ window: hsWindow(b), graph: false })),
    );
    return window.buckets.flatMap((bucket, i) => {
      const values = results[i]!.metrics.map((m) => dec(m.incurred_bill)).filter((v): v is string => v !== null);
      return values.length
        ? [costPoint(bucket, METRIC, values.length === 1 ? values[0]! : sumDecimalsOf(values), ctx)]
        : [];
    });
  }

  /**
   * TOTAL reads the kind's billing-history list (one walk per kind and window, shared by every
   * resource asking); finer buckets read the resource's graph (one call per resource), whose
   * points must each fit one bucket at the graph's own granularity (see bucketPoints).
   * Contracts have no graph: one contract-history call per bucket, shared by all contracts.
   */
  async resourceConsumption(resource: ResourceModel, window: BucketedWindow): Promise<ConsumptionPointModel[]> {
    if (resource.__typename === 'Machine') return [];
    const ctx = this.pointContext(resource.accountProviderId, resource);
    const kind = resource.type;
    if (window.granularity === 'TOTAL' || kind === 'CONTRACT') {
      const rows = await Promise.all(
        window.buckets.map((b) => this.loaders.row.load({ kind, id: resource.providerId, window: hsWindow(b) })),
      );
      return window.buckets.flatMap((bucket, i) => {
        const amount = dec(rows[i]?.metrics.incurred_bill);
        return amount === null ? [] : [costPoint(bucket, METRIC, amount, ctx)];
      });
    }
    const graph = await this.loaders.graph.load({ kind, id: resource.providerId, window: hsWindow(window.window) });
    const points = graph.rows.flatMap((r) => r.metrics.incurred_bill_graph ?? []);
    if (graph.rows.some((r) => r.metrics.incurred_bill_graph))
      return bucketPoints(points, graph.granularity, window, METRIC, ctx);
    // No point array (the contract defines none for buckets and token workloads): ask the graph
    // once per bucket and take each answer's incurred_bill.
    const perBucket = await Promise.all(
      window.buckets.map((b) => this.loaders.graph.load({ kind, id: resource.providerId, window: hsWindow(b) })),
    );
    return window.buckets.flatMap((bucket, i) => {
      const amount = dec(sumRows(perBucket[i]!.rows)?.metrics.incurred_bill);
      return amount === null ? [] : [costPoint(bucket, METRIC, amount, ctx)];
    });
  }

  async resolveNode(id: DecodedId): Promise<NodeModel | null> {
    switch (id.kind) {
      case 'Account':
        return id.parts.length === 1 ? this.getAccount(id.parts[0]!) : null;
      case 'BillingThreshold': {
        if (id.parts.length !== 1) return null;
        const list = await this.loaders.thresholds.load('all');
        const dto = list.find((t) => t.id === id.parts[0]);
        return dto ? toThreshold(this.source, dto) : null;
      }
      case 'Resource': {
        const [kind, infrahubId] = id.parts;
        if (id.parts.length !== 2 || !kind || !isHsKind(kind) || !/^\d{1,15}$/.test(infrahubId!)) return null;
        return this.findResource(kind, infrahubId!);
      }
      default:
        return null;
    }
  }

  /** This month's list first (cached with discovery); else the per-id details (404 → gone); contracts by `search`. */
  private async findResource(kind: HsKind, infrahubId: string): Promise<HyperstackResourceModel | null> {
    const [account] = await this.listAccounts();
    const orgId = account!.providerId;
    const listed = (await this.loaders.history.load({ kind, window: null })).byId.get(infrahubId);
    if (listed) return toResource(this.source, orgId, kind, listed);
    if (kind === 'CONTRACT') {
      const found = (await this.loaders.contractSearch.load(infrahubId)).find(
        (r) => r.attributes.infrahub_id === infrahubId,
      );
      return found ? toResource(this.source, orgId, kind, found) : null;
    }
    try {
      const rows = await this.loaders.details.load({ kind, id: infrahubId, window: null });
      const row = sumRows(rows);
      return row
        ? toResource(this.source, orgId, kind, {
            ...row,
            attributes: { ...row.attributes, infrahub_id: row.attributes.infrahub_id ?? infrahubId },
          })
        : null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  // ---- Hyperstack-only fields (resolvers reach them through hyperstackApiOf)

  private listRow(resource: HyperstackResourceModel, window: Window): Promise<RowDto | null> {
    return this.loaders.row.load({ kind: resource.type, id: resource.providerId, window: hsWindow(window) });
  }

  private async detailsRow(resource: HyperstackResourceModel, window: Window): Promise<RowDto | null> {
    return sumRows(
      await this.loaders.details.load({ kind: resource.type, id: resource.providerId, window: hsWindow(window) }),
    );
  }

  async billing(resource: HyperstackResourceModel, window: Window) {
    const row = await this.listRow(resource, window);
    return row ? toBilling(row) : null;
  }

  async tokenBilling(resource: HyperstackResourceModel, window: Window, details: boolean) {
    const row = details ? await this.detailsRow(resource, window) : await this.listRow(resource, window);
    return row ? toTokenBilling(row) : null;
  }

  async billingDetails(resource: HyperstackResourceModel, window: Window) {
    const row = await this.detailsRow(resource, window);
    return row ? toBilling(row) : null;
  }

  async clusterBillingDetails(resource: HyperstackResourceModel, window: Window) {
    const row = await this.detailsRow(resource, window);
    return row ? toClusterBilling(row) : null;
  }

  async billingEvents(resource: HyperstackResourceModel, window: Window) {
    if (resource.type !== 'VIRTUAL_MACHINE' && resource.type !== 'VOLUME') return [];
    return (
      await this.loaders.events.load({ kind: resource.type, id: resource.providerId, window: hsWindow(window) })
    ).map(toEvent);
  }

  async subResourceCosts(resource: HyperstackResourceModel, window: Window) {
    return toSubResourceCosts(
      await this.loaders.subResources.load({
        kind: resource.type,
        id: resource.providerId,
        window: hsWindow(window),
        graph: false,
      }),
    );
  }

  /** Endpoint 12's six hourly series, bucketed; one point per sub-resource and bucket. */
  async subResourceConsumption(
    resource: HyperstackResourceModel,
    window: BucketedWindow,
  ): Promise<ConsumptionPointModel[]> {
    const dto = await this.loaders.subResources.load({
      kind: resource.type,
      id: resource.providerId,
      window: hsWindow(window.window),
      graph: true,
    });
    const ctx = this.pointContext(resource.accountProviderId, resource);
    return SUB_RESOURCE_METRICS.flatMap((sub) => bucketPoints(dto.graphs[sub], dto.granularity, window, sub, ctx));
  }

  async lastDayCost() {
    const d = await this.loaders.lastDayCost.load('all');
    return {
      instancesCost: usd(d.instances_cost),
      volumesCost: usd(d.volumes_cost),
      clustersCost: usd(d.clusters_cost),
      totalCost: usd(d.total_cost),
    };
  }

  /**
   * Mapped usage lists of this request, by account and arguments. A query can walk
   * usage → resource → account → usage again: without this, each of the 1,600 inner lists of a
   * three-level cycle re-parsed the same rows, seconds of CPU for one small document.
   */
  private readonly usages = new Map<string, Promise<HyperstackResourceUsageModel[]>>();

  usage(account: AccountModel, deleted: boolean, environment: string | null): Promise<HyperstackResourceUsageModel[]> {
    const key = `${account.providerId}|${deleted}|${environment ?? ''}`;
    let mapped = this.usages.get(key);
    if (!mapped) {
      mapped = this.loaders.usage
        .load({ deleted, environment })
        .then((rows) =>
          rows
            .map((dto) => toUsage(this.source, account.providerId, dto))
            .filter((u): u is HyperstackResourceUsageModel => u !== null),
        );
      this.usages.set(key, mapped);
    }
    return mapped;
  }

  async billingHistory(window: Window, withGraph: boolean): Promise<HyperstackOrganizationBillingModel | null> {
    const dto = await this.loaders.orgHistory.load({ window: hsWindow(window), graph: withGraph });
    const m = dto.metrics[0];
    if (!m) return null;
    return {
      graphUnavailable: withGraph && !m.incurred_bill_graph,
      incurredBill: usd(m.incurred_bill),
      nonDiscountedBill: usd(m.non_discounted_bill),
      vmCost: usd(m.vm_cost),
      volumeCost: usd(m.volume_cost),
      contractCost: usd(m.contract_cost),
      snapshotCost: usd(m.snapshot_cost),
      incurredBillGraph: withGraph
        ? (m.incurred_bill_graph ?? []).flatMap((p) => {
            const at = toIso(p.datetime);
            const amount = usd(p.value);
            return at && amount ? [{ at, amount }] : [];
          })
        : null,
    };
  }

  async billingSummaries(window: Window, types: readonly string[] | null) {
    const kinds = types ? HS_KINDS.filter((k) => types.includes(k)) : HS_KINDS;
    const w = hsWindow(window);
    return Promise.all(
      kinds.map(async (kind) => {
        const index = await this.loaders.history.load({ kind, window: w });
        const bills = index.rows.map((r) => dec(r.metrics.incurred_bill)).filter((v): v is string => v !== null);
        return {
          type: kind,
          totalCount: index.totalCount,
          incurredBill: { amount: sumDecimalsOf(bills), currency: 'USD' },
        };
      }),
    );
  }

  private pointContext(accountProviderId: string, resource: HyperstackResourceModel | null): PointOrigin {
    return { source: this.source, prices: NO_PRICES, accountProviderId, resource, now: this.now(), isFinalBucket };
  }
}

const toIso = (value: string): string | null => {
  const ms = parseHsDate(value);
  return ms === null ? null : formatDateTime(ms);
};

/** The per-request Hyperstack API of a source, or null when the source is another provider. */
export function hyperstackApiOf(api: SourceApi): HyperstackApi | null {
  return api instanceof HyperstackApi ? api : null;
}
