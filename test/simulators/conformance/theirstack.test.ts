// Conformance: the TheirStack simulator against TheirStack's reference pages. TheirStack ships no
// official client, so every call billgraph makes (credits consumption, credit balance) and the
// error cases the pages document are made with plain `fetch` against the default simulator, and
// each answer's status, documented headers and body (field names, JSON types, required fields,
// nothing undeclared) is checked against the page's shape, encoded once in ./theirstackShapes.ts
// (docs/upstreams/theirstack.md#conformance says which page each assertion comes from).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  THEIRSTACK_BALANCE_PATH,
  THEIRSTACK_CONSUMPTION_PATH,
  THEIRSTACK_SIM_NO_CREDITS_TOKEN,
  THEIRSTACK_SIM_REVOKED_TOKEN,
  THEIRSTACK_SIM_TOKEN,
  startTheirstackSimulator,
  type TheirstackSimulator,
} from '../../../simulators/theirstack/simulator.js';
import { answerProblems, literals, parseTyped, typeProblems, type Answer } from './shapes.js';
import { CREDITS_DAY, THEIRSTACK_ANSWERS } from './theirstackShapes.js';

const NOW = Date.parse('2026-11-24T08:00:00Z');
const DAY_MS = 86_400_000;
const EXPECTED_CALLS = 16;
const ms = (iso: string) => Date.parse(iso);

type Day = { period_start: string; api_credits_consumed: string; ui_credits_consumed: string };
type ErrorBody = { error: { code?: string; title: string; description?: string }; request_id?: string | null };

