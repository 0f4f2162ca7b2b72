/**
 * Writes through billgraph drop what they change from the cross-request cache, over HTTP
 * against the real Kill Bill and Hyperstack simulators, counted by the simulators.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MutationAnswer } from '../../helpers/harness.js';
import { addDecimals } from '../../../src/lib/decimal.js';
import { encodeId } from '../../../src/lib/ids.js';
import { KILLBILL_ROUTES, type KillbillSimulator } from '../../../simulators/killbill/simulator.js';
import type { HyperstackSimulator } from '../../../simulators/hyperstack/simulator.js';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
/** Closed months at NOW (over, and past Kill Bill's one-day finality lag). */
const AUGUST = { start: '2026-08-01T00:00:00Z', end: '2026-09-01T00:00:00Z' };
const SEPTEMBER = { start: '2026-09-01T00:00:00Z', end: '2026-10-01T00:00:00Z' };
const OCTOBER = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

const USAGE = /* GraphQL */ `
  query ($id: ID!, $aug: TimeWindow!, $sep: TimeWindow!, $oct: TimeWindow!) {
    subscription(id: $id) {
      aug: usage(window: $aug) {
        metric
        quantity
      }
      sep: usage(window: $sep) {
        metric
        quantity
      }
      oct: usage(window: $oct) {
        metric
        quantity
      }
    }
  }
`;
const RECORD = /* GraphQL */ `
  mutation ($in: RecordUsageInput!) {
    recordUsage(input: $in) {
      trackingId
      alreadyRecorded
    }
  }
`;
const THRESHOLDS = /* GraphQL */ `
  {
    accounts(provider: HYPERSTACK) {
      edges {
        node {
          billingThresholds {
            id
            hoursBefore
            subscribed
          }
        }
      }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateBillingThresholdInput!) {
    updateBillingThreshold(input: $input) {
      id
      subscribed
    }
  }
`;

type Points = { metric: string; quantity: string }[];
/** USAGE's answer: one subscription's usage in three aliased windows. */
type UsageAnswer = { subscription: { aug: Points; sep: Points; oct: Points } };

const quantities = (points: Points) => Object.fromEntries(points.map((p) => [p.metric, p.quantity]));

describe('cache invalidation by writes', () => {
  let h: FullHarness;
  let kb: KillbillSimulator;
  let hs: HyperstackSimulator;
  beforeAll(async () => {
    // Thresholds are state, cached only when a source opts in: this one does, so the PUT has something to drop.
    h = await startFullHarness({ now: () => NOW, sourceOverrides: { hs: { cache: { listTtlSeconds: 300 } } } });
    kb = h.sims.kb as KillbillSimulator;
    hs = h.sims.hs as HyperstackSimulator;
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  const usageCalls = () => kb.count({ route: KILLBILL_ROUTES.usage });

  it('recordUsage drops the cached usage of the windows holding its dates; the others stay cached', async () => {
    const sub = kb.data.subscriptions[0]!;
    const id = encodeId('Subscription', 'kb', sub.subscriptionId);
    const vars = { id, aug: AUGUST, sep: SEPTEMBER, oct: OCTOBER };

    const first = await h.query<UsageAnswer>(USAGE, vars);
    expect(first.body.errors).toBeUndefined();
    expect(usageCalls()).toBe(3);
    kb.resetCounters();
    const cached = await h.query<UsageAnswer>(USAGE, vars);
    expect(cached.body.data).toEqual(first.body.data);
    expect(usageCalls()).toBe(0);

    const before = kb.expectedUsage(sub.subscriptionId, SEPTEMBER.start, SEPTEMBER.end);
    const write = await h.query<MutationAnswer>(RECORD, {
      in: {
        subscriptionId: id,
        trackingId: `cache-test-${Date.now()}`,
        units: [{ unitType: 'api-calls', records: [{ recordDate: '2026-09-15T10:00:00Z', amount: '7' }] }],
      },
    });
    expect(write.body.errors).toBeUndefined();
    expect(write.body.data!.recordUsage.alreadyRecorded).toBe(false);

    kb.resetCounters();
    const after = await h.query<UsageAnswer>(USAGE, vars);
    expect(after.body.errors).toBeUndefined();
    // September holds the record: asked again, and it shows the new record (no stale answer).
    expect(usageCalls()).toBe(1);
    expect(kb.requests.filter((r) => r.route === KILLBILL_ROUTES.usage).map((r) => r.args.startDate)).toEqual([
      '2026-09-01',
    ]);
    expect(quantities(after.body.data!.subscription.sep)['api-calls']).toBe(
      addDecimals(before['api-calls'] ?? '0', '7'),
    );
    expect(quantities(after.body.data!.subscription.sep)).toEqual(
      kb.expectedUsage(sub.subscriptionId, SEPTEMBER.start, SEPTEMBER.end),
    );
    // August and October do not: still answered from the cache, unchanged.
    expect(after.body.data!.subscription.aug).toEqual(first.body.data!.subscription.aug);
    expect(after.body.data!.subscription.oct).toEqual(first.body.data!.subscription.oct);

    kb.resetCounters();
    await h.query<UsageAnswer>(USAGE, vars);
    expect(usageCalls()).toBe(0);
  });

  it("recordUsage on one subscription leaves another subscription's cached usage alone", async () => {
    const [a, b] = [kb.data.subscriptions[1]!, kb.data.subscriptions[2]!];
    const idA = encodeId('Subscription', 'kb', a.subscriptionId);
    const idB = encodeId('Subscription', 'kb', b.subscriptionId);
    const vars = (id: string) => ({ id, aug: AUGUST, sep: SEPTEMBER, oct: OCTOBER });
    await h.query<UsageAnswer>(USAGE, vars(idA));
    await h.query<UsageAnswer>(USAGE, vars(idB));
    await h.query<MutationAnswer>(RECORD, {
      in: {
        subscriptionId: idA,
        trackingId: `cache-test-other-${Date.now()}`,
        units: [{ unitType: 'api-calls', records: [{ recordDate: '2026-09-10T00:00:00Z', amount: '1' }] }],
      },
    });
    kb.resetCounters();
    await h.query<UsageAnswer>(USAGE, vars(idB));
    expect(usageCalls()).toBe(0);
    await h.query<UsageAnswer>(USAGE, vars(idA));
    expect(usageCalls()).toBe(1);
  });

  it('updateBillingThreshold drops the cached thresholds: the next read shows the new state', async () => {
    const list = async () =>
      (await h.query(THRESHOLDS)).body.data!.accounts.edges[0].node.billingThresholds as {
        id: string;
        hoursBefore: number;
        subscribed: boolean;
      }[];
    const thresholdCalls = () => hs.count({ route: 'list_org_notification_thresholds' });
    const initial = await list();
    const t48 = initial.find((t) => t.hoursBefore === 48)!;
    expect(t48.subscribed).toBe(true);
    hs.resetCounters();
    await list();
    expect(thresholdCalls()).toBe(0);

    const off = await h.query<MutationAnswer>(UPDATE, { input: { id: t48.id, subscribe: false } });
    expect(off.body.errors).toBeUndefined();
    hs.resetCounters();
    expect((await list()).find((t) => t.id === t48.id)!.subscribed).toBe(false);
    expect(thresholdCalls()).toBe(1);

    await h.query<MutationAnswer>(UPDATE, { input: { id: t48.id, subscribe: true } });
    expect((await list()).find((t) => t.id === t48.id)!.subscribed).toBe(true);
  });
});
