import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  HyperstackBucket,
  HyperstackCluster,
  HyperstackContract,
  HyperstackFineTuning,
  HyperstackOrganizationBilling,
  HyperstackSnapshot,
  HyperstackTokenWorkload,
  HyperstackVirtualMachine,
  HyperstackVolume,
} from '../../../../src/generated/resolvers.js';
import type { AccountAnswer, AccountsAnswer, Answer, MutationAnswer, QueryAnswer } from '../../../helpers/harness.js';
import { sumDecimals } from '../../../../src/lib/decimal.js';
import { encodeId } from '../../../../src/lib/ids.js';
import { HYPERSTACK_ROUTE_NAMES, type HyperstackSimulator } from '../../../../simulators/hyperstack/simulator.js';
import type { HsKind } from '../../../../src/providers/hyperstack/kinds.js';
import { SUB_RESOURCES, hourStamp, type HsResource } from '../../../../simulators/hyperstack/seed.js';
import { startFullHarness, type FullHarness } from '../../../helpers/harness.js';
import { NOV, OCT, daily, discovered, hsDate, hsOf } from './helpers.js';

/**
 * Every endpoint of docs/upstreams/hyperstack.md#s3 answers some GraphQL field; the last test checks the simulator saw all 37.
 * These cases read the simulator's extensions (graph arrays on 1, 22, 31, 34, 37; token usage_time; the contract
 * envelope), switched on here; published.test.ts runs the published shapes.
 */
