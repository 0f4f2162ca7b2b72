import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { QueryAnswer } from '../../../helpers/harness.js';
import { sumDecimals } from '../../../../src/lib/decimal.js';
import { sec, startHarness, type Harness } from '../../../helpers/harness.js';

const WINDOW = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

const TRAVERSAL = /* GraphQL */ `
  query Traversal($window: TimeWindow!, $granularity: Granularity) {
    accounts(provider: OPENVCLOUD) {
      totalCount
      errors {
        code
      }
      edges {
        node {
          id
          providerId
          name
          consumption(window: $window) {
            metric
            quantity
            unit
            start
            end
          }
          cloudspaces {
            id
            providerId
            name
            consumption(window: $window) {
              metric
              quantity
            }
            machines {
              id
              providerId
              name
              consumption(window: $window, granularity: $granularity) {
                start
                end
                metric
                quantity
                unit
                isFinal
                provider
                resource {
                  id
                }
                account {
                  providerId
                }
              }
            }
          }
        }
      }
    }
  }
`;

type Point = { start: string; end: string; metric: string; quantity: string; unit: string };

describe('OpenvCloud traversal account → cloudspace → machine → consumption', () => {
  let h: Harness;
  beforeAll(async () => {
    // These cases count the calls of one request (the README's table, a cold cache), and the
    // concurrent one needs both requests to miss: the cross-request cache is off here
    // (test/gateway/cache/ covers it).
    h = await startHarness({ g8Source: { cache: { ttlSeconds: 0 } } });
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.g8.resetCounters());

  const visibleAccounts = () => h.g8.data.accounts;
  const liveCloudspaces = (accountId: number) =>
    h.g8.data.cloudspaces.filter((cs) => cs.accountId === accountId && cs.deletionTime === null);

  it('returns the simulator numbers digit for digit with one calculate call per account', async () => {
    const res = await h.query(TRAVERSAL, { window: WINDOW });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const edges = res.body.data!.accounts.edges;
    expect(edges.length).toBe(visibleAccounts().length);
    expect(edges.length).toBeGreaterThanOrEqual(3);

    let machinesSeen = 0;
    for (const { node: account } of edges) {
      const expected = h.g8.expectedCalculate(Number(account.providerId), sec(WINDOW.start), sec(WINDOW.end)).account;
      expect(account.name).toBe(expected.name);
      const accountPoints = Object.fromEntries(account.consumption.map((p: Point) => [p.metric, p.quantity]));
      expect(accountPoints).toEqual(expected.consumption);
      for (const cs of account.cloudspaces) {
        const csExpected = expected.cloudspaces[cs.providerId];
        if (csExpected)
          expect(Object.fromEntries(cs.consumption.map((p: Point) => [p.metric, p.quantity]))).toEqual(
            csExpected.consumption,
          );
        for (const m of cs.machines) {
          machinesSeen++;
          const mExpected = csExpected?.machines[m.providerId];
          const got = Object.fromEntries(m.consumption.map((p: Point) => [p.metric, p.quantity]));
          expect(got).toEqual(mExpected ? mExpected.consumption : {});
          for (const p of m.consumption) {
            expect(p).toMatchObject({
              start: WINDOW.start,
              end: WINDOW.end,
              provider: 'OPENVCLOUD',
              isFinal: true,
              resource: { id: m.id },
              account: { providerId: account.providerId },
            });
            expect(p.unit).toBe(`${p.metric}-hours`);
          }
        }
      }
    }
    expect(machinesSeen).toBeGreaterThanOrEqual(15);

    // One calculate per account touched, however many machines read from it.
    expect(h.g8.count({ route: 'billing/calculate' })).toBe(edges.length);
    const calculatedAccounts = h.g8.requests
      .filter((r) => r.route === 'billing/calculate')
      .map((r) => r.args.accountId)
      .sort();
    expect(calculatedAccounts).toEqual(edges.map((e: { node: { providerId: string } }) => e.node.providerId).sort());
    // Documented listing calls: accounts/list once, cloudspaces/list once, machines/list once per live cloudspace.
    expect(h.g8.count({ route: 'accounts/list' })).toBe(1);
    expect(h.g8.count({ route: 'cloudspaces/list' })).toBe(1);
    const cloudspaceCount = visibleAccounts().reduce((n, a) => n + liveCloudspaces(a.id).length, 0);
    expect(h.g8.count({ route: 'machines/list' })).toBe(cloudspaceCount);
    expect(h.g8.requests.length).toBe(edges.length + 2 + cloudspaceCount);
  });

  it('keeps totals past double precision exact (no float round-trip) when the simulator sends them', async () => {
    h.g8.setExtensions({ beyondDoublePrecision: true });
    try {
      const res = await h.query(TRAVERSAL, { window: WINDOW });
      const big = res.body
        .data!.accounts.edges.flatMap((e) => e.node.consumption)
        .map((p: Point) => p.quantity)
        .filter((q: string) => q.replace(/[.-]/g, '').replace(/^0+/, '').length > 16);
      expect(big.length).toBeGreaterThan(0);
      for (const q of big) expect(String(Number(q))).not.toBe(q);
    } finally {
      h.g8.setExtensions({ beyondDoublePrecision: false });
    }
  });

  it('machine, cloudspace and account points add up exactly', async () => {
    const res = await h.query(TRAVERSAL, { window: WINDOW });
    const account = res.body.data!.accounts.edges[0].node;
    for (const metric of ['CU', 'SU', 'TU']) {
      const fromCloudspaces = sumDecimals(
        account.cloudspaces.flatMap((cs) =>
          cs.consumption.filter((p: Point) => p.metric === metric).map((p: Point) => p.quantity),
        ),
      );
      const total = account.consumption.find((p: Point) => p.metric === metric)!.quantity;
      expect(sumDecimals([total])).toBe(fromCloudspaces);
    }
  });

  it('DAY granularity over 7 days costs 7 calculate calls per account, not 7 × machines', async () => {
    const week = { start: '2026-10-05T00:00:00Z', end: '2026-10-12T00:00:00Z' };
    const res = await h.query(
      /* GraphQL */ `
        query ($w: TimeWindow!) {
          accounts {
            edges {
              node {
                providerId
                cloudspaces {
                  machines {
                    providerId
                    consumption(window: $w, granularity: DAY) {
                      start
                      end
                      metric
                      quantity
                    }
                  }
                }
              }
            }
          }
        }
      `,
      { w: week },
    );
    expect(res.body.errors).toBeUndefined();
    const edges = res.body.data!.accounts.edges;
    expect(h.g8.count({ route: 'billing/calculate' })).toBe(7 * edges.length);
    const windows = new Set(
      h.g8.requests.filter((r) => r.route === 'billing/calculate').map((r) => `${r.args.start}-${r.args.end}`),
    );
    expect(windows.size).toBe(7);

    // Every daily point is the simulator's number for that day.
    const account = edges[0].node;
    const machine = account.cloudspaces.flatMap((cs) => cs.machines).find((m) => m.consumption.length === 21)!;
    expect(machine).toBeDefined();
    const days = [...new Set(machine.consumption.map((p: Point) => p.start))] as string[];
    expect(days).toHaveLength(7);
    for (const day of days) {
      const end = new Date(Date.parse(day) + 86_400_000).toISOString().replace('.000Z', 'Z');
      const tree = h.g8.expectedCalculate(Number(account.providerId), sec(day), sec(end)).account;
      const expected = Object.values(tree.cloudspaces)
        .flatMap((cs) => Object.values(cs.machines))
        .find((m) => String(m.id) === machine.providerId)!;
      const got = Object.fromEntries(
        machine.consumption.filter((p: Point) => p.start === day).map((p: Point) => [p.metric, p.quantity]),
      );
      expect(got).toEqual(expected.consumption);
      expect(machine.consumption.find((p: Point) => p.start === day)!.end).toBe(end);
    }
  });

  it('HOUR granularity over 3 hours costs 3 calculate calls per account, and the hours add up to the total', async () => {
    const w = { start: '2026-10-05T10:00:00Z', end: '2026-10-05T13:00:00Z' };
    type Points = { start: string; metric: string; quantity: string }[];
    const res = await h.query<{ account: { hourly: Points; total: Points } }>(
      /* GraphQL */ `query($w: TimeWindow!) { account(id: "${await firstAccountId()}") {
        hourly: consumption(window: $w, granularity: HOUR) { start metric quantity }
        total: consumption(window: $w) { metric quantity } } }`,
      { w },
    );
    expect(res.body.errors).toBeUndefined();
    const { hourly, total } = res.body.data!.account;
    expect(new Set(hourly.map((p) => p.start)).size).toBe(3);
    for (const t of total) {
      expect(sumDecimals(hourly.filter((p) => p.metric === t.metric).map((p) => p.quantity))).toBe(
        sumDecimals([t.quantity]),
      );
    }
    expect(h.g8.count({ route: 'billing/calculate' })).toBe(4);
  });

  async function firstAccountId(): Promise<string> {
    const res = await h.query(/* GraphQL */ `
      {
        accounts(first: 1) {
          edges {
            node {
              id
            }
          }
        }
      }
    `);
    return res.body.data!.accounts.edges[0].node.id;
  }

  it('two concurrent requests do not share loader caches', async () => {
    const [a, b] = await Promise.all([h.query(TRAVERSAL, { window: WINDOW }), h.query(TRAVERSAL, { window: WINDOW })]);
    expect(a.body.errors).toBeUndefined();
    expect(b.body.data).toEqual(a.body.data);
    const accounts = a.body.data!.accounts.edges.length;
    expect(h.g8.count({ route: 'billing/calculate' })).toBe(2 * accounts);
    expect(h.g8.count({ route: 'accounts/list' })).toBe(2);
    expect(h.g8.count({ route: 'cloudspaces/list' })).toBe(2);
  });

  it('aligns DAY buckets to local midnights of the window time zone across a DST change', async () => {
    // Europe/Madrid leaves summer time on 2026-10-25: that local day lasts 25 hours.
    const w = { start: '2026-10-23T22:00:00Z', end: '2026-10-26T23:00:00Z', timeZone: 'Europe/Madrid' };
    const res = await h.query(
      /* GraphQL */ `
        query ($w: TimeWindow!) {
          accounts(first: 1) {
            edges {
              node {
                consumption(window: $w, granularity: DAY) {
                  start
                  end
                  metric
                }
              }
            }
          }
        }
      `,
      { w },
    );
    expect(res.body.errors).toBeUndefined();
    const buckets = [
      ...new Set(res.body.data!.accounts.edges[0].node.consumption.map((p: Point) => `${p.start}/${p.end}`)),
    ];
    expect(buckets).toEqual([
      '2026-10-23T22:00:00Z/2026-10-24T22:00:00Z',
      '2026-10-24T22:00:00Z/2026-10-25T23:00:00Z',
      '2026-10-25T23:00:00Z/2026-10-26T23:00:00Z',
    ]);
  });

  it('pages accounts with opaque cursors', async () => {
    const first = await h.query(/* GraphQL */ `
      {
        accounts(first: 2) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          edges {
            cursor
            node {
              providerId
            }
          }
        }
      }
    `);
    const page1 = first.body.data!.accounts;
    expect(page1.edges).toHaveLength(2);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const next = await h.query(
      /* GraphQL */ `
        query ($after: String) {
          accounts(first: 50, after: $after) {
            pageInfo {
              hasNextPage
            }
            edges {
              node {
                providerId
              }
            }
          }
        }
      `,
      { after: page1.pageInfo.endCursor },
    );
    const page2 = next.body.data!.accounts;
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect(page1.edges.length + page2.edges.length).toBe(page1.totalCount);
    const ids = [...page1.edges, ...page2.edges].map((e) => e.node.providerId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('ids round-trip through node() and the typed lookups', async () => {
    const res = await h.query(/* GraphQL */ `
      {
        accounts(first: 1) {
          edges {
            node {
              id
              name
              cloudspaces {
                id
                name
                machines {
                  id
                  name
                }
              }
            }
          }
        }
      }
    `);
    const account = res.body.data!.accounts.edges[0].node;
    const cs = account.cloudspaces[0];
    const machine = cs.machines[0];
    const lookup = await h.query(
      /* GraphQL */ `
        query ($a: ID!, $c: ID!, $m: ID!) {
          a: node(id: $a) {
            __typename
            id
            ... on Account {
              name
            }
          }
          c: node(id: $c) {
            __typename
            id
            ... on Cloudspace {
              name
              account {
                id
              }
            }
          }
          m: node(id: $m) {
            __typename
            id
            ... on Machine {
              name
              cloudspace {
                id
              }
              account {
                id
              }
            }
          }
          acc: account(id: $a) {
            id
            name
          }
          res: resource(id: $m) {
            __typename
            id
            name
            type
            provider
          }
        }
      `,
      { a: account.id, c: cs.id, m: machine.id },
    );
    expect(lookup.body.errors).toBeUndefined();
    expect(lookup.body.data).toEqual({
      a: { __typename: 'Account', id: account.id, name: account.name },
      c: { __typename: 'Cloudspace', id: cs.id, name: cs.name, account: { id: account.id } },
      m: {
        __typename: 'Machine',
        id: machine.id,
        name: machine.name,
        cloudspace: { id: cs.id },
        account: { id: account.id },
      },
      acc: { id: account.id, name: account.name },
      res: { __typename: 'Machine', id: machine.id, name: machine.name, type: 'MACHINE', provider: 'OPENVCLOUD' },
    });
  });

  it('lists sources and resources(types:)', async () => {
    type Ids = { id: string }[];
    type Node = {
      source: { id: string };
      machines: Ids;
      vms: Ids;
      all: Ids;
      subscriptions: Ids;
      billingThresholds: Ids;
    };
    const res = await h.query<Pick<QueryAnswer, 'sources'> & { accounts: { edges: { node: Node }[] } }>(/* GraphQL */ `
      {
        sources {
          id
          provider
          name
        }
        accounts(first: 1) {
          edges {
            node {
              source {
                id
              }
              machines: resources(types: [MACHINE]) {
                id
              }
              vms: resources(types: [VIRTUAL_MACHINE]) {
                id
              }
              all: resources {
                id
              }
              subscriptions {
                id
              }
              billingThresholds {
                id
              }
            }
          }
        }
      }
    `);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.sources).toEqual([{ id: 'g8', provider: 'OPENVCLOUD', name: 'g8' }]);
    const node = res.body.data!.accounts.edges[0].node;
    expect(node.source).toEqual({ id: 'g8' });
    expect(node.machines.length).toBeGreaterThan(0);
    expect(node.all).toEqual(node.machines);
    expect(node.vms).toEqual([]);
    expect(node.subscriptions).toEqual([]);
    expect(node.billingThresholds).toEqual([]);
  });
});

describe('OpenvCloud cost from a configured price list', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      g8Source: {
        prices: {
          CU: { amount: '0.0125', currency: 'EUR' },
          NU: { amount: '4.50', currency: 'EUR' },
          SU: { amount: '0.01', currency: 'USD' },
        },
      },
    });
  });
  afterAll(async () => h?.close());

  it('prices each point exactly and totals per currency, never across currencies', async () => {
    h.g8.resetCounters();
    const res = await h.query(
      /* GraphQL */ `
        query ($w: TimeWindow!) {
          accounts(first: 1) {
            edges {
              node {
                providerId
                consumption(window: $w) {
                  metric
                  quantity
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
                    consumption(window: $w) {
                      metric
                      quantity
                      cost {
                        amount
                        currency
                      }
                    }
                    cost(window: $w) {
                      amount
                      currency
                    }
                  }
                }
              }
            }
          }
          usageReport(window: $w) {
            totals {
              amount
              currency
            }
            errors {
              code
            }
          }
        }
      `,
      { w: WINDOW },
    );
    expect(res.body.errors).toBeUndefined();
    const account = res.body.data!.accounts.edges[0].node;
    const tree = h.g8.expectedCalculate(Number(account.providerId), sec(WINDOW.start), sec(WINDOW.end)).account
      .consumption;
    const byMetric = Object.fromEntries(account.consumption.map((p) => [p.metric, p.cost]));
    const { multiplyDecimals } = await import('../../../../src/lib/decimal.js');
    expect(byMetric.CU).toEqual({ amount: multiplyDecimals(tree.CU, '0.0125'), currency: 'EUR' });
    expect(byMetric.NU).toEqual({ amount: multiplyDecimals(tree.NU, '4.50'), currency: 'EUR' });
    expect(byMetric.SU).toEqual({ amount: multiplyDecimals(tree.SU, '0.01'), currency: 'USD' });
    expect(byMetric.TU).toBeNull();
    expect(account.cost).toEqual([
      {
        amount: sumDecimals([multiplyDecimals(tree.CU, '0.0125'), multiplyDecimals(tree.NU, '4.50')]),
        currency: 'EUR',
      },
      { amount: multiplyDecimals(tree.SU, '0.01'), currency: 'USD' },
    ]);
    const machine = account.cloudspaces[0].machines[0];
    expect(machine.cost.map((m) => m.currency)).toEqual(['EUR', 'USD']);
    expect(res.body.data!.usageReport.totals.map((m) => m.currency)).toEqual(['EUR', 'USD']);
    // cost, consumption and the usage report share the loaders: still one calculate per account.
    expect(h.g8.count({ route: 'billing/calculate' })).toBe(h.g8.data.accounts.length);
  });
});
