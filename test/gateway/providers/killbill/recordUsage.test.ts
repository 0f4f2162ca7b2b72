import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MutationAnswer } from '../../../helpers/harness.js';
import { addDecimals } from '../../../../src/lib/decimal.js';
import { encodeId } from '../../../../src/lib/ids.js';
import {
  KILLBILL_ROUTES,
  KILLBILL_SIM_CREDENTIALS,
  type KillbillSimulator,
} from '../../../../simulators/killbill/simulator.js';
import { startFullHarness, type FullHarness } from '../../../helpers/harness.js';

const RECORD = /* GraphQL */ `
  mutation ($in: RecordUsageInput!) {
    recordUsage(input: $in) {
      trackingId
      alreadyRecorded
      subscription {
        id
        providerId
        state
      }
    }
  }
`;
const WINDOW = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

describe('Kill Bill recordUsage', () => {
  let h: FullHarness;
  let kb: KillbillSimulator;
  let n = 0;
  /** A tracking id no other test uses. */
  const freshTrackingId = () => `billgraph-test-${Date.now()}-${++n}`;
  const subscriptionId = (providerId: string) => encodeId('Subscription', 'kb', providerId);

  beforeAll(async () => {
    h = await startFullHarness();
    kb = h.sims.kb as KillbillSimulator;
  });
  afterAll(async () => h?.close());
  beforeEach(() => {
    h.resetAll();
    kb.setInsertDelay(0);
  });

  const posts = () => kb.count({ route: KILLBILL_ROUTES.recordUsage });
  const sub = () => kb.data.subscriptions[0]!;
  /**
   * The seconds of this test's record instants: its own, so reading usage back at an instant sees
   * only this test's records (the seeded daily ones sit on whole hours).
   */
  const ss = () => String(n % 60).padStart(2, '0');
  const input = (trackingId: string, extra: Record<string, unknown> = {}) => ({
    subscriptionId: subscriptionId(sub().subscriptionId),
    trackingId,
    units: [
      {
        unitType: 'egress-gb',
        records: [
          { recordDate: `2026-10-20T00:00:${ss()}Z`, amount: '333333333.333333333' },
          { recordDate: `2026-10-21T08:30:${ss()}+02:00`, amount: '0.000000001' },
        ],
      },
      { unitType: 'api-calls', records: [{ recordDate: `2026-10-20T00:00:${ss()}Z`, amount: '1200' }] },
    ],
    ...extra,
  });
  const usageReads = () => kb.count({ route: KILLBILL_ROUTES.usage });

  it('records once, with exact digits as JSON numbers and the audit headers, and the usage shows it', async () => {
    const before = kb.expectedUsage(sub().subscriptionId, WINDOW.start, WINDOW.end);
    const trackingId = freshTrackingId();
    const res = await h.query<MutationAnswer>(RECORD, {
      in: input(trackingId, { reason: 'late import', comment: 'batch 7' }),
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.recordUsage).toEqual({
      trackingId,
      alreadyRecorded: false,
      subscription: { id: subscriptionId(sub().subscriptionId), providerId: sub().subscriptionId, state: 'ACTIVE' },
    });
    expect(posts()).toBe(1);
    const post = kb.requests.find((r) => r.route === KILLBILL_ROUTES.recordUsage)!;
    expect(post.rawBody).toContain('"amount":333333333.333333333}');
    expect(post.rawBody).toContain('"amount":0.000000001}');
    expect(post.rawBody).toContain(`"recordDate":"2026-10-21T06:30:${ss()}Z"`);
    expect(post.headers).toMatchObject({
      'x-killbill-createdby': 'billgraph',
      'x-killbill-reason': 'late import',
      'x-killbill-comment': 'batch 7',
      'x-killbill-apikey': KILLBILL_SIM_CREDENTIALS.apiKey,
    });
    const stored = kb.recordsWith(sub().subscriptionId, trackingId);
    expect(stored.map((r) => [r.unitType, r.amountLiteral])).toEqual([
      ['egress-gb', '333333333.333333333'],
      ['egress-gb', '0.000000001'],
      ['api-calls', '1200'],
    ]);

    const after = await h.query(
      `query($id: ID!, $w: TimeWindow!) { subscription(id: $id) { usage(window: $w) { metric quantity } } }`,
      { id: subscriptionId(sub().subscriptionId), w: WINDOW },
    );
    const usage = Object.fromEntries(after.body.data!.subscription.usage.map((p) => [p.metric, p.quantity]));
    expect(usage['egress-gb']).toBe(
      addDecimals(addDecimals(before['egress-gb']!, '333333333.333333333'), '0.000000001'),
    );
    expect(usage['api-calls']).toBe(addDecimals(before['api-calls']!, '1200'));
  });

  it('the same trackingId with the same usage again is alreadyRecorded: true, checked by reading the usage back, and nothing is stored twice', async () => {
    const trackingId = freshTrackingId();
    const first = await h.query<MutationAnswer>(RECORD, { in: input(trackingId) });
    expect(first.body.data!.recordUsage.alreadyRecorded).toBe(false);
    expect(usageReads()).toBe(0);
    const again = await h.query<MutationAnswer>(RECORD, { in: input(trackingId) });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data!.recordUsage).toMatchObject({ trackingId, alreadyRecorded: true });
    expect(posts()).toBe(2);
    // One usage read per distinct record instant (2026-10-20T00:00:ss and 2026-10-21T06:30:ss).
    expect(usageReads()).toBe(2);
    expect(kb.recordsWith(sub().subscriptionId, trackingId)).toHaveLength(3);
  });

  it('the same trackingId with a different amount is CONFLICT saying what differs, and nothing new is stored', async () => {
    const trackingId = freshTrackingId();
    await h.query<MutationAnswer>(RECORD, { in: input(trackingId) });
    for (const amount of ['1300', '1100']) {
      const changed = input(trackingId);
      changed.units[1] = { unitType: 'api-calls', records: [{ recordDate: `2026-10-20T00:00:${ss()}Z`, amount }] };
      const res = await h.query<MutationAnswer>(RECORD, { in: changed });
      expect(res.body.data).toBeNull();
      const [error] = res.body.errors!;
      expect(error!.message).toBe(
        `trackingId "${trackingId}" is already recorded on this subscription with different usage: Kill Bill holds 1200 api-calls at 2026-10-20T00:00:${ss()}Z where this request has ${amount}. Nothing was recorded by this request; record new usage under a new trackingId. (Kill Bill compares no payloads; its totals include other trackingIds' records at the same instant.)`,
      );
      expect(error!.extensions).toMatchObject({
        code: 'CONFLICT',
        source: 'kb',
        retryable: false,
        outcome: 'NOT_RECORDED',
        trackingId,
        differences: [
          { unitType: 'api-calls', recordDate: `2026-10-20T00:00:${ss()}Z`, recorded: '1200', requested: amount },
        ],
      });
    }
    expect(posts()).toBe(3);
    expect(kb.recordsWith(sub().subscriptionId, trackingId)).toHaveLength(3);
    expect(kb.recordsWith(sub().subscriptionId, trackingId).find((r) => r.unitType === 'api-calls')).toMatchObject({
      amountLiteral: '1200',
    });
  });

  it('the same trackingId with usage at another date is CONFLICT: Kill Bill holds nothing there', async () => {
    const trackingId = freshTrackingId();
    await h.query<MutationAnswer>(RECORD, { in: input(trackingId) });
    const res = await h.query<MutationAnswer>(RECORD, {
      in: {
        ...input(trackingId),
        units: [{ unitType: 'api-calls', records: [{ recordDate: `2026-10-22T00:00:${ss()}Z`, amount: '5' }] }],
      },
    });
    expect(res.body.errors![0]!.extensions).toMatchObject({
      code: 'CONFLICT',
      differences: [{ unitType: 'api-calls', recordDate: `2026-10-22T00:00:${ss()}Z`, recorded: '0', requested: '5' }],
    });
    expect(kb.recordsWith(sub().subscriptionId, trackingId)).toHaveLength(3);
  });

  it('the same trackingId on another subscription is a new record', async () => {
    const trackingId = freshTrackingId();
    await h.query<MutationAnswer>(RECORD, { in: input(trackingId) });
    const other = kb.data.subscriptions[2]!;
    const res = await h.query<MutationAnswer>(RECORD, {
      in: { ...input(trackingId), subscriptionId: subscriptionId(other.subscriptionId) },
    });
    expect(res.body.data!.recordUsage.alreadyRecorded).toBe(false);
    expect(kb.recordsWith(other.subscriptionId, trackingId)).toHaveLength(3);
  });

  it('a lost response is retried once with the same trackingId: the mutation succeeds and one record is stored', async () => {
    const trackingId = freshTrackingId();
    kb.injectFault({ route: KILLBILL_ROUTES.recordUsage, fault: { kind: 'dropResponse' }, times: 1 });
    const res = await h.query<MutationAnswer>(RECORD, { in: input(trackingId) });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.recordUsage).toMatchObject({ trackingId, alreadyRecorded: false });
    expect(posts()).toBe(2);
    const bodies = kb.requests.filter((r) => r.route === KILLBILL_ROUTES.recordUsage).map((r) => r.rawBody);
    expect(bodies[0]).toBe(bodies[1]);
    expect(kb.recordsWith(sub().subscriptionId, trackingId)).toHaveLength(3);
  });

  it('a lost response whose retry is also lost says the outcome is UNKNOWN and that retrying with the same trackingId is safe (the first attempt stays stored once)', async () => {
    const trackingId = freshTrackingId();
    kb.injectFault({ route: KILLBILL_ROUTES.recordUsage, fault: { kind: 'dropResponse' }, times: 2 });
    const res = await h.query<MutationAnswer>(RECORD, { in: input(trackingId) });
    const [error] = res.body.errors!;
    expect(error!.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      source: 'kb',
      provider: 'KILLBILL',
      retryable: true,
      outcome: 'UNKNOWN',
      trackingId,
    });
    expect(error!.message).toBe(
      `Kill Bill source "kb" lost the connection before answering after the usage for trackingId "${trackingId}" was sent, twice: it may or may not have been recorded. Retrying with the same trackingId is safe: if it was recorded the answer is alreadyRecorded: true, and nothing is stored twice.`,
    );
    expect(posts()).toBe(2);
    expect(kb.recordsWith(sub().subscriptionId, trackingId)).toHaveLength(3);
    // The retry the message promises is safe: the same usage again is alreadyRecorded.
    const retried = await h.query<MutationAnswer>(RECORD, { in: input(trackingId) });
    expect(retried.body.data!.recordUsage).toMatchObject({ trackingId, alreadyRecorded: true });
    expect(kb.recordsWith(sub().subscriptionId, trackingId)).toHaveLength(3);
  });

  it('a write whose answer never comes (a timeout after sending), twice, is UPSTREAM_TIMEOUT with outcome UNKNOWN', async () => {
    const trackingId = freshTrackingId();
    // The simulator holds both POSTs unanswered: from billgraph's side either may have landed.
    kb.injectFault({ route: KILLBILL_ROUTES.recordUsage, fault: { kind: 'timeout' } });
    const res = await h.query<MutationAnswer>(RECORD, { in: input(trackingId) });
    const [error] = res.body.errors!;
    expect(error!.extensions).toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      outcome: 'UNKNOWN',
      trackingId,
      retryable: true,
    });
    expect(error!.message).toBe(
      `Kill Bill source "kb" did not answer in time after the usage for trackingId "${trackingId}" was sent, twice: it may or may not have been recorded. Retrying with the same trackingId is safe: if it was recorded the answer is alreadyRecorded: true, and nothing is stored twice.`,
    );
    expect(posts()).toBe(2);
  });

  it('concurrent duplicate mutations store one record: writes per trackingId are serialised', async () => {
    kb.setInsertDelay(150); // Kill Bill's check-then-insert window
    const trackingId = freshTrackingId();
    const results = await Promise.all([0, 1, 2].map(() => h.query<MutationAnswer>(RECORD, { in: input(trackingId) })));
    for (const r of results) expect(r.body.errors).toBeUndefined();
    expect(results.map((r) => r.body.data!.recordUsage.alreadyRecorded).sort()).toEqual([false, true, true]);
    expect(kb.recordsWith(sub().subscriptionId, trackingId)).toHaveLength(3);
  });

  it('the simulator really races: two concurrent raw POSTs with one trackingId both insert', async () => {
    kb.setInsertDelay(150);
    const trackingId = freshTrackingId();
    const auth = `Basic ${Buffer.from(`${KILLBILL_SIM_CREDENTIALS.username}:${KILLBILL_SIM_CREDENTIALS.password}`).toString('base64')}`;
    const body = `{"subscriptionId":"${sub().subscriptionId}","trackingId":"${trackingId}","unitUsageRecords":[{"unitType":"api-calls","usageRecords":[{"recordDate":"2026-10-20","amount":1}]}]}`;
    const statuses = await Promise.all(
      [0, 1].map(() =>
        fetch(`${kb.url}/1.0/kb/usages`, {
          method: 'POST',
          headers: {
            authorization: auth,
            'x-killbill-apikey': 'bob',
            'x-killbill-apisecret': 'lazar',
            'x-killbill-createdby': 'race',
            'content-type': 'application/json',
          },
          body,
        }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual([201, 201]);
    expect(kb.recordsWith(sub().subscriptionId, trackingId)).toHaveLength(2);
  });

  describe('bad input is BAD_USER_INPUT with zero POSTs', () => {
    const cancelled = () => kb.data.subscriptions.find((s) => s.state === 'CANCELLED')!;
    const unit = (amount: string, recordDate = '2026-10-20T00:00:00Z') => [
      { unitType: 'api-calls', records: [{ recordDate, amount }] },
    ];
    const cases: [string, () => Record<string, unknown>, RegExp][] = [
      [
        'a trackingId of 129 characters',
        () => input('x'.repeat(129)),
        /"input.trackingId" must be 1–128 characters, got 129/,
      ],
      ['a blank trackingId', () => input('   '), /"input.trackingId" must be 1–128 characters, got 0/],
      ['no units', () => ({ ...input('t'), units: [] }), /"input.units" must contain at least one unit type/],
      [
        'more records than one call may carry',
        () => ({
          ...input('t'),
          units: [
            {
              unitType: 'api-calls',
              records: Array.from({ length: 1001 }, () => ({ recordDate: '2026-10-20T00:00:00Z', amount: '1' })),
            },
          ],
        }),
        /"input.units" must carry at most 1000 records in one call, got 1001/,
      ],
      [
        'a unit without records',
        () => ({ ...input('t'), units: [{ unitType: 'api-calls', records: [] }] }),
        /"input.units\[0\].records" must contain at least one record/,
      ],
      [
        'an empty unitType',
        () => ({ ...input('t'), units: [{ unitType: ' ', records: [{ recordDate: WINDOW.start, amount: '1' }] }] }),
        /"input.units\[0\].unitType" must not be empty/,
      ],
      [
        'a negative amount',
        () => ({ ...input('t'), units: unit('-0.5') }),
        /"input.units\[0\].records\[0\].amount" must not be negative, got "-0.5"/,
      ],
      [
        'ten decimals',
        () => ({ ...input('t'), units: unit('1.0000000001') }),
        /at most 9 digits before and 9 after the decimal point \(Kill Bill stores decimal\(18,9\)\), got "1.0000000001"/,
      ],
      [
        'ten integer digits',
        () => ({ ...input('t'), units: unit('1234567890') }),
        /at most 9 digits before and 9 after.*got "1234567890"/,
      ],
      [
        'an amount sent as a float',
        () => ({
          ...input('t'),
          units: [{ unitType: 'api-calls', records: [{ recordDate: WINDOW.start, amount: 0.1 }] }],
        }),
        /Decimal must be sent as a string/,
      ],
      [
        'a recordDate without offset',
        () => ({ ...input('t'), units: unit('1', '2026-10-20T00:00:00') }),
        /DateTime must be an RFC 3339 instant with an offset/,
      ],
      [
        'an Account id',
        () => ({ ...input('t'), subscriptionId: encodeId('Account', 'kb', kb.data.accounts[0]!.accountId) }),
        /"input.subscriptionId" must be a Subscription id, got an Account id/,
      ],
      [
        'a record after a cancelled subscription ended',
        () => ({
          ...input('t'),
          subscriptionId: subscriptionId(cancelled().subscriptionId),
          units: unit('1', '2026-10-25T00:00:00Z'),
        }),
        /"input.units\[0\].records\[0\].recordDate" must not be after the subscription's billing end "2026-10-20T00:00:00Z", got "2026-10-25T00:00:00Z"/,
      ],
    ];
    for (const [name, build, message] of cases) {
      it(name, async () => {
        const res = await h.query<MutationAnswer>(RECORD, { in: build() });
        expect(res.body.errors?.[0]?.extensions?.code, JSON.stringify(res.body)).toBe('BAD_USER_INPUT');
        expect(res.body.errors![0]!.message).toMatch(message);
        expect(posts()).toBe(0);
      });
    }
  });

  it('an unknown subscription is NOT_FOUND with zero POSTs', async () => {
    const res = await h.query<MutationAnswer>(RECORD, {
      in: { ...input(freshTrackingId()), subscriptionId: subscriptionId('00000000-0000-4000-8000-000000000000') },
    });
    expect(res.body.data).toBeNull();
    expect(res.body.errors![0]!).toMatchObject({ path: ['recordUsage'], extensions: { code: 'NOT_FOUND' } });
    expect(kb.count({ route: KILLBILL_ROUTES.getSubscription })).toBe(1);
    expect(posts()).toBe(0);
  });
});
