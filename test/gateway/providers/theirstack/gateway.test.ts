import Big from 'big.js';
import type { AccountAnswer, AccountsAnswer, PointAnswer } from '../../../helpers/harness.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  THEIRSTACK_BALANCE_PATH,
  THEIRSTACK_ROUTES,
  THEIRSTACK_SIM_NO_CREDITS_TOKEN,
  THEIRSTACK_SIM_TOKEN,
  type TheirstackSimulator,
} from '../../../../simulators/theirstack/simulator.js';
import { startFullHarness, startHarness, type FullHarness, type GraphQLResponse } from '../../../helpers/harness.js';

const ms = (iso: string) => Date.parse(iso);
// Three Madrid days, the middle one the 25-hour day of the 2026-10-25 fall-back.
const DST = { start: '2026-10-24T00:00:00+02:00', end: '2026-10-27T00:00:00+01:00', timeZone: 'Europe/Madrid' };
// Three ordinary Madrid days.
const PLAIN = { start: '2026-10-05T00:00:00+02:00', end: '2026-10-08T00:00:00+02:00', timeZone: 'Europe/Madrid' };

const CONSUMPTION = /* GraphQL */ `
  query ($w: TimeWindow!, $g: Granularity) {
    accounts(provider: THEIRSTACK) {
      totalCount
      edges {
        node {
          id
          provider
          providerId
          name
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
          }
        }
      }
    }
  }
`;

type Point = {
  start: string;
  end: string;
  metric: string;
  quantity: string;
  unit: string;
  cost: { amount: string; currency: string };
  isFinal: boolean;
};

