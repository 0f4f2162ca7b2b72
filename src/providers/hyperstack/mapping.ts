import { BadUserInputError } from '../../errors.js';
import { normaliseDecimalInput, sumDecimals } from '../../lib/decimal.js';
import { formatDateTime, parseDateTime } from '../../lib/dateTime.js';
import { encodeId } from '../../lib/ids.js';
import type { Bucket } from '../../lib/buckets.js';
import { bucketHolding } from '../../lib/rebucket.js';
import { BucketPoint, type PointOrigin } from '../bucketPoint.js';
import type { BucketedWindow } from '../types.js';
import type { AccountModel, ConsumptionPointModel, Money, SourceModel } from '../../models.js';
import type { BillingThresholdModel, HyperstackResourceModel, HyperstackResourceUsageModel } from './models.js';
import type {
  EventDto,
  HsWindow,
  PointDto,
  RowDto,
  SubResourceName,
  SubResourceRowDto,
  ThresholdDto,
  UsageDto,
} from './client.js';
import type { HsKind } from './kinds.js';
import { HOUR_MS } from '../../lib/durations.js';

/** Hyperstack sends no currency anywhere; USD is billgraph's choice (docs/upstreams/hyperstack.md#s2). */
export const CURRENCY = 'USD';
/** Hyperstack bills hourly: a bucket is final one hour after it ends. */
export const FINALISATION_LAG_MS = HOUR_MS;

/** The finality rule of this source: ConsumptionPoint.isFinal and the cross-request cache (docs/cache.md) both use it. */
export const isFinalBucket = (endMs: number, now: number): boolean => endMs + FINALISATION_LAG_MS <= now;

/** The digit-for-digit decimal of an upstream number literal (exponents expanded), or null. */
export const dec = (value: string | null | undefined): string | null =>
  value === null || value === undefined ? null : (normaliseDecimalInput(value) ?? null);
export const usd = (value: string | null | undefined): Money | null => {
  const amount = dec(value);
  return amount === null ? null : { amount, currency: CURRENCY };
};
const int = (value: string | null | undefined): number | null => {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
};

/** Our UTC window → Hyperstack's `YYYY-MM-DDTHH:MM:SS` (no zone; sub-second edges floored). */
export function toHsWindow(startMs: number, endMs: number): HsWindow {
  const f = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
  return { start: f(startMs), end: f(endMs) };
}

