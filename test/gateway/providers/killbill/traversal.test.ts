import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MutationAnswer } from '../../../helpers/harness.js';
import { multiplyDecimals, sumDecimals } from '../../../../src/lib/decimal.js';
import { KILLBILL_DEMO_PRICES } from '../../../../simulators/killbill/index.js';
import { KILLBILL_BIG_UNIT } from '../../../../simulators/killbill/seed.js';
import { KILLBILL_ROUTES, type KillbillSimulator } from '../../../../simulators/killbill/simulator.js';
import { startFullHarness, type FullHarness } from '../../../helpers/harness.js';

const WINDOW = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };
const NOW = Date.parse('2026-12-01T00:00:00Z');

const TRAVERSAL = /* GraphQL */ `
  query Traversal($w: TimeWindow!) {
    accounts(provider: KILLBILL) {
      totalCount
      errors {
        code
      }
      edges {
        node {
          id
          providerId
          name
          provider
          consumption(window: $w) {
            metric
            quantity
            unit
            start
            end
            cost {
              amount
            }
            isFinal
            provider
          }
          subscriptions {
            id
            providerId
            productName
            planName
            state
            productCategory
            billingPeriod
            phaseType
            priceList
            startDate
            billingEndDate
            chargedThroughDate
            usage(window: $w) {
              metric
              quantity
              unit
              start
              end
              cost {
                amount
              }
              isFinal
              provider
              account {
                providerId
              }
              resource {
                id
              }
            }
          }
        }
      }
    }
  }
`;

type Point = { metric: string; quantity: string; unit: string };
const asMap = (points: Pick<Point, 'metric' | 'quantity'>[]) =>
  Object.fromEntries(points.map((p) => [p.metric, p.quantity]));

/** The demo price list's cost of a point: quantity × its unit type's price. */
const demoCost = (p: { metric: string; quantity: string }) => {
  const price = KILLBILL_DEMO_PRICES[p.metric as keyof typeof KILLBILL_DEMO_PRICES];
  return { amount: multiplyDecimals(p.quantity, price.amount), currency: price.currency };
};

