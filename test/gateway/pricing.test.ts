/**
 * Dated price lists and currencies over HTTP with the real simulators (docs/pricing.md): a price
 * change on a bucket boundary is priced exactly on both sides, a MONTH bucket spanning a change
 * equals the sum of its DAY buckets digit for digit, a metric without a price has a null cost and
 * is listed, virtual currencies stay out of totals, `currency: USD` converts with the dated rates
 * and lists what it could not, and upstream calls are unchanged when no change falls inside a bucket.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { multiplyDecimals, sumDecimals } from '../../src/lib/decimal.js';
import { KILLBILL_ROUTES } from '../../simulators/killbill/simulator.js';
import { startFullHarness, type FullHarness } from '../helpers/harness.js';

const CHANGE = '2026-10-02';
const CU = [
  { amount: '0.0125', currency: 'EUR', from: '2026-01-01' },
  { amount: '0.0150', currency: 'EUR', from: CHANGE },
];
const API_CALLS = [
  { amount: '0.001', currency: 'USD', from: '2026-01-01' },
  { amount: '0.002', currency: 'USD', from: CHANGE },
];
const OCTOBER = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

type Money = { amount: string; currency: string } | null;
interface Point {
  start: string;
  end: string;
  metric: string;
  unit: string;
  quantity: string;
  cost: Money;
  listCost: Money;
  provider: string;
  account: { id: string };
}
interface Report {
  usageReport: {
    points: Point[];
    totals: NonNullable<Money>[];
    virtualTotals: NonNullable<Money>[];
    unpricedMetrics: { source: { id: string }; metric: string; unit: string }[];
    converted: Money;
    unconverted: NonNullable<Money>[];
    errors: { code: string }[];
  };
}

const REPORT = /* GraphQL */ `
  query ($w: TimeWindow!, $g: Granularity, $p: [Provider!], $c: String) {
    usageReport(window: $w, granularity: $g, providers: $p, currency: $c) {
      points {
        start
        end
        metric
        unit
        quantity
        cost {
          amount
          currency
        }
        listCost {
          amount
          currency
        }
        provider
        account {
          id
        }
      }
      totals {
        amount
        currency
      }
      virtualTotals {
        amount
        currency
      }
      unpricedMetrics {
        source {
          id
        }
        metric
        unit
      }
      converted {
        amount
        currency
      }
      unconverted {
        amount
        currency
      }
      errors {
        code
      }
    }
  }
`;

let h: FullHarness;

beforeAll(async () => {
  h = await startFullHarness({
    now: () => Date.parse('2026-11-20T00:00:00Z'),
    sourceOverrides: {
      // Cold answers only: these cases count upstream calls.
      g8: { cache: { ttlSeconds: 0 }, prices: { CU, SU: { amount: '0.00004', currency: 'EUR' } } },
      kb: { cache: { ttlSeconds: 0 }, prices: { 'api-calls': API_CALLS } },
    },
    config: {
      currencies: {
        BUZZ: {
          rates: [
            { rate: '0.001', to: 'USD', from: '2026-01-01' },
            { rate: '0.002', to: 'USD', from: '2026-10-15' },
          ],
        },
        EUR: { rates: [{ rate: '1.08', to: 'USD', from: '2026-01-01' }] },
      },
    },
  });
});
afterAll(async () => h?.close());
beforeEach(() => h.resetAll());

async function report(variables: Record<string, unknown>): Promise<Report['usageReport']> {
  const res = await h.query<Report>(REPORT, variables);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data!.usageReport.errors).toEqual([]);
  return res.body.data!.usageReport;
}

const g8Calls = () => h.sims.g8!.count({ route: 'billing/calculate' });
const kbCalls = () => h.sims.kb!.count({ route: KILLBILL_ROUTES.usage });
const priced = (points: Point[], metric: string) => points.filter((p) => p.metric === metric);

