import Big from 'big.js';
import { parseJsonLossless } from '../../src/lib/parseJsonLossless.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consumptionBetween, hourEvents } from '../../simulators/civitai/seed.js';
import {
  CIVITAI_CONSUMPTION_PATH,
  CIVITAI_ROUTES,
  CIVITAI_SIM_API_KEY,
  CIVITAI_SIM_CONSUMERS,
  CIVITAI_SIM_SUSPENDED_KEY,
  parseUpstreamDateTime,
  startCivitaiSimulator,
  type CivitaiSimulator,
} from '../../simulators/civitai/simulator.js';

const NOW = Date.parse('2026-11-24T08:00:00Z');
const ms = (iso: string) => Date.parse(iso);
let sim: CivitaiSimulator;

beforeAll(async () => {
  sim = await startCivitaiSimulator({ now: () => NOW });
});
afterAll(async () => sim.close());
afterEach(() => {
  sim.clearFaults();
  sim.resetCounters();
  sim.setUnauthorizedStyle('empty');
  sim.setExtensions({ refuseStartNotBeforeEnd: false, longDecimals: false });
});

function get(
  query: Record<string, string>,
  authorization: string | null = `Bearer ${CIVITAI_SIM_API_KEY}`,
  path = CIVITAI_CONSUMPTION_PATH,
) {
  const qs = new URLSearchParams(query).toString();
  return fetch(`${sim.url}${path}${qs ? `?${qs}` : ''}`, { headers: authorization === null ? {} : { authorization } });
}

/** Numbers kept as their literal text. */
const lossless = (text: string) => parseJsonLossless(text) as Record<string, unknown>;

