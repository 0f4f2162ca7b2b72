/**
 * usageReport's groups over HTTP against every simulator: groups add up to the report's totals
 * digit for digit whatever the grouping, the sort is cost-descending and deterministic, top folds
 * into one others group, pages neither repeat nor skip, filters narrow points, totals and groups
 * alike, WEEK buckets start on Mondays, and resource-level groupings cost only the listing calls
 * they need (counted on the simulators).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compareDecimals, sumDecimals } from '../../../src/lib/decimal.js';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';
import { SOURCE_IDS } from '../../helpers/providers.js';

const OCTOBER = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

interface Money {
  amount: string;
  currency: string;
}
interface Quantity {
  metric: string;
  unit: string;
  quantity: string;
}
interface Group {
  key: { dimension: string; value: string; label: string | null }[];
  others: boolean;
  groupCount: number;
  totals: Money[];
  virtualTotals: Money[];
  quantities: Quantity[];
  series: { start: string; end: string; totals: Money[]; virtualTotals: Money[]; quantities: Quantity[] }[];
  complete: boolean;
}
interface Report {
  usageReport: {
    totals: Money[];
    virtualTotals: Money[];
    complete: boolean;
    points: { metric: string; unit: string; quantity: string; resource: { id: string } | null }[];
    groups: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: { cursor: string; node: Group }[];
    };
  };
}

const REPORT = /* GraphQL */ `
  query Report(
    $w: TimeWindow!
    $g: Granularity
    $by: [ReportDimension!]
    $filter: UsageFilter
    $first: Int
    $after: String
    $top: Int
    $cur: String
  ) {
    usageReport(window: $w, granularity: $g, groupBy: $by, filter: $filter) {
      totals {
        amount
        currency
      }
      virtualTotals {
        amount
        currency
      }
      complete
      points {
        metric
        unit
        quantity
        resource {
          id
        }
      }
      groups(first: $first, after: $after, top: $top, sortCurrency: $cur) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            key {
              dimension
              value
              label
            }
            others
            groupCount
            totals {
              amount
              currency
            }
            virtualTotals {
              amount
              currency
            }
            quantities {
              metric
              unit
              quantity
            }
            series {
              start
              end
              totals {
                amount
                currency
              }
              virtualTotals {
                amount
                currency
              }
              quantities {
                metric
                unit
                quantity
              }
            }
            complete
          }
        }
      }
    }
  }
`;

let h: FullHarness;

beforeAll(async () => {
  // A fixed "now" after the windows asked, so every bucket is final and the answers do not move.
  h = await startFullHarness({ now: () => Date.parse('2026-11-20T00:00:00Z') });
});
afterAll(async () => h?.close());
beforeEach(() => h.resetAll());

async function report(variables: Record<string, unknown>) {
  const res = await h.query<Report>(REPORT, { w: OCTOBER, first: 500, ...variables });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.usageReport;
}

/** Exact per-currency sums, sorted by currency: the shape of `totals`. */
const sumByCurrency = (monies: readonly Money[]): Money[] => {
  const by = new Map<string, string[]>();
  for (const m of monies) by.set(m.currency, [...(by.get(m.currency) ?? []), m.amount]);
  return [...by.keys()].sort().map((currency) => ({ currency, amount: sumDecimals(by.get(currency)!) }));
};
const sumByMetric = (quantities: readonly Quantity[]): Record<string, string> => {
  const by = new Map<string, string[]>();
  for (const q of quantities) by.set(`${q.metric}/${q.unit}`, [...(by.get(`${q.metric}/${q.unit}`) ?? []), q.quantity]);
  return Object.fromEntries([...by.keys()].sort().map((k) => [k, sumDecimals(by.get(k)!)]));
};
const nodes = (r: Report['usageReport']) => r.groups.edges.map((e) => e.node);
const keyOf = (g: Group) => g.key.map((p) => p.value).join('|');
/** Per-source request counts of the simulators since the last reset. */
const calls = () => Object.fromEntries(SOURCE_IDS.map((id) => [id, h.sims[id]!.requests.map((r) => r.route).sort()]));
const count = (id: string, route: string) => h.sims[id]!.count({ route });

