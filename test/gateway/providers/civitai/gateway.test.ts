import Big from 'big.js';
import type { AccountAnswer, AccountsAnswer, PointAnswer } from '../../../helpers/harness.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CIVITAI_ROUTES, type CivitaiSimulator } from '../../../../simulators/civitai/simulator.js';
import { startFullHarness, type FullHarness, type GraphQLResponse } from '../../../helpers/harness.js';

const ms = (iso: string) => Date.parse(iso);
// Three Madrid days, the middle one the 25-hour day of the 2026-10-25 fall-back.
const MADRID = { start: '2026-10-24T00:00:00+02:00', end: '2026-10-27T00:00:00+01:00', timeZone: 'Europe/Madrid' };
const MADRID_DAYS = [
  ['2026-10-23T22:00:00Z', '2026-10-24T22:00:00Z'],
  ['2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z'],
  ['2026-10-25T23:00:00Z', '2026-10-26T23:00:00Z'],
] as const;

const CIVITAI_ACCOUNT = /* GraphQL */ `
  query ($w: TimeWindow!, $g: Granularity) {
    accounts(provider: CIVITAI) {
      totalCount
      errors {
        code
      }
      edges {
        node {
          id
          provider
          providerId
          name
          source {
            id
          }
          consumption(window: $w, granularity: $g) {
            start
            end
            metric
            quantity
            unit
            cost {
              amount
              currency
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
`;

