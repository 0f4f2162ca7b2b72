import { normaliseDecimalInput } from '../../lib/decimal.js';
import { formatDateTime } from '../../lib/dateTime.js';
import { encodeId } from '../../lib/ids.js';
import type { Bucket } from '../../lib/buckets.js';
import type { AccountModel, ConsumptionPointModel, SourceModel } from '../../models.js';
import type { CloudspaceModel, MachineModel } from './models.js';
import { BucketPoint, type PointOrigin } from '../bucketPoint.js';
import type { AccountDto, CloudspaceDto, MachineDto } from './client.js';
import { HOUR_MS } from '../../lib/durations.js';

/**
 * Capacity units (docs/upstreams/openvcloud.md#units, after gig.tech's definitions): allocation units are integrated over
 * the hours allocated, NU is traffic in TB. Metrics we do not know keep their name as unit.
 */
export const METRIC_UNITS: Readonly<Record<string, string>> = {
  CU: 'CU-hours',
  SU: 'SU-hours',
  TU: 'TU-hours',
  NU: 'TB',
};
const METRIC_ORDER = ['CU', 'SU', 'TU', 'NU'];

/** G8 writes consumption hourly: a bucket is final one hour after it ends. */
export const FINALISATION_LAG_MS = HOUR_MS;

/** The finality rule of this source: ConsumptionPoint.isFinal and the cross-request cache (docs/cache.md) both use it. */
export const isFinalBucket = (endMs: number, now: number): boolean => endMs + FINALISATION_LAG_MS <= now;

export function toAccount(source: SourceModel, dto: AccountDto): AccountModel {
  return {
    __typename: 'Account',
    source,
    id: encodeId('Account', source.id, dto.id),
    providerId: dto.id,
    name: dto.name ?? null,
  };
}

export function toCloudspace(source: SourceModel, dto: CloudspaceDto): CloudspaceModel {
  return {
    __typename: 'Cloudspace',
    source,
    id: encodeId('Cloudspace', source.id, dto.accountId, dto.id),
    providerId: dto.id,
    accountProviderId: dto.accountId,
    name: dto.name ?? null,
    status: dto.status ?? null,
    location: dto.location ?? null,
  };
}

const toInt = (value: string | null | undefined): number | null => {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
};

export function toMachine(source: SourceModel, accountProviderId: string, dto: MachineDto): MachineModel {
  const created = toInt(dto.creationTime);
  return {
    __typename: 'Machine',
    source,
    type: 'MACHINE',
    id: encodeId('Machine', source.id, accountProviderId, dto.cloudspaceid, dto.id),
    providerId: dto.id,
    accountProviderId,
    cloudspaceProviderId: dto.cloudspaceid,
    name: dto.name ?? null,
    status: dto.status ?? null,
    hostname: dto.hostname ?? null,
    memoryMb: toInt(dto.memory),
    vcpus: toInt(dto.vcpus),
    storageGb: toInt(dto.storage),
    createdAt: created === null ? null : formatDateTime(created * 1000),
  };
}

/** What the points of one calculate node share (see BucketPoint). */
export type PointContext = Omit<PointOrigin, 'isFinalBucket'>;

/** One point per metric of a calculate node's `consumption`, quantities digit for digit. */
export function toPoints(
  consumption: Readonly<Record<string, string>>,
  bucket: Bucket,
  ctx: PointContext,
): ConsumptionPointModel[] {
  const origin: PointOrigin = { ...ctx, isFinalBucket };
  const metrics = Object.keys(consumption).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  return metrics.map((metric) => {
    const raw = consumption[metric]!;
    return new BucketPoint(origin, bucket, metric, normaliseDecimalInput(raw) ?? raw, METRIC_UNITS[metric] ?? metric);
  });
}

const rank = (metric: string): number => {
  const i = METRIC_ORDER.indexOf(metric);
  return i === -1 ? METRIC_ORDER.length : i;
};

/** G8 takes whole epoch seconds; sub-second window edges are floored. */
export const toEpochSeconds = (ms: number): number => Math.floor(ms / 1000);
