// Conformance: Civitai's official JavaScript client (`civitai` 0.1.15) against the Civitai
// simulator. Of the client's services the simulator serves the consumption one
// (`ConsumptionService.getV1ConsumerConsumption`, the call billgraph makes); it is called over the
// window forms clients send and the refusals the simulator gives, each checked for its status
// and against the client's `ConsumptionDetails` model, then against the seeded ledger.

import { ApiError, ConsumptionService, OpenAPI, type ConsumptionDetails } from 'civitai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CIVITAI_SIM_API_KEY,
  CIVITAI_SIM_SUSPENDED_KEY,
  startCivitaiSimulator,
  type CivitaiSimulator,
} from '../../../simulators/civitai/simulator.js';

type Kind = 'integer' | 'number' | 'date-time-or-null';
/** One entry per property of the client's model, no more, no fewer (checked by tsc). */
const CONSUMPTION_DETAILS = {
  images: 'integer',
  totalCost: 'number',
  startDate: 'date-time-or-null',
  endDate: 'date-time-or-null',
} as const satisfies { readonly [K in keyof Required<ConsumptionDetails>]: Kind };

/** RFC 3339 with an offset, as the model's date-time format says. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * How a body departs from `ConsumptionDetails`: a field missing (the simulator writes all four,
 * docs/upstreams/civitai.md#sim-5), of the wrong type, or not in the model. Empty when it conforms.
 */
function consumptionProblems(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [`expected an object, got ${JSON.stringify(body)}`];
  const record = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const [field, kind] of Object.entries(CONSUMPTION_DETAILS)) {
    const v = record[field];
    const ok =
      kind === 'integer'
        ? Number.isInteger(v)
        : kind === 'number'
          ? typeof v === 'number' && Number.isFinite(v)
          : v === null || (typeof v === 'string' && DATE_TIME.test(v));
    if (!(field in record)) problems.push(`${field}: missing`);
    else if (!ok) problems.push(`${field}: expected ${kind}, got ${JSON.stringify(v)}`);
  }
  for (const field of Object.keys(record))
    if (!(field in CONSUMPTION_DETAILS)) problems.push(`${field}: not in the model`);
  return problems;
}

const NOW = Date.parse('2026-11-15T12:34:56.789Z');
const DAY_MS = 86_400_000;
const EXPECTED_CALLS = 12;

