import { getOperationAST, getVariableValues, parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGatewaySchema } from '../../../../src/gatewaySchema.js';
import { readCostTable, type CostTable } from '../../../../src/schema/limits/costTable.js';
import { estimateCost } from '../../../../src/schema/limits/estimateCost.js';

const FIVE = [
  { id: 'g8', provider: 'OPENVCLOUD' },
  { id: 'kb', provider: 'KILLBILL' },
  { id: 'hs', provider: 'HYPERSTACK' },
  { id: 'civitai', provider: 'CIVITAI' },
  { id: 'theirstack', provider: 'THEIRSTACK' },
];
const limits = { maxWindowDays: 366, maxHourWindowDays: 31, defaultListSize: 10 };
const WEEK = { start: '2026-10-05T00:00:00Z', end: '2026-10-12T00:00:00Z' };

describe('estimateCost', () => {
  let schema: ReturnType<typeof createGatewaySchema>;
  let table: CostTable;
  beforeAll(() => {
    schema = createGatewaySchema();
    table = readCostTable(schema);
  });

  const estimate = (query: string, variables: Record<string, unknown> = {}, sources = FIVE) => {
    const document = parse(query);
    const operation = getOperationAST(document)!;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) throw coerced.errors[0];
    return estimateCost({ schema, table, document, operation, variables: coerced.coerced, limits, sources });
  };

  it('counts one object per configured source for sources, and nothing for scalars', () => {
    expect(estimate(`{ sources { id provider name } }`)).toBe(5);
    expect(estimate(`{ sources { id } }`, {}, FIVE.slice(0, 2))).toBe(2);
  });

  it('gives the exact cost of a known query: calls per source and per bucket, objects per item', () => {
    // accounts: 10 per source asked × 5 = 50, + the connection 1; edges: first 2 → 2 × (edge 1 + account 1
    // + consumption: 7 daily buckets × (10 per call + 5 points × 1)) = 2 × 107.
    const query = `query($w: TimeWindow!) { accounts(first: 2) { totalCount edges { node { consumption(window: $w, granularity: DAY) { quantity } } } } }`;
    expect(estimate(query, { w: WEEK })).toBe(50 + 1 + 2 * (1 + 1 + 7 * 10 + 7 * 5));
    expect(estimate(query, { w: { ...WEEK, end: '2026-10-06T00:00:00Z' } })).toBe(50 + 1 + 2 * (1 + 1 + 10 + 5));
  });

  it('uses the slicing argument as an upper bound on the assumed size per source asked', () => {
    const edges = (args: string) => estimate(`{ accounts${args} { edges { node { id } } } }`);
    // Each edge is 2 objects (edge, account); accounts asks 5 sources (50 in calls) unless narrowed.
    expect(edges('(first: 3)')).toBe(50 + 1 + 3 * 2);
    expect(edges('')).toBe(50 + 1 + 50 * 2); // default first 50, assumed 10 × 5 sources = 50
    expect(edges('(first: 500)')).toBe(50 + 1 + 50 * 2);
    expect(edges('(provider: OPENVCLOUD)')).toBe(10 + 1 + 10 * 2);
    expect(edges('(source: "kb", first: 4)')).toBe(10 + 1 + 4 * 2);
  });

  it('honours variables: slicing, windows, granularity and @skip/@include', () => {
    const query = `query($n: Int, $w: TimeWindow!, $g: Granularity, $skip: Boolean!) { accounts(first: $n) { edges @skip(if: $skip) { node { consumption(window: $w, granularity: $g) { quantity } } } } }`;
    expect(estimate(query, { n: 1, w: WEEK, skip: false })).toBe(50 + 1 + (1 + 1 + 10 + 5));
    expect(estimate(query, { n: 1, w: WEEK, g: 'DAY', skip: false })).toBe(50 + 1 + (1 + 1 + 70 + 35));
    expect(estimate(query, { n: 1, w: WEEK, g: 'HOUR', skip: false })).toBe(50 + 1 + (1 + 1 + 168 * 15));
    expect(estimate(query, { n: 1, w: WEEK, skip: true })).toBe(50 + 1);
  });

  it('multiplies a per-source field by the sources its providers argument names', () => {
    const report = (providers: string) =>
      estimate(
        `query($w: TimeWindow!) { usageReport(window: $w, granularity: DAY${providers}) { points { quantity } } }`,
        { w: WEEK },
      );
    // Per source: 7 buckets × 100 in calls + 7 × (report 1 + 50 points).
    expect(report('')).toBe(5 * (700 + 7 * 51));
    expect(report(', providers: [OPENVCLOUD, KILLBILL]')).toBe(2 * (700 + 7 * 51));
  });

  it('sizes usageReport groups by first, and counts them once per bucket and source like the report', () => {
    const groups = (first: number, granularity: string) =>
      estimate(
        `query($w: TimeWindow!) { usageReport(window: $w, granularity: ${granularity}, groupBy: [PROVIDER]) { groups(first: ${first}) { totalCount edges { node { totals { amount } series { start } } } } } }`,
        { w: WEEK },
      );
    // Per source: 100 per bucket in calls + per bucket (report 1 + connection 1 + first × (edge 1 + group 1
    // + 2 totals + 1 series point)). The window is one ISO week: WEEK is 1 bucket, DAY 7.
    expect(groups(10, 'WEEK')).toBe(5 * (100 + (1 + 1 + 10 * 5)));
    expect(groups(10, 'DAY')).toBe(5 * (700 + 7 * (1 + 1 + 10 * 5)));
    // first above the assumed size is capped by it (50).
    expect(groups(500, 'WEEK')).toBe(5 * (100 + (1 + 1 + 50 * 5)));
  });

  it('estimates a fragment once and multiplies it by its uses: 10^9 expansions without expanding them', () => {
    const fragments = ['fragment F0 on Account { source { id } }'];
    for (let i = 1; i <= 9; i++)
      fragments.push(`fragment F${i} on Account { ${Array.from({ length: 10 }, () => `...F${i - 1}`).join(' ')} }`);
    // 10^9 expansions could not be checked within the test's timeout: finishing at all shows each fragment is visited once.
    const cost = estimate(`{ accounts(first: 1) { edges { node { ...F9 } } } }\n${fragments.join('\n')}`);
    expect(cost).toBe(50 + 1 + 1 + 1 + 1e9);
  });

  it('estimates a fragment on a connection with the size of the connection it is spread under', () => {
    const query = `{ a: accounts(first: 2) { ...Page } b: accounts(first: 3) { ...Page } } fragment Page on AccountConnection { edges { node { id } } }`;
    expect(estimate(query)).toBe(50 + 1 + 2 * 2 + (50 + 1 + 3 * 2));
  });

  it('costs introspection nothing: it never calls a source and has its own depth cap', () => {
    expect(estimate(`{ __schema { types { name fields { name } } } }`)).toBe(0);
  });

  it('validates every window, literal or variable, with the runtime messages', () => {
    expect(() =>
      estimate(
        `{ accounts { edges { node { cost(window: { start: "2026-10-08T00:00:00Z", end: "2026-10-01T00:00:00Z" }) { amount } } } } }`,
      ),
    ).toThrow('Argument "window": end "2026-10-01T00:00:00Z" must be after start "2026-10-08T00:00:00Z".');
    expect(() =>
      estimate(`query($w: TimeWindow!) { usageReport(window: $w, granularity: HOUR) { totals { amount } } }`, {
        w: { start: '2026-08-01T00:00:00Z', end: '2026-10-01T00:00:00Z' },
      }),
    ).toThrow(/HOUR granularity allows at most 31 days/);
    expect(() =>
      estimate(`query($w: TimeWindow!) { usageReport(window: $w) { totals { amount } } }`, {
        w: { ...WEEK, timeZone: 'Mars/Olympus_Mons' },
      }),
    ).toThrow(/"window.timeZone" must be an IANA time zone/);
  });
});
