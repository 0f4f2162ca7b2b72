import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../../src/errors.js';
import type { AuditHeaders, KillbillClient } from '../../../../src/providers/killbill/client.js';
import type { SubscriptionModel } from '../../../../src/providers/killbill/models.js';
import {
  checkRecordsFit,
  differencesFromRecorded,
  jsonNumber,
  KeyedSerialQueue,
  recordOnce,
  usageRecordBody,
  windowHoldsRecords,
  type UsageRecordRequest,
} from '../../../../src/providers/killbill/recordUsage.js';

const SUBSCRIPTION = {
  __typename: 'Subscription',
  id: 'sub-id',
  providerId: 'sub-1',
  source: { id: 'kb', provider: 'KILLBILL', name: 'kb' },
  billingEndDate: null,
} as unknown as SubscriptionModel;

const AUDIT: AuditHeaders = { createdBy: 'billgraph', reason: null, comment: null };

const request = (
  units: UsageRecordRequest['units'],
  subscription: SubscriptionModel = SUBSCRIPTION,
  trackingId = 't-1',
): UsageRecordRequest => ({ subscription, trackingId, units, reason: null, comment: null });

const ONE = request([{ unitType: 'cpu', records: [{ recordDate: '2026-10-05T10:00:00Z', amount: '1.5' }] }]);

const lost = (code: 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_TIMEOUT' = 'UPSTREAM_UNAVAILABLE', upstreamStatus?: number) =>
  new UpstreamError('Kill Bill is unavailable.', code, {
    provider: 'KILLBILL',
    source: 'kb',
    retryable: true,
    ...(upstreamStatus !== undefined ? { upstreamStatus } : {}),
  });

type Answer = 'CREATED' | 'DUPLICATE' | Error;

/** A client whose recordUsage answers in turn and whose usage read answers `held` per unit type (or throws). */
function fakeClient(answers: Answer[], held: Record<string, string> | Error = {}) {
  const calls = { record: [] as string[], usage: [] as [string, string, string][] };
  const client = {
    recordUsage: async (body: string) => {
      calls.record.push(body);
      const answer = answers.shift();
      if (answer === undefined) throw new Error('no more answers');
      if (answer instanceof Error) throw answer;
      return answer;
    },
    usage: async (subscriptionId: string, startDate: string, endDate: string) => {
      calls.usage.push([subscriptionId, startDate, endDate]);
      if (held instanceof Error) throw held;
      return {
        subscriptionId,
        startDate,
        endDate,
        rolledUpUnits: Object.entries(held).map(([unitType, amount]) => ({ unitType, amount })),
      };
    },
  };
  return { client: client as unknown as KillbillClient, calls };
}

describe('jsonNumber', () => {
  it('keeps every digit and drops leading zeros JSON forbids', () => {
    expect(jsonNumber('333333333.333333333')).toBe('333333333.333333333');
    expect(jsonNumber('007.50')).toBe('7.50');
    expect(jsonNumber('-00.1')).toBe('-0.1');
    expect(jsonNumber('0')).toBe('0');
  });

  it('refuses what is not a plain decimal literal', () => {
    expect(() => jsonNumber('1e3')).toThrow('Expected a plain decimal literal, got "1e3".');
    expect(() => jsonNumber('.5')).toThrow('Expected a plain decimal literal, got ".5".');
  });
});

describe('usageRecordBody', () => {
  it('is Kill Bill’s SubscriptionUsageRecord with amounts as JSON numbers holding every digit', () => {
    const body = usageRecordBody('sub-1', 't-"1"', [
      { unitType: 'cpu', records: [{ recordDate: '2026-10-05T10:00:00Z', amount: '333333333.333333333' }] },
      { unitType: 'gpu', records: [] },
    ]);
    expect(body).toBe(
      '{"subscriptionId":"sub-1","trackingId":"t-\\"1\\"","unitUsageRecords":[' +
        '{"unitType":"cpu","usageRecords":[{"recordDate":"2026-10-05T10:00:00Z","amount":333333333.333333333}]},' +
        '{"unitType":"gpu","usageRecords":[]}]}',
    );
  });
});

describe('checkRecordsFit', () => {
  it('accepts amounts of up to 9 digits either side of the point, trailing and leading zeros not counted', () => {
    expect(() =>
      checkRecordsFit(
        request([
          { unitType: 'cpu', records: [{ recordDate: '2026-10-05T10:00:00Z', amount: '-000999999999.123456789000' }] },
        ]),
      ),
    ).not.toThrow();
  });

  it('refuses a 10th integer digit, naming the record and the amount', () => {
    const r = request([
      { unitType: 'cpu', records: [{ recordDate: '2026-10-05T10:00:00Z', amount: '1' }] },
      {
        unitType: 'gpu',
        records: [
          { recordDate: '2026-10-05T10:00:00Z', amount: '1' },
          { recordDate: '2026-10-05T10:00:00Z', amount: '1234567890' },
        ],
      },
    ]);
    expect(() => checkRecordsFit(r)).toThrow(
      expect.objectContaining({
        message:
          'Argument "input.units[1].records[1].amount" must have at most 9 digits before and 9 after the decimal point (Kill Bill stores decimal(18,9)), got "1234567890".',
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'input.units' },
      }),
    );
  });

  it('refuses a 10th fraction digit', () => {
    expect(() =>
      checkRecordsFit(
        request([{ unitType: 'cpu', records: [{ recordDate: '2026-10-05T10:00:00Z', amount: '0.1234567891' }] }]),
      ),
    ).toThrow('Argument "input.units[0].records[0].amount" must have at most 9 digits');
  });

  it('refuses a record after the subscription’s billing end, and accepts one at it', () => {
    const ending = { ...SUBSCRIPTION, billingEndDate: '2026-10-31T00:00:00Z' };
    const at = (recordDate: string) => request([{ unitType: 'cpu', records: [{ recordDate, amount: '1' }] }], ending);
    expect(() => checkRecordsFit(at('2026-10-31T00:00:00Z'))).not.toThrow();
    expect(() => checkRecordsFit(at('2026-10-31T00:00:01Z'))).toThrow(
      'Argument "input.units[0].records[0].recordDate" must not be after the subscription\'s billing end "2026-10-31T00:00:00Z", got "2026-10-31T00:00:01Z".',
    );
  });
});

