import { describe, expect, it } from 'vitest';
import { BadUserInputError, NotFoundError } from '../../../../../src/errors.js';
import type { RecordUsageInput } from '../../../../../src/generated/resolvers.js';
import { encodeId, type DecodedId } from '../../../../../src/lib/ids.js';
import type { NodeModel } from '../../../../../src/models.js';
import { KillbillApi } from '../../../../../src/providers/killbill/api.js';
import type { RecordUsagePayloadModel, SubscriptionModel } from '../../../../../src/providers/killbill/models.js';
import type { UsageRecordRequest } from '../../../../../src/providers/killbill/recordUsage.js';
import { MAX_USAGE_RECORDS, Mutation } from '../../../../../src/providers/killbill/resolvers/Mutation.js';
import { contextOf, emptyApi, resolverFn } from '../../../helpers/context.js';

const SUBSCRIPTION_ID = '1d0d0a70-0000-4000-8000-000000000001';
const recordUsage = resolverFn(Mutation.recordUsage);

/**
 * A Kill Bill source "kb" (a KillbillApi, so killbillApiOf recognises it) that knows one
 * subscription and records what it is asked, beside an OpenvCloud source "g8". No upstream.
 */
function sources() {
  const resolved: DecodedId[] = [];
  const written: UsageRecordRequest[] = [];
  const known: { subscription?: SubscriptionModel } = {};
  const kb = Object.assign(Object.create(KillbillApi.prototype) as KillbillApi, {
    resolveNode: async (id: DecodedId): Promise<NodeModel | null> => {
      resolved.push(id);
      return id.parts[0] === SUBSCRIPTION_ID ? (known.subscription as NodeModel) : null;
    },
    recordUsage: async (request: UsageRecordRequest): Promise<RecordUsagePayloadModel> => {
      written.push(request);
      return { subscription: request.subscription, trackingId: request.trackingId, alreadyRecorded: false };
    },
  });
  const { ctx, source } = contextOf([
    { id: 'kb', provider: 'KILLBILL', api: kb },
    { id: 'g8', provider: 'OPENVCLOUD', api: emptyApi() },
  ]);
  const subscription = {
    __typename: 'Subscription',
    source: source('kb'),
    providerId: SUBSCRIPTION_ID,
  } as SubscriptionModel;
  known.subscription = subscription;
  return { ctx, resolved, written, subscription };
}

const input = (overrides: Partial<RecordUsageInput> = {}): RecordUsageInput => ({
  subscriptionId: encodeId('Subscription', 'kb', SUBSCRIPTION_ID),
  trackingId: 'meter-2026-10-31',
  units: [{ unitType: 'api-calls', records: [{ recordDate: '2026-10-31T12:00:00Z', amount: '12.5' }] }],
  ...overrides,
});

/** Records a call with this input; expects BAD_USER_INPUT with exactly `message` and `argument`, and no upstream call. */
async function expectRefused(overrides: Partial<RecordUsageInput>, message: string, argument: string) {
  const { ctx, resolved, written } = sources();
  const failure = recordUsage({}, { input: input(overrides) }, ctx);
  await expect(failure).rejects.toBeInstanceOf(BadUserInputError);
  await expect(failure).rejects.toMatchObject({
    message,
    extensions: { code: 'BAD_USER_INPUT', argumentName: argument },
  });
  expect(resolved).toEqual([]);
  expect(written).toEqual([]);
}

