import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sumDecimals } from '../../../../src/lib/decimal.js';
import { encodeId } from '../../../../src/lib/ids.js';
import type { HsKind } from '../../../../src/providers/hyperstack/kinds.js';
import type { HyperstackRoute, HyperstackSimulator } from '../../../../simulators/hyperstack/simulator.js';
import type { HsResource } from '../../../../simulators/hyperstack/seed.js';
import { startFullHarness, type FullHarness } from '../../../helpers/harness.js';
import { OCT, daily, discovered, hsOf } from './helpers.js';

/**
 * billgraph on the shapes Hyperstack publishes (the simulator's default: every extension off) and,
 * where billgraph uses an extension when present, the same question with the extension on:
 * exact upstream calls per path, and the same exact decimals both ways.
 */
describe('Hyperstack on the published shapes, and with the extensions on', () => {
  let h: FullHarness;
  let sim: HyperstackSimulator;
  beforeAll(async () => {
    h = await startFullHarness();
    sim = hsOf(h);
  });
  afterEach(() => sim.setExtensions({}));
  afterAll(async () => h?.close());

  /** A cold start: counters, faults and the gateway's cache cleared, extensions as given. */
  const fresh = (incurredBillGraph: boolean, contractHistoryEnvelope = false) => {
    h.resetAll();
    sim.setExtensions({ incurredBillGraph, contractHistoryEnvelope });
  };
  const calls = (route: HyperstackRoute) => sim.requests.filter((r) => r.route === route);
  const rid = (r: HsResource) => encodeId('Resource', 'hs', r.kind, String(r.infrahubId));
  const accountId = () => encodeId('Account', 'hs', String(sim.data.orgId));
  /** Three UTC days of October, so the per-day fallback makes three calls. */
  const W3 = { start: '2026-10-05T00:00:00Z', end: '2026-10-08T00:00:00Z' };

  const RESOURCES = /* GraphQL */ `
    query ($types: [ResourceType!]) {
      accounts(provider: HYPERSTACK) {
        edges {
          node {
            resources(types: $types) {
              type
              providerId
            }
          }
        }
      }
    }
  `;
  type ResourcesAnswer = {
    accounts: { edges: { node: { resources: { type: string; providerId: string }[] } }[] };
  };

  it('lists every resource of the organization, with no contracts, when contract history answers a void body', async () => {
    fresh(false);
    const res = await h.query<ResourcesAnswer>(RESOURCES);
    expect(res.body.errors).toBeUndefined();
    const found = res.body.data!.accounts.edges[0]!.node.resources;
    const kinds: HsKind[] = [
      'VIRTUAL_MACHINE',
      'VOLUME',
      'SNAPSHOT',
      'BUCKET',
      'CLUSTER',
      'FINE_TUNING',
      'MODEL_EVALUATION',
      'SERVERLESS_INFERENCE',
      'DATA_SYNTHESIS',
    ];
    const expected = kinds.flatMap((k) => discovered(sim, k).map((r) => `${r.kind}:${r.infrahubId}`));
    expect(found.map((r) => `${r.type}:${r.providerId}`).sort()).toEqual(expected.sort());
    expect(found.some((r) => r.type === 'CONTRACT')).toBe(false);
    const byRoute: Record<string, number> = {};
    for (const r of sim.requests) byRoute[r.route] = (byRoute[r.route] ?? 0) + 1;
    // One page per kind's list (the seeded world fits one page of 100), the void contract history, the account.
    expect(byRoute).toEqual({
      get_user_billing_history: 1,
      list_billing_contract_history: 1,
      get_vm_billing_history: 1,
      get_volume_billing_history: 1,
      list_snapshot_billing_history: 1,
      list_bucket_billing_history: 1,
      list_clusters_billing_history: 1,
      get_fine_tuning_billing_history: 1,
      get_model_evaluation_billing_history: 1,
      list_serverless_inference_billing_history: 1,
      get_data_synthesis_billing_history: 1,
    });
  });

  it('answers an empty contract list, not an error, when only contracts are asked for', async () => {
    fresh(false);
    const res = await h.query<ResourcesAnswer>(RESOURCES, { types: ['CONTRACT'] });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.accounts.edges[0]!.node.resources).toEqual([]);
    expect(calls('list_billing_contract_history').map((r) => r.query)).toEqual([{}]);
    expect(sim.requests.filter((r) => r.route.endsWith('_billing_history') && r.route.startsWith('get_vm'))).toEqual(
      [],
    );
  });

  it('finds a contract by id only when the contract envelope extension is on', async () => {
    const contract = sim.data.resources.find((r) => r.kind === 'CONTRACT')!;
    const query = /* GraphQL */ `
      query ($id: ID!) {
        node(id: $id) {
          id
        }
      }
    `;
    fresh(false);
    const off = await h.query<{ node: { id: string } | null }>(query, { id: rid(contract) });
    expect(off.body.data).toEqual({ node: null });
    expect(off.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['node'], 'NOT_FOUND']]);
    // The month's list (no contract in it) and then the search by id.
    expect(calls('list_billing_contract_history').map((r) => r.query.search ?? 'list')).toEqual([
      'list',
      String(contract.infrahubId),
    ]);
    fresh(false, true);
    const on = await h.query<{ node: { id: string } | null }>(query, { id: rid(contract) });
    expect(on.body).toEqual({ data: { node: { id: rid(contract) } } });
  });

  const HISTORY = /* GraphQL */ `
    query ($w: TimeWindow!) {
      accounts(provider: HYPERSTACK) {
        edges {
          node {
            hyperstackBillingHistory(window: $w, withGraph: true) {
              incurredBill {
                amount
              }
              vmCost {
                amount
              }
              incurredBillGraph {
                at
                amount {
                  amount
                }
              }
            }
          }
        }
      }
    }
  `;
  type HistoryAnswer = {
    accounts: {
      edges: {
        node: {
          hyperstackBillingHistory: {
            incurredBill: { amount: string };
            vmCost: { amount: string };
            incurredBillGraph: { at: string; amount: { amount: string } }[] | null;
          };
        };
      }[];
    };
  };

  it('answers hyperstackBillingHistory(withGraph: true) without a graph upstream with the totals, a null graph and a NOT_FOUND error', async () => {
    fresh(false);
    const res = await h.query<HistoryAnswer>(HISTORY, { w: OCT });
    const x = sim.expected.org(OCT.start, OCT.end);
    expect(res.body.data!.accounts.edges[0]!.node.hyperstackBillingHistory).toEqual({
      incurredBill: { amount: x.incurred_bill },
      vmCost: { amount: x.vm_cost },
      incurredBillGraph: null,
    });
    expect(res.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['accounts', 'edges', 0, 'node', 'hyperstackBillingHistory', 'incurredBillGraph'], 'NOT_FOUND'],
    ]);
    expect(calls('get_user_billing_history').map((r) => r.query.graph ?? 'none')).toEqual(['none', 'true']);
  });

  it('answers hyperstackBillingHistory(withGraph: true) with the graph extension as 31 daily points that add up to the total', async () => {
    fresh(true);
    const res = await h.query<HistoryAnswer>(HISTORY, { w: OCT });
    expect(res.body.errors).toBeUndefined();
    const history = res.body.data!.accounts.edges[0]!.node.hyperstackBillingHistory;
    const x = sim.expected.org(OCT.start, OCT.end);
    expect(history.incurredBill.amount).toBe(x.incurred_bill);
    expect(history.incurredBillGraph).toHaveLength(31);
    expect(sumDecimals(history.incurredBillGraph!.map((p) => p.amount.amount))).toBe(sumDecimals([x.incurred_bill]));
    expect(calls('get_user_billing_history').map((r) => r.query.graph ?? 'none')).toEqual(['none', 'true']);
  });

  /** The organization's hourly points of every resource, summed per UTC day. */
  const orgDays = (w: { start: string; end: string }) =>
    daily(sim.data.resources.flatMap((r) => sim.expected.hourly(r.infrahubId, w.start, w.end)));

  const ACCOUNT_DAYS = /* GraphQL */ `
    query ($id: ID!, $w: TimeWindow!) {
      account(id: $id) {
        consumption(window: $w, granularity: DAY) {
          start
          quantity
        }
      }
    }
  `;
  type DaysAnswer = { account: { consumption: { start: string; quantity: string }[] } };

  it('sums Account.consumption by DAY from one graph call with the extension, and from one call per day without it, to the same decimals', async () => {
    const days = [...orgDays(OCT)].map(([start, v]) => ({ start, quantity: v }));
    expect(days).toHaveLength(31);

    fresh(true);
    const on = await h.query<DaysAnswer>(ACCOUNT_DAYS, { id: accountId(), w: OCT });
    expect(on.body.errors).toBeUndefined();
    // The account's own lookup (default window), then the window's graph.
    expect(calls('get_user_billing_history').map((r) => r.query.graph ?? 'none')).toEqual(['none', 'true']);

    fresh(false);
    const off = await h.query<DaysAnswer>(ACCOUNT_DAYS, { id: accountId(), w: OCT });
    expect(off.body.errors).toBeUndefined();
    const history = calls('get_user_billing_history');
    // The account's lookup, the graph call (no array in its answer), then one call per UTC day of the window.
    expect(history).toHaveLength(33);
    expect(history.slice(0, 2).map((r) => r.query.graph ?? 'none')).toEqual(['none', 'true']);
    expect(
      history
        .slice(2)
        .map((r) => `${r.query.start_date}/${r.query.end_date}/${r.query.graph ?? 'none'}`)
        .sort(),
    ).toEqual(
      days.map(
        (d) => `${d.start.slice(0, 19)}/${new Date(Date.parse(d.start) + 86_400_000).toISOString().slice(0, 19)}/none`,
      ),
    );

    const norm = (a: DaysAnswer) => a.account.consumption.map((p) => [p.start, sumDecimals([p.quantity])]);
    expect(norm(on.body.data!)).toEqual(days.map((d) => [d.start, sumDecimals([d.quantity])]));
    expect(norm(off.body.data!)).toEqual(norm(on.body.data!));
  });

  const RESOURCE_DAYS = /* GraphQL */ `
    query ($id: ID!, $w: TimeWindow!) {
      resource(id: $id) {
        consumption(window: $w, granularity: DAY) {
          start
          quantity
        }
      }
    }
  `;
  type ResourceDaysAnswer = { resource: { consumption: { start: string; quantity: string }[] } };

  for (const [kind, route] of [
    ['BUCKET', 'buckets_billing_history_hourly_chart'],
    ['MODEL_EVALUATION', 'get_model_evaluation_billing_history_graph'],
    ['SERVERLESS_INFERENCE', 'get_serverless_inference_billing_history_graph'],
    ['DATA_SYNTHESIS', 'get_data_synthesis_billing_history_graph'],
  ] as const) {
    it(`sums a ${kind} resource's DAY consumption from one graph call with the extension, and from the graph per day without it, to the same decimals`, async () => {
      const r = sim.data.resources.find(
        (x) => x.kind === kind && sim.expected.hourly(x.infrahubId, W3.start, W3.end).length > 0,
      )!;
      expect(r).toBeDefined();
      const days = [...daily(sim.expected.hourly(r.infrahubId, W3.start, W3.end))];

      fresh(true);
      const on = await h.query<ResourceDaysAnswer>(RESOURCE_DAYS, { id: rid(r), w: W3 });
      expect(on.body.errors).toBeUndefined();
      expect(calls(route).map((c) => `${c.query.start_date}/${c.query.end_date}`)).toEqual([
        '2026-10-05T00:00:00/2026-10-08T00:00:00',
      ]);

      fresh(false);
      const off = await h.query<ResourceDaysAnswer>(RESOURCE_DAYS, { id: rid(r), w: W3 });
      expect(off.body.errors).toBeUndefined();
      // The whole window (no point array in the answer), then one call per day (in parallel, so in any
      // order), each taking incurred_bill.
      const windows = calls(route).map((c) => `${c.query.start_date}/${c.query.end_date}`);
      expect([windows[0], ...windows.slice(1).sort()]).toEqual([
        '2026-10-05T00:00:00/2026-10-08T00:00:00',
        '2026-10-05T00:00:00/2026-10-06T00:00:00',
        '2026-10-06T00:00:00/2026-10-07T00:00:00',
        '2026-10-07T00:00:00/2026-10-08T00:00:00',
      ]);

      const norm = (a: ResourceDaysAnswer) =>
        a.resource.consumption
          .filter((p) => sumDecimals([p.quantity]) !== '0')
          .map((p) => [p.start, sumDecimals([p.quantity])]);
      expect(norm(on.body.data!)).toEqual(days.filter(([, v]) => v !== '0').map(([d, v]) => [d, sumDecimals([v])]));
      expect(norm(off.body.data!)).toEqual(norm(on.body.data!));
      expect(sumDecimals(off.body.data!.resource.consumption.map((p) => p.quantity))).toBe(
        sim.expected.incurredBill(r.infrahubId, W3.start, W3.end),
      );
    });
  }

  it('reads usageTime of a token workload only when the usage_time extension is on', async () => {
    const r = sim.data.resources.find(
      (x) => x.kind === 'SERVERLESS_INFERENCE' && sim.expected.hourly(x.infrahubId, OCT.start, OCT.end).length > 0,
    )!;
    const query = /* GraphQL */ `
      query ($id: ID!, $w: TimeWindow!) {
        resource(id: $id) {
          ... on HyperstackTokenWorkload {
            billingDetails(window: $w) {
              usageTime
              incurredBill {
                amount
              }
            }
          }
        }
      }
    `;
    type A = { resource: { billingDetails: { usageTime: string | null; incurredBill: { amount: string } } } };
    const t = sim.expected.totals(r.infrahubId, OCT.start, OCT.end);
    h.resetAll();
    const off = await h.query<A>(query, { id: rid(r), w: OCT });
    expect(off.body.data!.resource.billingDetails).toEqual({
      usageTime: null,
      incurredBill: { amount: sim.expected.money(t.incurred) },
    });
    h.resetAll();
    sim.setExtensions({ tokenUsageTime: true });
    const on = await h.query<A>(query, { id: rid(r), w: OCT });
    expect(on.body.data!.resource.billingDetails).toEqual({
      usageTime: String(t.usageHours),
      incurredBill: { amount: sim.expected.money(t.incurred) },
    });
    expect(calls('get_serverless_inferences_billing_history')).toHaveLength(1);
  });
});