describe('TheirStack through the gateway', () => {
  let h: FullHarness;
  let sim: TheirstackSimulator;
  beforeAll(async () => {
    h = await startFullHarness();
    sim = h.sims.theirstack as TheirstackSimulator;
  });
  afterAll(async () => h?.close());
  beforeEach(() => {
    h.resetAll();
    sim.setIncludeZeroDays(true);
    sim.setPeriodStartStyle('utc');
  });

  const calls = () => sim.count({ route: THEIRSTACK_ROUTES.consumption });
  const pointsOf = (res: GraphQLResponse): Point[] => res.body.data!.accounts.edges[0].node.consumption;

  /** The two points per day the simulator's data gives for a window, in the order the gateway returns them. */
  const expectedDayPoints = (w: { start: string; end: string; timeZone: string }) => {
    const days = sim.expectedDays(ms(w.start), ms(w.end), w.timeZone);
    return days.flatMap((d, i) => {
      const start = new Date(d.periodStartMs).toISOString().replace('.000Z', 'Z');
      const end =
        i + 1 < days.length
          ? new Date(days[i + 1]!.periodStartMs).toISOString().replace('.000Z', 'Z')
          : new Date(ms(w.end)).toISOString().replace('.000Z', 'Z');
      return [
        {
          start,
          end,
          metric: 'api_credits',
          quantity: d.api,
          unit: 'credit',
          cost: { amount: d.api, currency: 'CREDITS' },
          isFinal: true,
        },
        {
          start,
          end,
          metric: 'ui_credits',
          quantity: d.ui,
          unit: 'credit',
          cost: { amount: d.ui, currency: 'CREDITS' },
          isFinal: true,
        },
      ];
    });
  };

  it('lists one account (the team) per source, without an upstream call', async () => {
    const res = await h.query(
      `{ accounts(provider: THEIRSTACK) { totalCount edges { node { provider providerId name source { id } } } } }`,
    );
    expect(res.body.data!.accounts).toEqual({
      totalCount: 1,
      edges: [
        {
          node: {
            provider: 'THEIRSTACK',
            providerId: 'theirstack',
            name: 'TheirStack simulator',
            source: { id: 'theirstack' },
          },
        },
      ],
    });
    expect(sim.requests.length).toBe(0);
  });

  it('DAY over 3 days in Europe/Madrid: buckets on Madrid midnights, exact numbers, one call with the zone', async () => {
    const res = await h.query(CONSUMPTION, { w: PLAIN, g: 'DAY' });
    expect(res.body.errors).toBeUndefined();
    const points = pointsOf(res);
    expect(points.map(({ start, end }) => `${start}/${end}`).filter((_, i) => i % 2 === 0)).toEqual([
      '2026-10-04T22:00:00Z/2026-10-05T22:00:00Z',
      '2026-10-05T22:00:00Z/2026-10-06T22:00:00Z',
      '2026-10-06T22:00:00Z/2026-10-07T22:00:00Z',
    ]);
    expect(
      points.map(({ start, end, metric, quantity, unit, cost, isFinal }) => ({
        start,
        end,
        metric,
        quantity,
        unit,
        cost,
        isFinal,
      })),
    ).toEqual(expectedDayPoints(PLAIN));
    expect(calls()).toBe(1);
    expect(sim.requests[0]!.query).toEqual({
      start_datetime: '2026-10-05T00:00:00',
      end_datetime: '2026-10-07T23:59:59',
      timezone: 'Europe/Madrid',
    });
    expect(sim.requests[0]!.headers.authorization).toMatch(/^Bearer /);
  });

  it('DAY across the DST change (2026-10-25): the middle bucket is 25 hours, the numbers exact', async () => {
    const res = await h.query(CONSUMPTION, { w: DST, g: 'DAY' });
    expect(res.body.errors).toBeUndefined();
    const points = pointsOf(res);
    expect(points.filter((p) => p.metric === 'api_credits').map((p) => `${p.start}/${p.end}`)).toEqual([
      '2026-10-23T22:00:00Z/2026-10-24T22:00:00Z',
      '2026-10-24T22:00:00Z/2026-10-25T23:00:00Z',
      '2026-10-25T23:00:00Z/2026-10-26T23:00:00Z',
    ]);
    expect(
      points.map(({ start, end, metric, quantity, unit, cost, isFinal }) => ({
        start,
        end,
        metric,
        quantity,
        unit,
        cost,
        isFinal,
      })),
    ).toEqual(expectedDayPoints(DST));
    expect(sim.requests[0]!.query).toEqual({
      start_datetime: '2026-10-24T00:00:00',
      end_datetime: '2026-10-26T23:59:59',
      timezone: 'Europe/Madrid',
    });
  });

  it('DAY, TOTAL, MONTH and cost of the same window cost one upstream call; TOTAL is the exact sum of the days', async () => {
    const res = await h.query<
      AccountsAnswer<Pick<AccountAnswer, 'cost'> & { days: PointAnswer[]; total: PointAnswer[]; month: PointAnswer[] }>
    >(
      /* GraphQL */ `
        query ($w: TimeWindow!) {
          accounts(provider: THEIRSTACK) {
            edges {
              node {
                days: consumption(window: $w, granularity: DAY) {
                  metric
                  quantity
                }
                total: consumption(window: $w) {
                  start
                  end
                  metric
                  quantity
                  cost {
                    amount
                    currency
                  }
                }
                month: consumption(window: $w, granularity: MONTH) {
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
      `,
      { w: DST },
    );
    expect(res.body.errors).toBeUndefined();
    const node = res.body.data!.accounts.edges[0].node;
    const days = sim.expectedDays(ms(DST.start), ms(DST.end), DST.timeZone);
    const api = days.reduce((s, d) => s.plus(d.api), new Big(0)).toFixed();
    const ui = days.reduce((s, d) => s.plus(d.ui), new Big(0)).toFixed();
    expect(api.replace('.', '').length).toBeGreaterThan(17);
    expect(node.total).toEqual([
      {
        start: '2026-10-23T22:00:00Z',
        end: '2026-10-26T23:00:00Z',
        metric: 'api_credits',
        quantity: api,
        cost: { amount: api, currency: 'CREDITS' },
      },
      {
        start: '2026-10-23T22:00:00Z',
        end: '2026-10-26T23:00:00Z',
        metric: 'ui_credits',
        quantity: ui,
        cost: { amount: ui, currency: 'CREDITS' },
      },
    ]);
    expect(node.month).toEqual([
      { metric: 'api_credits', quantity: api },
      { metric: 'ui_credits', quantity: ui },
    ]);
    expect(node.cost).toEqual([{ amount: new Big(api).plus(ui).toFixed(), currency: 'CREDITS' }]);
    expect(node.days.length).toBe(6);
    expect(calls()).toBe(1);
  });

  it('MONTH over two Madrid months sums each local month exactly from one call', async () => {
    const w = { start: '2026-09-01T00:00:00+02:00', end: '2026-11-01T00:00:00+01:00', timeZone: 'Europe/Madrid' };
    const res = await h.query(CONSUMPTION, { w, g: 'MONTH' });
    expect(res.body.errors).toBeUndefined();
    const points = pointsOf(res).filter((p) => p.metric === 'api_credits');
    const days = sim.expectedDays(ms(w.start), ms(w.end), w.timeZone);
    const sum = (from: string, to: string) =>
      days
        .filter((d) => d.periodStartMs >= ms(from) && d.periodStartMs < ms(to))
        .reduce((s, d) => s.plus(d.api), new Big(0))
        .toFixed();
    expect(points.map((p) => [p.start, p.end, p.quantity])).toEqual([
      ['2026-08-31T22:00:00Z', '2026-09-30T22:00:00Z', sum('2026-08-31T22:00:00Z', '2026-09-30T22:00:00Z')],
      ['2026-09-30T22:00:00Z', '2026-10-31T23:00:00Z', sum('2026-09-30T22:00:00Z', '2026-10-31T23:00:00Z')],
    ]);
    expect(calls()).toBe(1);
  });

  it('refuses an answer that omits days by default, and with missingDays "zero" gives the same answer as with every day listed', async () => {
    const w = { start: '2026-09-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };
    const baseline = pointsOf(await h.query(CONSUMPTION, { w, g: 'DAY' }));
    expect(baseline.filter((p) => p.quantity === '0').length).toBeGreaterThanOrEqual(4);
    h.resetAll(); // the baseline's days are cached (a final window)
    sim.setIncludeZeroDays(false);
    const refused = await h.query(CONSUMPTION, { w, g: 'DAY' });
    expect(refused.body.data!.accounts.edges[0].node.consumption).toBeNull();
    expect(refused.body.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([
      ['UPSTREAM_BAD_RESPONSE', 'accounts.edges.0.node.consumption'],
    ]);
    expect(refused.body.errors![0]!.message).toMatch(/of the asked days missing, the first 2026-09-0\d in "UTC"/);
    const lenient = await startHarness({
      extraSources: [
        {
          id: 'lenient',
          provider: 'THEIRSTACK',
          baseUrl: sim.url,
          credentials: { token: THEIRSTACK_SIM_TOKEN },
          options: { missingDays: 'zero' },
        },
      ],
    });
    try {
      const renamed = baseline.map((p) => ({ ...p, account: { providerId: 'lenient' } }));
      expect(pointsOf(await lenient.query(CONSUMPTION, { w, g: 'DAY' }))).toEqual(renamed);
    } finally {
      await lenient.close();
    }
  });

  it('gives the same answer when the upstream writes period_start with a local offset', async () => {
    sim.setPeriodStartStyle('offset');
    expect(pointsOf(await h.query(CONSUMPTION, { w: DST, g: 'DAY' })).map((p) => p.quantity)).toEqual(
      expectedDayPoints(DST).map((p) => p.quantity),
    );
  });

  it('HOUR is BAD_USER_INPUT naming DAY, before any upstream call', async () => {
    const res = await h.query(CONSUMPTION, { w: PLAIN, g: 'HOUR' });
    expect(res.body.data!.accounts.edges[0].node.consumption).toBeNull();
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message:
          'Argument "granularity" HOUR is finer than TheirStack reports; use DAY or coarser for source "theirstack".',
        path: ['accounts', 'edges', 0, 'node', 'consumption'],
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
    expect(calls()).toBe(0);
  });

  it('a window edge that is not a local midnight is BAD_USER_INPUT saying which midnights to use; no day is split', async () => {
    const res = await h.query(CONSUMPTION, {
      w: { start: '2026-10-05T10:00:00Z', end: '2026-10-08T00:00:00+02:00', timeZone: 'Europe/Madrid' },
      g: 'DAY',
    });
    expect(res.body.errors!.map((e) => [e.extensions?.code, e.message])).toEqual([
      [
        'BAD_USER_INPUT',
        'Argument "window.start" must be a midnight in "Europe/Madrid" because TheirStack source "theirstack" reports whole days, got "2026-10-05T10:00:00Z" (2026-10-05 12:00:00 there); use "2026-10-05T00:00:00+02:00" or "2026-10-06T00:00:00+02:00".',
      ],
    ]);
    // A UTC-midnight window asked in Madrid is misaligned too: TOTAL included, since its days would be split.
    const utcMidnights = await h.query(CONSUMPTION, {
      w: { start: '2026-10-05T00:00:00Z', end: '2026-10-08T00:00:00Z', timeZone: 'Europe/Madrid' },
    });
    expect(utcMidnights.body.errors![0]!.message).toMatch(
      /^Argument "window.start" must be a midnight in "Europe\/Madrid"/,
    );
    expect(calls()).toBe(0);
  });

  it('usageReport puts TheirStack credits under CREDITS only, among the virtual totals', async () => {
    const res = await h.query(
      `query($w: TimeWindow!) { usageReport(window: $w, providers: [THEIRSTACK]) { totals { amount currency } virtualTotals { amount currency } errors { code } } }`,
      { w: PLAIN },
    );
    const days = sim.expectedDays(ms(PLAIN.start), ms(PLAIN.end), PLAIN.timeZone);
    const total = days.reduce((s, d) => s.plus(d.api).plus(d.ui), new Big(0)).toFixed();
    expect(res.body.data!.usageReport).toEqual({
      totals: [],
      virtualTotals: [{ amount: total, currency: 'CREDITS' }],
      errors: [],
    });
    expect(calls()).toBe(1);
  });

  describe('a failing TheirStack nulls only its own fields; OpenvCloud still answers in the same query', () => {
    const W = { start: '2026-10-01T00:00:00Z', end: '2026-10-03T00:00:00Z' };
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

    const expectFailure = (res: GraphQLResponse, code: string, extensions: Record<string, unknown>) => {
      const edges = res.body.data!.accounts.edges;
      const i = edges.findIndex((e) => e.node.provider === 'THEIRSTACK');
      expect(edges[i]!.node).toMatchObject({ consumption: null, cost: null });
      const errors = res.body.errors!.filter((e) => e.path?.[2] === i);
      expect(errors.map((e) => e.path)).toEqual([
        ['accounts', 'edges', i, 'node', 'consumption'],
        ['accounts', 'edges', i, 'node', 'cost'],
      ]);
      for (const e of errors) {
        expect(e.extensions).toEqual({
          code,
          provider: 'THEIRSTACK',
          source: 'theirstack',
          requestId: expect.any(String),
          ...extensions,
        });
        expect(e.message).not.toMatch(/http:|127\.0\.0\.1|theirstack-sim-token/);
      }
      const g8 = edges.filter((e) => e.node.provider === 'OPENVCLOUD');
      expect(g8.length).toBeGreaterThanOrEqual(3);
      for (const e of g8) expect(e.node.consumption.length).toBeGreaterThan(0);
      // 5xx reads are retried by the shared policy: retryAttempts (default 3) in all; anything else is called once.
      expect(calls()).toBe(Number(extensions.upstreamStatus) >= 500 ? 3 : 1);
      return errors[0]!;
    };

    it('401 → UPSTREAM_AUTH_FAILED (request_id null is not surfaced)', async () => {
      sim.injectFault({ fault: { kind: 'status', status: 401 } });
      const e = expectFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_AUTH_FAILED', {
        retryable: false,
        upstreamStatus: 401,
        upstreamErrorCode: 'E-004',
      });
      expect(e.message).toBe(
        `TheirStack source "theirstack" rejected billgraph's API key for "teams/credits_consumption" (HTTP 401, E-004).`,
      );
    });

    it('429 with Retry-After → UPSTREAM_RATE_LIMITED with retryAfter', async () => {
      sim.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 7 } });
      expectFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_RATE_LIMITED', {
        retryable: true,
        retryAfter: 7,
        upstreamStatus: 429,
        upstreamErrorCode: 'E-006',
      });
    });

    it("429 without Retry-After → retryAfter from the RateLimit header's t=", async () => {
      sim.setRateLimit({ name: 'per-day', limit: 0, windowSeconds: 86_400 });
      try {
        expectFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_RATE_LIMITED', {
          retryable: true,
          retryAfter: 86_400,
          upstreamStatus: 429,
          upstreamErrorCode: 'E-006',
        });
      } finally {
        sim.setRateLimit({ name: 'per-minute', limit: 600, windowSeconds: 60 });
      }
    });

    it("429 without Retry-After is retried after the RateLimit header's t= (1 s here), and then answers", async () => {
      sim.setRateLimit({ name: 'per-second', limit: 1, windowSeconds: 1 });
      try {
        // The one request the window allows, spent before the gateway asks.
        const spent = await fetch(new URL(THEIRSTACK_BALANCE_PATH, sim.url), {
          headers: { authorization: `Bearer ${THEIRSTACK_SIM_TOKEN}` },
        });
        expect(spent.status).toBe(200);
        const started = performance.now();
        const res = await h.query(MIXED, { w: W });
        const elapsed = performance.now() - started;
        expect(res.body.errors).toBeUndefined();
        const edge = res.body.data!.accounts.edges.find((e) => e.node.provider === 'THEIRSTACK')!;
        expect(edge.node.consumption!.length).toBeGreaterThan(0);
        // A 429 first (the answer, before the fix: 429s without Retry-After were never retried);
        // then, after waiting the second the header named, the window let the retry through. A
        // timer may fire a few ms early against the simulator's clock, so a third attempt is allowed.
        expect(calls()).toBeGreaterThanOrEqual(2);
        expect(calls()).toBeLessThanOrEqual(3);
        expect(elapsed).toBeGreaterThanOrEqual(900);
      } finally {
        sim.setRateLimit({ name: 'per-minute', limit: 600, windowSeconds: 60 });
      }
    });

    it('500 → UPSTREAM_UNAVAILABLE with the request_id to quote', async () => {
      sim.injectFault({ fault: { kind: 'status', status: 500 } });
      // The error quotes the last of the three attempts' request_id.
      const requestId = String(Number(sim.nextRequestId) + 2);
      expectFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_UNAVAILABLE', {
        retryable: true,
        upstreamStatus: 500,
        upstreamRequestId: requestId,
        upstreamErrorCode: 'E-007',
      });
    });

    it('503 without a body → UPSTREAM_UNAVAILABLE', async () => {
      sim.injectFault({ fault: { kind: 'status', status: 503, body: '' } });
      expectFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_UNAVAILABLE', { retryable: true, upstreamStatus: 503 });
    });

    it('400 and 422 → UPSTREAM_BAD_RESPONSE (billgraph validated the window, so the refusal is ours to fix), with the request_id', async () => {
      for (const status of [400, 422]) {
        h.resetAll();
        sim.injectFault({ fault: { kind: 'status', status } });
        const requestId = String(sim.nextRequestId);
        const e = expectFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_BAD_RESPONSE', {
          retryable: false,
          upstreamStatus: status,
          upstreamRequestId: requestId,
          upstreamErrorCode: status === 400 ? 'E-003' : 'E-002',
        });
        expect(e.message).toMatch(/refused the request billgraph built for "teams\/credits_consumption" as invalid/);
      }
    });

    it("FastAPI's older 422 shape ({ detail: [...] }) is understood too", async () => {
      sim.injectFault({
        fault: {
          kind: 'status',
          status: 422,
          body: { detail: [{ loc: ['query', 'timezone'], msg: 'bad', type: 'value_error' }] },
        },
      });
      expectFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_BAD_RESPONSE', { retryable: false, upstreamStatus: 422 });
    });

    it('malformed JSON → UPSTREAM_BAD_RESPONSE', async () => {
      sim.injectFault({ fault: { kind: 'malformed' } });
      expectFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_BAD_RESPONSE', { retryable: false, upstreamStatus: 200 });
    });

    it('an object where the array should be → UPSTREAM_BAD_RESPONSE', async () => {
      sim.injectFault({ fault: { kind: 'status', status: 200, body: { data: [] } } });
      const e = expectFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_BAD_RESPONSE', { retryable: false });
      expect(e.message).toBe(
        'TheirStack source "theirstack" answered "teams/credits_consumption" with a body that does not match its contract (body: Invalid input: expected array, received object).',
      );
    });

    it('a period_start that is not a midnight of the zone → UPSTREAM_BAD_RESPONSE, never a split day', async () => {
      sim.injectFault({
        fault: {
          kind: 'status',
          status: 200,
          body: [{ period_start: '2026-10-01T06:00:00Z', api_credits_consumed: 1, ui_credits_consumed: 0 }],
        },
      });
      const e = expectFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_BAD_RESPONSE', { retryable: false });
      expect(e.message).toBe(
        'TheirStack source "theirstack" answered "teams/credits_consumption" with [0].period_start "2026-10-01T06:00:00Z", which is not a midnight in "UTC".',
      );
    });

    it('a day outside the window → UPSTREAM_BAD_RESPONSE', async () => {
      sim.injectFault({
        fault: {
          kind: 'status',
          status: 200,
          body: [{ period_start: '2026-10-03T00:00:00Z', api_credits_consumed: 1, ui_credits_consumed: 0 }],
        },
      });
      expectFailure(await h.query(MIXED, { w: W }), 'UPSTREAM_BAD_RESPONSE', { retryable: false });
    });
  });
});

