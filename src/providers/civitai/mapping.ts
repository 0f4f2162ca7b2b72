import { normaliseDecimalInput } from '../../lib/decimal.js';
import type { Bucket } from '../../lib/buckets.js';
import type { ConsumptionPointModel } from '../../models.js';
import { BucketPoint, type PointOrigin } from '../bucketPoint.js';
import type { ConsumptionDetailsDto } from './client.js';

/** Civitai's virtual currency (totalCost is in Buzz, an assumption: docs/upstreams/civitai.md#units). */
export const BUZZ = 'BUZZ';
export const IMAGES_METRIC = 'images';
export const IMAGES_UNIT = 'image';

/** Windows wholly in the past are stable (docs/upstreams/civitai.md#idempotency); isFinal and the cache (docs/cache.md) use this rule. */
export const isFinalBucket = (endMs: number, now: number): boolean => endMs <= now;

/**
 * ConsumptionDetails → one point: quantity = images, cost = totalCost in BUZZ, digit for digit
 * (the client has refused answers lacking either: a missing total is not a zero one).
 */
export function toPoint(dto: ConsumptionDetailsDto, bucket: Bucket, origin: PointOrigin): ConsumptionPointModel {
  const totalCost = normaliseDecimalInput(dto.totalCost) ?? dto.totalCost;
  return new BucketPoint(origin, bucket, IMAGES_METRIC, dto.images, IMAGES_UNIT, {
    amount: totalCost,
    currency: BUZZ,
  });
}