/** The group subtotals add up to the report's totals (and quantities to its points') digit for digit. */
function expectSubtotalsAddUp(r: Report['usageReport']) {
  const groups = nodes(r);
  expect(r.groups.totalCount).toBe(groups.length);
  expect(sumByCurrency(groups.flatMap((g) => g.totals))).toEqual(r.totals);
  expect(sumByCurrency(groups.flatMap((g) => g.virtualTotals))).toEqual(r.virtualTotals);
  expect(sumByMetric(groups.flatMap((g) => g.quantities))).toEqual(sumByMetric(r.points.map((p) => p)));
  for (const g of groups) {
    // Each group's series adds up to its totals.
    expect(sumByCurrency(g.series.flatMap((s) => s.totals))).toEqual(g.totals);
    expect(sumByCurrency(g.series.flatMap((s) => s.virtualTotals))).toEqual(g.virtualTotals);
    expect(sumByMetric(g.series.flatMap((s) => s.quantities))).toEqual(sumByMetric(g.quantities));
  }
}

describe('usageReport groups', () => {
  it('without groupBy: one group with an empty key holding exactly the report totals, at no extra upstream call', async () => {
    const plain = await report({});
    const plainCalls = calls();
    h.resetAll();
    const r = await report({ by: [] });
    expect(calls()).toEqual(plainCalls);
    expect(r.complete).toBe(true);
    expect(nodes(r)).toHaveLength(1);
    expect(nodes(r)[0]!.key).toEqual([]);
    expect(nodes(r)[0]!.totals).toEqual(plain.totals);
    // EUR and USD billed, BUZZ and CREDITS virtual: every currency of the demo, none summed with another.
    expect(r.totals.map((t) => t.currency)).toEqual(['EUR', 'USD']);
    expect(r.virtualTotals.map((t) => t.currency)).toEqual(['BUZZ', 'CREDITS']);
    expectSubtotalsAddUp(r);
  });

  it.each([
    [['PROVIDER']],
    [['SOURCE', 'ACCOUNT']],
    [['METRIC']],
    [['SUB_ACCOUNT']],
    [['RESOURCE']],
    [['RESOURCE_TYPE', 'METRIC']],
    [['PROVIDER', 'SUB_ACCOUNT', 'RESOURCE']],
  ])('by %j: subtotals equal the totals digit for digit, and the totals do not move', async (by) => {
    const plain = await report({});
    const r = await report({ by });
    expect(r.totals).toEqual(plain.totals);
    expect(r.complete).toBe(true);
    expect(nodes(r).every((g) => g.complete && g.key.map((p) => p.dimension).join() === by.join())).toBe(true);
    expectSubtotalsAddUp(r);
  });

  it('by PROVIDER: one group per provider, sorted by the sort currency descending, ties by key', async () => {
    const r = await report({ by: ['PROVIDER'], cur: 'USD' });
    const groups = nodes(r);
    expect(groups.map(keyOf).sort()).toEqual(['CIVITAI', 'HYPERSTACK', 'KILLBILL', 'OPENVCLOUD', 'THEIRSTACK']);
    // The demo prices Kill Bill's usage in USD (docs/pricing.md), above Hyperstack's bills.
    expect(groups[0]!.key[0]!.value).toBe('KILLBILL');
    const usd = (g: Group) => g.totals.find((t) => t.currency === 'USD')?.amount ?? '0';
    for (let i = 1; i < groups.length; i++) {
      const order = compareDecimals(usd(groups[i - 1]!), usd(groups[i]!));
      expect(order).toBeGreaterThanOrEqual(0);
      if (order === 0) expect(keyOf(groups[i - 1]!) < keyOf(groups[i]!)).toBe(true);
    }
    // The default currency is the billing currency pricing the most points: USD (Hyperstack's bills
    // and the demo's Kill Bill prices), never a virtual one however many points it prices.
    const byDefault = await report({ by: ['PROVIDER'] });
    expect(byDefault.groups.edges[0]!.node.totals.map((t) => t.currency)).toEqual(['USD']);
  });

  it('by SOURCE: groups carry the source name as label', async () => {
    const r = await report({ by: ['SOURCE'] });
    const sources = await h.query<{ sources: { id: string; name: string }[] }>('{ sources { id name } }');
    const names = Object.fromEntries(sources.body.data!.sources.map((s) => [s.id, s.name]));
    for (const g of nodes(r)) expect(g.key[0]!.label).toBe(names[g.key[0]!.value]);
  });

  it('by SUB_ACCOUNT: cloudspaces and subscriptions cost one cloudspace listing and no other call', async () => {
    await report({});
    const plain = calls();
    h.resetAll();
    const r = await report({ by: ['SOURCE', 'SUB_ACCOUNT'] });
    const now = calls();
    expect(now.g8).toEqual([...plain.g8!, 'cloudspaces/list'].sort());
    for (const id of SOURCE_IDS.filter((s) => s !== 'g8')) expect(now[id]).toEqual(plain[id]);
    const g8 = nodes(r).filter((g) => g.key[0]!.value === 'g8');
    expect(g8.length).toBeGreaterThan(1);
    expect(g8.every((g) => g.key[1]!.label !== null)).toBe(true);
    const kb = nodes(r).filter((g) => g.key[0]!.value === 'kb' && g.key[1]!.value !== '__unallocated__');
    expect(kb.length).toBeGreaterThan(1);
    // A source without sub-accounts answers each account as its own.
    const civitai = nodes(r).filter((g) => g.key[0]!.value === 'civitai');
    expect(civitai.every((g) => g.key[1]!.value !== '__unallocated__')).toBe(true);
  });

  it('by RESOURCE: G8 reads its machine listings once each and calculate no more; the rest is __unallocated__', async () => {
    await report({});
    const calculate = count('g8', 'billing/calculate');
    const plain = calls();
    h.resetAll();
    const r = await report({ by: ['RESOURCE'] });
    expect(count('g8', 'billing/calculate')).toBe(calculate);
    expect(count('g8', 'cloudspaces/list')).toBe(1);
    const cloudspaces = await h.query<{ accounts: { edges: { node: { cloudspaces: { id: string }[] } }[] } }>(
      '{ accounts(source: "g8") { edges { node { cloudspaces { id } } } } }',
    );
    const spaces = cloudspaces.body.data!.accounts.edges.flatMap((e) => e.node.cloudspaces).length;
    expect(count('g8', 'machines/list')).toBe(spaces);
    // Sources without resources make exactly the calls of the plain report.
    for (const id of ['kb', 'civitai', 'theirstack']) expect(calls()[id]).toEqual(plain[id]);
    const unallocated = nodes(r).filter((g) => g.key[0]!.value === '__unallocated__');
    expect(unallocated).toHaveLength(1);
    expect(unallocated[0]!.key[0]!.label).toBe('Unallocated');
    expect(nodes(r).filter((g) => g.key[0]!.value !== '__unallocated__').length).toBeGreaterThan(10);
  });

  it('top: N keeps the N most expensive and folds the rest into one others group that adds up', async () => {
    const all = await report({ by: ['SOURCE', 'SUB_ACCOUNT'] });
    const r = await report({ by: ['SOURCE', 'SUB_ACCOUNT'], top: 3 });
    const groups = nodes(r);
    expect(r.groups.totalCount).toBe(4);
    expect(groups.slice(0, 3)).toEqual(nodes(all).slice(0, 3));
    const others = groups[3]!;
    expect(others.others).toBe(true);
    expect(others.key.map((p) => [p.dimension, p.value])).toEqual([
      ['SOURCE', '__others__'],
      ['SUB_ACCOUNT', '__others__'],
    ]);
    expect(others.groupCount).toBe(all.groups.totalCount - 3);
    expect(others.totals).toEqual(
      sumByCurrency(
        nodes(all)
          .slice(3)
          .flatMap((g) => g.totals),
      ),
    );
    expectSubtotalsAddUp(r);
  });

  it('pages through the groups with cursors: no group repeated or skipped', async () => {
    const all = nodes(await report({ by: ['RESOURCE'] }));
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const r = await report({ by: ['RESOURCE'], first: 4, after });
      expect(r.groups.totalCount).toBe(all.length);
      expect(r.groups.edges.length).toBeLessThanOrEqual(4);
      seen.push(...nodes(r).map(keyOf));
      after = r.groups.pageInfo.hasNextPage ? r.groups.pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 100);
    expect(pages).toBe(Math.ceil(all.length / 4));
    expect(seen).toEqual(all.map(keyOf));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses a stale or foreign cursor with BAD_USER_INPUT', async () => {
    const first = await report({ by: ['RESOURCE'], first: 2 });
    const res = await h.query<Report>(REPORT, {
      w: OCTOBER,
      by: ['SOURCE'],
      first: 2,
      after: first.groups.pageInfo.endCursor,
    });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toMatch(/pass the same usageReport and groups arguments/);
  });
});