describe('Mutation.recordUsage', () => {
  it('looks the subscription up and records the usage, with reason and comment null when absent', async () => {
    const { ctx, resolved, written, subscription } = sources();
    const payload = await recordUsage({}, { input: input() }, ctx);
    expect(payload).toEqual({ subscription, trackingId: 'meter-2026-10-31', alreadyRecorded: false });
    expect(resolved).toEqual([{ kind: 'Subscription', sourceId: 'kb', parts: [SUBSCRIPTION_ID] }]);
    expect(written).toEqual([
      {
        subscription,
        trackingId: 'meter-2026-10-31',
        units: [{ unitType: 'api-calls', records: [{ recordDate: '2026-10-31T12:00:00Z', amount: '12.5' }] }],
        reason: null,
        comment: null,
      },
    ]);
  });

  it('trims the trackingId and passes the audit reason and comment on', async () => {
    const { ctx, written } = sources();
    await recordUsage({}, { input: input({ trackingId: '  t-1 \t', reason: 'Backfill', comment: 'Réglé\tok' }) }, ctx);
    expect(written.map((w) => [w.trackingId, w.reason, w.comment])).toEqual([['t-1', 'Backfill', 'Réglé\tok']]);
  });

  it('accepts exactly MAX_USAGE_RECORDS records spread over units, and a zero amount', async () => {
    const { ctx, written } = sources();
    const records = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ recordDate: '2026-10-31T12:00:00Z', amount: i === 0 ? '0' : '1' }));
    expect(MAX_USAGE_RECORDS).toBe(1000);
    await recordUsage(
      {},
      {
        input: input({
          units: [
            { unitType: 'a', records: records(600) },
            { unitType: 'b', records: records(400) },
          ],
        }),
      },
      ctx,
    );
    expect(written[0]!.units.map((u) => u.records.length)).toEqual([600, 400]);
  });

  it('refuses an id of another kind, naming the argument', async () => {
    await expectRefused(
      { subscriptionId: encodeId('Account', 'kb', SUBSCRIPTION_ID) },
      'Argument "input.subscriptionId" must be a Subscription id, got an Account id.',
      'input.subscriptionId',
    );
  });

  it('refuses a blank trackingId, and one longer than 128 characters after trimming', async () => {
    await expectRefused(
      { trackingId: '   ' },
      'Argument "input.trackingId" must be 1–128 characters, got 0.',
      'input.trackingId',
    );
    await expectRefused(
      { trackingId: 'x'.repeat(129) },
      'Argument "input.trackingId" must be 1–128 characters, got 129.',
      'input.trackingId',
    );
  });

  it('accepts a trackingId of 128 characters', async () => {
    const { ctx, written } = sources();
    await recordUsage({}, { input: input({ trackingId: ` ${'x'.repeat(128)} ` }) }, ctx);
    expect(written[0]!.trackingId).toHaveLength(128);
  });

  it('refuses no units at all', async () => {
    await expectRefused({ units: [] }, 'Argument "input.units" must contain at least one unit type.', 'input.units');
  });

  it('refuses more than MAX_USAGE_RECORDS records in one call, counted over every unit', async () => {
    const records = (n: number) =>
      Array.from({ length: n }, () => ({ recordDate: '2026-10-31T12:00:00Z', amount: '1' }));
    await expectRefused(
      {
        units: [
          { unitType: 'a', records: records(600) },
          { unitType: 'b', records: records(401) },
        ],
      },
      'Argument "input.units" must carry at most 1000 records in one call, got 1001; split them over several trackingIds.',
      'input.units',
    );
  });

  it('refuses a blank unitType, naming its index', async () => {
    await expectRefused(
      {
        units: [
          { unitType: 'a', records: [{ recordDate: '2026-10-31T12:00:00Z', amount: '1' }] },
          { unitType: ' ', records: [{ recordDate: '2026-10-31T12:00:00Z', amount: '1' }] },
        ],
      },
      'Argument "input.units[1].unitType" must not be empty.',
      'input.units',
    );
  });

  it('refuses a unit without records, naming its index', async () => {
    await expectRefused(
      { units: [{ unitType: 'a', records: [] }] },
      'Argument "input.units[0].records" must contain at least one record.',
      'input.units',
    );
  });

  it('refuses a negative amount, naming the record and quoting the amount', async () => {
    await expectRefused(
      {
        units: [
          {
            unitType: 'a',
            records: [
              { recordDate: '2026-10-31T12:00:00Z', amount: '3' },
              { recordDate: '2026-10-31T13:00:00Z', amount: '-0.5' },
            ],
          },
        ],
      },
      'Argument "input.units[0].records[1].amount" must not be negative, got "-0.5".',
      'input.units',
    );
  });

  it('refuses a reason longer than 255 characters, since it travels as an HTTP header', async () => {
    await expectRefused(
      { reason: 'r'.repeat(256) },
      'Argument "input.reason" must be at most 255 printable Latin-1 characters (it is sent as an HTTP header), got 256 characters.',
      'input.reason',
    );
  });

  it('refuses a comment with a line break or characters beyond Latin-1, saying so', async () => {
    await expectRefused(
      { comment: 'one\ntwo' },
      'Argument "input.comment" must be at most 255 printable Latin-1 characters (it is sent as an HTTP header), got 7 characters including others.',
      'input.comment',
    );
    await expectRefused(
      { comment: 'ok 👍' },
      'Argument "input.comment" must be at most 255 printable Latin-1 characters (it is sent as an HTTP header), got 5 characters including others.',
      'input.comment',
    );
  });

  it('accepts a reason of exactly 255 Latin-1 characters', async () => {
    const { ctx, written } = sources();
    await recordUsage({}, { input: input({ reason: 'é'.repeat(255) }) }, ctx);
    expect(written[0]!.reason).toBe('é'.repeat(255));
  });

  it('is NOT_FOUND when the id’s source is not configured', async () => {
    const { ctx, resolved } = sources();
    const failure = recordUsage({}, { input: input({ subscriptionId: encodeId('Subscription', 'old', 'x') }) }, ctx);
    await expect(failure).rejects.toBeInstanceOf(NotFoundError);
    await expect(failure).rejects.toThrow('No Subscription has this id: its source "old" is not configured.');
    expect(resolved).toEqual([]);
  });

  it('refuses a subscription id minted for a source that does not record usage', async () => {
    await expectRefused(
      { subscriptionId: encodeId('Subscription', 'g8', 'x') },
      'Source "g8" does not record usage.',
      'input.subscriptionId',
    );
  });

  it('is NOT_FOUND, writing nothing, when the subscription no longer exists', async () => {
    const { ctx, written } = sources();
    const failure = recordUsage(
      {},
      { input: input({ subscriptionId: encodeId('Subscription', 'kb', '1d0d0a70-0000-4000-8000-00000000dead') }) },
      ctx,
    );
    await expect(failure).rejects.toMatchObject({
      message: 'No Subscription has this id; it may have been deleted.',
      extensions: { code: 'NOT_FOUND' },
    });
    expect(written).toEqual([]);
  });

  it('checks every argument before the source: bad input to an unconfigured source is still BAD_USER_INPUT', async () => {
    await expectRefused(
      { subscriptionId: encodeId('Subscription', 'old', 'x'), trackingId: '' },
      'Argument "input.trackingId" must be 1–128 characters, got 0.',
      'input.trackingId',
    );
  });
});
