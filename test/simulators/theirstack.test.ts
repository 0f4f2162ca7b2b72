import Big from 'big.js';
import { parseJsonLossless } from '../../src/lib/parseJsonLossless.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  creditsBetween,
  dailyConsumption,
  THEIRSTACK_DEFAULT_SEED,
  wallClockParams,
} from '../../simulators/theirstack/seed.js';
import {
  THEIRSTACK_BALANCE_PATH,
  THEIRSTACK_CONSUMPTION_PATH,
  THEIRSTACK_ROUTES,
  THEIRSTACK_SIM_NO_CREDITS_TOKEN,
  THEIRSTACK_SIM_REVOKED_TOKEN,
  THEIRSTACK_SIM_TEAMS,
  THEIRSTACK_SIM_TOKEN,
  startTheirstackSimulator,
  type TheirstackSimulator,
} from '../../simulators/theirstack/simulator.js';

const NOW = Date.parse('2026-11-24T08:00:00Z');
const ms = (iso: string) => Date.parse(iso);
const TEAM = THEIRSTACK_SIM_TEAMS[THEIRSTACK_SIM_TOKEN]!;
let sim: TheirstackSimulator;

beforeAll(async () => {
  sim = await startTheirstackSimulator({ now: () => NOW });
});
afterAll(async () => sim.close());
afterEach(() => {
  sim.clearFaults();
  sim.resetCounters();
  sim.setIncludeZeroDays(true);
  sim.setPeriodStartStyle('utc');
  sim.setRateLimit({ name: 'per-minute', limit: 600, windowSeconds: 60 });
  sim.setExtensions({ retryAfterOn429: false, refuseRangesOver366Days: false, fractionalCredits: false });
});