const HS_DATE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Lenient response dates (docs/upstreams/hyperstack.md#s2): with or without zone or fraction; no zone means UTC. */
export function parseHsDate(value: string | null | undefined): number | null {
  if (!value) return null;
  const m = HS_DATE.exec(value.trim());
  if (!m) return null;
  const zone = m[4] ? (m[4].toUpperCase() === 'Z' ? 'Z' : m[4].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : 'Z';
  // As RFC 3339, through the one parser that refuses impossible dates (Feb 30) instead of rolling them over.
  return parseDateTime(`${m[1]}T${m[2]}${m[3] ?? ''}${zone}`);
}
const isoOf = (value: string | null | undefined): string | null => {
  const ms = parseHsDate(value);
  return ms === null ? null : formatDateTime(ms);
};

export function toAccount(source: SourceModel, orgId: string): AccountModel {
  return {
    __typename: 'Account',
    source,
    id: encodeId('Account', source.id, orgId),
    providerId: orgId,
    name: `Hyperstack organization ${orgId}`,
  };
}

const TYPENAMES: Record<HsKind, HyperstackResourceModel['__typename']> = {
  VIRTUAL_MACHINE: 'HyperstackVirtualMachine',
  VOLUME: 'HyperstackVolume',
  SNAPSHOT: 'HyperstackSnapshot',
  BUCKET: 'HyperstackBucket',
  CLUSTER: 'HyperstackCluster',
  FINE_TUNING: 'HyperstackFineTuning',
  MODEL_EVALUATION: 'HyperstackTokenWorkload',
  SERVERLESS_INFERENCE: 'HyperstackTokenWorkload',
  DATA_SYNTHESIS: 'HyperstackTokenWorkload',
  CONTRACT: 'HyperstackContract',
};
export const HS_KINDS = Object.keys(TYPENAMES) as HsKind[];
/** Own keys only: `in` would also accept inherited names such as "constructor" or "__proto__" from a forged id. */
export const isHsKind = (type: string): type is HsKind => Object.hasOwn(TYPENAMES, type);

/** A resource from a list (or details) row; null when the row has no infrahub_id to address it by. */
export function toResource(
  source: SourceModel,
  orgId: string,
  kind: HsKind,
  row: RowDto,
): HyperstackResourceModel | null {
  const a = row.attributes;
  if (!a.infrahub_id) return null;
  return resourceModel(source, orgId, kind, a.infrahub_id, {
    name: (kind === 'CONTRACT' ? a.description : a.resource_name) ?? null,
    uuid: a.id ?? null,
    status: a.status ?? null,
    contractId: a.contract_id ?? null,
    baseModel: a.base_model ?? null,
    baseModelDisplayName: a.base_model_display_name ?? null,
    loraAdapter: a.lora_adapter ?? null,
    gpuType: a.gpu_type ?? null,
  });
}

type ResourceFields = Pick<
  HyperstackResourceModel,
  'name' | 'uuid' | 'status' | 'contractId' | 'baseModel' | 'baseModelDisplayName' | 'loraAdapter' | 'gpuType'
>;

export function resourceModel(
  source: SourceModel,
  orgId: string,
  kind: HsKind,
  infrahubId: string,
  fields: Partial<ResourceFields>,
): HyperstackResourceModel {
  return {
    __typename: TYPENAMES[kind],
    type: kind,
    source,
    id: encodeId('Resource', source.id, kind, infrahubId),
    providerId: infrahubId,
    accountProviderId: orgId,
    name: null,
    uuid: null,
    status: null,
    contractId: null,
    baseModel: null,
    baseModelDisplayName: null,
    loraAdapter: null,
    gpuType: null,
    ...fields,
  } as HyperstackResourceModel;
}

/** FOCUS-ish billing figures of one row; absent fields stay null (docs/upstreams/hyperstack.md#s4-2 to #s4-4). */
export function toBilling(row: RowDto) {
  const m = row.metrics;
  return {
    status: row.attributes.status ?? null,
    pricePerHour: usd(m.price_per_hour),
    nonDiscountedPricePerHour: usd(m.non_discounted_price_per_hour),
    incurredBill: usd(m.incurred_bill),
    nonDiscountedBill: usd(m.non_discounted_bill),
    usageTime: dec(m.usage_time),
    usageTimeActive: dec(m.usage_time_ACTIVE),
    usageTimeShutoff: dec(m.usage_time_SHUTOFF),
    usageTimeHibernated: dec(m.usage_time_HIBERNATED),
    subresourceType: row.attributes.subresource_type ?? null,
    subresourceAmount: int(row.attributes.subresource_amount),
  };
}

/** Details answers hold a list (VM/volume) or one object; several rows are summed exactly. */
export function sumRows(rows: RowDto[]): RowDto | null {
  if (rows.length <= 1) return rows[0] ?? null;
  const sum = (pick: (r: RowDto) => string | null | undefined) => {
    const values = rows.map(pick).filter((v): v is string => typeof v === 'string');
    return values.length ? sumDecimals(values) : null;
  };
  const m = rows[0]!.metrics;
  return {
    ...rows[0]!,
    metrics: {
      ...m,
      incurred_bill: sum((r) => r.metrics.incurred_bill),
      non_discounted_bill: sum((r) => r.metrics.non_discounted_bill),
      usage_time: sum((r) => r.metrics.usage_time),
      usage_time_ACTIVE: sum((r) => r.metrics.usage_time_ACTIVE),
      usage_time_SHUTOFF: sum((r) => r.metrics.usage_time_SHUTOFF),
      usage_time_HIBERNATED: sum((r) => r.metrics.usage_time_HIBERNATED),
      input_tokens: sum((r) => r.metrics.input_tokens),
      output_tokens: sum((r) => r.metrics.output_tokens),
      input_tokens_incurred_bill: sum((r) => r.metrics.input_tokens_incurred_bill),
      input_tokens_non_discounted_bill: sum((r) => r.metrics.input_tokens_non_discounted_bill),
      output_tokens_incurred_bill: sum((r) => r.metrics.output_tokens_incurred_bill),
      output_tokens_non_discounted_bill: sum((r) => r.metrics.output_tokens_non_discounted_bill),
      incurred_bill_graph: rows.flatMap((r) => r.metrics.incurred_bill_graph ?? []),
    },
  };
}

export function toTokenBilling(row: RowDto) {
  const m = row.metrics;
  return {
    status: row.attributes.status ?? null,
    incurredBill: usd(m.incurred_bill),
    nonDiscountedBill: usd(m.non_discounted_bill),
    usageTime: dec(m.usage_time),
    inputTokens: dec(m.input_tokens),
    outputTokens: dec(m.output_tokens),
    inputTokensIncurredBill: usd(m.input_tokens_incurred_bill),
    inputTokensNonDiscountedBill: usd(m.input_tokens_non_discounted_bill),
    outputTokensIncurredBill: usd(m.output_tokens_incurred_bill),
    outputTokensNonDiscountedBill: usd(m.output_tokens_non_discounted_bill),
  };
}

export function toClusterBilling(row: RowDto) {
  return {
    status: row.attributes.status ?? null,
    pricePerHour: usd(row.metrics.price_per_hour),
    incurredBill: usd(row.metrics.incurred_bill),
    usageTime: dec(row.metrics.usage_time),
    nodes: (row.nodes ?? []).map((node) => ({
      providerId: node.attributes.infrahub_id ?? '',
      uuid: node.attributes.id ?? null,
      name: node.attributes.resource_name ?? null,
      status: node.attributes.status ?? null,
      contractId: node.attributes.contract_id ?? null,
      pricePerHour: usd(node.metrics.price_per_hour),
      incurredBill: usd(node.metrics.incurred_bill),
      usageTime: dec(node.metrics.usage_time),
    })),
  };
}

export function toEvent(dto: EventDto) {
  return {
    start: isoOf(dto.start),
    event: dto.event ?? null,
    duration: dec(dto.event_duration),
    pricePerHour: usd(dto.price_per_hour),
    totalCost: usd(dto.total_cost),
  };
}

export function toSubResourceCosts(dto: SubResourceRowDto) {
  const t = dto.totals;
  return {
    gpu: usd(t.gpu),
    cpu: usd(t.cpu),
    ram: usd(t.ram),
    publicIp: usd(t.publicip),
    disk: usd(t.disk),
    ephemeral: usd(t.ephemeral),
  };
}

/** Endpoint 2's resource_type → billgraph's type (proposed values, docs/upstreams/hyperstack.md#s4-10; others stay unlinked). */
const USAGE_TYPES: Record<string, HsKind> = {
  virtual_machine: 'VIRTUAL_MACHINE',
  volume: 'VOLUME',
  snapshot: 'SNAPSHOT',
  bucket: 'BUCKET',
  cluster: 'CLUSTER',
};

export function toUsage(source: SourceModel, orgId: string, dto: UsageDto): HyperstackResourceUsageModel | null {
  if (!dto.resource_id) return null;
  // Own keys only: a resource_type such as "constructor" must stay unlinked, not find Object's.
  const kind =
    dto.resource_type && Object.hasOwn(USAGE_TYPES, dto.resource_type) ? USAGE_TYPES[dto.resource_type] : undefined;
  return {
    resourceId: dto.resource_id,
    resourceType: dto.resource_type ?? null,
    resource: kind
      ? resourceModel(source, orgId, kind, dto.resource_id, {
          name: dto.name ?? null,
          status: dto.active === false ? 'DELETED' : null,
        })
      : null,
    name: dto.name ?? null,
    organizationId: dto.organization_id ?? null,
    billPerMinute: usd(dto.bill_per_minute),
    createdAt: isoOf(dto.create_time),
    terminatedAt: isoOf(dto.terminate_time),
    totalUpTimeMinutes: dec(dto.total_up_time),
    totalBill: usd(dto.total_bill),
    active: dto.active ?? null,
    excludeBilling: dto.exclude_billing ?? null,
  };
}

export function toThreshold(source: SourceModel, dto: ThresholdDto): BillingThresholdModel {
  return {
    __typename: 'BillingThreshold',
    source,
    id: encodeId('BillingThreshold', source.id, dto.id),
    hoursBefore: int(dto.threshold) ?? 0,
    title: dto.interface_title ?? null,
    tooltip: dto.interface_tooltip ?? null,
    subscribed: dto.subscribed,
  };
}

/** One USD point: Hyperstack's quantities are money, so quantity and cost are the same amount. */
export const costPoint = (bucket: Bucket, metric: string, amount: string, ctx: PointOrigin): ConsumptionPointModel =>
  new BucketPoint(ctx, bucket, metric, amount, CURRENCY, { amount, currency: CURRENCY });

/** Point size when a graph does not say (the endpoints are described as hourly, docs/upstreams/hyperstack.md#s4-5). */
export const DEFAULT_GRAPH_SECONDS = 3600;
/** Endpoint 1's graph has no `granularity` field; its points are daily (proposed, docs/upstreams/hyperstack.md#s4-10). */
export const ORG_GRAPH_SECONDS = 86_400;

/** What to ask instead when points of `seconds` do not fit the requested buckets. */
function fitAdvice(seconds: number, asked: BucketedWindow): string {
  // TOTAL is one bucket over the window asked, so it always fits.
  if (seconds <= HOUR_MS / 1000 && (HOUR_MS / 1000) % seconds === 0)
    return 'use timeZone "UTC" (or another zone with a whole-hour offset), or granularity TOTAL';
  if (seconds <= 86_400 && 86_400 % seconds === 0) {
    const ok = ['DAY', 'WEEK', 'MONTH', 'TOTAL'].filter(
      (g) => g !== asked.granularity || asked.window.timeZone !== 'UTC',
    );
    return `use granularity ${ok.join('/')} with timeZone "UTC"`;
  }
  return 'use granularity TOTAL';
}

/**
 * Sums graph points into buckets. A point covers [datetime, datetime + granularity) — the
 * `granularity` the graph returned, in seconds (docs/upstreams/hyperstack.md#s4-5: honour it; e.g. 86400 is a daily
 * point) — clipped to the window that was asked (the upstream reports nothing outside it).
 * Each point must lie wholly inside ONE bucket: a point that straddles a bucket edge (a daily
 * point under HOUR buckets, or under DAY buckets whose local midnights are not UTC midnights)
 * is never split or prorated; the answer is BAD_USER_INPUT naming what to ask instead. The
 * granularity is only known from the answer, so this cannot be decided before the call.
 * Buckets without points get an explicit zero, so a series always has one point per bucket.
 */
export function bucketPoints(
  points: readonly PointDto[],
  granularitySeconds: number | null,
  window: BucketedWindow,
  metric: string,
  ctx: PointOrigin,
): ConsumptionPointModel[] {
  const seconds = granularitySeconds ?? DEFAULT_GRAPH_SECONDS;
  const { buckets } = window;
  const sums = buckets.map(() => [] as string[]);
  for (const p of points) {
    const at = parseHsDate(p.datetime);
    const value = dec(p.value);
    if (at === null || value === null) continue;
    const from = Math.max(at, window.window.startMs);
    const to = Math.min(at + seconds * 1000, window.window.endMs);
    if (from >= to) continue; // wholly outside the window asked
    const i = bucketHolding(buckets, from, to);
    if (i < 0) {
      throw new BadUserInputError(
        `Argument "granularity" ${window.granularity}${window.window.timeZone === 'UTC' ? '' : ` in time zone ${window.window.timeZone}`} cannot be answered exactly: Hyperstack returned ${seconds}-second graph points, and the one from ${formatDateTime(at)} crosses a bucket boundary (billgraph never splits a point); ${fitAdvice(seconds, window)}.`,
        'granularity',
      );
    }
    sums[i]!.push(value);
  }
  return buckets.map((b, i) => costPoint(b, metric, sums[i]!.length === 1 ? sums[i]![0]! : sumDecimals(sums[i]!), ctx));
}

export const SUB_RESOURCE_METRICS: readonly SubResourceName[] = ['gpu', 'cpu', 'ram', 'publicip', 'disk', 'ephemeral'];
