// The write path of recordUsage: the exact JSON body, the local checks Kill Bill would fail
// late or silently, per-key serialisation, and the one retry after a lost response.

import { BadUserInputError, ErrorCode, GatewayError, UpstreamError, type UpstreamErrorCode } from '../../errors.js';
import { parseDateTime } from '../../lib/dateTime.js';
import { sumDecimals } from '../../lib/decimal.js';
import { refusedBeforeSending } from '../http.js';
import type { SubscriptionModel } from './models.js';
import type { AuditHeaders, KillbillClient } from './client.js';
import { DAY_MS } from '../../lib/durations.js';
import { killbillDateMs, usageDateRange } from './mapping.js';

/** Validated recordUsage input, with the subscription already resolved to its source. */
export interface UsageRecordRequest {
  readonly subscription: SubscriptionModel;
  readonly trackingId: string;
  readonly units: { unitType: string; records: { recordDate: string; amount: string }[] }[];
  readonly reason: string | null;
  readonly comment: string | null;
}

/** Kill Bill's `rolled_up_usage.amount` / `usage.amount` column is decimal(18,9) (docs/upstreams/killbill.md#k4). */
const MAX_INTEGER_DIGITS = 9;
const MAX_FRACTION_DIGITS = 9;

/** A decimal string as a JSON number literal with exactly its digits (leading zeros dropped, which JSON forbids). */
export function jsonNumber(decimal: string): string {
  const literal = decimal.replace(/^(-?)0+(?=\d)/, '$1');
  if (!/^-?(0|[1-9]\d*)(\.\d+)?$/.test(literal))
    throw new TypeError(`Expected a plain decimal literal, got "${decimal}".`);
  return literal;
}

/**
 * The SubscriptionUsageRecord JSON (docs/upstreams/killbill.md#recording-usage), written by hand so amounts travel as JSON numbers
 * with every digit the caller gave: JSON.stringify would need a float, which would turn
 * 333333333.333333333 into 333333333.33333333.
 */
export function usageRecordBody(
  subscriptionId: string,
  trackingId: string,
  units: UsageRecordRequest['units'],
): string {
  const unitsText = units
    .map((unit) => {
      const records = unit.records
        .map((r) => `{"recordDate":${JSON.stringify(r.recordDate)},"amount":${jsonNumber(r.amount)}}`)
        .join(',');
      return `{"unitType":${JSON.stringify(unit.unitType)},"usageRecords":[${records}]}`;
    })
    .join(',');
  return `{"subscriptionId":${JSON.stringify(subscriptionId)},"trackingId":${JSON.stringify(trackingId)},"unitUsageRecords":[${unitsText}]}`;
}

/**
 * Checks Kill Bill would make only after the write started, or not at all: amounts that do
 * not fit decimal(18,9) (the database would round or fail), and records after the
 * subscription's billing end date (an empty 400, docs/upstreams/killbill.md#k2). Throws BAD_USER_INPUT before any POST.
 */
export function checkRecordsFit(request: UsageRecordRequest): void {
  request.units.forEach((unit, i) => {
    unit.records.forEach((record, j) => {
      const [int = '', frac = ''] = record.amount.replace(/^-/, '').split('.');
      const integerDigits = int.replace(/^0+/, '').length;
      const fractionDigits = frac.replace(/0+$/, '').length;
      if (integerDigits > MAX_INTEGER_DIGITS || fractionDigits > MAX_FRACTION_DIGITS) {
        throw new BadUserInputError(
          `Argument "input.units[${i}].records[${j}].amount" must have at most ${MAX_INTEGER_DIGITS} digits before and ${MAX_FRACTION_DIGITS} after the decimal point (Kill Bill stores decimal(18,9)), got "${record.amount}".`,
          'input.units',
        );
      }
    });
  });
  const end = request.subscription.billingEndDate ? parseDateTime(request.subscription.billingEndDate) : null;
  if (end === null) return;
  request.units.forEach((unit, i) => {
    unit.records.forEach((record, j) => {
      const at = parseDateTime(record.recordDate);
      if (at !== null && at > end) {
        throw new BadUserInputError(
          `Argument "input.units[${i}].records[${j}].recordDate" must not be after the subscription's billing end "${request.subscription.billingEndDate}", got "${record.recordDate}".`,
          'input.units',
        );
      }
    });
  });
}

/**
 * Whether a cached usage window `[startDate, endDate)` (the query values of usageDateRange) may
 * hold one of the request's records, so the write must drop it. Kill Bill files a record under
 * its date in the account's time zone, which can be a day either side of the UTC date; every
 * window within a day of a record is dropped — dropping too much costs one call, too little
 * would serve a stale total. A date that cannot be read drops all of the subscription's windows.
 */