function get(
  query: Record<string, string>,
  token: string | null = THEIRSTACK_SIM_TOKEN,
  path = THEIRSTACK_CONSUMPTION_PATH,
) {
  const qs = new URLSearchParams(query).toString();
  return fetch(`${sim.url}${path}${qs ? `?${qs}` : ''}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
}
type Day = { period_start: string; api_credits_consumed: string; ui_credits_consumed: string };
/** The days of an answer, numbers kept as their literal text (parseJsonLossless). */
const lossless = (text: string) => parseJsonLossless(text) as Day[];
/** TheirStack's error body. */
type ErrorBody = { error: { code: string; title: string; description: string }; request_id: number | null };

describe('TheirStack simulator: GET /v0/teams/credits_consumption', () => {
  it("returns one element per day of the requested zone, period_start at that zone's midnight (UTC instant, Z)", async () => {
    const res = await get({
      start_datetime: '2026-10-24T00:00:00',
      end_datetime: '2026-10-26T23:59:59',
      timezone: 'Europe/Madrid',
    });
    expect(res.status).toBe(200);
    const days: Day[] = lossless(await res.text());
    expect(days.map((d) => d.period_start)).toEqual([
      '2026-10-23T22:00:00Z',
      '2026-10-24T22:00:00Z',
      '2026-10-25T23:00:00Z',
    ]);
    // Each day is the ledger over [local midnight, next local midnight): the 25th has 25 hours.
    const edges = ['2026-10-23T22:00:00Z', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z', '2026-10-26T23:00:00Z'];
    days.forEach((d, i) => {
      const expected = creditsBetween(THEIRSTACK_DEFAULT_SEED, TEAM, ms(edges[i]!), ms(edges[i + 1]!));
      expect([d.api_credits_consumed, d.ui_credits_consumed]).toEqual([expected.api, expected.ui]);
    });
    expect(sim.count({ route: THEIRSTACK_ROUTES.consumption })).toBe(1);
  });

  it('defaults timezone to UTC', async () => {
    const days: Day[] = lossless(
      await (await get({ start_datetime: '2026-10-24T00:00:00', end_datetime: '2026-10-25T23:59:59' })).text(),
    );
    expect(days.map((d) => d.period_start)).toEqual(['2026-10-24T00:00:00Z', '2026-10-25T00:00:00Z']);
  });

  it('can render period_start with the local offset instead', async () => {
    sim.setPeriodStartStyle('offset');
    const days: Day[] = lossless(
      await (
        await get({
          start_datetime: '2026-10-24T00:00:00',
          end_datetime: '2026-10-26T23:59:59',
          timezone: 'Europe/Madrid',
        })
      ).text(),
    );
    expect(days.map((d) => d.period_start)).toEqual([
      '2026-10-24T00:00:00+02:00',
      '2026-10-25T00:00:00+02:00',
      '2026-10-26T00:00:00+01:00',
    ]);
  });

  it('treats end_datetime as inclusive: a day touched by the end second is returned', async () => {
    const days: Day[] = lossless(
      await (await get({ start_datetime: '2026-10-24T00:00:00', end_datetime: '2026-10-25T00:00:00' })).text(),
    );
    expect(days.length).toBe(2);
  });

  it('returns zero days by default and can omit them', async () => {
    const all = sim.expectedDays(ms('2026-09-01T00:00:00Z'), ms('2026-11-01T00:00:00Z'), 'UTC');
    const zero = all.filter((d) => d.api === '0' && d.ui === '0');
    expect(zero.length).toBeGreaterThanOrEqual(2);
    const q = { start_datetime: '2026-09-01T00:00:00', end_datetime: '2026-10-31T23:59:59' };
    expect(lossless(await (await get(q)).text()).length).toBe(61);
    sim.setIncludeZeroDays(false);
    expect(lossless(await (await get(q)).text()).length).toBe(61 - zero.length);
  });

  it('writes every credit as an integer by default, as TheirStack documents record counts', async () => {
    const q = { start_datetime: '2026-09-01T00:00:00', end_datetime: '2026-11-23T23:59:59', timezone: 'Asia/Kolkata' };
    const text = await (await get(q)).text();
    const literals = [...text.matchAll(/"(api|ui)_credits_consumed":([^,}]+)/g)].map((m) => m[2]!);
    expect(literals.length).toBe(2 * 84);
    for (const v of literals) expect(v).toMatch(/^(0|[1-9]\d*)$/);
    expect(lossless(text).map((d) => [d.api_credits_consumed, d.ui_credits_consumed])).toEqual(
      sim
        .expectedDays(ms('2026-08-31T18:30:00Z'), ms('2026-11-23T18:30:00Z'), 'Asia/Kolkata')
        .map((d) => [d.api, d.ui]),
    );
    // The same ledger with fractionalCredits has pro-rated charges in this range.
    sim.setExtensions({ fractionalCredits: true });
    expect((await (await get(q)).text()).includes('.')).toBe(true);
  });

  it('writes credits as JSON numbers with more digits than a double holds, and days add up exactly, when fractionalCredits is on', async () => {
    const precision = { fractionalCredits: true };
    const days = dailyConsumption(
      THEIRSTACK_DEFAULT_SEED,
      TEAM,
      ms('2026-10-01T00:00:00Z'),
      ms('2026-10-31T23:59:59Z'),
      'UTC',
      precision,
    );
    const long = days.filter((d) => d.api.replace('.', '').length > 17);
    expect(long.length).toBeGreaterThan(0);
    expect(String(Number(long[0]!.api))).not.toBe(long[0]!.api);
    const month = creditsBetween(
      THEIRSTACK_DEFAULT_SEED,
      TEAM,
      ms('2026-10-01T00:00:00Z'),
      ms('2026-11-01T00:00:00Z'),
      precision,
    );
    expect(days.reduce((s, d) => s.plus(d.api), new Big(0)).toFixed()).toBe(month.api);
    // The simulator's answer carries the same long literals.
    sim.setExtensions(precision);
    const q = { start_datetime: '2026-10-01T00:00:00', end_datetime: '2026-10-31T23:59:59' };
    expect(lossless(await (await get(q)).text()).map((d) => d.api_credits_consumed)).toEqual(days.map((d) => d.api));
  });

  it('uses the last 30 days up to now when no bounds are given', async () => {
    const days: Day[] = lossless(await (await get({})).text());
    expect(days[0]!.period_start).toBe('2026-10-25T00:00:00Z');
    expect(days.at(-1)!.period_start).toBe('2026-11-24T00:00:00Z');
  });

  it('wallClockParams is what billgraph sends for a half-open window', () => {
    expect(wallClockParams(ms('2026-10-23T22:00:00Z'), ms('2026-10-26T23:00:00Z'), 'Europe/Madrid')).toEqual({
      start_datetime: '2026-10-24T00:00:00',
      end_datetime: '2026-10-26T23:59:59',
      timezone: 'Europe/Madrid',
    });
  });

  describe('errors: { error: { code, title, description }, request_id }', () => {
    it('401 for a missing, unknown or revoked key, request_id null', async () => {
      for (const token of [null, 'nope', THEIRSTACK_SIM_REVOKED_TOKEN]) {
        const res = await get({}, token);
        expect(res.status).toBe(401);
        const body = (await res.json()) as ErrorBody;
        expect(body).toMatchObject({ error: { code: 'E-004', title: 'Unauthorized' }, request_id: null });
        expect(typeof body.error.description).toBe('string');
      }
    });

    it('402 for a team out of credits, with an integer request_id', async () => {
      const id = sim.nextRequestId;
      const res = await get({}, THEIRSTACK_SIM_NO_CREDITS_TOKEN);
      expect(res.status).toBe(402);
      expect(await res.json()).toEqual({
        error: {
          code: 'E-001',
          title: 'Not allowed exception',
          description: 'Your team has no API credits left. Upgrade your plan or buy more credits.',
        },
        request_id: id,
      });
      expect(sim.nextRequestId).toBe(id + 1);
    });

    it('422 for an unknown zone, an unparsable datetime, or start after end', async () => {
      const cases: Record<string, string>[] = [
        { timezone: 'Mars/Olympus' },
        { start_datetime: 'yesterday' },
        { start_datetime: '2026-10-05T00:00:00', end_datetime: '2026-10-01T00:00:00' },
      ];
      for (const q of cases) {
        const res = await get(q);
        expect(res.status).toBe(422);
        const body = (await res.json()) as ErrorBody;
        expect(body).toMatchObject({ error: { code: 'E-002', title: 'Validation error' } });
        expect(Number.isInteger(body.request_id)).toBe(true);
      }
    });

    it('answers every day of a range longer than a year by default: TheirStack documents no longest range', async () => {
      const res = await get({ start_datetime: '2024-01-01T00:00:00', end_datetime: '2025-12-31T23:59:59' });
      expect(res.status).toBe(200);
      const days = lossless(await res.text());
      // 2024 is a leap year: 366 + 365 days.
      expect(days.length).toBe(731);
      expect(days[0]!.period_start).toBe('2024-01-01T00:00:00Z');
      expect(days.at(-1)!.period_start).toBe('2025-12-31T00:00:00Z');
    });

    it('400 for a range longer than 366 days when refuseRangesOver366Days is on', async () => {
      sim.setExtensions({ refuseRangesOver366Days: true });
      const res = await get({ start_datetime: '2024-01-01T00:00:00', end_datetime: '2026-01-01T00:00:00' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'E-003', title: 'Bad request' } });
      // 366 days exactly (2024 is a leap year) are still answered.
      const year = await get({ start_datetime: '2024-01-01T00:00:00', end_datetime: '2025-01-01T00:00:00' });
      expect(year.status).toBe(200);
    });

    it('500 by fault, in the documented shape with a request_id; 503 without a body', async () => {
      sim.injectFault({ fault: { kind: 'status', status: 500 }, times: 1 });
      sim.injectFault({ fault: { kind: 'status', status: 503, body: '' }, times: 1 });
      const id = sim.nextRequestId;
      const res = await get({});
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({
        error: { code: 'E-007', title: 'Internal server error', description: 'Simulated HTTP 500.' },
        request_id: id,
      });
      const down = await get({});
      expect(down.status).toBe(503);
      expect(await down.text()).toBe('');
    });

    it('404 for other paths and 405 for other methods, without request_id', async () => {
      const other = await get({}, THEIRSTACK_SIM_TOKEN, '/v0/teams/credits');
      expect(other.status).toBe(404);
      expect(await other.json()).toMatchObject({ error: { code: 'E-005' } });
      const post = await fetch(`${sim.url}${THEIRSTACK_CONSUMPTION_PATH}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${THEIRSTACK_SIM_TOKEN}` },
      });
      expect(post.status).toBe(405);
      expect(await post.json()).not.toHaveProperty('request_id');
    });
  });

  describe('rate limits', () => {
    it('sends the IETF RateLimit headers on every answer', async () => {
      const res = await get({});
      expect(res.headers.get('ratelimit')).toBe('"per-minute"; r=599; t=60');
      expect(res.headers.get('ratelimit-policy')).toBe('"per-minute"; q=600; w=60');
      expect(res.headers.get('ratelimit-limit')).toBe('600');
      expect(res.headers.get('ratelimit-remaining')).toBe('599');
    });

    it('answers 429 once the policy is used up, with RateLimit t= and no Retry-After (the rate-limit page names none)', async () => {
      sim.setRateLimit({ name: 'per-second', limit: 2, windowSeconds: 30 });
      expect((await get({})).status).toBe(200);
      expect((await get({})).status).toBe(200);
      const limited = await get({});
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBeNull();
      expect(limited.headers.get('ratelimit')).toBe('"per-second"; r=0; t=30');
      expect(await limited.json()).toMatchObject({
        error: { code: 'E-006', title: 'Too many requests' },
        request_id: null,
      });
    });

    it('adds Retry-After (the seconds of t=) to a 429 when retryAfterOn429 is on', async () => {
      sim.setExtensions({ retryAfterOn429: true });
      sim.setRateLimit({ name: 'per-second', limit: 1, windowSeconds: 30 });
      expect((await get({})).status).toBe(200);
      const limited = await get({});
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('30');
      expect(limited.headers.get('ratelimit')).toBe('"per-second"; r=0; t=30');
    });
  });

  it('answers the credit balance for readiness probes', async () => {
    const res = await get({}, THEIRSTACK_SIM_TOKEN, THEIRSTACK_BALANCE_PATH);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ui_credits: 10000,
      used_ui_credits: 0,
      api_credits: 10000,
      used_api_credits: 0,
    });
  });
});
