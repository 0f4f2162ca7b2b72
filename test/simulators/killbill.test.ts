import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  accountBalances,
  decimalToNanos,
  formatNanos,
  generateKillbillData,
  isoDay,
  KILLBILL_BIG_AMOUNT,
  KILLBILL_BIG_AMOUNT_DAY,
  KILLBILL_BIG_UNIT,
  phasePrices,
} from '../../simulators/killbill/seed.js';
import {
  KILLBILL_SIM_CREDENTIALS,
  startKillbillSimulator,
  type KillbillSimulator,
} from '../../simulators/killbill/simulator.js';

const AUTH = {
  authorization: `Basic ${Buffer.from(`${KILLBILL_SIM_CREDENTIALS.username}:${KILLBILL_SIM_CREDENTIALS.password}`).toString('base64')}`,
  'x-killbill-apikey': KILLBILL_SIM_CREDENTIALS.apiKey,
  'x-killbill-apisecret': KILLBILL_SIM_CREDENTIALS.apiSecret,
};

/** The parts of Kill Bill's JSON answers these tests read. */
type RolledUp = { startDate: string; rolledUpUnits: { unitType: string; amount: number }[] };
type KbError = { className: string; code: number | null; message: string };

describe('Kill Bill simulator', () => {
  let sim: KillbillSimulator;
  beforeAll(async () => {
    sim = await startKillbillSimulator();
  });
  afterAll(async () => sim?.close());
  beforeEach(() => sim.resetCounters());

  const get = (path: string, headers: Record<string, string> = AUTH) => fetch(`${sim.url}/1.0/kb${path}`, { headers });
  const post = (body: string, headers: Record<string, string> = { ...AUTH, 'x-killbill-createdby': 'test' }) =>
    fetch(`${sim.url}/1.0/kb/usages`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
    });
  const sub = () => sim.data.subscriptions[0]!;

  it('is deterministic, with amounts carrying up to nine decimals', () => {
    expect(generateKillbillData()).toEqual(generateKillbillData());
    expect(sim.data.accounts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(sim.data.subscriptions.map((s) => s.state))).toEqual(new Set(['ACTIVE', 'PENDING', 'CANCELLED']));
    expect(sim.data.records.some((r) => formatNanos(r.amountNanos).split('.')[1]?.length === 9)).toBe(true);
  });

  it('seeds the two 333333333.333333333 records only with beyondDoublePrecision, every other record alike', async () => {
    const big = decimalToNanos(KILLBILL_BIG_AMOUNT)!;
    // Off by default: the simulator's day has its ordinary summary only.
    expect(sim.data.records.filter((r) => r.amountNanos === big)).toEqual([]);
    expect(generateKillbillData().records.some((r) => r.amountNanos >= big)).toBe(false);
    const day = (s: KillbillSimulator) =>
      s.expectedUsage(sub().subscriptionId, `${KILLBILL_BIG_AMOUNT_DAY}T00:00:00Z`, '2026-10-15T00:00:00Z');
    expect(Number(day(sim)[KILLBILL_BIG_UNIT] ?? '0')).toBeLessThan(1000);

    const on = await startKillbillSimulator({ extensions: { beyondDoublePrecision: true } });
    try {
      const bigOnes = on.data.records.filter((r) => r.amountNanos === big);
      expect(bigOnes.map((r) => [r.subscriptionId, r.unitType, isoDay(r.recordMs)])).toEqual([
        [sub().subscriptionId, KILLBILL_BIG_UNIT, KILLBILL_BIG_AMOUNT_DAY],
        [sub().subscriptionId, KILLBILL_BIG_UNIT, KILLBILL_BIG_AMOUNT_DAY],
      ]);
      expect(on.data.records.filter((r) => r.amountNanos !== big)).toEqual(sim.data.records);
      expect(generateKillbillData(undefined, 1, { beyondDoublePrecision: true })).toEqual(on.data);
      // 666666666.666666666 plus that day's ordinary summary: more digits than a double holds.
      const sum = day(on)[KILLBILL_BIG_UNIT]!;
      expect(sum.startsWith('66666')).toBe(true);
      expect(String(Number(sum))).not.toBe(sum);
    } finally {
      await on.close();
    }
  });

  it('converts decimals exactly, rounding at the ninth decimal like decimal(18,9)', () => {
    expect(formatNanos(decimalToNanos('333333333.333333333')!)).toBe('333333333.333333333');
    expect(formatNanos(decimalToNanos('1.0000000005')!)).toBe('1.000000001');
    expect(formatNanos(decimalToNanos('1.5E3')!)).toBe('1500');
    expect(formatNanos(decimalToNanos('-0.25')!)).toBe('-0.25');
    expect(decimalToNanos('abc')).toBeNull();
  });

  it('rejects bad Basic credentials with a challenge and no body, and a bad tenant with a container page', async () => {
    const basic = await get('/accounts/pagination', { ...AUTH, authorization: 'Basic Zm9vOmJhcg==' });
    expect(basic.status).toBe(401);
    expect(basic.headers.get('www-authenticate')).toBe('BASIC realm="killbill"');
    expect(await basic.text()).toBe('');
    const tenant = await get('/accounts/pagination', { authorization: AUTH.authorization });
    expect(tenant.status).toBe(401);
    expect(tenant.headers.get('content-type')).toMatch(/text\/html/);
    expect(await tenant.text()).toContain('X-Killbill-ApiKey and X-Killbill-ApiSecret');
  });

  it('pages accounts with the pagination headers', async () => {
    const res = await get('/accounts/pagination?offset=1&limit=2');
    expect(res.headers.get('x-killbill-pagination-currentoffset')).toBe('1');
    expect(res.headers.get('x-killbill-pagination-nextoffset')).toBe('3');
    expect(res.headers.get('x-killbill-pagination-totalnbrecords')).toBe(String(sim.data.accounts.length));
    expect(((await res.json()) as { accountId: string }[]).map((a) => a.accountId)).toEqual(
      sim.data.accounts.slice(1, 3).map((a) => a.accountId),
    );
    const last = await get(`/accounts/pagination?offset=3&limit=2`);
    expect(last.headers.get('x-killbill-pagination-nextoffset')).toBeNull();
  });

  it('refuses an account lookup without externalKey (400, code 3004) and an unknown audit level (400)', async () => {
    const noKey = await get('/accounts');
    expect(noKey.status).toBe(400);
    expect(await noKey.json()).toMatchObject({
      className: 'org.killbill.billing.account.api.AccountApiException',
      code: 3004,
    });
    const badAudit = await get(`/accounts/${sim.data.accounts[0]!.accountId}?audit=EVERYTHING`);
    expect(badAudit.status).toBe(400);
    expect(await badAudit.json()).toMatchObject({ className: 'java.lang.IllegalArgumentException', code: null });
    const lowerCase = await get(`/subscriptions/${sub().subscriptionId}?audit=full`);
    expect(((await lowerCase.json()) as { auditLogs: unknown[] }).auditLogs).not.toEqual([]);
  });

  it('writes balances and catalog prices as exact decimal literals, and keeps the next page URI’s options', async () => {
    const a = sim.data.accounts[0]!;
    const text = await (await get(`/accounts/${a.accountId}?accountWithBalanceAndCBA=TRUE`)).text();
    expect(text).toContain(`"accountBalance":${accountBalances(a).accountBalance},`);
    expect(text).toContain(`"accountCBA":${accountBalances(a).accountCBA},`);
    const subText = await (await get(`/subscriptions/${sub().subscriptionId}`)).text();
    const [phase] = phasePrices(sub());
    expect(subText).toContain(`"recurringPrice":${phase!.recurringPrice},`);
    expect(subText).toContain('{"unitName":"api-calls","size":1,"price":0.0004,"max":-1}');
    const page = await get('/accounts/pagination?offset=0&limit=1&accountWithBalance=true&audit=minimal');
    expect(page.headers.get('x-killbill-pagination-nextpageuri')).toBe(
      '/1.0/kb/accounts/pagination?offset=1&limit=1&accountWithBalance=true&accountWithBalanceAndCBA=false&audit=MINIMAL',
    );
  });

  it('rolls usage up over [startDate, endDate) with dates or date-times, echoing the bounds', async () => {
    const rec = sim.data.records.find(
      (r) => r.subscriptionId === sub().subscriptionId && r.recordMs % 86_400_000 !== 0,
    )!;
    const at = new Date(rec.recordMs).toISOString();
    const after = new Date(rec.recordMs + 1).toISOString();
    const including = (await (
      await get(`/usages/${sub().subscriptionId}?startDate=${at}&endDate=${after}`)
    ).json()) as RolledUp;
    expect(including.startDate).toBe(at);
    expect(including.rolledUpUnits).toContainEqual({
      unitType: rec.unitType,
      amount: Number(formatNanos(rec.amountNanos)),
    });
    const excluding = (await (
      await get(
        `/usages/${sub().subscriptionId}?startDate=${new Date(rec.recordMs - 3_600_000).toISOString()}&endDate=${at}`,
      )
    ).json()) as RolledUp;
    expect(
      excluding.rolledUpUnits.some(
        (u) => u.unitType === rec.unitType && u.amount === Number(formatNanos(rec.amountNanos)),
      ),
    ).toBe(false);

    const byDate = await (await get(`/usages/${sub().subscriptionId}?startDate=2026-10-01&endDate=2026-10-08`)).text();
    const byInstant = await (
      await get(`/usages/${sub().subscriptionId}?startDate=2026-10-01T00:00:00Z&endDate=2026-10-08T00:00:00.000Z`)
    ).text();
    expect(byDate).toBe(byInstant);
    expect(byDate).toContain('"startDate":"2026-10-01T00:00:00.000Z","endDate":"2026-10-08T00:00:00.000Z"');
    const expected = sim.expectedUsage(sub().subscriptionId, '2026-10-01T00:00:00Z', '2026-10-08T00:00:00Z');
    for (const [unit, amount] of Object.entries(expected))
      expect(byDate).toContain(`{"unitType":"${unit}","amount":${amount}}`);
    const one = (await (
      await get(`/usages/${sub().subscriptionId}/api-calls?startDate=2026-10-01&endDate=2026-10-08`)
    ).json()) as RolledUp;
    expect(one.rolledUpUnits).toEqual([{ unitType: 'api-calls', amount: Number(expected['api-calls']) }]);
  });

  it('answers usage errors like Kill Bill: empty 400 for a missing date, JSON 400 for a bad one, 404s', async () => {
    const missing = await get(`/usages/${sub().subscriptionId}?startDate=2026-10-01`);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toBe('');
    const bad = await get(`/usages/${sub().subscriptionId}?startDate=yesterday&endDate=2026-10-08`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      className: 'java.lang.IllegalArgumentException',
      code: null,
      stackTrace: [],
    });
    const unknown = await get('/usages/00000000-0000-4000-8000-000000000000?startDate=2026-10-01&endDate=2026-10-08');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      className: expect.stringContaining('ObjectDoesNotExist'),
      code: null,
    });
    const noRoute = await get('/usages/not-a-uuid?startDate=2026-10-01&endDate=2026-10-08');
    expect(noRoute.status).toBe(404);
    expect(await noRoute.text()).toBe('');
  });

  it('records usage: 201 empty, CreatedBy required, body checks, duplicate trackingId refused whole', async () => {
    const body = (
      trackingId: string | null,
      units = `[{"unitType":"api-calls","usageRecords":[{"recordDate":"2026-10-02","amount":7}]}]`,
    ) =>
      `{"subscriptionId":"${sub().subscriptionId}",${trackingId === null ? '' : `"trackingId":"${trackingId}",`}"unitUsageRecords":${units}}`;
    const noAuthor = await post(body('sim-1'), AUTH);
    expect(noAuthor.status).toBe(400);
    expect(((await noAuthor.json()) as KbError).message).toBe('Header X-Killbill-CreatedBy needs to be set');
    const empty = await post(body('sim-1', '[]'));
    expect(((await empty.json()) as KbError).message).toBe('json.getUnitUsageRecords() is empty');
    const created = await post(body('sim-1'));
    expect(created.status).toBe(201);
    expect(await created.text()).toBe('');
    const duplicate = await post(
      body(
        'sim-1',
        `[{"unitType":"api-calls","usageRecords":[{"recordDate":"2026-10-03","amount":1}]},{"unitType":"events","usageRecords":[{"recordDate":"2026-10-03","amount":1}]}]`,
      ),
    );
    expect(duplicate.status).toBe(400);
    expect(await duplicate.json()).toEqual({
      className: 'org.killbill.billing.usage.api.UsageApiException',
      code: 50000,
      message: 'A usage record with tracking ID sim-1 already exists',
      causeClassName: null,
      causeMessage: null,
      stackTrace: [],
    });
    expect(sim.recordsWith(sub().subscriptionId, 'sim-1')).toHaveLength(1);
    // No trackingId: the server makes one up, so the same body is stored again.
    const before = sim.posted.length;
    expect((await post(body(null))).status).toBe(201);
    expect((await post(body(null))).status).toBe(201);
    expect(sim.posted.length).toBe(before + 2);
  });

  it('refuses usage after a cancelled subscription ended with an empty 400', async () => {
    const cancelled = sim.data.subscriptions.find((s) => s.state === 'CANCELLED')!;
    const res = await post(
      `{"subscriptionId":"${cancelled.subscriptionId}","trackingId":"late","unitUsageRecords":[{"unitType":"api-calls","usageRecords":[{"recordDate":"2026-10-21T00:00:00Z","amount":1}]}]}`,
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('');
  });
});