export function windowHoldsRecords(request: UsageRecordRequest, startDate: string, endDate: string): boolean {
  const start = killbillDateMs(startDate);
  const end = killbillDateMs(endDate);
  if (!Number.isFinite(start) || !Number.isFinite(end)) return true;
  return request.units.some((unit) =>
    unit.records.some((record) => {
      const at = killbillDateMs(record.recordDate);
      if (!Number.isFinite(at)) return true;
      const day = Math.floor(at / DAY_MS) * DAY_MS;
      return start < day + 2 * DAY_MS && end > day - DAY_MS;
    }),
  );
}

/**
 * The instants a usage write can have changed, in milliseconds: from the day before its first
 * record's day to the day after its last (record dates carry a time zone Kill Bill may place on
 * either side of a UTC day); everything when a date cannot be read.
 */
export function recordedSpan(request: UsageRecordRequest): { startMs: number; endMs: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const unit of request.units)
    for (const record of unit.records) {
      const at = killbillDateMs(record.recordDate);
      if (!Number.isFinite(at)) return { startMs: 0, endMs: 8.64e15 };
      const day = Math.floor(at / DAY_MS) * DAY_MS;
      first = Math.min(first, day - DAY_MS);
      last = Math.max(last, day + 2 * DAY_MS);
    }
  return Number.isFinite(first) ? { startMs: first, endMs: last } : { startMs: 0, endMs: 0 };
}

/** Runs tasks with the same key one after another; different keys run concurrently. */
export class KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a write queued or in flight (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}

/**
 * No HTTP answer at all (connection reset/refused, our timeout): the POST may or may not have
 * been committed. A call the resilience policy refused before sending (breaker open, queue
 * full, deadline passed) was never sent, so nothing was lost.
 */
const isLostResponse = (error: unknown): boolean =>
  error instanceof UpstreamError &&
  !refusedBeforeSending(error) &&
  (error.code === ErrorCode.UPSTREAM_UNAVAILABLE || error.code === ErrorCode.UPSTREAM_TIMEOUT) &&
  error.detail.upstreamStatus === undefined;

/** One (unit type, instant) where what Kill Bill holds is not what the request says. */
export interface UsageDifference {
  readonly unitType: string;
  readonly recordDate: string;
  /** Kill Bill's total for this unit type at this instant (every trackingId's records). */
  readonly recorded: string;
  readonly requested: string;
}

/** At most this many differences are listed in a CONFLICT (the message names the first). */
const MAX_DIFFERENCES = 10;

/**
 * Reads back what Kill Bill holds at each instant the request records at, one usage call per
 * distinct instant (the all-unit-types form over [instant, instant + 1 s)), and lists where its
 * total differs from the request's. Kill Bill keeps no payload per trackingId and answers sums
 * only, so another trackingId's record at the same instant and unit also shows as a difference:
 * reported as a conflict, never hidden behind alreadyRecorded.
 */
export async function differencesFromRecorded(
  client: KillbillClient,
  request: UsageRecordRequest,
): Promise<UsageDifference[]> {
  const wanted = new Map<number, Map<string, string[]>>();
  for (const unit of request.units) {
    for (const record of unit.records) {
      const at = killbillDateMs(record.recordDate);
      const units = wanted.get(at) ?? new Map<string, string[]>();
      wanted.set(at, units);
      units.set(unit.unitType, [...(units.get(unit.unitType) ?? []), record.amount]);
    }
  }
  const perInstant = await Promise.all(
    [...wanted].map(async ([at, units]) => {
      const range = usageDateRange(at, at + 1000);
      const held = await client.usage(request.subscription.providerId, range.startDate, range.endDate);
      return [...units].flatMap(([unitType, amounts]): UsageDifference[] => {
        const recorded = sumDecimals(held.rolledUpUnits.filter((u) => u.unitType === unitType).map((u) => u.amount));
        const requested = sumDecimals(amounts);
        return recorded === requested
          ? []
          : [{ unitType, recordDate: new Date(at).toISOString().replace('.000Z', 'Z'), recorded, requested }];
      });
    }),
  );
  return perInstant
    .flat()
    .sort((a, b) => a.recordDate.localeCompare(b.recordDate) || a.unitType.localeCompare(b.unitType));
}