describe('the TheirStack simulator against TheirStack’s reference pages', () => {
  let sim: TheirstackSimulator;
  /** Names of the calls answered with the documented status, headers and body shape. */
  const conforming: string[] = [];

  beforeAll(async () => {
    sim = await startTheirstackSimulator({ now: () => NOW });
  });
  afterAll(async () => sim?.close());

  /**
   * One plain-fetch call, checked against the documented answer; counted once it conforms.
   * Returns the body with every number as its literal text.
   */
  async function call<T>(
    name: string,
    answer: Answer,
    path: string,
    query: Record<string, string> = {},
    token: string | null = THEIRSTACK_SIM_TOKEN,
  ): Promise<{ body: T; headers: Headers }> {
    const qs = new URLSearchParams(query).toString();
    const res = await fetch(`${sim.url}${path}${qs ? `?${qs}` : ''}`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
    const text = await res.text();
    expect(answerProblems(res, text, answer, name)).toEqual([]);
    conforming.push(name);
    return { body: literals(parseTyped(text)) as T, headers: res.headers };
  }

  /** What billgraph sends for [start, end) in `zone` (end − 1 s, inclusive), and the days it expects. */
  async function consumption(name: string, query: Record<string, string>, expected: Day[]) {
    const { body } = await call<Day[]>(name, THEIRSTACK_ANSWERS.consumption, THEIRSTACK_CONSUMPTION_PATH, query);
    expect(body, name).toEqual(expected);
    expect(body.length, name).toBeGreaterThan(0);
    return body;
  }
  const days = (startMs: number, endMs: number, zone: string): Day[] =>
    sim.expectedDays(startMs, endMs, zone).map((d) => ({
      period_start: new Date(d.periodStartMs).toISOString().replace('.000Z', 'Z'),
      api_credits_consumed: d.api,
      ui_credits_consumed: d.ui,
    }));

  describe('GET /v0/teams/credits_consumption: 200, an array of days', () => {
    it('answers a UTC month, asked the way billgraph asks it, with every day of the ledger', async () => {
      await consumption(
        'UTC month',
        { start_datetime: '2026-10-01T00:00:00', end_datetime: '2026-10-31T23:59:59', timezone: 'UTC' },
        days(ms('2026-10-01T00:00:00Z'), ms('2026-11-01T00:00:00Z'), 'UTC'),
      );
    });

    it('answers the days of Europe/Madrid across the October DST change, period_start as UTC instants', async () => {
      const body = await consumption(
        'Europe/Madrid across DST',
        { start_datetime: '2026-10-24T00:00:00', end_datetime: '2026-10-26T23:59:59', timezone: 'Europe/Madrid' },
        days(ms('2026-10-23T22:00:00Z'), ms('2026-10-26T23:00:00Z'), 'Europe/Madrid'),
      );
      expect(body.map((d) => d.period_start)).toEqual([
        '2026-10-23T22:00:00Z',
        '2026-10-24T22:00:00Z',
        '2026-10-25T23:00:00Z',
      ]);
    });

    it('reads the window in UTC when no timezone is sent (the page’s default)', async () => {
      await consumption(
        'default timezone',
        { start_datetime: '2026-10-24T00:00:00', end_datetime: '2026-10-25T23:59:59' },
        days(ms('2026-10-24T00:00:00Z'), ms('2026-10-26T00:00:00Z'), 'UTC'),
      );
    });

    it('answers without bounds (both optional on the page) with the days up to now', async () => {
      // The simulator's default window: the 30 days before now, the end inclusive.
      await consumption('no bounds', {}, days(NOW - 30 * DAY_MS, NOW + 1000, 'UTC'));
    });
  });

  it('GET /v0/billing/credit-balance answers 200 with the four credit counters', async () => {
    const { body } = await call('credit balance', THEIRSTACK_ANSWERS.balance, THEIRSTACK_BALANCE_PATH);
    expect(body).toEqual({ ui_credits: '10000', used_ui_credits: '0', api_credits: '10000', used_api_credits: '0' });
  });

  describe('errors, in the documented { error: { code, title, description }, request_id } body', () => {
    it('401 for a missing key, a revoked key, and an unknown key on the balance', async () => {
      await call('no key', THEIRSTACK_ANSWERS.unauthorized, THEIRSTACK_CONSUMPTION_PATH, {}, null);
      await call(
        'revoked key',
        THEIRSTACK_ANSWERS.unauthorized,
        THEIRSTACK_CONSUMPTION_PATH,
        {},
        THEIRSTACK_SIM_REVOKED_TOKEN,
      );
      await call('unknown key (balance)', THEIRSTACK_ANSWERS.unauthorized, THEIRSTACK_BALANCE_PATH, {}, 'not-a-key');
    });

    it('402 for a team out of credits, with an integer request_id to quote', async () => {
      const { body } = await call<ErrorBody>(
        'out of credits',
        THEIRSTACK_ANSWERS.paymentRequired,
        THEIRSTACK_CONSUMPTION_PATH,
        {},
        THEIRSTACK_SIM_NO_CREDITS_TOKEN,
      );
      expect(body.request_id).toMatch(/^\d+$/);
    });

    it('422 for an unknown IANA zone and for an unreadable start_datetime', async () => {
      await call('unknown zone', THEIRSTACK_ANSWERS.unprocessable, THEIRSTACK_CONSUMPTION_PATH, {
        timezone: 'Mars/Olympus',
      });
      const { body } = await call<ErrorBody>(
        'unreadable datetime',
        THEIRSTACK_ANSWERS.unprocessable,
        THEIRSTACK_CONSUMPTION_PATH,
        { start_datetime: 'yesterday' },
      );
      expect(body.error.description).toContain('start_datetime');
    });

    it('400 and 500, as the simulator renders them when they are injected', async () => {
      sim.injectFault({ fault: { kind: 'status', status: 400 }, times: 1 });
      await call('injected 400', THEIRSTACK_ANSWERS.badRequest, THEIRSTACK_CONSUMPTION_PATH);
      sim.injectFault({ fault: { kind: 'status', status: 500 }, times: 1 });
      const { body } = await call<ErrorBody>(
        'injected 500',
        THEIRSTACK_ANSWERS.serverError,
        THEIRSTACK_CONSUMPTION_PATH,
      );
      expect(body.request_id).toMatch(/^\d+$/);
    });

    it('429 once the policy is used up, with the RateLimit headers and no Retry-After', async () => {
      sim.setRateLimit({ name: 'per-second', limit: 1, windowSeconds: 30 });
      try {
        await consumption(
          'last request of the window',
          { start_datetime: '2026-10-01T00:00:00', end_datetime: '2026-10-01T23:59:59' },
          days(ms('2026-10-01T00:00:00Z'), ms('2026-10-02T00:00:00Z'), 'UTC'),
        );
        const { headers } = await call('rate limited', THEIRSTACK_ANSWERS.rateLimited, THEIRSTACK_CONSUMPTION_PATH);
        expect(headers.get('ratelimit')).toBe('"per-second"; r=0; t=30');
      } finally {
        sim.setRateLimit({ name: 'per-minute', limit: 600, windowSeconds: 60 });
      }
    });

    it('404 for a path that does not exist', async () => {
      await call('unknown path', THEIRSTACK_ANSWERS.notFound, '/v0/teams/credits');
    });
  });

  it(`made ${EXPECTED_CALLS} calls, each answered as the pages say`, () => {
    expect(new Set(conforming).size).toBe(EXPECTED_CALLS);
    expect(sim.count()).toBe(EXPECTED_CALLS);
  });

  describe('drift', () => {
    it('flags a missing field, a wrong type and an undeclared field', () => {
      const body = parseTyped('[{"period_start":"2026-10-01","api_credits_consumed":"12","credits":3}]');
      expect(typeProblems(body, { arrayOf: { object: CREDITS_DAY } }, 'days')).toEqual([
        'days[0].period_start: expected date-time, got "2026-10-01"',
        'days[0].api_credits_consumed: expected number, got "12"',
        `days[0].ui_credits_consumed: missing (required by ${CREDITS_DAY.source})`,
        `days[0].credits: not declared by ${CREDITS_DAY.source}`,
      ]);
      const error = parseTyped('{"error":{"code":7},"request_id":"abc"}');
      expect(typeProblems(error, THEIRSTACK_ANSWERS.paymentRequired.body, '402')).toEqual([
        '402.error.code: expected string, got 7',
        expect.stringMatching(/^402\.error\.title: missing/),
        '402.request_id: expected integer, got "abc"',
      ]);
    });

    it('flags a simulator that switches on an undocumented behaviour: Retry-After on a 429', async () => {
      const drifted = await startTheirstackSimulator({
        now: () => NOW,
        rateLimit: { name: 'per-second', limit: 0, windowSeconds: 30 },
        extensions: { retryAfterOn429: true },
      });
      try {
        const res = await fetch(`${drifted.url}${THEIRSTACK_CONSUMPTION_PATH}`, {
          headers: { authorization: `Bearer ${THEIRSTACK_SIM_TOKEN}` },
        });
        expect(answerProblems(res, await res.text(), THEIRSTACK_ANSWERS.rateLimited, 'drifted 429')).toEqual([
          'drifted 429: header retry-after is not documented',
        ]);
      } finally {
        await drifted.close();
      }
    });
  });
});