describe('TheirStack with a team out of credits', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness({
      sourceOverrides: { theirstack: { credentials: { token: THEIRSTACK_SIM_NO_CREDITS_TOKEN } } },
    });
  });
  afterAll(async () => h?.close());

  it('402 → UPSTREAM_PAYMENT_REQUIRED with the upstream request_id in extensions; OpenvCloud still answers', async () => {
    const sim = h.sims.theirstack as TheirstackSimulator;
    const requestId = String(sim.nextRequestId);
    const res = await h.query(
      `query($w: TimeWindow!) { accounts { edges { node { provider cost(window: $w) { amount currency } } } } }`,
      {
        w: { start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z' },
      },
    );
    const edges = res.body.data!.accounts.edges;
    const i = edges.findIndex((e) => e.node.provider === 'THEIRSTACK');
    expect(edges[i]!.node.cost).toBeNull();
    const error = res.body.errors!.find((e) => e.path?.[2] === i)!;
    expect(error).toEqual({
      message:
        'TheirStack source "theirstack" has no credits left or its plan does not allow "teams/credits_consumption" (HTTP 402, E-001).',
      locations: expect.any(Array),
      path: ['accounts', 'edges', i, 'node', 'cost'],
      extensions: {
        code: 'UPSTREAM_PAYMENT_REQUIRED',
        provider: 'THEIRSTACK',
        source: 'theirstack',
        retryable: false,
        upstreamStatus: 402,
        upstreamRequestId: requestId,
        requestId: expect.any(String),
        upstreamErrorCode: 'E-001',
      },
    });
    expect(res.text).not.toContain(THEIRSTACK_SIM_NO_CREDITS_TOKEN);
    const g8 = edges.filter((e) => e.node.provider === 'OPENVCLOUD');
    expect(g8.every((e) => Array.isArray(e.node.cost))).toBe(true);
  });
});