/** Kill Bill holds the trackingId, but not with this usage: nothing was written by this call. */
function conflict(request: UsageRecordRequest, differences: UsageDifference[], source: string): GatewayError {
  const [first] = differences as [UsageDifference];
  return new GatewayError(
    `trackingId "${request.trackingId}" is already recorded on this subscription with different usage: Kill Bill holds ${first.recorded} ${first.unitType} at ${first.recordDate} where this request has ${first.requested}` +
      (differences.length > 1
        ? ` (and ${differences.length - 1} more difference${differences.length > 2 ? 's' : ''})`
        : '') +
      ". Nothing was recorded by this request; record new usage under a new trackingId. (Kill Bill compares no payloads; its totals include other trackingIds' records at the same instant.)",
    ErrorCode.CONFLICT,
    {
      provider: 'KILLBILL',
      source,
      retryable: false,
      outcome: 'NOT_RECORDED',
      trackingId: request.trackingId,
      differences: differences.slice(0, MAX_DIFFERENCES),
    },
  );
}

/**
 * The usage was sent and its answer lost twice (first attempt and its resend): it may or may not
 * be recorded. Said in the code's message and `extensions.outcome`, so no caller takes it for a
 * write that failed cleanly.
 */
function unknownOutcome(lost: UpstreamError, request: UsageRecordRequest): UpstreamError {
  const what =
    lost.code === ErrorCode.UPSTREAM_TIMEOUT ? 'did not answer in time' : 'lost the connection before answering';
  return new UpstreamError(
    `Kill Bill source "${lost.detail.source}" ${what} after the usage for trackingId "${request.trackingId}" was sent, twice: it may or may not have been recorded. Retrying with the same trackingId is safe: if it was recorded the answer is alreadyRecorded: true, and nothing is stored twice.`,
    lost.code as UpstreamErrorCode,
    {
      ...lost.detail,
      retryable: true,
      extra: { ...lost.detail.extra, outcome: 'UNKNOWN', trackingId: request.trackingId },
    },
  );
}

/** Kill Bill holds the trackingId, but reading its usage back to compare failed. */
function unverified(readError: UpstreamError, request: UsageRecordRequest): UpstreamError {
  return new UpstreamError(
    `Kill Bill source "${readError.detail.source}" already holds trackingId "${request.trackingId}" on this subscription, but reading its usage back to compare with this request failed (${readError.code}): whether it holds this usage is unknown. Retrying with the same trackingId is safe.`,
    readError.code as UpstreamErrorCode,
    { ...readError.detail, retryable: true, extra: { outcome: 'UNKNOWN', trackingId: request.trackingId } },
  );
}

/**
 * Records once per (subscription, trackingId) and says whether it had been recorded before.
 *
 * - Writes with one key are serialised within this process (the queue belongs to the source's
 *   runtime): Kill Bill checks the trackingId and then inserts, non-atomically, with no unique
 *   index, so two concurrent POSTs could both land. Serialised, the second sees code 50000.
 * - A duplicate (code 50000) is checked against what Kill Bill holds (differencesFromRecorded):
 *   the same usage is alreadyRecorded, different usage is CONFLICT — Kill Bill itself compares
 *   no payloads (docs/upstreams/killbill.md#k3).
 * - A lost response (no HTTP answer) is retried once with the same trackingId. If the retry is
 *   refused as a duplicate and Kill Bill holds this usage, the first attempt was committed — by
 *   us, for this very call — so the answer is alreadyRecorded: false. If the retry fails too,
 *   the outcome is unknown and the error says so (`extensions.outcome: "UNKNOWN"`). Caveat:
 *   after a timeout the first request may still be running when the retry arrives, which the
 *   upstream's race allows.
 */
export async function recordOnce(
  client: KillbillClient,
  queue: KeyedSerialQueue,
  request: UsageRecordRequest,
  audit: AuditHeaders,
  source: string,
): Promise<boolean> {
  const body = usageRecordBody(request.subscription.providerId, request.trackingId, request.units);
  const sameAsRecorded = async (): Promise<void> => {
    let differences: UsageDifference[];
    try {
      differences = await differencesFromRecorded(client, request);
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      throw unverified(error, request);
    }
    if (differences.length > 0) throw conflict(request, differences, source);
  };
  return queue.run(`${request.subscription.providerId}\u0000${request.trackingId}`, async () => {
    let first: 'CREATED' | 'DUPLICATE' | UpstreamError;
    try {
      first = await client.recordUsage(body, audit);
    } catch (error) {
      if (!isLostResponse(error)) throw error;
      first = error as UpstreamError;
    }
    if (first === 'CREATED') return false;
    // Outside the try above: a read-back that fails is not a lost answer to the POST, so it never causes a resend.
    if (first === 'DUPLICATE') {
      await sameAsRecorded();
      return true;
    }
    const lost = first;
    let resent: 'CREATED' | 'DUPLICATE';
    try {
      resent = await client.recordUsage(body, audit);
    } catch {
      // Whatever became of the resend, the first attempt's fate is still unknown.
      throw unknownOutcome(lost, request);
    }
    if (resent === 'DUPLICATE') await sameAsRecorded();
    return false;
  });
}