describe('dated prices', () => {
  it('prices a change on a bucket boundary exactly on both sides, one call per bucket as before', async () => {
    const r = await report({
      w: { start: '2026-10-01T00:00:00Z', end: '2026-10-03T00:00:00Z' },
      g: 'DAY',
      p: ['OPENVCLOUD', 'KILLBILL'],
    });
    for (const [metric, list] of [
      ['CU', CU],
      ['api-calls', API_CALLS],
    ] as const) {
      const points = priced(r.points, metric);
      expect(new Set(points.map((p) => p.start))).toEqual(new Set(['2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z']));
      for (const p of points) {
        const price = p.start < '2026-10-02' ? list[0] : list[1];
        const expected = { amount: multiplyDecimals(p.quantity, price.amount), currency: price.currency };
        expect(p.cost).toEqual(expected);
        expect(p.listCost).toEqual(expected);
      }
    }
  });

  it('a MONTH bucket spanning a change equals the sum of its DAY buckets digit for digit', async () => {
    const key = (p: Point) => `${p.account.id}|${p.metric}|${p.unit}`;
    const month = await report({ w: OCTOBER, g: 'MONTH', p: ['OPENVCLOUD', 'KILLBILL'] });
    const days = await report({ w: OCTOBER, g: 'DAY', p: ['OPENVCLOUD', 'KILLBILL'] });
    const byKey = new Map<string, Point[]>();
    for (const p of days.points) byKey.set(key(p), [...(byKey.get(key(p)) ?? []), p]);
    expect(priced(month.points, 'CU').length).toBeGreaterThan(0);
    expect(priced(month.points, 'api-calls').length).toBeGreaterThan(0);
    for (const p of month.points) {
      const parts = byKey.get(key(p))!;
      expect(p.quantity, key(p)).toBe(sumDecimals(parts.map((d) => d.quantity)));
      if (p.metric === 'CU' || p.metric === 'api-calls' || p.metric === 'SU') {
        const currency = parts[0]!.cost!.currency;
        expect(p.cost, key(p)).toEqual({ amount: sumDecimals(parts.map((d) => d.cost!.amount)), currency });
        expect(p.listCost, key(p)).toEqual(p.cost);
      } else {
        expect(p.cost, key(p)).toBeNull();
        expect(parts.every((d) => d.cost === null)).toBe(true);
      }
    }
    expect(month.totals).toEqual(days.totals);
  });

  it('asks once per bucket when no change falls inside one, and once per piece of a bucket that a change splits', async () => {
    // November: no change inside any bucket, so one call per account (subscription) and bucket, as without prices.
    await report({ w: { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' }, p: ['OPENVCLOUD', 'KILLBILL'] });
    const [g8, kb] = [g8Calls(), kbCalls()];
    const accounts = await h.query<{ accounts: { totalCount: number } }>(
      '{ accounts(provider: OPENVCLOUD) { totalCount } }',
    );
    expect(g8).toBe(accounts.body.data!.accounts.totalCount);
    expect(kb).toBeGreaterThan(0);
    h.resetAll();
    await report({
      w: { start: '2026-11-01T00:00:00Z', end: '2026-11-08T00:00:00Z' },
      g: 'DAY',
      p: ['OPENVCLOUD', 'KILLBILL'],
    });
    expect([g8Calls(), kbCalls()]).toEqual([7 * g8, 7 * kb]);
    h.resetAll();
    await report({ w: OCTOBER, g: 'MONTH', p: ['OPENVCLOUD', 'KILLBILL'] });
    // October holds the change on the 2nd: each account is asked for its two pieces.
    expect([g8Calls(), kbCalls()]).toEqual([2 * g8, 2 * kb]);
  });

  it('leaves a metric without a price at a null cost, never zero, and lists it', async () => {
    const r = await report({ w: OCTOBER, p: ['OPENVCLOUD', 'KILLBILL'] });
    const tu = priced(r.points, 'TU');
    expect(tu.length).toBeGreaterThan(0);
    expect(tu.every((p) => p.cost === null && p.listCost === null)).toBe(true);
    const listed = r.unpricedMetrics.map((m) => `${m.source.id}|${m.metric}|${m.unit}`);
    expect(listed).toContain(`g8|TU|${tu[0]!.unit}`);
    expect(listed).not.toContain(`g8|CU|${priced(r.points, 'CU')[0]!.unit}`);
    const unpricedKb = [
      ...new Set(r.points.filter((p) => p.provider === 'KILLBILL' && p.cost === null).map((p) => p.metric)),
    ];
    expect(unpricedKb.length).toBeGreaterThan(0);
    for (const metric of unpricedKb) expect(listed.some((l) => l.startsWith(`kb|${metric}|`))).toBe(true);
    expect(listed.some((l) => l.startsWith('kb|api-calls|'))).toBe(false);
  });
});

describe('currencies', () => {
  it('keeps BUZZ and CREDITS in virtualTotals only, and totals in ISO 4217 currencies', async () => {
    const r = await report({ w: OCTOBER });
    expect(r.totals.map((t) => t.currency)).toEqual(['EUR', 'USD']);
    expect(r.virtualTotals.map((t) => t.currency)).toEqual(['BUZZ', 'CREDITS']);
    for (const { currency, amount } of [...r.totals, ...r.virtualTotals])
      expect(amount).toBe(
        sumDecimals(r.points.filter((p) => p.cost?.currency === currency).map((p) => p.cost!.amount)),
      );
    expect(r.converted).toBeNull();
    expect(r.unconverted).toEqual([]);
  });

  it('converts into USD with the dated rates and lists what it could not convert', async () => {
    const r = await report({ w: OCTOBER, c: 'USD' });
    const costs = (currency: string) =>
      r.points.filter((p) => p.cost?.currency === currency).map((p) => p.cost!.amount);
    expect(r.converted).toEqual({
      // EUR at 1.08 from January; BUZZ's rate changes on the 15th, inside October's bucket.
      amount: sumDecimals([...costs('USD'), ...costs('EUR').map((a) => multiplyDecimals(a, '1.08'))]),
      currency: 'USD',
    });
    expect(r.unconverted).toEqual([
      { amount: sumDecimals(costs('BUZZ')), currency: 'BUZZ' },
      { amount: sumDecimals(costs('CREDITS')), currency: 'CREDITS' },
    ]);
  });

  it('converts each DAY bucket at the rate valid at its start', async () => {
    const r = await report({
      w: { start: '2026-10-14T00:00:00Z', end: '2026-10-16T00:00:00Z' },
      g: 'DAY',
      p: ['CIVITAI'],
      c: 'USD',
    });
    const buzz = r.points.filter((p) => p.cost?.currency === 'BUZZ');
    expect(buzz.map((p) => p.start)).toEqual(['2026-10-14T00:00:00Z', '2026-10-15T00:00:00Z']);
    expect(r.converted).toEqual({
      amount: sumDecimals([
        multiplyDecimals(buzz[0]!.cost!.amount, '0.001'),
        multiplyDecimals(buzz[1]!.cost!.amount, '0.002'),
      ]),
      currency: 'USD',
    });
    expect(r.unconverted).toEqual([]);
  });
});