describe('windowHoldsRecords', () => {
  it('drops windows within a day either side of a record’s UTC day, and no others', () => {
    // The record's UTC day is 2026-10-05.
    expect(windowHoldsRecords(ONE, '2026-10-05', '2026-10-06')).toBe(true);
    expect(windowHoldsRecords(ONE, '2026-10-06', '2026-10-07')).toBe(true);
    expect(windowHoldsRecords(ONE, '2026-10-04', '2026-10-05')).toBe(true);
    expect(windowHoldsRecords(ONE, '2026-10-07', '2026-10-08')).toBe(false);
    expect(windowHoldsRecords(ONE, '2026-10-01', '2026-10-04')).toBe(false);
  });

  it('drops every window when a date cannot be read', () => {
    expect(windowHoldsRecords(ONE, 'soon', '2026-10-08')).toBe(true);
    const unreadable = request([{ unitType: 'cpu', records: [{ recordDate: 'yesterday', amount: '1' }] }]);
    expect(windowHoldsRecords(unreadable, '2020-01-01', '2020-01-02')).toBe(true);
  });
});

describe('KeyedSerialQueue', () => {
  it('runs tasks of one key one after another and forgets the key when they are done', async () => {
    const queue = new KeyedSerialQueue();
    const order: string[] = [];
    let release!: () => void;
    const first = queue.run('k', async () => {
      order.push('first starts');
      await new Promise<void>((resolve) => (release = resolve));
      order.push('first ends');
      return 1;
    });
    const second = queue.run('k', async () => {
      order.push('second starts');
      return 2;
    });
    const other = queue.run('other', async () => {
      order.push('other runs');
      return 3;
    });
    expect(queue.size).toBe(2);
    expect(await other).toBe(3);
    release();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(order).toEqual(['first starts', 'other runs', 'first ends', 'second starts']);
    // The keys are forgotten once their tails have settled (a few microtasks later).
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(queue.size).toBe(0);
  });

  it('runs the next task of a key after the previous one failed', async () => {
    const queue = new KeyedSerialQueue();
    const failed = queue.run('k', () => Promise.reject(new Error('boom')));
    const next = queue.run('k', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('ran');
  });
});

describe('differencesFromRecorded', () => {
  it('reads each distinct instant once over [instant, instant + 1 s) and lists totals that differ, sorted', async () => {
    const r = request([
      {
        unitType: 'cpu',
        records: [
          { recordDate: '2026-10-05T10:00:00Z', amount: '1.5' },
          { recordDate: '2026-10-05T10:00:00Z', amount: '0.5' },
        ],
      },
      { unitType: 'gpu', records: [{ recordDate: '2026-10-05T10:00:00Z', amount: '3' }] },
    ]);
    const { client, calls } = fakeClient([], { cpu: '2.0', gpu: '2.999' });
    expect(await differencesFromRecorded(client, r)).toEqual([
      { unitType: 'gpu', recordDate: '2026-10-05T10:00:00Z', recorded: '2.999', requested: '3' },
    ]);
    expect(calls.usage).toEqual([['sub-1', '2026-10-05T10:00:00.000Z', '2026-10-05T10:00:01.000Z']]);
  });

  it('counts a unit type Kill Bill does not hold as recorded 0', async () => {
    const { client } = fakeClient([], {});
    expect(await differencesFromRecorded(client, ONE)).toEqual([
      { unitType: 'cpu', recordDate: '2026-10-05T10:00:00Z', recorded: '0', requested: '1.5' },
    ]);
  });
});

describe('recordOnce', () => {
  it('is false (newly recorded) when Kill Bill creates the record, sending the exact body once', async () => {
    const { client, calls } = fakeClient(['CREATED']);
    expect(await recordOnce(client, new KeyedSerialQueue(), ONE, AUDIT, 'kb')).toBe(false);
    expect(calls.record).toEqual([usageRecordBody('sub-1', 't-1', ONE.units)]);
    expect(calls.usage).toEqual([]);
  });

  it('is true (already recorded) for a duplicate trackingId whose usage Kill Bill holds', async () => {
    const { client, calls } = fakeClient(['DUPLICATE'], { cpu: '1.50' });
    expect(await recordOnce(client, new KeyedSerialQueue(), ONE, AUDIT, 'kb')).toBe(true);
    expect(calls.record).toHaveLength(1);
  });

  it('is CONFLICT, outcome NOT_RECORDED, for a duplicate trackingId with different usage', async () => {
    const { client } = fakeClient(['DUPLICATE'], { cpu: '2' });
    await expect(recordOnce(client, new KeyedSerialQueue(), ONE, AUDIT, 'kb')).rejects.toMatchObject({
      message:
        'trackingId "t-1" is already recorded on this subscription with different usage: Kill Bill holds 2 cpu at 2026-10-05T10:00:00Z where this request has 1.5. Nothing was recorded by this request; record new usage under a new trackingId. (Kill Bill compares no payloads; its totals include other trackingIds\' records at the same instant.)',
      extensions: {
        code: 'CONFLICT',
        provider: 'KILLBILL',
        source: 'kb',
        retryable: false,
        outcome: 'NOT_RECORDED',
        trackingId: 't-1',
        differences: [{ unitType: 'cpu', recordDate: '2026-10-05T10:00:00Z', recorded: '2', requested: '1.5' }],
      },
    });
  });

  it('counts the further differences in the CONFLICT message', async () => {
    const r = request([
      { unitType: 'a', records: [{ recordDate: '2026-10-05T10:00:00Z', amount: '1' }] },
      { unitType: 'b', records: [{ recordDate: '2026-10-05T10:00:00Z', amount: '1' }] },
      { unitType: 'c', records: [{ recordDate: '2026-10-05T10:00:00Z', amount: '1' }] },
    ]);
    const { client } = fakeClient(['DUPLICATE'], {});
    await expect(recordOnce(client, new KeyedSerialQueue(), r, AUDIT, 'kb')).rejects.toThrow(
      'Kill Bill holds 0 a at 2026-10-05T10:00:00Z where this request has 1 (and 2 more differences).',
    );
  });

  it('is UNKNOWN and retryable when the duplicate’s usage cannot be read back', async () => {
    const { client, calls } = fakeClient(['DUPLICATE'], lost('UPSTREAM_UNAVAILABLE', 503));
    await expect(recordOnce(client, new KeyedSerialQueue(), ONE, AUDIT, 'kb')).rejects.toMatchObject({
      message:
        'Kill Bill source "kb" already holds trackingId "t-1" on this subscription, but reading its usage back to compare with this request failed (UPSTREAM_UNAVAILABLE): whether it holds this usage is unknown. Retrying with the same trackingId is safe.',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', retryable: true, outcome: 'UNKNOWN', trackingId: 't-1' },
    });
    expect(calls.record).toHaveLength(1);
  });

  // The read-back's error was once thrown inside the try that catches a lost POST answer, so a
  // read-back that timed out (no HTTP status) was taken for a lost answer of the POST and sent again.
  it('does not resend the usage when the duplicate’s read-back times out', async () => {
    const { client, calls } = fakeClient(['DUPLICATE', 'DUPLICATE'], lost('UPSTREAM_TIMEOUT'));
    await expect(recordOnce(client, new KeyedSerialQueue(), ONE, AUDIT, 'kb')).rejects.toMatchObject({
      message:
        'Kill Bill source "kb" already holds trackingId "t-1" on this subscription, but reading its usage back to compare with this request failed (UPSTREAM_TIMEOUT): whether it holds this usage is unknown. Retrying with the same trackingId is safe.',
    });
    expect(calls.record).toHaveLength(1);
  });

  it('resends once after a lost answer and is false when the resend creates the record', async () => {
    const { client, calls } = fakeClient([lost(), 'CREATED']);
    expect(await recordOnce(client, new KeyedSerialQueue(), ONE, AUDIT, 'kb')).toBe(false);
    expect(calls.record).toHaveLength(2);
    expect(calls.record[0]).toBe(calls.record[1]);
  });

  it('is false after a lost answer when the resend is a duplicate holding this usage: the first attempt was ours', async () => {
    const { client } = fakeClient([lost('UPSTREAM_TIMEOUT'), 'DUPLICATE'], { cpu: '1.5' });
    expect(await recordOnce(client, new KeyedSerialQueue(), ONE, AUDIT, 'kb')).toBe(false);
  });

  it('is CONFLICT after a lost answer when the resend is a duplicate holding other usage', async () => {
    const { client } = fakeClient([lost(), 'DUPLICATE'], { cpu: '9' });
    await expect(recordOnce(client, new KeyedSerialQueue(), ONE, AUDIT, 'kb')).rejects.toMatchObject({
      extensions: { code: 'CONFLICT', outcome: 'NOT_RECORDED' },
    });
  });

  it('is outcome UNKNOWN, retryable, with the first loss’s code, when the resend fails too', async () => {
    const { client, calls } = fakeClient([lost('UPSTREAM_TIMEOUT'), lost('UPSTREAM_UNAVAILABLE')]);
    await expect(recordOnce(client, new KeyedSerialQueue(), ONE, AUDIT, 'kb')).rejects.toMatchObject({
      message:
        'Kill Bill source "kb" did not answer in time after the usage for trackingId "t-1" was sent, twice: it may or may not have been recorded. Retrying with the same trackingId is safe: if it was recorded the answer is alreadyRecorded: true, and nothing is stored twice.',
      extensions: {
        code: 'UPSTREAM_TIMEOUT',
        provider: 'KILLBILL',
        source: 'kb',
        retryable: true,
        outcome: 'UNKNOWN',
        trackingId: 't-1',
      },
    });
    expect(calls.record).toHaveLength(2);
  });

  it('says the connection was lost when the lost answer was UPSTREAM_UNAVAILABLE', async () => {
    const { client } = fakeClient([lost(), new Error('reset')]);
    await expect(recordOnce(client, new KeyedSerialQueue(), ONE, AUDIT, 'kb')).rejects.toThrow(
      'Kill Bill source "kb" lost the connection before answering after the usage for trackingId "t-1" was sent, twice',
    );
  });

  it('does not resend after an HTTP answer (an upstream status) or another error code', async () => {
    const answered = fakeClient([lost('UPSTREAM_UNAVAILABLE', 503)]);
    await expect(recordOnce(answered.client, new KeyedSerialQueue(), ONE, AUDIT, 'kb')).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 },
    });
    expect(answered.calls.record).toHaveLength(1);
    const auth = new UpstreamError('Kill Bill refused the credentials.', 'UPSTREAM_AUTH_FAILED', {
      provider: 'KILLBILL',
      source: 'kb',
      retryable: false,
    });
    const refused = fakeClient([auth]);
    await expect(recordOnce(refused.client, new KeyedSerialQueue(), ONE, AUDIT, 'kb')).rejects.toBe(auth);
    expect(refused.calls.record).toHaveLength(1);
  });

  it('serialises writes of one subscription and trackingId: the second sees the first’s record', async () => {
    const recorded: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const client = {
      recordUsage: async () => {
        const answer = recorded.length === 0 ? 'CREATED' : 'DUPLICATE';
        recorded.push(answer);
        if (answer === 'CREATED') await gate;
        return answer;
      },
      usage: async () => ({ subscriptionId: 'sub-1', rolledUpUnits: [{ unitType: 'cpu', amount: '1.5' }] }),
    } as unknown as KillbillClient;
    const queue = new KeyedSerialQueue();
    const first = recordOnce(client, queue, ONE, AUDIT, 'kb');
    const second = recordOnce(client, queue, ONE, AUDIT, 'kb');
    await Promise.resolve();
    expect(recorded).toEqual(['CREATED']);
    release();
    expect(await Promise.all([first, second])).toEqual([false, true]);
  });
});
