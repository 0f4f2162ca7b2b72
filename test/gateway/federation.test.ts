import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sumDecimals } from '../../src/lib/decimal.js';
import type { CivitaiSimulator } from '../../simulators/civitai/simulator.js';
import type { KillbillSimulator } from '../../simulators/killbill/simulator.js';
import type { OpenvcloudSimulator } from '../../simulators/openvcloud/simulator.js';
import type { TheirstackSimulator } from '../../simulators/theirstack/simulator.js';
import { sec, startFullHarness, type FullHarness } from '../helpers/harness.js';

const WINDOW = { start: '2026-10-01T00:00:00Z', end: '2026-10-08T00:00:00Z' };

const FEDERATED = /* GraphQL */ `
  query Federated($w: TimeWindow!) {
    accounts(first: 500) {
      errors {
        source {
          id
        }
        code
      }
      edges {
        node {
          provider
          providerId
          source {
            id
          }
          consumption(window: $w) {
            metric
            quantity
            unit
            cost {
              amount
              currency
            }
          }
          cost(window: $w) {
            amount
            currency
          }
          cloudspaces {
            machines {
              providerId
              consumption(window: $w) {
                metric
                quantity
              }
            }
          }
          subscriptions {
            providerId
            usage(window: $w) {
              metric
              quantity
            }
          }
        }
      }
    }
  }
`;

type Point = { metric: string; quantity: string; unit: string; cost: { amount: string; currency: string } | null };
const byMetric = (points: { metric: string; quantity: string }[]) =>
  Object.fromEntries(points.map((p) => [p.metric, p.quantity]));

describe('one query across OpenvCloud, Kill Bill, Civitai and TheirStack', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness();
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  it("returns every source's numbers exactly, with the documented upstream calls per simulator", async () => {
    const res = await h.query(FEDERATED, { w: WINDOW });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.accounts.errors).toEqual([]);
    const nodes = res.body.data!.accounts.edges.map((e) => e.node);
    const of = (sourceId: string) => nodes.filter((n) => n.source.id === sourceId);

    // OpenvCloud: each account, cloudspace machine, exact digits.
    const g8 = h.sims.g8 as OpenvcloudSimulator;
    for (const account of of('g8')) {
      const tree = g8.expectedCalculate(Number(account.providerId), sec(WINDOW.start), sec(WINDOW.end)).account;
      expect(byMetric(account.consumption)).toEqual(tree.consumption);
      const machines = Object.values(tree.cloudspaces).flatMap((cs) => Object.values(cs.machines));
      for (const m of account.cloudspaces.flatMap((cs) => cs.machines)) {
        expect(byMetric(m.consumption)).toEqual(machines.find((x) => String(x.id) === m.providerId)?.consumption ?? {});
      }
    }

    // Kill Bill: every subscription's usage, and the account as the exact sum of its subscriptions.
    const kb = h.sims.kb as KillbillSimulator;
    let subscriptions = 0;
    for (const account of of('kb')) {
      const sums = new Map<string, string[]>();
      for (const sub of account.subscriptions) {
        subscriptions++;
        const expected = kb.expectedUsage(sub.providerId, WINDOW.start, WINDOW.end);
        expect(byMetric(sub.usage)).toEqual(expected);
        for (const [unit, amount] of Object.entries(expected)) sums.set(unit, [...(sums.get(unit) ?? []), amount]);
      }
      expect(byMetric(account.consumption)).toEqual(
        Object.fromEntries([...sums].map(([unit, list]) => [unit, sumDecimals(list)])),
      );
    }
    expect(subscriptions).toBeGreaterThanOrEqual(3);

    // Civitai: images and Buzz for the window.
    const civitai = h.sims.civitai as CivitaiSimulator;
    const [civitaiAccount] = of('civitai');
    const expectedCivitai = civitai.expectedConsumption(Date.parse(WINDOW.start), Date.parse(WINDOW.end));
    expect(civitaiAccount.consumption).toHaveLength(1);
    expect(civitaiAccount.consumption[0].quantity).toBe(String(expectedCivitai.images));
    expect(civitaiAccount.cost).toEqual([{ amount: expectedCivitai.totalCost, currency: 'BUZZ' }]);

    // TheirStack: daily credits summed exactly, in CREDITS.
    const theirstack = h.sims.theirstack as TheirstackSimulator;
    const [theirstackAccount] = of('theirstack');
    const days = theirstack.expectedDays(Date.parse(WINDOW.start), Date.parse(WINDOW.end), 'UTC');
    expect(days).toHaveLength(7);
    expect(byMetric(theirstackAccount.consumption)).toEqual({
      api_credits: sumDecimals(days.map((d) => d.api)),
      ui_credits: sumDecimals(days.map((d) => d.ui)),
    });
    expect(theirstackAccount.consumption.every((p: Point) => p.cost?.currency === 'CREDITS')).toBe(true);

    // Upstream calls, per simulator.
    expect(g8.count({ route: 'billing/calculate' })).toBe(of('g8').length);
    expect(g8.count({ route: 'accounts/list' })).toBe(1);
    expect(kb.count({ route: 'accounts/pagination' })).toBe(1);
    expect(kb.count({ route: 'accounts/bundles' })).toBe(of('kb').length);
    expect(kb.count({ route: 'usages/get' })).toBe(subscriptions);
    expect(kb.count({ route: 'usages/getByUnit' })).toBe(0);
    expect(civitai.count({ route: 'consumer/consumption' })).toBe(1);
    expect(civitai.requests).toHaveLength(1);
    expect(theirstack.count({ route: 'teams/credits_consumption' })).toBe(1);
    expect(theirstack.requests).toHaveLength(1);
  });

  it('one failing source nulls only its own fields; the other three still answer exactly', async () => {
    h.sims.civitai!.injectFault({ fault: { kind: 'status', status: 500 } });
    h.sims.kb!.injectFault({ route: 'usages/get', fault: { kind: 'rateLimit', retryAfterSeconds: 30 } });
    const res = await h.query(FEDERATED, { w: WINDOW });
    const nodes = res.body.data!.accounts.edges.map((e) => e.node);
    const civitaiAccount = nodes.find((n) => n.source.id === 'civitai')!;
    expect(civitaiAccount.consumption).toBeNull();
    expect(civitaiAccount.cost).toBeNull();
    for (const kbAccount of nodes.filter((n) => n.source.id === 'kb')) {
      expect(kbAccount.consumption).toBeNull();
      for (const sub of kbAccount.subscriptions) expect(sub.usage).toBeNull();
    }
    for (const n of nodes.filter((n) => n.source.id === 'g8' || n.source.id === 'theirstack'))
      expect(n.consumption.length).toBeGreaterThan(0);
    const codes = new Set(res.body.errors!.map((e) => `${String(e.extensions?.source)}:${String(e.extensions?.code)}`));
    expect(codes).toEqual(new Set(['civitai:UPSTREAM_UNAVAILABLE', 'kb:UPSTREAM_RATE_LIMITED']));
    expect(
      res.body.errors!.filter((e) => e.extensions?.source === 'kb').every((e) => e.extensions?.retryAfter === 30),
    ).toBe(true);
  });
});
