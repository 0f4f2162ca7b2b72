import { normaliseDecimalInput } from '../../lib/decimal.js';
import { encodeId } from '../../lib/ids.js';
import type { Bucket } from '../../lib/buckets.js';
import type { AccountModel, ConsumptionPointModel, SourceModel } from '../../models.js';
import type { ConsumptionDetailsDto } from './client.js';

/** Civitai's virtual currency (specs/civitai.md: totalCost is in Buzz [P]). */
export const BUZZ = 'BUZZ';
export const IMAGES_METRIC = 'images';
export const IMAGES_UNIT = 'image';

/**
 * The API key's consumer. The consumption endpoint exposes no consumer id or name, so the
 * account is named after the source (specs/civitai.md, "Mapping notes").
 */
export function toAccount(source: SourceModel): AccountModel {
  return { __typename: 'Account', source, id: encodeId('Account', source.id, source.id), providerId: source.id, name: source.name };
}

/**
 * ConsumptionDetails → one point: quantity = images, cost = totalCost in BUZZ, digit for digit.
 * Missing fields of a 200 answer count as 0 (both generated clients make them optional).
 */
export function toPoint(dto: ConsumptionDetailsDto, bucket: Bucket, source: SourceModel, now: number): ConsumptionPointModel {
  const totalCost = dto.totalCost === undefined ? '0' : (normaliseDecimalInput(dto.totalCost) ?? dto.totalCost);
  return {
    source,
    start: bucket.start,
    end: bucket.end,
    metric: IMAGES_METRIC,
    quantity: dto.images ?? '0',
    unit: IMAGES_UNIT,
    cost: { amount: totalCost, currency: BUZZ },
    accountProviderId: source.id,
    resource: null,
    // Windows wholly in the past are stable (specs/civitai.md, "Idempotency").
    isFinal: bucket.endMs <= now,
  };
}
