import type { MutationResolvers } from '../../../generated/resolvers.js';
import { BadUserInputError, NotFoundError } from '../../../errors.js';
import { isNegativeDecimal } from '../../../lib/decimal.js';
import { decodeIdOf } from '../../../lib/ids.js';
import { killbillApiOf } from '../api.js';
import type { SubscriptionModel } from '../models.js';

const MAX_TRACKING_ID = 128;

const MAX_AUDIT_TEXT = 255;

/** Records one recordUsage call may carry: one upstream POST, sized like a batch a meter flushes, never an unbounded body. */
export const MAX_USAGE_RECORDS = 1000;

/** Reason and comment travel as HTTP headers (X-Killbill-Reason/-Comment): printable Latin-1 only. */
function checkAuditText(value: string | null | undefined, argument: string): void {
  if (value === null || value === undefined) return;
  if (value.length > MAX_AUDIT_TEXT || /[^\t\x20-\x7e\xa0-\xff]/.test(value)) {
    throw new BadUserInputError(
      `Argument "${argument}" must be at most ${MAX_AUDIT_TEXT} printable Latin-1 characters (it is sent as an HTTP header), got ${value.length} characters${/[^\t\x20-\x7e\xa0-\xff]/.test(value) ? ' including others' : ''}.`,
      argument,
    );
  }
}

/** Kill Bill's mutation: recordUsage. */
export const Mutation: MutationResolvers = {
  /** Everything is validated before the subscription is looked up, so bad input costs no upstream call. */
  async recordUsage(_root, { input }, ctx) {
    const id = decodeIdOf(input.subscriptionId, ['Subscription'], 'input.subscriptionId');
    const trackingId = input.trackingId.trim();
    if (!trackingId || trackingId.length > MAX_TRACKING_ID) {
      throw new BadUserInputError(
        `Argument "input.trackingId" must be 1–${MAX_TRACKING_ID} characters, got ${trackingId.length}.`,
        'input.trackingId',
      );
    }
    if (input.units.length === 0)
      throw new BadUserInputError('Argument "input.units" must contain at least one unit type.', 'input.units');
    const records = input.units.reduce((n, unit) => n + unit.records.length, 0);
    if (records > MAX_USAGE_RECORDS) {
      throw new BadUserInputError(
        `Argument "input.units" must carry at most ${MAX_USAGE_RECORDS} records in one call, got ${records}; split them over several trackingIds.`,
        'input.units',
      );
    }
    input.units.forEach((unit, i) => {
      if (!unit.unitType.trim())
        throw new BadUserInputError(`Argument "input.units[${i}].unitType" must not be empty.`, 'input.units');
      if (unit.records.length === 0)
        throw new BadUserInputError(
          `Argument "input.units[${i}].records" must contain at least one record.`,
          'input.units',
        );
      unit.records.forEach((record, j) => {
        if (isNegativeDecimal(record.amount)) {
          throw new BadUserInputError(
            `Argument "input.units[${i}].records[${j}].amount" must not be negative, got "${record.amount}".`,
            'input.units',
          );
        }
      });
    });
    checkAuditText(input.reason, 'input.reason');
    checkAuditText(input.comment, 'input.comment');
    if (!ctx.sources.some((s) => s.id === id.sourceId))
      throw new NotFoundError(`No Subscription has this id: its source "${id.sourceId}" is not configured.`);
    const api = killbillApiOf(ctx.api(id.sourceId));
    if (!api) throw new BadUserInputError(`Source "${id.sourceId}" does not record usage.`, 'input.subscriptionId');
    const subscription = (await api.resolveNode(id)) as SubscriptionModel | null;
    if (!subscription) throw new NotFoundError('No Subscription has this id; it may have been deleted.');
    return api.recordUsage({
      subscription,
      trackingId,
      units: input.units.map((u) => ({
        unitType: u.unitType,
        records: u.records.map((r) => ({ recordDate: r.recordDate, amount: r.amount })),
      })),
      reason: input.reason ?? null,
      comment: input.comment ?? null,
    });
  },
};