describe('Civitai through the gateway', () => {
  let h: FullHarness;
  let sim: CivitaiSimulator;
  beforeAll(async () => {
    h = await startFullHarness();
    sim = h.sims.civitai as CivitaiSimulator;
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  const calls = () => sim.count({ route: CIVITAI_ROUTES.consumption });
  const sentWindows = () => sim.requests.map((r) => `${r.query.startDate}/${r.query.endDate}`);

  it('lists one account per source, named after it, without an upstream call', async () => {
    const res = await h.query(
      `{ accounts(provider: CIVITAI) { totalCount edges { node { id provider providerId name source { id } } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.accounts.totalCount).toBe(1);
    expect(res.body.data!.accounts.edges[0].node).toMatchObject({
      provider: 'CIVITAI',
      providerId: 'civitai',
      name: 'Civitai simulator',
      source: { id: 'civitai' },
    });
    expect(calls()).toBe(0);
    const id = res.body.data!.accounts.edges[0].node.id;
    const again = await h.query(`query($id: ID!) { account(id: $id) { id providerId } node(id: $id) { id } }`, { id });
    expect(again.body.data).toEqual({ account: { id, providerId: 'civitai' }, node: { id } });
  });

  it('DAY in Europe/Madrid: buckets on Madrid midnights (a 25-hour day at the DST change), exact numbers, one call per day', async () => {
    const res = await h.query(CIVITAI_ACCOUNT, { w: MADRID, g: 'DAY' });
    expect(res.body.errors).toBeUndefined();
    const points = res.body.data!.accounts.edges[0].node.consumption;
    expect(points).toEqual(
      MADRID_DAYS.map(([start, end]) => {
        const e = sim.expectedConsumption(ms(start), ms(end));
        return {
          start,
          end,
          metric: 'images',
          quantity: String(e.images),
          unit: 'image',
          cost: { amount: e.totalCost, currency: 'BUZZ' },
          isFinal: true,
          provider: 'CIVITAI',
          account: { providerId: 'civitai' },
          resource: null,
        };
      }),
    );
    expect(sentWindows()).toEqual(MADRID_DAYS.map(([s, e]) => `${s}/${e}`));
  });

  it('TOTAL and cost for the same window share one upstream call; DAY adds one per day', async () => {
    const res = await h.query<
      AccountsAnswer<Pick<AccountAnswer, 'cost'> & { total: PointAnswer[]; again: PointAnswer[]; days: PointAnswer[] }>
    >(
      /* GraphQL */ `
        query ($w: TimeWindow!) {
          accounts(provider: CIVITAI) {
            edges {
              node {
                total: consumption(window: $w) {
                  quantity
                  cost {
                    amount
                    currency
                  }
                }
                again: consumption(window: $w, granularity: TOTAL) {
                  quantity
                }
                days: consumption(window: $w, granularity: DAY) {
                  cost {
                    amount
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
      `,
      { w: MADRID },
    );
    expect(res.body.errors).toBeUndefined();
    const node = res.body.data!.accounts.edges[0].node;
    const whole = sim.expectedConsumption(ms(MADRID_DAYS[0][0]), ms(MADRID_DAYS[2][1]));
    expect(node.total).toEqual([
      { quantity: String(whole.images), cost: { amount: whole.totalCost, currency: 'BUZZ' } },
    ]);
    expect(node.again).toEqual([{ quantity: String(whole.images) }]);
    expect(node.cost).toEqual([{ amount: whole.totalCost, currency: 'BUZZ' }]);
    // The ledger is additive, so the days add up to the total exactly.
    expect(
      node.days.reduce((sum: Big, p: { cost: { amount: string } }) => sum.plus(p.cost.amount), new Big(0)).toFixed(),
    ).toBe(whole.totalCost);
    expect(calls()).toBe(1 + 3);
  });

  it('HOUR works (the upstream takes any instants): a window starting mid-hour gives a partial first bucket', async () => {
    const w = { start: '2026-10-01T00:30:00Z', end: '2026-10-01T03:00:00Z' };
    const res = await h.query(CIVITAI_ACCOUNT, { w, g: 'HOUR' });
    expect(res.body.errors).toBeUndefined();
    const points = res.body.data!.accounts.edges[0].node.consumption;
    const edges = ['2026-10-01T00:30:00Z', '2026-10-01T01:00:00Z', '2026-10-01T02:00:00Z', '2026-10-01T03:00:00Z'];
    expect(points.map((p) => [p.start, p.end, p.quantity, p.cost.amount])).toEqual(
      edges.slice(0, -1).map((start, i) => {
        const e = sim.expectedConsumption(ms(start), ms(edges[i + 1]!));
        return [start, edges[i + 1], String(e.images), e.totalCost];
      }),
    );
    expect(calls()).toBe(3);
  });

  it('MONTH buckets follow local month starts', async () => {
    const w = { start: '2026-09-01T00:00:00+02:00', end: '2026-11-01T00:00:00+01:00', timeZone: 'Europe/Madrid' };
    const res = await h.query(CIVITAI_ACCOUNT, { w, g: 'MONTH' });
    expect(res.body.errors).toBeUndefined();
    const points = res.body.data!.accounts.edges[0].node.consumption;
    expect(points.map((p) => `${p.start}/${p.end}`)).toEqual([
      '2026-08-31T22:00:00Z/2026-09-30T22:00:00Z',
      '2026-09-30T22:00:00Z/2026-10-31T23:00:00Z',
    ]);
    expect(points[1].cost.amount).toBe(
      sim.expectedConsumption(ms('2026-09-30T22:00:00Z'), ms('2026-10-31T23:00:00Z')).totalCost,
    );
    expect(calls()).toBe(2);
  });

  it('marks a bucket that has not ended as not final', async () => {
    const start = new Date(Date.now() - 3_600_000).toISOString();
    const end = new Date(Date.now() + 3_600_000).toISOString();
    const res = await h.query(CIVITAI_ACCOUNT, { w: { start, end } });
    expect(res.body.data!.accounts.edges[0].node.consumption[0].isFinal).toBe(false);
  });

  it('usageReport totals Civitai cost in BUZZ among the virtual totals, never in the billing totals', async () => {
    const w = { start: '2026-10-01T00:00:00Z', end: '2026-10-08T00:00:00Z' };
    const res = await h.query(
      `query($w: TimeWindow!) { usageReport(window: $w, providers: [CIVITAI]) { points { metric quantity } totals { amount currency } virtualTotals { amount currency } errors { code } } }`,
      { w },
    );
    const e = sim.expectedConsumption(ms(w.start), ms(w.end));
    expect(res.body.data!.usageReport).toEqual({
      points: [{ metric: 'images', quantity: String(e.images) }],
      totals: [],
      virtualTotals: [{ amount: e.totalCost, currency: 'BUZZ' }],
      errors: [],
    });
    expect(calls()).toBe(1);
  });

  describe('a failing Civitai nulls only its own fields; OpenvCloud still answers in the same query', () => {
    const W = { start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z' };
    const MIXED = /* GraphQL */ `
      query ($w: TimeWindow!) {
        accounts {
          edges {
            node {
              provider
              providerId
              consumption(window: $w) {
                metric
                quantity
              }
              cost(window: $w) {
                amount
                currency
              }
            }
          }
        }
      }
    `;

    const expectCivitaiFailure = (res: GraphQLResponse, code: string, extensions: Record<string, unknown> = {}) => {
      const edges = res.body.data!.accounts.edges;
      const i = edges.findIndex((e) => e.node.provider === 'CIVITAI');
      expect(edges[i]!.node.consumption).toBeNull();
      expect(edges[i]!.node.cost).toBeNull();
      const errors = res.body.errors!.filter((e) => e.path?.[2] === i);
      expect(errors.map((e) => e.path)).toEqual([
        ['accounts', 'edges', i, 'node', 'consumption'],
        ['accounts', 'edges', i, 'node', 'cost'],
      ]);
      for (const e of errors) {
        expect(e.extensions).toMatchObject({ code, provider: 'CIVITAI', source: 'civitai', ...extensions });
        expect(e.message).not.toMatch(/http:|127\.0\.0\.1|civitai-sim-key/);
      }
      const g8 = edges.filter((e) => e.node.provider === 'OPENVCLOUD');
      expect(g8.length).toBeGreaterThanOrEqual(3);
      for (const e of g8) expect(e.node.consumption.length).toBeGreaterThan(0);
      // TOTAL and cost share the one (failed) call.
      // 5xx reads are retried by the shared policy: retryAttempts (default 3) in all; anything else is called once.
      expect(calls()).toBe(Number(extensions.upstreamStatus) >= 500 ? 3 : 1);
      return errors[0]!;
    };

    it('401 with an empty body → UPSTREAM_AUTH_FAILED', async () => {
      sim.injectFault({ fault: { kind: 'status', status: 401, body: '', headers: { 'www-authenticate': 'Bearer' } } });
      const e = expectCivitaiFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_AUTH_FAILED', {
        retryable: false,
        upstreamStatus: 401,
      });
      expect(e.message).toBe(
        `Civitai source "civitai" rejected billgraph's credentials for "consumer/consumption" (HTTP 401).`,
      );
    });

    it('429 with Retry-After → UPSTREAM_RATE_LIMITED with retryAfter', async () => {
      sim.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 7 } });
      expectCivitaiFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_RATE_LIMITED', {
        retryable: true,
        retryAfter: 7,
        upstreamStatus: 429,
      });
    });

    it('500 ProblemDetails → UPSTREAM_UNAVAILABLE', async () => {
      sim.injectFault({ fault: { kind: 'status', status: 500 } });
      expectCivitaiFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_UNAVAILABLE', {
        retryable: true,
        upstreamStatus: 500,
      });
    });

    it('malformed JSON → UPSTREAM_BAD_RESPONSE', async () => {
      sim.injectFault({ fault: { kind: 'malformed' } });
      expectCivitaiFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_BAD_RESPONSE', { retryable: false });
    });

    it('a quoted number ("images": "12") → UPSTREAM_BAD_RESPONSE naming the field', async () => {
      sim.injectFault({
        fault: {
          kind: 'status',
          status: 200,
          body: { images: '12', totalCost: 1.5, startDate: W.start, endDate: W.end },
        },
      });
      const e = expectCivitaiFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_BAD_RESPONSE');
      expect(e.message).toBe(
        'Civitai source "civitai" answered "consumer/consumption" with a body that does not match its contract (images: a JSON number).',
      );
    });

    it('an answer for another window (a parameter the server ignored) → UPSTREAM_BAD_RESPONSE, not wrong numbers', async () => {
      sim.injectFault({
        fault: {
          kind: 'status',
          status: 200,
          body: { images: 3, totalCost: 1.5, startDate: '2026-09-01T00:00:00Z', endDate: W.end },
        },
      });
      const e = expectCivitaiFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_BAD_RESPONSE');
      expect(e.message).toMatch(/"startDate" for a different window than billgraph asked for/);
    });
  });

  it('refuses a 200 lacking totalCost or images (a missing total is not zero spend), naming the field', async () => {
    const w = { start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z' };
    for (const [body, field] of [
      [{ images: 0, startDate: null, endDate: null }, 'totalCost'],
      [{ totalCost: 12.5 }, 'images'],
      [{ startDate: null, endDate: null }, 'images'],
    ] as const) {
      h.resetAll();
      sim.injectFault({ fault: { kind: 'status', status: 200, body } });
      const res = await h.query(CIVITAI_ACCOUNT, { w });
      expect(res.body.data!.accounts.edges[0].node.consumption).toBeNull();
      expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'civitai' });
      expect(res.body.errors![0]!.message).toContain(`(${field}: `);
    }
  });
});

describe('Civitai with a rejected API key', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness({ sourceOverrides: { civitai: { credentials: { apiKey: 'revoked-key' } } } });
  });
  afterAll(async () => h?.close());

  it("the simulator's real 401 → UPSTREAM_AUTH_FAILED; the key never appears in the answer", async () => {
    const res = await h.query(
      `query($w: TimeWindow!) { accounts(provider: CIVITAI) { edges { node { providerId cost(window: $w) { amount } } } } }`,
      {
        w: { start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z' },
      },
    );
    expect(res.body.data!.accounts.edges).toEqual([{ node: { providerId: 'civitai', cost: null } }]);
    expect(res.body.errors!.map((e) => [e.path, e.extensions?.code, e.extensions?.upstreamStatus])).toEqual([
      [['accounts', 'edges', 0, 'node', 'cost'], 'UPSTREAM_AUTH_FAILED', 401],
    ]);
    expect(res.text).not.toContain('revoked-key');
    expect(h.sims.civitai!.requests[0]!.headers.authorization).toBe('Bearer revoked-key');
  });
});