describe('Kill Bill traversal account → subscriptions → usage', () => {
  let h: FullHarness;
  let kb: KillbillSimulator;
  beforeAll(async () => {
    h = await startFullHarness({ now: () => NOW });
    kb = h.sims.kb as KillbillSimulator;
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  const subscriptionsOf = (accountId: string) => kb.data.subscriptions.filter((s) => s.accountId === accountId);

  it('returns every usage digit for digit with 1 listing, 1 bundles call per account and 1 usage call per subscription', async () => {
    const res = await h.query(TRAVERSAL, { w: WINDOW });
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    const edges = res.body.data!.accounts.edges;
    expect(edges.map((e) => e.node.providerId)).toEqual(kb.data.accounts.map((a) => a.accountId));
    expect(edges.length).toBeGreaterThanOrEqual(3);

    let subscriptionsSeen = 0;
    for (const { node: account } of edges) {
      expect(account.provider).toBe('KILLBILL');
      expect(account.name).toBe(kb.data.accounts.find((a) => a.accountId === account.providerId)!.name);
      const seeded = subscriptionsOf(account.providerId);
      expect(account.subscriptions.map((s) => s.providerId)).toEqual(seeded.map((s) => s.subscriptionId));
      const perUnit: Record<string, string[]> = {};
      for (const sub of account.subscriptions) {
        subscriptionsSeen++;
        const s = seeded.find((x) => x.subscriptionId === sub.providerId)!;
        expect(sub).toMatchObject({
          productName: s.productName,
          planName: s.planName,
          state: s.state,
          productCategory: s.productCategory,
          billingPeriod: s.billingPeriod,
          phaseType: 'EVERGREEN',
          priceList: 'DEFAULT',
        });
        expect(sub.startDate).toBe(new Date(s.startMs).toISOString().replace('.000Z', 'Z'));
        expect(sub.billingEndDate).toBe(
          s.billingEndMs === null ? null : new Date(s.billingEndMs).toISOString().replace('.000Z', 'Z'),
        );
        const expected = kb.expectedUsage(s.subscriptionId, WINDOW.start, WINDOW.end);
        expect(asMap(sub.usage)).toEqual(expected);
        expect(sub.usage.map((p: Point) => p.metric)).toEqual(Object.keys(expected).sort());
        for (const p of sub.usage) {
          expect(p).toMatchObject({
            start: WINDOW.start,
            end: WINDOW.end,
            unit: p.metric,
            // The demo config prices every seeded unit type (simulators/killbill/index.ts).
            cost: { amount: demoCost(p).amount },
            isFinal: true,
            provider: 'KILLBILL',
            account: { providerId: account.providerId },
            resource: null,
          });
          (perUnit[p.metric] ??= []).push(p.quantity);
        }
      }
      // Account consumption is the exact per-unit sum of its subscriptions.
      const sums = Object.fromEntries(Object.entries(perUnit).map(([u, qs]) => [u, sumDecimals(qs)]));
      expect(Object.fromEntries(account.consumption.map((p: Point) => [p.metric, sumDecimals([p.quantity])]))).toEqual(
        sums,
      );
      for (const p of account.consumption)
        expect(p).toMatchObject({
          start: WINDOW.start,
          end: WINDOW.end,
          unit: p.metric,
          cost: { amount: demoCost(p).amount },
          isFinal: true,
        });
    }
    expect(subscriptionsSeen).toBe(kb.data.subscriptions.length);
    expect(subscriptionsSeen).toBeGreaterThanOrEqual(8);

    expect(kb.count({ route: KILLBILL_ROUTES.accountsPagination })).toBe(1);
    expect(kb.count({ route: KILLBILL_ROUTES.bundles })).toBe(edges.length);
    // Subscription.usage and Account.consumption share one all-unit-types call per subscription.
    expect(kb.count({ route: KILLBILL_ROUTES.usage })).toBe(subscriptionsSeen);
    expect(kb.count({ route: KILLBILL_ROUTES.usageByUnit })).toBe(0);
    expect(kb.requests.length).toBe(1 + edges.length + subscriptionsSeen);
    // A midnight-aligned window is sent as dates, valid for every Kill Bill version.
    for (const r of kb.requests.filter((x) => x.route === KILLBILL_ROUTES.usage))
      expect(r.query).toMatchObject({ startDate: '2026-10-01', endDate: '2026-11-01' });
  });

  it('keeps sums past double precision exact (333333333.333333333 twice)', async () => {
    const res = await h.query(TRAVERSAL, { w: WINDOW });
    const acme = res.body.data!.accounts.edges[0].node;
    const egress = acme.subscriptions[0].usage.find((p: Point) => p.metric === KILLBILL_BIG_UNIT)!.quantity as string;
    expect(egress).toBe(
      kb.expectedUsage(acme.subscriptions[0].providerId, WINDOW.start, WINDOW.end)[KILLBILL_BIG_UNIT],
    );
    expect(egress.startsWith('666')).toBe(true);
    expect(String(Number(egress))).not.toBe(egress);
    const total = acme.consumption.find((p: Point) => p.metric === KILLBILL_BIG_UNIT)!.quantity as string;
    expect(String(Number(total))).not.toBe(total);
  });

  it('a unit type filter is applied locally: three unit types of one subscription cost one usage call', async () => {
    const s = kb.data.subscriptions[0]!;
    const id = (
      await h.query(`{ accounts(provider: KILLBILL, first: 1) { edges { node { subscriptions { id providerId } } } } }`)
    ).body.data!.accounts.edges[0].node.subscriptions[0].id;
    h.resetAll();
    type Usage = { metric: string; quantity: string }[];
    type SubscriptionAnswer = {
      subscription: {
        providerId: string;
        account: { providerId: string; name: string };
        all: Usage;
        calls: Usage;
        egress: Usage;
        none: Usage;
      };
    };
    const res = await h.query<SubscriptionAnswer>(
      /* GraphQL */ `
        query ($id: ID!, $w: TimeWindow!) {
          subscription(id: $id) {
            providerId
            account {
              providerId
              name
            }
            all: usage(window: $w) {
              metric
              quantity
            }
            calls: usage(window: $w, unitType: "api-calls") {
              metric
              quantity
            }
            egress: usage(window: $w, unitType: "egress-gb") {
              metric
              quantity
            }
            none: usage(window: $w, unitType: "no-such-unit") {
              metric
              quantity
            }
          }
        }
      `,
      { id, w: WINDOW },
    );
    expect(res.body.errors).toBeUndefined();
    const sub = res.body.data!.subscription;
    const expected = kb.expectedUsage(s.subscriptionId, WINDOW.start, WINDOW.end);
    expect(sub.providerId).toBe(s.subscriptionId);
    expect(sub.account).toEqual({ providerId: s.accountId, name: kb.data.accounts[0]!.name });
    expect(asMap(sub.all)).toEqual(expected);
    expect(sub.calls).toEqual([{ metric: 'api-calls', quantity: expected['api-calls'] }]);
    expect(sub.egress).toEqual([{ metric: 'egress-gb', quantity: expected['egress-gb'] }]);
    expect(sub.none).toEqual([]);
    expect(kb.count({ route: KILLBILL_ROUTES.usage })).toBe(1);
    // A lookup by id: GET /subscriptions/{id}, and its account by GET /accounts/{id} (no listing).
    expect(kb.count({ route: KILLBILL_ROUTES.getSubscription })).toBe(1);
    expect(kb.count({ route: KILLBILL_ROUTES.getAccount })).toBe(1);
    expect(kb.requests.length).toBe(3);
  });

  it('sends a window that is not midnight-aligned as ISO instants and counts [start, end) exactly', async () => {
    const w = { start: '2026-10-03T12:00:00Z', end: '2026-10-09T06:30:00Z' };
    const s = kb.data.subscriptions[4]!;
    const res = await h.query(
      `query($w: TimeWindow!) { accounts(provider: KILLBILL) { edges { node { subscriptions { providerId usage(window: $w) { metric quantity } } } } } }`,
      { w },
    );
    expect(res.body.errors).toBeUndefined();
    const sub = res.body
      .data!.accounts.edges.flatMap((e) => e.node.subscriptions)
      .find((x) => x.providerId === s.subscriptionId)!;
    expect(asMap(sub.usage)).toEqual(kb.expectedUsage(s.subscriptionId, w.start, w.end));
    expect(Object.keys(asMap(sub.usage)).length).toBeGreaterThan(0);
    const sent = kb.requests.find(
      (r) => r.route === KILLBILL_ROUTES.usage && r.params.subscriptionId === s.subscriptionId,
    )!;
    expect(sent.query).toMatchObject({ startDate: '2026-10-03T12:00:00.000Z', endDate: '2026-10-09T06:30:00.000Z' });
  });

  it('DAY granularity costs one usage call per day per subscription, in local days of the window zone', async () => {
    const w = { start: '2026-10-04T22:00:00Z', end: '2026-10-07T22:00:00Z', timeZone: 'Europe/Madrid' };
    const account = kb.data.accounts[0]!;
    const subs = subscriptionsOf(account.accountId);
    const res = await h.query(
      `query($w: TimeWindow!) { accounts(provider: KILLBILL, first: 1) { edges { node { consumption(window: $w, granularity: DAY) { start end metric quantity } } } } }`,
      { w },
    );
    expect(res.body.errors).toBeUndefined();
    const points = res.body.data!.accounts.edges[0].node.consumption;
    expect(kb.count({ route: KILLBILL_ROUTES.usage })).toBe(3 * subs.length);
    const days = [...new Set(points.map((p) => `${p.start}/${p.end}`))];
    expect(days).toEqual([
      '2026-10-04T22:00:00Z/2026-10-05T22:00:00Z',
      '2026-10-05T22:00:00Z/2026-10-06T22:00:00Z',
      '2026-10-06T22:00:00Z/2026-10-07T22:00:00Z',
    ]);
    for (const p of points) {
      const expected = sumDecimals(
        subs.map((s) => kb.expectedUsage(s.subscriptionId, p.start, p.end)[p.metric] ?? '0'),
      );
      expect(sumDecimals([p.quantity])).toBe(expected);
    }
    expect(points.length).toBeGreaterThanOrEqual(3 * 4);
  });

  it('HOUR granularity is refused for Kill Bill with a message naming DAY', async () => {
    const res = await h.query(
      `query($w: TimeWindow!) { accounts(provider: KILLBILL, first: 1) { edges { node { consumption(window: $w, granularity: HOUR) { quantity } } } } }`,
      {
        w: { start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z' },
      },
    );
    expect(res.body.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors![0]!.message).toMatch(
      /HOUR is finer than Kill Bill reports; use DAY or coarser for source "kb"/,
    );
    expect(kb.count({ route: KILLBILL_ROUTES.usage })).toBe(0);
  });

  it('an unknown subscription id is null with NOT_FOUND', async () => {
    const { encodeId } = await import('../../../../src/lib/ids.js');
    const res = await h.query(`query($id: ID!) { subscription(id: $id) { id } }`, {
      id: encodeId('Subscription', 'kb', '00000000-0000-4000-8000-000000000000'),
    });
    expect(res.body.data!.subscription).toBeNull();
    expect(res.body.errors![0]!).toMatchObject({ path: ['subscription'], extensions: { code: 'NOT_FOUND' } });
  });
});

describe('Kill Bill source options', () => {
  let h: FullHarness;
  let kb: KillbillSimulator;
  beforeAll(async () => {
    h = await startFullHarness({
      now: () => NOW,
      sourceOverrides: {
        kb: {
          options: { pageSize: 3, createdBy: 'ops-bot' },
          prices: {
            'api-calls': { amount: '0.0001', currency: 'USD' },
            'egress-gb': { amount: '0.05', currency: 'USD' },
          },
        },
      },
    });
    kb = h.sims.kb as KillbillSimulator;
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  it('follows X-Killbill-Pagination-NextOffset until the last page', async () => {
    const res = await h.query(`{ accounts(provider: KILLBILL) { totalCount edges { node { providerId } } } }`);
    expect(res.body.data!.accounts.totalCount).toBe(kb.data.accounts.length);
    expect(kb.count({ route: KILLBILL_ROUTES.accountsPagination })).toBe(Math.ceil(kb.data.accounts.length / 3));
    expect(kb.requests.map((r) => r.query.offset)).toEqual(['0', '3']);
  });

  it('sends options.createdBy as X-Killbill-CreatedBy', async () => {
    const { encodeId } = await import('../../../../src/lib/ids.js');
    const s = kb.data.subscriptions[1]!;
    const res = await h.query<MutationAnswer>(
      `mutation($in: RecordUsageInput!) { recordUsage(input: $in) { alreadyRecorded } }`,
      {
        in: {
          subscriptionId: encodeId('Subscription', 'kb', s.subscriptionId),
          trackingId: 'created-by-test',
          units: [{ unitType: 'events', records: [{ recordDate: '2026-11-02T00:00:00Z', amount: '3' }] }],
        },
      },
    );
    expect(res.body.data!.recordUsage.alreadyRecorded).toBe(false);
    expect(kb.recordsWith(s.subscriptionId, 'created-by-test').map((r) => r.createdBy)).toEqual(['ops-bot']);
  });

  it('prices a unit type from the price list; other unit types stay without cost', async () => {
    const res = await h.query(
      `query($w: TimeWindow!) { accounts(provider: KILLBILL, first: 1) { edges { node { cost(window: $w) { amount currency } subscriptions { usage(window: $w) { metric quantity cost { amount currency } } } } } } }`,
      { w: WINDOW },
    );
    expect(res.body.errors).toBeUndefined();
    const account = res.body.data!.accounts.edges[0].node;
    const s = kb.data.subscriptions[0]!;
    const expected = kb.expectedUsage(s.subscriptionId, WINDOW.start, WINDOW.end);
    const usage = account.subscriptions[0].usage;
    expect(usage.find((p) => p.metric === 'api-calls')!.cost).toEqual({
      amount: multiplyDecimals(expected['api-calls']!, '0.0001'),
      currency: 'USD',
    });
    expect(usage.find((p) => p.metric === 'egress-gb')!.cost).toEqual({
      amount: multiplyDecimals(expected['egress-gb']!, '0.05'),
      currency: 'USD',
    });
    expect(usage.find((p) => p.metric === 'storage-gb-day')!.cost).toBeNull();
    const priced = account.subscriptions
      .flatMap((sub) => sub.usage)
      .filter((p) => p.cost)
      .map((p) => p.cost.amount);
    expect(account.cost).toEqual([{ amount: sumDecimals(priced), currency: 'USD' }]);
  });
});