describe('Civitai’s official JavaScript client against the Civitai simulator', () => {
  let sim: CivitaiSimulator;
  /** Names of the client calls answered with the expected status and a body matching the model. */
  const conforming: string[] = [];

  beforeAll(async () => {
    sim = await startCivitaiSimulator({ now: () => NOW });
    // The client's generated core reads its base URL and token from this shared configuration.
    OpenAPI.BASE = sim.url;
    OpenAPI.TOKEN = CIVITAI_SIM_API_KEY;
  });
  afterAll(async () => sim?.close());

  /** One successful call: the model, then the totals and the echoed window against the ledger. */
  async function consumption(
    name: string,
    startDate: string | undefined,
    endDate: string | undefined,
    window: [number, number],
  ) {
    const body = await ConsumptionService.getV1ConsumerConsumption(startDate, endDate);
    expect(consumptionProblems(body), name).toEqual([]);
    const expected = sim.expectedConsumption(window[0], window[1]);
    expect(body.images, name).toBe(expected.images);
    // The client parses JSON into doubles: the exact digits are billgraph's concern (lossless parse).
    expect(body.totalCost, name).toBe(Number(expected.totalCost));
    expect([Date.parse(body.startDate!), Date.parse(body.endDate!)], name).toEqual(window);
    conforming.push(name);
    return body;
  }

  /** One refused call: the client throws its ApiError with the status and the problem body. */
  async function refused(name: string, status: number, run: () => Promise<unknown>): Promise<ApiError> {
    const error: unknown = await run().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, name).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status, name).toBe(status);
    conforming.push(name);
    return apiError;
  }

  const at = (iso: string) => Date.parse(iso);

  it('reads a UTC day, an hour and a month, echoing each window in UTC with Z', async () => {
    const day = await consumption('day', '2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', [
      at('2026-10-01T00:00:00Z'),
      at('2026-10-02T00:00:00Z'),
    ]);
    expect(day).toMatchObject({ startDate: '2026-10-01T00:00:00Z', endDate: '2026-10-02T00:00:00Z' });
    expect(day.images).toBeGreaterThan(0);
    await consumption('hour', '2026-10-01T13:00:00Z', '2026-10-01T14:00:00Z', [
      at('2026-10-01T13:00:00Z'),
      at('2026-10-01T14:00:00Z'),
    ]);
    await consumption('month', '2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', [
      at('2026-10-01T00:00:00Z'),
      at('2026-11-01T00:00:00Z'),
    ]);
  });

  it('reads windows written with +hh:mm, with Python’s +hhmm and microseconds, and without an offset', async () => {
    const window: [number, number] = [at('2026-10-01T00:00:00Z'), at('2026-10-02T00:00:00Z')];
    const offset = await consumption('+02:00 offset', '2026-10-01T02:00:00+02:00', '2026-10-02T02:00:00+02:00', window);
    expect(offset.startDate).toBe('2026-10-01T00:00:00Z');
    await consumption(
      'Python +0000 microseconds',
      '2026-10-01T00:00:00.000000+0000',
      '2026-10-02T00:00:00.000000+0000',
      window,
    );
    await consumption('no offset (UTC)', '2026-10-01T00:00:00', '2026-10-02T00:00:00', window);
  });

  it('reads a window with milliseconds and echoes them', async () => {
    const body = await consumption('milliseconds', '2026-10-01T00:00:00.250Z', '2026-10-01T06:30:00.750Z', [
      at('2026-10-01T00:00:00.250Z'),
      at('2026-10-01T06:30:00.750Z'),
    ]);
    expect(body.endDate).toBe('2026-10-01T06:30:00.750Z');
  });

  it('reads the default window, the 30 days before now, when no bound is sent', async () => {
    await consumption('no bounds', undefined, undefined, [NOW - 30 * DAY_MS, NOW]);
  });

  it('refuses an unreadable date with 400 and a validation problem body', async () => {
    const unreadable = await refused('unreadable date', 400, () =>
      ConsumptionService.getV1ConsumerConsumption('yesterday', '2026-10-02T00:00:00Z'),
    );
    expect(unreadable.body).toMatchObject({
      status: 400,
      errors: { startDate: ["The value 'yesterday' is not valid."] },
    });
  });

  it('answers startDate after endDate with the declared 200 and zero totals (no refusal is published)', async () => {
    const backwards = await consumption('start after end', '2026-10-02T00:00:00Z', '2026-10-01T00:00:00Z', [
      at('2026-10-02T00:00:00Z'),
      at('2026-10-01T00:00:00Z'),
    ]);
    expect(backwards).toEqual({
      images: 0,
      totalCost: 0,
      startDate: '2026-10-02T00:00:00Z',
      endDate: '2026-10-01T00:00:00Z',
    });
  });

  it('refuses an unknown key with 401 and a suspended key with 403 and a problem body', async () => {
    OpenAPI.TOKEN = 'not-a-key';
    try {
      const unknown = await refused('unknown key', 401, () =>
        ConsumptionService.getV1ConsumerConsumption('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z'),
      );
      // ASP.NET's bearer challenge: no body (docs/upstreams/civitai.md#sim-2), read by the client as ''.
      expect(unknown.body).toBe('');
      OpenAPI.TOKEN = CIVITAI_SIM_SUSPENDED_KEY;
      const suspended = await refused('suspended key', 403, () =>
        ConsumptionService.getV1ConsumerConsumption('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z'),
      );
      expect(suspended.body).toMatchObject({ status: 403, title: 'Forbidden' });
    } finally {
      OpenAPI.TOKEN = CIVITAI_SIM_API_KEY;
    }
  });

  it(`made ${EXPECTED_CALLS} client calls, each answered by the simulator as the model says`, () => {
    expect(new Set(conforming).size).toBe(EXPECTED_CALLS);
    expect(sim.count()).toBe(EXPECTED_CALLS);
  });

  it('flags drift: a missing field, a wrong type, an undeclared field', () => {
    expect(consumptionProblems({ images: '12', totalCost: 1.5, startDate: '2026-10-01', credits: 3 })).toEqual([
      'images: expected integer, got "12"',
      'startDate: expected date-time-or-null, got "2026-10-01"',
      'endDate: missing',
      'credits: not in the model',
    ]);
  });
});
