// The write path of recordUsage: the exact JSON body, the local checks Kill Bill would fail
// late or silently, per-key serialisation, and the one retry after a lost response.

import { BadUserInputError, ErrorCode, UpstreamError } from '../../errors.js';
import { parseDateTime } from '../../lib/dateTime.js';
import { refusedBeforeSending } from '../http.js';
import type { SubscriptionModel } from './models.js';
import type { AuditHeaders, KillbillClient } from './client.js';
import { DAY_MS } from '../../lib/durations.js';

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
  const start = Date.parse(startDate);
  const end = Date.parse(endDate);
  if (!Number.isFinite(start) || !Number.isFinite(end)) return true;
  return request.units.some((unit) =>
    unit.records.some((record) => {
      const at = parseDateTime(record.recordDate) ?? Date.parse(record.recordDate);
      if (!Number.isFinite(at)) return true;
      const day = Math.floor(at / DAY_MS) * DAY_MS;
      return start < day + 2 * DAY_MS && end > day - DAY_MS;
    }),
  );
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

/**
 * Records once per (subscription, trackingId) and says whether it had been recorded before.
 *
 * - Writes with one key are serialised within this process (the queue belongs to the source's
 *   runtime): Kill Bill checks the trackingId and then inserts, non-atomically, with no unique
 *   index, so two concurrent POSTs could both land. Serialised, the second sees code 50000.
 * - A lost response (no HTTP answer) is retried once with the same trackingId. If the retry is
 *   refused as a duplicate, the first attempt was committed — by us, for this very call — so the
 *   answer is alreadyRecorded: false. Caveat: Kill Bill cannot tell "ours landed" from "someone
 *   recorded this id just before", since it never compares payloads (docs/upstreams/killbill.md#k3); and after a timeout the
 *   first request may still be running when the retry arrives, which the upstream's race allows.
 */
export async function recordOnce(
  client: KillbillClient,
  queue: KeyedSerialQueue,
  request: UsageRecordRequest,
  audit: AuditHeaders,
): Promise<boolean> {
  const body = usageRecordBody(request.subscription.providerId, request.trackingId, request.units);
  return queue.run(`${request.subscription.providerId}\u0000${request.trackingId}`, async () => {
    try {
      return (await client.recordUsage(body, audit)) === 'DUPLICATE';
    } catch (error) {
      if (!isLostResponse(error)) throw error;
      await client.recordUsage(body, audit);
      return false;
    }
  });
}