describe('Civitai simulator: GET /v1/consumer/consumption', () => {
  it('answers ConsumptionDetails with all four fields and echoes the window in UTC with Z', async () => {
    const res = await get({ startDate: '2026-10-01T00:00:00Z', endDate: '2026-10-08T00:00:00Z' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = lossless(await res.text());
    const expected = sim.expectedConsumption(ms('2026-10-01T00:00:00Z'), ms('2026-10-08T00:00:00Z'));
    expect(body).toEqual({
      images: String(expected.images),
      totalCost: expected.totalCost,
      startDate: '2026-10-01T00:00:00Z',
      endDate: '2026-10-08T00:00:00Z',
    });
    expect(expected.images).toBeGreaterThan(500);
    expect(sim.count({ route: CIVITAI_ROUTES.consumption })).toBe(1);
  });

  it('writes every totalCost as a double would print it by default: at most 17 significant digits, the exact total rounded', async () => {
    const days = Array.from({ length: 30 }, (_, i) => ms('2026-10-01T00:00:00Z') + i * 86_400_000);
    let longer = 0;
    for (const start of days) {
      const query = { startDate: new Date(start).toISOString(), endDate: new Date(start + 86_400_000).toISOString() };
      const literal = /"totalCost":([^,}]+)/.exec(await (await get(query)).text())![1]!;
      expect(literal).toMatch(/^\d+(\.\d+)?$/);
      expect(literal.replace('.', '').replace(/^0+/, '').length).toBeLessThanOrEqual(17);
      // The exact total, rounded in decimal: what Number() makes of the long literal.
      sim.setExtensions({ longDecimals: true });
      const exact = sim.expectedConsumption(start, start + 86_400_000).totalCost;
      sim.setExtensions({ longDecimals: false });
      expect(literal).toBe(new Big(exact).prec(17, Big.roundHalfEven).toFixed());
      expect(Number(literal)).toBe(Number(exact));
      if (exact.replace('.', '').replace(/^0+/, '').length > 17) longer++;
    }
    // The case is real: most exact daily totals have more digits than were printed.
    expect(longer).toBeGreaterThan(20);
  });

  it('writes totalCost with more digits than a double holds when longDecimals is on', async () => {
    sim.setExtensions({ longDecimals: true });
    const text = await (await get({ startDate: '2026-10-01T00:00:00Z', endDate: '2026-10-02T00:00:00Z' })).text();
    const literal = /"totalCost":([0-9.]+)/.exec(text)![1]!;
    expect(literal.replace('.', '').length).toBeGreaterThan(17);
    expect(String(Number(literal))).not.toBe(literal);
  });

  it('is additive with longDecimals: [a,b) + [b,c) equals [a,c) digit for digit', () => {
    sim.setExtensions({ longDecimals: true });
    const a = ms('2026-10-24T22:00:00Z');
    const b = ms('2026-10-25T23:00:00Z');
    const c = ms('2026-10-26T23:17:31Z');
    const left = sim.expectedConsumption(a, b);
    const right = sim.expectedConsumption(b, c);
    const whole = sim.expectedConsumption(a, c);
    expect(left.images + right.images).toBe(whole.images);
    expect(new Big(left.totalCost).plus(right.totalCost).toFixed()).toBe(whole.totalCost);
  });

  it('is deterministic and different per consumer', () => {
    const consumer = CIVITAI_SIM_CONSUMERS[CIVITAI_SIM_API_KEY]!;
    expect(hourEvents(1, consumer, 500_000)).toEqual(hourEvents(1, consumer, 500_000));
    const w = [ms('2026-10-01T00:00:00Z'), ms('2026-10-02T00:00:00Z')] as const;
    expect(sim.expectedConsumption(...w, CIVITAI_SIM_SUSPENDED_KEY)).not.toEqual(sim.expectedConsumption(...w));
    expect(consumptionBetween(12345, consumer, ...w)).not.toEqual(sim.expectedConsumption(...w));
  });

  it('accepts Z, +hh:mm and +hhmm offsets, microseconds, and no offset as UTC', async () => {
    const forms = [
      { startDate: '2026-10-01T00:00:00Z', endDate: '2026-10-02T00:00:00Z' },
      { startDate: '2026-10-01T02:00:00+02:00', endDate: '2026-10-02T02:00:00+02:00' },
      { startDate: '2026-10-01T00:00:00.000000+0000', endDate: '2026-10-01T19:00:00.000000-0500' },
      { startDate: '2026-10-01T00:00:00', endDate: '2026-10-02T00:00:00' },
    ];
    const bodies = await Promise.all(forms.map(async (q) => lossless(await (await get(q)).text())));
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(parseUpstreamDateTime('2026-10-01T00:00:00.123456Z')).toBe(ms('2026-10-01T00:00:00.123Z'));
  });

  it('binds parameter names case-insensitively and ignores snake_case (the default window applies)', async () => {
    const camel = lossless(
      await (await get({ STARTDATE: '2026-10-01T00:00:00Z', enddate: '2026-10-02T00:00:00Z' })).text(),
    );
    expect(camel.startDate).toBe('2026-10-01T00:00:00Z');
    const snake = lossless(
      await (await get({ start_date: '2026-10-01T00:00:00Z', end_date: '2026-10-02T00:00:00Z' })).text(),
    );
    expect(snake.startDate).toBe('2026-10-25T08:00:00Z');
    expect(snake.endDate).toBe('2026-11-24T08:00:00Z');
  });

  it('answers 400 ValidationProblemDetails for an unparsable date', async () => {
    const bad = await get({ startDate: 'yesterday', endDate: '2026-10-02T00:00:00Z' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await bad.json()).toEqual({
      type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
      title: 'One or more validation errors occurred.',
      status: 400,
      errors: { startDate: ["The value 'yesterday' is not valid."] },
    });
  });

  it('answers an empty or backwards window by default as the published 200: zero totals, the window echoed as asked', async () => {
    for (const [startDate, endDate] of [
      ['2026-10-02T00:00:00Z', '2026-10-01T00:00:00Z'],
      ['2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z'],
    ] as const) {
      const res = await get({ startDate, endDate });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ images: 0, totalCost: 0, startDate, endDate });
    }
  });

  it('refuses start >= end with 400 ValidationProblemDetails when refuseStartNotBeforeEnd is on', async () => {
    sim.setExtensions({ refuseStartNotBeforeEnd: true });
    for (const [startDate, endDate] of [
      ['2026-10-02T00:00:00Z', '2026-10-01T00:00:00Z'],
      ['2026-10-01T00:00:00Z', '2026-10-01T00:00:00Z'],
    ] as const) {
      const reversed = await get({ startDate, endDate });
      expect(reversed.status).toBe(400);
      expect(reversed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await reversed.json()).toEqual({
        type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
        title: 'One or more validation errors occurred.',
        status: 400,
        errors: { startDate: ['startDate must be before endDate.'] },
      });
    }
    // A forward window is still answered.
    expect((await get({ startDate: '2026-10-01T00:00:00Z', endDate: '2026-10-02T00:00:00Z' })).status).toBe(200);
  });

  describe('auth', () => {
    it('401 with an empty body and WWW-Authenticate: Bearer for a missing, malformed or unknown token', async () => {
      for (const authorization of [null, `Token ${CIVITAI_SIM_API_KEY}`, 'Bearer nope']) {
        const res = await get({}, authorization);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(await res.text()).toBe('');
      }
    });

    it('401 as ProblemDetails when switched', async () => {
      sim.setUnauthorizedStyle('problem');
      const res = await get({}, 'Bearer nope');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toMatchObject({ title: 'Unauthorized', status: 401 });
    });

    it('403 ProblemDetails for a suspended consumer', async () => {
      const res = await get({}, `Bearer ${CIVITAI_SIM_SUSPENDED_KEY}`);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({
        title: 'Forbidden',
        status: 403,
        detail: 'This consumer is suspended.',
      });
    });
  });

  it('405 for other methods and 404 for other paths, both as ProblemDetails', async () => {
    const post = await fetch(`${sim.url}${CIVITAI_CONSUMPTION_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CIVITAI_SIM_API_KEY}` },
    });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect(await post.json()).toMatchObject({ status: 405 });
    const other = await get({}, undefined, '/v2/consumer/consumption');
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ status: 404 });
  });

  it('injects 429 with Retry-After and 5xx ProblemDetails, and counts every request', async () => {
    sim.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 9 }, times: 1 });
    sim.injectFault({ fault: { kind: 'status', status: 503 }, times: 1 });
    const limited = await get({});
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('9');
    const down = await get({});
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 503 });
    expect((await get({})).status).toBe(200);
    expect(sim.count({ route: CIVITAI_ROUTES.consumption })).toBe(3);
  });
});