describe('usageReport filter', () => {
  it('filter.providers and filter.sources narrow points, totals and groups alike, and ask no other source', async () => {
    const byProvider = await report({ by: ['PROVIDER'] });
    const r = await report({ by: ['PROVIDER'], filter: { sources: ['hs', 'civitai'] } });
    expect(nodes(r).map(keyOf).sort()).toEqual(['CIVITAI', 'HYPERSTACK']);
    expect(r.totals).toEqual(
      sumByCurrency(
        nodes(byProvider)
          .filter((g) => ['CIVITAI', 'HYPERSTACK'].includes(keyOf(g)))
          .flatMap((g) => g.totals),
      ),
    );
    expect(count('g8', 'accounts/list')).toBe(1); // from the unfiltered report only
    h.resetAll();
    const kb = await report({ filter: { providers: ['KILLBILL'] } });
    expect(kb.totals.map((t) => t.currency)).toEqual(['USD']);
    expect(h.sims.g8!.requests).toHaveLength(0);
    expect(h.sims.kb!.requests.length).toBeGreaterThan(0);
  });

  it('filter.accounts keeps only those accounts', async () => {
    const list = await h.query<{ accounts: { edges: { node: { id: string } }[] } }>(
      '{ accounts(source: "g8") { edges { node { id } } } }',
    );
    const ids = list.body.data!.accounts.edges.map((e) => e.node.id).slice(0, 2);
    const all = await report({ by: ['ACCOUNT'] });
    h.resetAll();
    const r = await report({ by: ['ACCOUNT'], filter: { accounts: ids } });
    expect(nodes(r).map(keyOf).sort()).toEqual([...ids].sort());
    expect(r.totals).toEqual(
      sumByCurrency(
        nodes(all)
          .filter((g) => ids.includes(keyOf(g)))
          .flatMap((g) => g.totals),
      ),
    );
    // Only the accounts' source is asked, and only for those accounts.
    for (const id of SOURCE_IDS.filter((s) => s !== 'g8')) expect(h.sims[id]!.requests).toHaveLength(0);
    expect(count('g8', 'billing/calculate')).toBe(2);
  });

  it('filter.metrics keeps only those metrics', async () => {
    const r = await report({ by: ['METRIC'], filter: { metrics: ['CU', 'incurred_bill'] } });
    expect(nodes(r).map(keyOf).sort()).toEqual(['CU', 'incurred_bill']);
    expect(new Set(r.points.map((p) => p.metric))).toEqual(new Set(['CU', 'incurred_bill']));
    expectSubtotalsAddUp(r);
  });

  it('filter.resourceTypes answers resource-level points of those types, equal to their RESOURCE_TYPE group', async () => {
    const byType = await report({ by: ['RESOURCE_TYPE'] });
    const machine = nodes(byType).find((g) => keyOf(g) === 'MACHINE')!;
    const r = await report({ by: ['RESOURCE'], filter: { resourceTypes: ['MACHINE'] } });
    expect(r.totals).toEqual(machine.totals);
    expect(r.points.length).toBeGreaterThan(0);
    expect(r.points.every((p) => p.resource !== null)).toBe(true);
    expect(nodes(r).every((g) => g.key[0]!.value !== '__unallocated__')).toBe(true);
    expectSubtotalsAddUp(r);
  });

  it('refuses an unknown source id with BAD_USER_INPUT naming the configured ones', async () => {
    const res = await h.query<Report>(REPORT, { w: OCTOBER, filter: { sources: ['nope'] } });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toBe(
      `Argument "filter.sources" must list configured source ids (${SOURCE_IDS.map((s) => `"${s}"`).join(', ')}), got "nope".`,
    );
    const machine = await h.query<Report>(REPORT, { w: OCTOBER, filter: { accounts: ['bm90LWFuLWlk'] } });
    expect(machine.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(machine.body.errors?.[0]?.message).toMatch(/^Argument "filter.accounts"/);
  });
});

describe('usageReport WEEK', () => {
  it('buckets by ISO weeks from Monday, partial at both ends, and every group’s series adds up', async () => {
    const total = await report({ by: ['PROVIDER'] });
    const totalCalls = { kb: count('kb', 'usages/get'), g8: count('g8', 'billing/calculate') };
    h.resetAll();
    const r = await report({ g: 'WEEK', by: ['PROVIDER'] });
    expect(r.complete).toBe(true);
    // Five weeks add up to the month, digit for digit.
    expect(r.totals).toEqual(total.totals);
    const series = nodes(r)[0]!.series.map((s) => `${s.start}/${s.end}`);
    expect(series).toEqual([
      '2026-10-01T00:00:00Z/2026-10-05T00:00:00Z',
      '2026-10-05T00:00:00Z/2026-10-12T00:00:00Z',
      '2026-10-12T00:00:00Z/2026-10-19T00:00:00Z',
      '2026-10-19T00:00:00Z/2026-10-26T00:00:00Z',
      '2026-10-26T00:00:00Z/2026-11-01T00:00:00Z',
    ]);
    expectSubtotalsAddUp(r);
    // Kill Bill is asked once per (subscription, week), G8 once per (account, week).
    expect(count('kb', 'usages/get')).toBe(5 * totalCalls.kb);
    expect(count('g8', 'billing/calculate')).toBe(5 * totalCalls.g8);
  });
});

describe('a report whose resources cannot be read', () => {
  it('keeps the account totals, all __unallocated__, names the source and marks its groups incomplete', async () => {
    const healthy = await report({ by: ['PROVIDER', 'RESOURCE'] });
    h.resetAll();
    h.sims.hs!.injectFault({ route: 'get_vm_billing_history', fault: { kind: 'status', status: 503 } });
    const res = await h.query<Report>(REPORT, { w: OCTOBER, by: ['PROVIDER', 'RESOURCE'], first: 500 });
    const named = (res.body.errors ?? []).filter((e) => e.extensions?.source === 'hs');
    expect(named).toHaveLength(1);
    expect(named[0]!.path).toEqual(['usageReport']);
    const r = res.body.data!.usageReport;
    expect(r.complete).toBe(false);
    // The account's own consumption was read: the totals do not move, and the groups still add up.
    expect(r.totals).toEqual(healthy.totals);
    expectSubtotalsAddUp(r);
    const hs = nodes(r).filter((g) => g.key[0]!.value === 'HYPERSTACK');
    expect(hs.map((g) => [g.key[1]!.value, g.complete])).toEqual([['__unallocated__', false]]);
    expect(
      nodes(r)
        .filter((g) => g.key[0]!.value !== 'HYPERSTACK')
        .every((g) => g.complete),
    ).toBe(true);
  });
});

describe('usageReport WEEK in a time zone', () => {
  it('starts weeks on local Mondays (Madrid, across the October DST change: a 169-hour week)', async () => {
    const w = { start: '2026-10-04T22:00:00Z', end: '2026-11-01T23:00:00Z', timeZone: 'Europe/Madrid' };
    const res = await h.query<Report>(REPORT, { w, g: 'WEEK', by: ['PROVIDER'], first: 500 });
    const r = res.body.data!.usageReport;
    const series = nodes(r)[0]!.series.map((s) => `${s.start}/${s.end}`);
    expect(series).toEqual([
      '2026-10-04T22:00:00Z/2026-10-11T22:00:00Z',
      '2026-10-11T22:00:00Z/2026-10-18T22:00:00Z',
      '2026-10-18T22:00:00Z/2026-10-25T23:00:00Z',
      '2026-10-25T23:00:00Z/2026-11-01T23:00:00Z',
    ]);
    // Whatever a source cannot answer exactly in this zone is named, never estimated; the rest adds up.
    for (const e of res.body.errors ?? []) expect(e.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.complete).toBe((res.body.errors ?? []).length === 0);
    expectSubtotalsAddUp(r);
  });
});

describe('a report that lacks a source', () => {
  it('is incomplete with the source named at usageReport, and marks incomplete only the groups it could have fed', async () => {
    h.sims.kb!.injectFault({ fault: { kind: 'status', status: 503 } });
    const res = await h.query<Report>(REPORT, { w: OCTOBER, by: ['SOURCE'], first: 500 });
    const named = (res.body.errors ?? []).filter((e) => e.extensions?.source === 'kb');
    expect(named).toHaveLength(1);
    expect(named[0]!.path).toEqual(['usageReport']);
    const r = res.body.data!.usageReport;
    expect(r.complete).toBe(false);
    expect(nodes(r).map(keyOf)).not.toContain('kb');
    expect(nodes(r).every((g) => g.complete)).toBe(true);
    expectSubtotalsAddUp(r);

    const byMetric = await h.query<Report>(REPORT, { w: OCTOBER, by: ['METRIC'], first: 500 });
    expect(nodes(byMetric.body.data!.usageReport).every((g) => !g.complete)).toBe(true);
    const byProvider = await h.query<Report>(REPORT, { w: OCTOBER, by: ['PROVIDER'], first: 500, top: 1 });
    // No group names Kill Bill (it fed none), so no group, the others group included, lacks anything.
    const groups = nodes(byProvider.body.data!.usageReport);
    expect(groups.map((g) => g.others)).toEqual([false, true]);
    expect(groups.every((g) => g.complete)).toBe(true);
    expectSubtotalsAddUp(byProvider.body.data!.usageReport);
  });
});