describe('Hyperstack: every billing endpoint reaches the graph as typed fields', () => {
  let h: FullHarness;
  let sim: HyperstackSimulator;
  beforeAll(async () => {
    h = await startFullHarness();
    sim = hsOf(h);
    sim.setExtensions({ incurredBillGraph: true, tokenUsageTime: true, contractHistoryEnvelope: true });
  });
  afterAll(async () => h?.close());

  const ok = async <T = QueryAnswer>(query: string, variables?: Record<string, unknown>) => {
    const res = await h.query<T>(query, variables);
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    return res.body.data!;
  };
  type History = Answer<HyperstackOrganizationBilling>;
  type Usage = AccountAnswer['hyperstackUsage'];
  const m = (v: bigint) => sim.expected.money(v);
  const rid = (r: HsResource) => encodeId('Resource', 'hs', r.kind, String(r.infrahubId));
  const first = (kind: HsKind) => discovered(sim, kind)[0]!;
  const account = async () =>
    (
      await ok(/* GraphQL */ `
        {
          accounts(provider: HYPERSTACK) {
            edges {
              node {
                id
                providerId
                name
              }
            }
          }
        }
      `)
    ).accounts.edges[0].node;

  it('organization history (1) with and without its graph', async () => {
    const d = await ok<AccountsAnswer<{ plain: History; graph: History }>>(
      /* GraphQL */ `
        query ($w: TimeWindow!) {
          accounts(provider: HYPERSTACK) {
            edges {
              node {
                plain: hyperstackBillingHistory(window: $w) {
                  incurredBill {
                    amount
                    currency
                  }
                  incurredBillGraph {
                    at
                  }
                }
                graph: hyperstackBillingHistory(window: $w, withGraph: true) {
                  incurredBill {
                    amount
                  }
                  nonDiscountedBill {
                    amount
                  }
                  vmCost {
                    amount
                  }
                  volumeCost {
                    amount
                  }
                  contractCost {
                    amount
                  }
                  snapshotCost {
                    amount
                  }
                  incurredBillGraph {
                    at
                    amount {
                      amount
                      currency
                    }
                  }
                }
              }
            }
          }
        }
      `,
      { w: OCT },
    );
    const node = d.accounts.edges[0].node;
    const x = sim.expected.org(OCT.start, OCT.end);
    expect(node.plain).toEqual({ incurredBill: { amount: x.incurred_bill, currency: 'USD' }, incurredBillGraph: null });
    expect(node.graph).toMatchObject({
      incurredBill: { amount: x.incurred_bill },
      nonDiscountedBill: { amount: x.non_discounted_bill },
      vmCost: { amount: x.vm_cost },
      volumeCost: { amount: x.volume_cost },
      contractCost: { amount: x.contract_cost },
      snapshotCost: { amount: x.snapshot_cost },
    });
    expect(node.graph.incurredBillGraph).toHaveLength(31);
    expect(node.graph.incurredBillGraph[0].at).toBe('2026-10-01T00:00:00Z');
    expect(sumDecimals(node.graph.incurredBillGraph.map((p) => p.amount.amount))).toBe(sumDecimals([x.incurred_bill]));
    const calls = sim.requests.filter(
      (r) => r.route === 'get_user_billing_history' && r.query.start_date === hsDate(OCT.start),
    );
    expect(calls.map((r) => r.query)).toEqual([
      { start_date: '2026-10-01T00:00:00', end_date: '2026-11-01T00:00:00' },
      { start_date: '2026-10-01T00:00:00', end_date: '2026-11-01T00:00:00', graph: 'true' },
    ]);
  });

  it('account id and name come from the organization (1), and Account.consumption/cost from the same endpoint', async () => {
    const a = await account();
    expect(a.providerId).toBe(String(sim.data.orgId));
    const d = await ok(
      /* GraphQL */ `
        query ($id: ID!, $w: TimeWindow!) {
          account(id: $id) {
            providerId
            cost(window: $w) {
              amount
              currency
            }
            consumption(window: $w) {
              metric
              quantity
              unit
            }
          }
        }
      `,
      { id: a.id, w: OCT },
    );
    const x = sim.expected.org(OCT.start, OCT.end);
    expect(d.account.cost).toEqual([{ amount: x.incurred_bill, currency: 'USD' }]);
    expect(d.account.consumption).toEqual([{ metric: 'incurred_bill', quantity: x.incurred_bill, unit: 'USD' }]);
  });

  it('account consumption by DAY is one organization-history call with graph=true', async () => {
    const a = await account();
    sim.resetCounters();
    // The first case already fetched October's graph; this one counts the calls of a cold cache.
    await h.gateway.cache.clear();
    const d = await ok(
      /* GraphQL */ `
        query ($id: ID!, $w: TimeWindow!) {
          account(id: $id) {
            consumption(window: $w, granularity: DAY) {
              start
              end
              quantity
            }
          }
        }
      `,
      { id: a.id, w: OCT },
    );
    expect(d.account.consumption).toHaveLength(31);
    const days = new Map<string, string[]>();
    for (const r of sim.data.resources)
      for (const [at, v] of sim.expected.hourly(r.infrahubId, OCT.start, OCT.end))
        days.set(`${at.slice(0, 10)}T00:00:00Z`, [...(days.get(`${at.slice(0, 10)}T00:00:00Z`) ?? []), v]);
    for (const p of d.account.consumption) expect(sumDecimals([p.quantity])).toBe(sumDecimals(days.get(p.start) ?? []));
    expect(
      sim.requests.filter((r) => r.route === 'get_user_billing_history').map((r) => r.query.graph ?? 'none'),
    ).toEqual(['none', 'true']);
  });

  it('usage (2): active resources, deleted ones, and the environment filter', async () => {
    const d = await ok<AccountsAnswer<{ active: Usage; deleted: Usage; norway: Usage }>>(/* GraphQL */ `
      {
        accounts(provider: HYPERSTACK) {
          edges {
            node {
              active: hyperstackUsage {
                resourceId
                resourceType
                name
                active
                totalBill {
                  amount
                }
                billPerMinute {
                  amount
                }
                createdAt
                terminatedAt
                totalUpTimeMinutes
                excludeBilling
                resource {
                  __typename
                  id
                  type
                  name
                }
              }
              deleted: hyperstackUsage(deleted: true) {
                resourceId
                active
                terminatedAt
                billPerMinute {
                  amount
                }
                resource {
                  type
                }
              }
              norway: hyperstackUsage(environment: "default-NORWAY-1") {
                resourceId
              }
            }
          }
        }
      }
    `);
    const node = d.accounts.edges[0].node;
    const infra = sim.data.resources.filter((r) =>
      ['VIRTUAL_MACHINE', 'VOLUME', 'SNAPSHOT', 'BUCKET', 'CLUSTER'].includes(r.kind),
    );
    const live = infra.filter((r) => r.terminatedHour === null);
    expect(node.active.map((u) => u.resourceId)).toEqual(live.map((r) => String(r.infrahubId)));
    expect(node.deleted.map((u) => u.resourceId)).toEqual(
      infra.filter((r) => r.terminatedHour !== null).map((r) => String(r.infrahubId)),
    );
    expect(node.deleted.length).toBeGreaterThanOrEqual(3);
    expect(
      node.deleted.every((u) => u.active === false && u.terminatedAt && u.billPerMinute === null && u.resource.type),
    ).toBe(true);
    expect(node.norway.map((u) => u.resourceId)).toEqual(
      live.filter((r) => r.environment.name === 'default-NORWAY-1').map((r) => String(r.infrahubId)),
    );

    const vm = live.find((r) => r.kind === 'VIRTUAL_MACHINE')!;
    const row = node.active.find((u) => u.resourceId === String(vm.infrahubId));
    const created = `${hourStamp(vm.createdHour)}Z`;
    expect(row).toEqual({
      resourceId: String(vm.infrahubId),
      resourceType: 'virtual_machine',
      name: vm.name,
      active: true,
      totalBill: { amount: sim.expected.incurredBill(vm.infrahubId, created, new Date(sim.now).toISOString()) },
      billPerMinute: { amount: m(vm.price / 60n) },
      createdAt: created,
      terminatedAt: null,
      totalUpTimeMinutes: String(Math.round((sim.now - vm.createdHour * 3_600_000) / 60_000)),
      excludeBilling: vm.excludeBilling,
      resource: { __typename: 'HyperstackVirtualMachine', id: rid(vm), type: 'VIRTUAL_MACHINE', name: vm.name },
    });
    expect(sim.requests.filter((r) => r.route === 'get_usage').map((r) => r.query)).toEqual([
      {},
      { deleted: 'true' },
      { environment: 'default-NORWAY-1' },
    ]);
  });

  it('last-day cost (3) and thresholds (4, 5)', async () => {
    const d = await ok(/* GraphQL */ `
      {
        accounts(provider: HYPERSTACK) {
          edges {
            node {
              hyperstackLastDayCost {
                instancesCost {
                  amount
                  currency
                }
                volumesCost {
                  amount
                }
                clustersCost {
                  amount
                }
                totalCost {
                  amount
                }
              }
              billingThresholds {
                id
                hoursBefore
                title
                tooltip
                subscribed
              }
            }
          }
        }
      }
    `);
    const node = d.accounts.edges[0].node;
    const x = sim.expected.lastDay();
    expect(node.hyperstackLastDayCost).toEqual({
      instancesCost: { amount: x.instances_cost, currency: 'USD' },
      volumesCost: { amount: x.volumes_cost },
      clustersCost: { amount: x.clusters_cost },
      totalCost: { amount: x.total_cost },
    });
    expect(node.billingThresholds.map((t) => [t.hoursBefore, t.title, t.subscribed])).toEqual([
      [72, '72hs warning', true],
      [48, '48hs warning', true],
      [24, '24hs warning', true],
    ]);
    expect(node.billingThresholds[1].tooltip).toBe('Credit limit warning 48 hours before your credit depletes');
    const put = await ok<MutationAnswer>(
      /* GraphQL */ `
        mutation ($id: ID!) {
          updateBillingThreshold(input: { id: $id, subscribe: true }) {
            id
            hoursBefore
            subscribed
          }
        }
      `,
      { id: node.billingThresholds[2].id },
    );
    expect(put.updateBillingThreshold).toEqual({ id: node.billingThresholds[2].id, hoursBefore: 24, subscribed: true });
  });

  it('contracts (6): resources, billing row and cost from the contract history', async () => {
    const d = await ok<AccountsAnswer<{ resources: Answer<HyperstackContract>[] }>>(
      /* GraphQL */ `
        query ($w: TimeWindow!) {
          accounts(provider: HYPERSTACK) {
            edges {
              node {
                resources(types: [CONTRACT]) {
                  __typename
                  id
                  providerId
                  type
                  name
                  ... on HyperstackContract {
                    status
                    gpuType
                    cost(window: $w) {
                      amount
                    }
                    billing(window: $w) {
                      status
                      pricePerHour {
                        amount
                      }
                      incurredBill {
                        amount
                      }
                    }
                  }
                }
              }
            }
          }
        }
      `,
      { w: OCT },
    );
    const contracts = d.accounts.edges[0].node.resources;
    const seeded = sim.data.resources.filter((r) => r.kind === 'CONTRACT');
    expect(contracts).toHaveLength(seeded.length);
    for (const [i, c] of seeded.entries()) {
      const bill = sim.expected.incurredBill(c.infrahubId, OCT.start, OCT.end);
      expect(contracts[i]).toEqual({
        __typename: 'HyperstackContract',
        id: rid(c),
        providerId: String(c.infrahubId),
        type: 'CONTRACT',
        name: c.description,
        status: 'ACTIVE',
        gpuType: c.gpuType,
        cost: [{ amount: bill }],
        billing: { status: 'ACTIVE', pricePerHour: { amount: m(c.price) }, incurredBill: { amount: bill } },
      });
    }
  });

  it('virtual machines (7–12): list, details, graph, events, sub-resource costs and graph', async () => {
    const vm = first('VIRTUAL_MACHINE');
    const d = await ok<{ resource: Answer<HyperstackVirtualMachine> }>(
      /* GraphQL */ `
        query ($id: ID!, $w: TimeWindow!) {
          resource(id: $id) {
            ... on HyperstackVirtualMachine {
              name
              uuid
              status
              billing(window: $w) {
                status
                pricePerHour {
                  amount
                }
                incurredBill {
                  amount
                }
                usageTime
              }
              billingDetails(window: $w) {
                pricePerHour {
                  amount
                }
                nonDiscountedPricePerHour {
                  amount
                }
                incurredBill {
                  amount
                }
                nonDiscountedBill {
                  amount
                }
                usageTime
                usageTimeActive
                usageTimeShutoff
                usageTimeHibernated
              }
              consumption(window: $w, granularity: DAY) {
                start
                end
                metric
                quantity
                unit
                cost {
                  amount
                  currency
                }
              }
              billingEvents(window: $w) {
                start
                event
                duration
                pricePerHour {
                  amount
                }
                totalCost {
                  amount
                }
              }
              subResourceCosts(window: $w) {
                gpu {
                  amount
                }
                cpu {
                  amount
                }
                ram {
                  amount
                }
                publicIp {
                  amount
                }
                disk {
                  amount
                }
                ephemeral {
                  amount
                }
              }
              subResourceConsumption(window: $w) {
                metric
                quantity
              }
            }
          }
        }
      `,
      { id: rid(vm), w: OCT },
    );
    const r = d.resource;
    const t = sim.expected.totals(vm.infrahubId, OCT.start, OCT.end);
    expect(r.name).toBe(vm.name);
    expect(r.uuid).toBe(vm.uuid);
    expect(r.billing).toEqual({
      status: expect.any(String),
      pricePerHour: { amount: m(vm.price) },
      incurredBill: { amount: m(t.incurred) },
      usageTime: String(t.usageHours),
    });
    expect(r.billingDetails).toEqual({
      pricePerHour: { amount: m(vm.price) },
      nonDiscountedPricePerHour: { amount: m((vm.price * vm.ndPercent) / 100n) },
      incurredBill: { amount: m(t.incurred) },
      nonDiscountedBill: { amount: m(t.nonDiscounted) },
      usageTime: String(t.usageHours),
      usageTimeActive: String(t.hours.ACTIVE),
      usageTimeShutoff: String(t.hours.SHUTOFF),
      usageTimeHibernated: String(t.hours.HIBERNATED),
    });
    const days = daily(sim.expected.hourly(vm.infrahubId, OCT.start, OCT.end));
    expect(r.consumption).toHaveLength(31);
    for (const p of r.consumption) {
      expect(p).toMatchObject({ metric: 'incurred_bill', unit: 'USD', cost: { amount: p.quantity, currency: 'USD' } });
      expect(sumDecimals([p.quantity])).toBe(days.get(p.start) ?? '0');
    }
    expect(sumDecimals(r.consumption.map((p) => p.quantity))).toBe(sumDecimals([m(t.incurred)]));

    expect(r.billingEvents.length).toBeGreaterThan(0);
    expect(r.billingEvents[0].start).toBe(OCT.start);
    expect(sumDecimals(r.billingEvents.map((e) => e.duration))).toBe(String(t.usageHours));
    expect(sumDecimals(r.billingEvents.map((e) => e.totalCost.amount))).toBe(sumDecimals([m(t.incurred)]));

    const subs = sim.expected.subResources(vm.infrahubId, OCT.start, OCT.end);
    expect(r.subResourceCosts).toEqual({
      gpu: { amount: subs.gpu },
      cpu: { amount: subs.cpu },
      ram: { amount: subs.ram },
      publicIp: { amount: subs.publicip },
      disk: { amount: subs.disk },
      ephemeral: { amount: subs.ephemeral },
    });
    expect(r.subResourceConsumption.map((p) => [p.metric, sumDecimals([p.quantity])])).toEqual(
      SUB_RESOURCES.map((s) => [s, sumDecimals([subs[s]!])]),
    );
    expect(sumDecimals(Object.values(subs))).toBe(sumDecimals([m(t.incurred)]));
  });

  it('volumes (13–16) and snapshots (17–19)', async () => {
    const vol = first('VOLUME');
    const snap = first('SNAPSHOT');
    const q = /* GraphQL */ `
      query ($v: ID!, $s: ID!, $w: TimeWindow!) {
        v: resource(id: $v) {
          ... on HyperstackVolume {
            billing(window: $w) {
              incurredBill {
                amount
              }
              pricePerHour {
                amount
              }
              usageTime
            }
            billingDetails(window: $w) {
              nonDiscountedBill {
                amount
              }
              subresourceType
              subresourceAmount
              usageTimeActive
            }
            consumption(window: $w, granularity: MONTH) {
              quantity
            }
            billingEvents(window: $w) {
              event
              duration
              totalCost {
                amount
              }
            }
          }
        }
        s: resource(id: $s) {
          ... on HyperstackSnapshot {
            billing(window: $w) {
              incurredBill {
                amount
              }
            }
            billingDetails(window: $w) {
              nonDiscountedBill {
                amount
              }
              subresourceType
              subresourceAmount
            }
            consumption(window: $w, granularity: DAY) {
              quantity
            }
          }
        }
      }
    `;
    const d = await ok<{ v: Answer<HyperstackVolume>; s: Answer<HyperstackSnapshot> }>(q, {
      v: rid(vol),
      s: rid(snap),
      w: OCT,
    });
    const tv = sim.expected.totals(vol.infrahubId, OCT.start, OCT.end);
    const ts = sim.expected.totals(snap.infrahubId, OCT.start, OCT.end);
    expect(d.v.billing).toEqual({
      incurredBill: { amount: m(tv.incurred) },
      pricePerHour: { amount: m(vol.price) },
      usageTime: String(tv.usageHours),
    });
    expect(d.v.billingDetails).toEqual({
      nonDiscountedBill: { amount: m(tv.nonDiscounted) },
      subresourceType: vol.subresourceType,
      subresourceAmount: vol.subresourceAmount,
      usageTimeActive: null,
    });
    expect(d.v.consumption).toEqual([{ quantity: m(tv.incurred) }]);
    expect(d.v.billingEvents).toEqual([
      { event: 'ACTIVE', duration: String(tv.usageHours), totalCost: { amount: m(tv.incurred) } },
    ]);
    expect(d.s.billing).toEqual({ incurredBill: { amount: m(ts.incurred) } });
    expect(d.s.billingDetails).toEqual({
      nonDiscountedBill: { amount: m(ts.nonDiscounted) },
      subresourceType: 'Snapshot',
      subresourceAmount: snap.subresourceAmount,
    });
    expect(sumDecimals(d.s.consumption.map((p) => p.quantity))).toBe(sumDecimals([m(ts.incurred)]));
  });

  it('buckets (20–22) and clusters (23–25)', async () => {
    const bucket = first('BUCKET');
    const cluster = first('CLUSTER');
    const d = await ok<{ b: Answer<HyperstackBucket>; c: Answer<HyperstackCluster> }>(
      /* GraphQL */ `
        query ($b: ID!, $c: ID!, $w: TimeWindow!) {
          b: resource(id: $b) {
            ... on HyperstackBucket {
              billing(window: $w) {
                incurredBill {
                  amount
                }
              }
              billingDetails(window: $w) {
                usageTimeActive
                nonDiscountedPricePerHour {
                  amount
                }
              }
              consumption(window: $w, granularity: DAY) {
                quantity
              }
            }
          }
          c: resource(id: $c) {
            ... on HyperstackCluster {
              billing(window: $w) {
                incurredBill {
                  amount
                }
                pricePerHour {
                  amount
                }
              }
              billingDetails(window: $w) {
                incurredBill {
                  amount
                }
                pricePerHour {
                  amount
                }
                nodes {
                  providerId
                  name
                  pricePerHour {
                    amount
                  }
                  incurredBill {
                    amount
                  }
                  usageTime
                }
              }
              consumption(window: $w, granularity: DAY) {
                quantity
              }
            }
          }
        }
      `,
      { b: rid(bucket), c: rid(cluster), w: OCT },
    );
    const tb = sim.expected.totals(bucket.infrahubId, OCT.start, OCT.end);
    const tc = sim.expected.totals(cluster.infrahubId, OCT.start, OCT.end);
    expect(d.b.billing.incurredBill.amount).toBe(m(tb.incurred));
    expect(d.b.billingDetails).toEqual({
      usageTimeActive: String(tb.hours.ACTIVE),
      nonDiscountedPricePerHour: { amount: m((bucket.price * bucket.ndPercent) / 100n) },
    });
    expect(sumDecimals(d.b.consumption.map((p) => p.quantity))).toBe(sumDecimals([m(tb.incurred)]));
    expect(d.c.billing).toEqual({
      incurredBill: { amount: m(tc.incurred) },
      pricePerHour: { amount: m(cluster.price) },
    });
    expect(d.c.billingDetails.incurredBill.amount).toBe(m(tc.incurred));
    expect(d.c.billingDetails.nodes.map((n) => [n.providerId, n.name, n.pricePerHour.amount])).toEqual(
      cluster.nodes.map((n) => [String(n.infrahubId), n.name, m(n.price)]),
    );
    expect(sumDecimals(d.c.billingDetails.nodes.map((n) => n.incurredBill.amount))).toBe(sumDecimals([m(tc.incurred)]));
    expect(sumDecimals(d.c.consumption.map((p) => p.quantity))).toBe(sumDecimals([m(tc.incurred)]));
  });

  it('fine-tuning (26–28)', async () => {
    const jobs = discovered(sim, 'FINE_TUNING');
    expect(jobs.length).toBe(3);
    const d = await ok<AccountsAnswer<{ resources: Answer<HyperstackFineTuning>[] }>>(
      /* GraphQL */ `
        query ($w: TimeWindow!) {
          accounts(provider: HYPERSTACK) {
            edges {
              node {
                resources(types: [FINE_TUNING]) {
                  providerId
                  ... on HyperstackFineTuning {
                    baseModel
                    baseModelDisplayName
                    loraAdapter
                    billing(window: $w) {
                      incurredBill {
                        amount
                      }
                      nonDiscountedBill {
                        amount
                      }
                      usageTime
                      pricePerHour {
                        amount
                      }
                    }
                    billingDetails(window: $w) {
                      pricePerHour {
                        amount
                      }
                      subresourceType
                      subresourceAmount
                      incurredBill {
                        amount
                      }
                    }
                    consumption(window: $w, granularity: HOUR) {
                      quantity
                    }
                  }
                }
              }
            }
          }
        }
      `,
      { w: NOV },
    );
    const got = d.accounts.edges[0].node.resources;
    for (const [i, job] of jobs.entries()) {
      const t = sim.expected.totals(job.infrahubId, NOV.start, NOV.end);
      expect(got[i]).toMatchObject({
        providerId: String(job.infrahubId),
        baseModel: job.baseModel,
        baseModelDisplayName: job.baseModelDisplayName,
        loraAdapter: job.loraAdapter,
      });
      expect(got[i].billing).toEqual({
        incurredBill: { amount: m(t.incurred) },
        nonDiscountedBill: { amount: m(t.nonDiscounted) },
        usageTime: String(t.usageHours),
        pricePerHour: null,
      });
      expect(got[i].billingDetails).toEqual({
        pricePerHour: { amount: m(job.price) },
        subresourceType: 'GPU',
        subresourceAmount: job.subresourceAmount,
        incurredBill: { amount: m(t.incurred) },
      });
      expect(got[i].consumption).toHaveLength(468);
      expect(sumDecimals(got[i].consumption.map((p) => p.quantity))).toBe(sumDecimals([m(t.incurred)]));
    }
  });

  it('token workloads (29–37): model evaluation, serverless inference, data synthesis', async () => {
    const d = await ok<AccountsAnswer<{ resources: Answer<HyperstackTokenWorkload>[] }>>(
      /* GraphQL */ `
        query ($w: TimeWindow!) {
          accounts(provider: HYPERSTACK) {
            edges {
              node {
                resources(types: [MODEL_EVALUATION, SERVERLESS_INFERENCE, DATA_SYNTHESIS]) {
                  __typename
                  type
                  providerId
                  ... on HyperstackTokenWorkload {
                    baseModel
                    loraAdapter
                    billing(window: $w) {
                      incurredBill {
                        amount
                      }
                      inputTokens
                      outputTokens
                      inputTokensIncurredBill {
                        amount
                      }
                      outputTokensNonDiscountedBill {
                        amount
                      }
                    }
                    billingDetails(window: $w) {
                      incurredBill {
                        amount
                      }
                      nonDiscountedBill {
                        amount
                      }
                      usageTime
                      inputTokens
                      outputTokensIncurredBill {
                        amount
                      }
                    }
                    consumption(window: $w, granularity: DAY) {
                      quantity
                    }
                  }
                }
              }
            }
          }
        }
      `,
      { w: OCT },
    );
    const got = d.accounts.edges[0].node.resources;
    const seeded = (['MODEL_EVALUATION', 'SERVERLESS_INFERENCE', 'DATA_SYNTHESIS'] as const).flatMap((k) =>
      discovered(sim, k),
    );
    expect(got.map((r) => [r.__typename, r.type, r.providerId])).toEqual(
      seeded.map((r) => ['HyperstackTokenWorkload', r.kind, String(r.infrahubId)]),
    );
    for (const [i, w] of seeded.entries()) {
      const t = sim.expected.totals(w.infrahubId, OCT.start, OCT.end);
      const inBill = m(t.inputTokens * w.inputRate);
      const outBill = t.outputTokens * w.outputRate;
      expect(got[i].billing).toEqual({
        incurredBill: { amount: m(t.incurred) },
        inputTokens: String(t.inputTokens),
        outputTokens: String(t.outputTokens),
        inputTokensIncurredBill: { amount: inBill },
        outputTokensNonDiscountedBill: { amount: m((outBill * w.ndPercent) / 100n) },
      });
      expect(got[i].billingDetails).toEqual({
        incurredBill: { amount: m(t.incurred) },
        nonDiscountedBill: { amount: m(t.nonDiscounted) },
        usageTime: String(t.usageHours),
        inputTokens: String(t.inputTokens),
        outputTokensIncurredBill: { amount: m(outBill) },
      });
      expect(sumDecimals(got[i].consumption.map((p) => p.quantity))).toBe(sumDecimals([m(t.incurred)]));
    }
  });

  it('node(id) finds a resource listed this month, a deleted one through its details, and a contract', async () => {
    const deleted = sim.data.resources.find((r) => r.kind === 'VIRTUAL_MACHINE' && r.terminatedHour !== null)!;
    const contract = sim.data.resources.find((r) => r.kind === 'CONTRACT')!;
    const d = await ok<{ a: unknown; b: unknown }>(
      /* GraphQL */ `
        query ($a: ID!, $b: ID!) {
          a: node(id: $a) {
            id
            ... on HyperstackVirtualMachine {
              name
              type
            }
          }
          b: resource(id: $b) {
            id
            name
          }
        }
      `,
      { a: rid(deleted), b: rid(contract) },
    );
    expect(d.a).toEqual({ id: rid(deleted), name: deleted.name, type: 'VIRTUAL_MACHINE' });
    expect(d.b).toEqual({ id: rid(contract), name: contract.description });
    const details = sim.requests.filter(
      (r) => r.route === 'get_vm_billing_details' && r.path.endsWith(`/${deleted.infrahubId}`),
    );
    expect(details.at(-1)!.query).toEqual({});
  });

  it('the simulator saw every one of the 37 endpoints', () => {
    expect(HYPERSTACK_ROUTE_NAMES).toHaveLength(37);
    expect([...new Set(sim.requests.map((r) => r.route))].sort()).toEqual([...HYPERSTACK_ROUTE_NAMES].sort());
    // Auth on every call: the raw key in header api_key, never a bearer token.
    expect(sim.requests.every((r) => r.headers.api_key === 'hs-sim-key' && r.headers.authorization === undefined)).toBe(
      true,
    );
  });
});
