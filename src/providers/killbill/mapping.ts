import type { Bucket } from '../../lib/buckets.js';
import { formatDateTime, isValidDate, parseDateTime } from '../../lib/dateTime.js';
import { normaliseDecimalInput } from '../../lib/decimal.js';
import { BucketPoint, type PointOrigin } from '../bucketPoint.js';
import { encodeId } from '../../lib/ids.js';
import type { AccountModel, ConsumptionPointModel, SourceModel } from '../../models.js';
import type { SubscriptionModel } from './models.js';
import type { KillbillAccountDto, KillbillSubscriptionDto } from './dto.js';
import { DAY_MS } from '../../lib/durations.js';

/**
 * Kill Bill stores one usage summary per subscription and day by convention (docs/upstreams/killbill.md#k11), pushed
 * after the day is over: a bucket is taken as final one day after it ends (assumed: docs/upstreams/killbill.md#finality). Late records
 * can still be posted for any past date; Kill Bill itself never closes a period for usage.
 */
export const FINALISATION_LAG_MS = DAY_MS;

/** The finality rule of this source: ConsumptionPoint.isFinal and the cross-request cache (docs/cache.md) both use it. */
export const isFinalBucket = (endMs: number, now: number): boolean => endMs + FINALISATION_LAG_MS <= now;

export function toAccount(source: SourceModel, dto: KillbillAccountDto): AccountModel {
  return {
    __typename: 'Account',
    source,
    id: encodeId('Account', source.id, dto.accountId),
    providerId: dto.accountId,
    name: dto.name ?? null,
  };
}

/**
 * A date or instant as Kill Bill takes them (a usage window's bound, a record's date): an RFC 3339
 * instant, else what Date.parse reads, a date being its UTC midnight; NaN when neither.
 */
export const killbillDateMs = (value: string): number => parseDateTime(value) ?? Date.parse(value);

/** Kill Bill renders instants as `2026-01-05T10:00:00.000Z`; anything unreadable becomes null rather than a wrong value. */
const instant = (value: string | null | undefined): string | null => {
  if (!value) return null;
  const ms = parseDateTime(value);
  return ms === null ? null : formatDateTime(ms);
};
const date = (value: string | null | undefined): string | null => (value && isValidDate(value) ? value : null);

export function toSubscription(source: SourceModel, dto: KillbillSubscriptionDto): SubscriptionModel {
  return {
    __typename: 'Subscription',
    source,
    id: encodeId('Subscription', source.id, dto.subscriptionId),
    providerId: dto.subscriptionId,
    accountProviderId: dto.accountId,
    bundleProviderId: dto.bundleId ?? null,
    externalKey: dto.externalKey ?? null,
    productName: dto.productName ?? null,
    productCategory: dto.productCategory ?? null,
    billingPeriod: dto.billingPeriod ?? null,
    phaseType: dto.phaseType ?? null,
    priceList: dto.priceList ?? null,
    planName: dto.planName ?? null,
    state: dto.state ?? null,
    startDate: instant(dto.startDate),
    billingEndDate: instant(dto.billingEndDate),
    chargedThroughDate: date(dto.chargedThroughDate),
  };
}

/**
 * The `startDate`/`endDate` query values for [startMs, endMs). Both UTC midnights → `YYYY-MM-DD`,
 * which every Kill Bill version reads (≤ 0.22 parses dates only). Otherwise full ISO instants,
 * which only Kill Bill ≥ 0.24 accepts (its usage parser takes date-times: docs/upstreams/killbill.md#windows); billgraph
 * targets ≥ 0.24, so a non-midnight window (an hour edge, a DAY bucket in a non-UTC zone) is
 * sent as instants rather than rounded.
 */
export function usageDateRange(startMs: number, endMs: number): { startDate: string; endDate: string } {
  const midnight = (ms: number) => ms % DAY_MS === 0;
  if (midnight(startMs) && midnight(endMs)) {
    return {
      startDate: new Date(startMs).toISOString().slice(0, 10),
      endDate: new Date(endMs).toISOString().slice(0, 10),
    };
  }
  return { startDate: new Date(startMs).toISOString(), endDate: new Date(endMs).toISOString() };
}

/** What the points of one subscription (or account) and bucket share (see BucketPoint). */
export type PointContext = Omit<PointOrigin, 'isFinalBucket' | 'resource'>;

/**
 * One point per unit type (metric = unit = the catalog unit name), sorted by unit type since
 * Kill Bill's order is a HashMap's. Cost only when the source's price list names the unit.
 */
export function toPoints(
  amounts: ReadonlyMap<string, string>,
  bucket: Bucket,
  ctx: PointContext,
): ConsumptionPointModel[] {
  const origin: PointOrigin = { ...ctx, resource: null, isFinalBucket };
  return [...amounts.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((unitType) => {
      const raw = amounts.get(unitType)!;
      return new BucketPoint(origin, bucket, unitType, normaliseDecimalInput(raw) ?? raw, unitType);
    });
}
