import Big from 'big.js';
import { parseJsonLossless } from '../../src/lib/parseJsonLossless.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  machineRates,
  OPENVCLOUD_ARCHIVE_MACHINE_NAME,
  type CalculateAccountResult,
  type CalculateTotalResult,
} from '../../simulators/openvcloud/seed.js';
import {
  OPENVCLOUD_BASE_PATH,
  OPENVCLOUD_MESSAGES,
  OPENVCLOUD_ROUTES,
  OPENVCLOUD_SIM_ACCOUNT1_TOKEN,
  OPENVCLOUD_SIM_NO_BILLING_TOKEN,
  OPENVCLOUD_SIM_PASSWORD,
  OPENVCLOUD_SIM_TOKEN,
  OPENVCLOUD_SIM_USERNAME,
  SEED_MALFORMED_BODY,
  startOpenvcloudSimulator,
  type OpenvcloudSimulator,
} from '../../simulators/openvcloud/simulator.js';

const t = (iso: string) => Date.parse(iso) / 1000;
const JAN = t('2026-01-01T00:00:00Z');
const HOUR = 3600;
const DAY = 86_400;

let sim: OpenvcloudSimulator;

beforeAll(async () => {
  sim = await startOpenvcloudSimulator();
});

afterAll(async () => {
  await sim.close();
});

afterEach(() => {
  sim.clearFaults();
  sim.resetCounters();
});

interface CallOptions {
  method?: 'GET' | 'POST';
  token?: string | null;
  authorization?: string;
}

/** Calls an actor method; GET sends args as the query string, POST as a form body. */
function call(name: string, args: Record<string, string | number> = {}, opts: CallOptions = {}) {
  const params = new URLSearchParams(Object.entries(args).map(([k, v]): [string, string] => [k, String(v)]));
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? OPENVCLOUD_SIM_TOKEN : opts.token;
  if (opts.authorization !== undefined) headers.authorization = opts.authorization;
  else if (token !== null) headers.authorization = `bearer ${token}`;
  const url = `${sim.url}${OPENVCLOUD_BASE_PATH}/${name}`;
  if (opts.method === 'POST') return fetch(url, { method: 'POST', headers, body: params });
  const qs = params.toString();
  return fetch(qs ? `${url}?${qs}` : url, { headers });
}

/** Parses keeping every number as its literal text. */
const lossless = (text: string) => parseJsonLossless(text) as unknown;

async function calculateTree(accountId: number, start: number, end: number): Promise<CalculateAccountResult> {
  const res = await call('billing/calculate', { accountId, start, end });
  expect(res.status).toBe(200);
  return lossless(await res.text()) as CalculateAccountResult;
}

const UNITS3 = ['CU', 'SU', 'TU'] as const;
const UNITS4 = ['CU', 'SU', 'TU', 'NU'] as const;

describe('OpenvCloud simulator authentication', () => {
  it('answers 401 with a JSON string message when no credentials are sent', async () => {
    const res = await call('accounts/list', {}, { token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(typeof (await res.json())).toBe('string');
  });

  it('answers 401 for an unknown token and for a non-bearer scheme', async () => {
    expect((await call('accounts/list', {}, { token: 'nope' })).status).toBe(401);
    expect((await call('accounts/list', {}, { authorization: `Basic ${OPENVCLOUD_SIM_TOKEN}` })).status).toBe(401);
  });

  it('accepts the bearer scheme in any case', async () => {
    for (const scheme of ['bearer', 'Bearer', 'BEARER']) {
      expect((await call('accounts/list', {}, { authorization: `${scheme} ${OPENVCLOUD_SIM_TOKEN}` })).status).toBe(
        200,
      );
    }
  });

  it('issues a session key from users/authenticate that works as authkey until sessions expire', async () => {
    const login = await call(
      'users/authenticate',
      { username: OPENVCLOUD_SIM_USERNAME, password: OPENVCLOUD_SIM_PASSWORD },
      { method: 'POST', token: null },
    );
    expect(login.status).toBe(200);
    const key = (await login.json()) as string;
    expect(typeof key).toBe('string');
    const res = await call('billing/calculate', { authkey: key, start: JAN, end: JAN + HOUR }, { token: null });
    expect(res.status).toBe(200);
    sim.expireSessions();
    expect((await call('accounts/list', { authkey: key }, { token: null })).status).toBe(401);
  });

  it('rejects wrong users/authenticate credentials with 401', async () => {
    const res = await call(
      'users/authenticate',
      { username: OPENVCLOUD_SIM_USERNAME, password: 'wrong' },
      { method: 'POST', token: null },
    );
    expect(res.status).toBe(401);
  });

  it('answers 403 on calculate only for a token outside the billing group', async () => {
    const res = await call(
      'billing/calculate',
      { start: JAN, end: JAN + HOUR },
      { token: OPENVCLOUD_SIM_NO_BILLING_TOKEN },
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toContain('has no access');
    expect((await call('accounts/list', {}, { token: OPENVCLOUD_SIM_NO_BILLING_TOKEN })).status).toBe(200);
    expect((await call('cloudspaces/list', {}, { token: OPENVCLOUD_SIM_NO_BILLING_TOKEN })).status).toBe(200);
  });

  it('filters listings by the token ACL and forbids other accounts', async () => {
    const accounts = (await (await call('accounts/list', {}, { token: OPENVCLOUD_SIM_ACCOUNT1_TOKEN })).json()) as {
      id: number;
    }[];
    expect(accounts.map((a) => a.id)).toEqual([1]);
    const spaces = (await (await call('cloudspaces/list', {}, { token: OPENVCLOUD_SIM_ACCOUNT1_TOKEN })).json()) as {
      accountId: number;
    }[];
    expect(spaces.length).toBeGreaterThan(0);
    expect(new Set(spaces.map((s) => s.accountId))).toEqual(new Set([1]));
    expect(
      (
        await call(
          'billing/calculate',
          { accountId: 2, start: JAN, end: JAN + HOUR },
          { token: OPENVCLOUD_SIM_ACCOUNT1_TOKEN },
        )
      ).status,
    ).toBe(403);
    expect((await call('accounts/get', { accountId: 2 }, { token: OPENVCLOUD_SIM_ACCOUNT1_TOKEN })).status).toBe(403);
    const other = sim.data.cloudspaces.find((c) => c.accountId === 2)!;
    expect(
      (await call('machines/list', { cloudspaceId: other.id }, { token: OPENVCLOUD_SIM_ACCOUNT1_TOKEN })).status,
    ).toBe(403);
    expect(
      (
        await call(
          'billing/calculate',
          { accountId: 1, start: JAN, end: JAN + HOUR },
          { token: OPENVCLOUD_SIM_ACCOUNT1_TOKEN },
        )
      ).status,
    ).toBe(200);
  });
});

describe('OpenvCloud simulator seeded data', () => {
  it('has at least 3 accounts with 2–5 cloudspaces and 5–50 machines each', () => {
    expect(sim.data.accounts.length).toBeGreaterThanOrEqual(3);
    for (const a of sim.data.accounts) {
      const spaces = sim.data.cloudspaces.filter((c) => c.accountId === a.id);
      const machines = sim.data.machines.filter((m) => spaces.some((c) => c.id === m.cloudspaceId));
      expect(spaces.filter((c) => c.status !== 'DELETED').length).toBeGreaterThanOrEqual(2);
      expect(spaces.filter((c) => c.status !== 'DELETED').length).toBeLessThanOrEqual(5);
      expect(machines.length).toBeGreaterThanOrEqual(5);
      expect(machines.length).toBeLessThanOrEqual(50);
    }
  });

  it('is deterministic for a seed and different for another', async () => {
    const again = await startOpenvcloudSimulator();
    const other = await startOpenvcloudSimulator({ seed: 42 });
    try {
      expect(again.data).toEqual(sim.data);
      expect(other.data.machines).not.toEqual(sim.data.machines);
    } finally {
      await Promise.all([again.close(), other.close()]);
    }
  });
});

describe('OpenvCloud billing/calculate by default: numbers as the reference page shows them', () => {
  /** Significant digits of a decimal literal. */
  const significant = (v: string) => v.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;

  async function values(args: Record<string, number>): Promise<string[]> {
    const res = await call('billing/calculate', args);
    expect(res.status).toBe(200);
    return [...(await res.text()).matchAll(/"(CU|SU|TU|NU)":([^,}]+)/g)].map((m) => m[2]!);
  }

  it('writes unit values with up to six decimals and no padding, one decimal kept as a Python float prints', async () => {
    const all = await values({ accountId: 1, start: JAN, end: JAN + 7 * DAY });
    expect(all.length).toBeGreaterThan(10);
    for (const v of all) {
      expect(v).toMatch(/^\d+\.\d{1,6}$/);
      // No trailing zero beyond the one decimal a whole value keeps.
      expect(v).not.toMatch(/\.\d+0$/);
    }
    // Whole values are there, and print as 12.0, not 12.000000.
    expect(all.some((v) => v.endsWith('.0'))).toBe(true);
  });

  it('keeps every value within what a double holds, also over three years of every account', async () => {
    const end = JAN + 3 * 365 * DAY;
    const all = [
      ...(await values({ start: JAN - 3 * 365 * DAY, end })),
      ...(await Promise.all(sim.data.accounts.map((a) => values({ accountId: a.id, start: JAN, end })))).flat(),
    ];
    expect(all.length).toBeGreaterThan(40);
    for (const v of all) {
      expect(significant(v)).toBeLessThanOrEqual(15);
      expect(new Big(Number(v)).eq(v)).toBe(true);
      expect(new Big(v).times(1e6).lt(2 ** 53)).toBe(true);
    }
  });

  it('answers the same quantities as paddedDecimals, only written without the padding', async () => {
    const window = { accountId: 2, start: JAN, end: JAN + 7 * DAY };
    const plain = await values(window);
    sim.setExtensions({ paddedDecimals: true });
    try {
      const padded = await values(window);
      expect(padded.length).toBe(plain.length);
      for (const [i, v] of padded.entries()) {
        expect(v).toMatch(/^\d+\.\d{6}$/);
        expect(new Big(v).eq(plain[i]!)).toBe(true);
      }
      expect(padded).not.toEqual(plain);
    } finally {
      sim.setExtensions({ paddedDecimals: false });
    }
  });

  it('gives the archive machine storage a double can bill without loss, and 92 EiB with beyondDoublePrecision', async () => {
    const archive = () => sim.data.machines.find((m) => m.name === OPENVCLOUD_ARCHIVE_MACHINE_NAME)!;
    const listed = async () => {
      const res = await call('machines/list', { cloudspaceId: archive().cloudspaceId });
      return ((await res.json()) as { name: string; storage: number }[]).find(
        (m) => m.name === OPENVCLOUD_ARCHIVE_MACHINE_NAME,
      )!.storage;
    };
    expect(await listed()).toBe(98_765);
    const before = sim.data;
    sim.setExtensions({ beyondDoublePrecision: true });
    try {
      expect(await listed()).toBe(98_765_432_109);
      // Only the archive's storage differs.
      expect({ ...sim.data, machines: sim.data.machines.map((m) => ({ ...m, storage: 0 })) }).toEqual({
        ...before,
        machines: before.machines.map((m) => ({ ...m, storage: 0 })),
      });
    } finally {
      sim.setExtensions({ beyondDoublePrecision: false });
    }
    expect(sim.data).toEqual(before);
  });
});

describe('OpenvCloud billing/calculate with paddedDecimals and beyondDoublePrecision', () => {
  const window = { start: JAN, end: JAN + 7 * DAY };
  // The exact six-decimal sums and the 17-significant-digit SU below are what the switches add.
  beforeAll(() => sim.setExtensions({ paddedDecimals: true, beyondDoublePrecision: true }));
  afterAll(() => sim.setExtensions({ paddedDecimals: false, beyondDoublePrecision: false }));

  it('returns the account tree with id-keyed cloudspaces and machines', async () => {
    const tree = await calculateTree(1, window.start, window.end);
    expect(tree.account.id).toBe('1');
    expect(tree.account.name).toBe('NASA');
    const spaces = Object.entries(tree.account.cloudspaces);
    expect(spaces.length).toBeGreaterThan(0);
    for (const [key, cs] of spaces) {
      expect(String(cs.id)).toBe(key);
      expect(Object.keys(cs.consumption).sort()).toEqual(['CU', 'NU', 'SU', 'TU']);
      for (const [mKey, m] of Object.entries(cs.machines)) {
        expect(String(m.id)).toBe(mKey);
        expect(Object.keys(m.consumption).sort()).toEqual(['CU', 'SU', 'TU']);
      }
    }
  });

  it('equals expectedCalculate digit for digit, for GET and for a POST form body', async () => {
    const expected = sim.expectedCalculate(2, window.start, window.end);
    const viaGet = await calculateTree(2, window.start, window.end);
    const post = await call('billing/calculate', { accountId: 2, ...window }, { method: 'POST' });
    const viaPost = lossless(await post.text());
    // parseJsonLossless keeps numbers as strings; ids come back as strings too.
    const normalised = JSON.parse(JSON.stringify(expected, (k, v: unknown) => (k === 'id' ? String(v) : v)));
    expect(viaGet).toEqual(normalised);
    expect(viaPost).toEqual(normalised);
  });

  it('writes every unit value as a JSON number with exactly six decimals', async () => {
    const text = await (await call('billing/calculate', { accountId: 3, ...window })).text();
    const values = [...text.matchAll(/"(CU|SU|TU|NU)":([^,}]+)/g)].map((m) => m[2]!);
    expect(values.length).toBeGreaterThan(10);
    for (const v of values) expect(v).toMatch(/^\d+\.\d{6}$/);
  });

  it('makes every parent the exact decimal sum of its children', async () => {
    for (const accountId of sim.data.accounts.map((a) => a.id)) {
      const { account } = await calculateTree(accountId, window.start, window.end);
      const spaces = Object.values(account.cloudspaces);
      for (const unit of UNITS4) {
        const sum = spaces.reduce((acc, cs) => acc.plus(cs.consumption[unit]), new Big(0));
        expect(sum.toFixed(6)).toBe(account.consumption[unit]);
      }
      for (const cs of spaces) {
        for (const unit of UNITS3) {
          const sum = Object.values(cs.machines).reduce((acc, m) => acc.plus(m.consumption[unit]), new Big(0));
          expect(sum.toFixed(6)).toBe(cs.consumption[unit]);
        }
      }
    }
  });

  it('returns the G8 total without accountId, equal to the sum of all accounts', async () => {
    const res = await call('billing/calculate', window);
    const total = lossless(await res.text()) as CalculateTotalResult;
    expect(Object.keys(total)).toEqual(['consumption']);
    for (const unit of UNITS4) {
      let sum = new Big(0);
      for (const a of sim.data.accounts)
        sum = sum.plus(sim.expectedCalculate(a.id, window.start, window.end).account.consumption[unit]);
      expect(total.consumption[unit]).toBe(sum.toFixed(6));
    }
  });

  it('adds up across adjacent whole-hour windows, including machines born and deleted inside them', async () => {
    const a = t('2026-10-01T00:00:00Z');
    const b = t('2026-10-19T13:00:00Z');
    const c = t('2026-11-30T00:00:00Z');
    for (const accountId of sim.data.accounts.map((x) => x.id)) {
      const [left, right, whole] = await Promise.all([
        calculateTree(accountId, a, b),
        calculateTree(accountId, b, c),
        calculateTree(accountId, a, c),
      ]);
      for (const unit of UNITS4) {
        expect(new Big(left.account.consumption[unit]).plus(right.account.consumption[unit]).toFixed(6)).toBe(
          whole.account.consumption[unit],
        );
      }
      for (const [csId, cs] of Object.entries(whole.account.cloudspaces)) {
        for (const [mId, m] of Object.entries(cs.machines)) {
          for (const unit of UNITS3) {
            const l = left.account.cloudspaces[csId]?.machines[mId]?.consumption[unit] ?? '0';
            const r = right.account.cloudspaces[csId]?.machines[mId]?.consumption[unit] ?? '0';
            expect(new Big(l).plus(r).toFixed(6)).toBe(m.consumption[unit]);
          }
        }
      }
    }
    const [g1, g2, g] = await Promise.all(
      [a, b, a].map((s, i) =>
        call('billing/calculate', { start: s, end: [b, c, c][i]! }).then(
          async (r) => lossless(await r.text()) as CalculateTotalResult,
        ),
      ),
    );
    for (const unit of UNITS4)
      expect(new Big(g1!.consumption[unit]).plus(g2!.consumption[unit]).toFixed(6)).toBe(g!.consumption[unit]);
  });

  it('scales a steady machine linearly with window length, at the rate its listing implies', async () => {
    const steady = sim.data.machines.find(
      (m) => m.creationTime < JAN - DAY && m.deletionTime === null && m.memory % 4096 !== 0,
    )!;
    const cs = sim.data.cloudspaces.find((c) => c.id === steady.cloudspaceId)!;
    const listed = (
      (await (await call('machines/list', { cloudspaceId: cs.id })).json()) as {
        id: number;
        memory: number;
        vcpus: number;
        storage: number;
      }[]
    ).find((m) => m.id === steady.id)!;
    const one = await calculateTree(cs.accountId, JAN, JAN + DAY);
    const three = await calculateTree(cs.accountId, JAN + 5 * DAY, JAN + 8 * DAY);
    const m1 = one.account.cloudspaces[String(cs.id)]!.machines[String(steady.id)]!.consumption;
    const m3 = three.account.cloudspaces[String(cs.id)]!.machines[String(steady.id)]!.consumption;
    for (const unit of UNITS3) expect(new Big(m1[unit]).times(3).toFixed(6)).toBe(m3[unit]);
    const byMemory = new Big(listed.memory).div(4096).round(6, Big.roundDown);
    const byCpu = new Big(listed.vcpus).div(2);
    const rate = byMemory.gt(byCpu) ? byMemory : byCpu;
    expect(m1.CU).toBe(rate.times(24).toFixed(6));
    expect(m1.SU).toBe(new Big(listed.storage).div(1024).round(6, Big.roundDown).times(24).toFixed(6));
  });

  it('omits machines outside the window and bills deleted machines while they lived', async () => {
    const born = sim.data.machines.find((m) => m.creationTime >= t('2026-10-01'))!;
    const died = sim.data.machines.find((m) => m.deletionTime !== null && m.deletionTime >= t('2026-10-01'))!;
    const bornCs = sim.data.cloudspaces.find((c) => c.id === born.cloudspaceId)!;
    const diedCs = sim.data.cloudspaces.find((c) => c.id === died.cloudspaceId)!;
    const early = await calculateTree(bornCs.accountId, JAN, JAN + DAY);
    expect(early.account.cloudspaces[String(bornCs.id)]?.machines[String(born.id)]).toBeUndefined();
    const late = await calculateTree(diedCs.accountId, t('2026-12-01'), t('2026-12-02'));
    expect(late.account.cloudspaces[String(diedCs.id)]?.machines[String(died.id)]).toBeUndefined();
    const alive = await calculateTree(diedCs.accountId, JAN, JAN + DAY);
    expect(alive.account.cloudspaces[String(diedCs.id)]!.machines[String(died.id)]!.consumption.CU).toBe(
      new Big(String(machineRates(died).CU)).div(1e6).times(24).toFixed(6),
    );
    const listed = (await (await call('machines/list', { cloudspaceId: diedCs.id })).json()) as { id: number }[];
    expect(listed.map((m) => m.id)).not.toContain(died.id);
  });

  it('keeps 17 significant digits that a float64 would lose', async () => {
    const archive = sim.data.machines.find((m) => m.name === OPENVCLOUD_ARCHIVE_MACHINE_NAME)!;
    const accountId = sim.data.cloudspaces.find((c) => c.id === archive.cloudspaceId)!.accountId;
    expect(accountId).toBe(1);
    const start = JAN;
    const end = JAN + 30 * DAY;
    const text = await (await call('billing/calculate', { accountId, start, end })).text();
    const su = (lossless(text) as CalculateAccountResult).account.consumption.SU;
    expect(su).toBe(sim.expectedCalculate(1, start, end).account.consumption.SU);
    expect(su.replace('.', '').replace(/^0+/, '').length).toBeGreaterThanOrEqual(17);
    const viaFloat = (JSON.parse(text) as { account: { consumption: { SU: number } } }).account.consumption.SU;
    expect(viaFloat.toFixed(6)).not.toBe(su);
  });

  it.each([
    ['start is missing', { end: JAN + HOUR }, '"start" is required'],
    ['end is missing', { start: JAN }, '"end" is required'],
    ['start is not an integer', { start: '1767225600.5', end: JAN + HOUR }, 'must be an integer'],
    ['end is not a number', { start: JAN, end: 'tomorrow' }, 'must be an integer'],
    ['start is in milliseconds', { start: JAN * 1000, end: (JAN + HOUR) * 1000 }, 'looks like milliseconds'],
    ['start equals end', { start: JAN, end: JAN }, 'must be before "end"'],
    ['start is after end', { start: JAN + HOUR, end: JAN }, 'must be before "end"'],
    [
      'accountId is not an integer',
      { accountId: 'one', start: JAN, end: JAN + HOUR },
      '"accountId" must be an integer',
    ],
  ])('answers 400 when %s', async (_name, args, message) => {
    const res = await call('billing/calculate', args as Record<string, string | number>);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body: unknown = await res.json();
    expect(typeof body).toBe('string');
    expect(body).toContain(message);
  });

  it('answers 404 for an unknown account', async () => {
    const res = await call('billing/calculate', { accountId: 999, start: JAN, end: JAN + HOUR });
    expect(res.status).toBe(404);
    expect(await res.json()).toBe(OPENVCLOUD_MESSAGES.notFound);
  });

  it('counts calls per route, per accountId and per window', async () => {
    await call('billing/calculate', { accountId: 1, start: JAN, end: JAN + HOUR });
    await call('billing/calculate', { accountId: 1, start: JAN + HOUR, end: JAN + 2 * HOUR }, { method: 'POST' });
    await call('billing/calculate', { accountId: 2, start: JAN, end: JAN + HOUR });
    await call('accounts/list');
    expect(sim.count({ route: OPENVCLOUD_ROUTES.calculate })).toBe(3);
    expect(sim.count({ route: OPENVCLOUD_ROUTES.calculate, where: (r) => r.args.accountId === '1' })).toBe(2);
    expect(
      sim.count({
        route: OPENVCLOUD_ROUTES.calculate,
        where: (r) => r.args.start === String(JAN) && r.args.end === String(JAN + HOUR),
      }),
    ).toBe(2);
    expect(sim.count({ route: OPENVCLOUD_ROUTES.listAccounts })).toBe(1);
    sim.resetCounters();
    expect(sim.count()).toBe(0);
  });
});

describe('OpenvCloud listings', () => {
  it('lists accounts with acl and epoch-second times', async () => {
    const res = await call('accounts/list', {}, { method: 'POST' });
    const accounts = (await res.json()) as Record<string, unknown>[];
    expect(accounts.map((a) => a.id)).toEqual(sim.data.accounts.map((a) => a.id));
    for (const a of accounts) {
      expect(Object.keys(a).sort()).toEqual(['acl', 'creationTime', 'id', 'name', 'updateTime']);
      expect(a.creationTime).toBeLessThan(1e11);
      expect((a.acl as { right: string }[])[0]).toMatchObject({ type: 'U', status: 'CONFIRMED', explicit: true });
    }
  });

  it('gets one account, 404 for an unknown one', async () => {
    const res = await call('accounts/get', { accountId: 2 });
    expect(await res.json()).toMatchObject({ id: 2, name: 'ESA', status: 'CONFIRMED' });
    const missing = await call('accounts/get', { accountId: 77 });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toBe(OPENVCLOUD_MESSAGES.notFound);
  });

  it('lists cloudspaces of every account with accountId, hiding deleted ones unless includedeleted', async () => {
    const live = (await (await call('cloudspaces/list')).json()) as Record<string, unknown>[];
    const all = (await (
      await call('cloudspaces/list', { includedeleted: 'true' }, { method: 'POST' })
    ).json()) as Record<string, unknown>[];
    const deleted = sim.data.cloudspaces.filter((c) => c.status === 'DELETED');
    expect(deleted.length).toBeGreaterThan(0);
    expect(live).toHaveLength(sim.data.cloudspaces.length - deleted.length);
    expect(all).toHaveLength(sim.data.cloudspaces.length);
    expect(live[0]).toMatchObject({
      id: 1,
      name: 'Houston flight control',
      accountId: 1,
      accountName: 'NASA',
      status: 'DEPLOYED',
      type: 'routeros',
      gid: 66,
    });
    for (const key of [
      'descr',
      'acl',
      'accountAcl',
      'externalnetworkip',
      'publicipaddress',
      'location',
      'creationTime',
      'updateTime',
    ])
      expect(live[0]).toHaveProperty(key);
  });

  it('lists the live machines of a cloudspace with the documented fields', async () => {
    const cs = sim.data.cloudspaces.find(
      (c) =>
        c.status === 'DEPLOYED' && sim.data.machines.some((m) => m.cloudspaceId === c.id && m.deletionTime !== null),
    )!;
    const machines = (await (
      await call('machines/list', { cloudspaceId: cs.id }, { method: 'POST' })
    ).json()) as Record<string, unknown>[];
    const live = sim.data.machines.filter((m) => m.cloudspaceId === cs.id && m.deletionTime === null);
    expect(machines.map((m) => m.id)).toEqual(live.map((m) => m.id));
    expect(Object.keys(machines[0]!).sort()).toEqual(
      [
        'cloudspaceid',
        'creationTime',
        'disks',
        'hostname',
        'id',
        'imageId',
        'memory',
        'name',
        'nics',
        'referenceId',
        'sizeId',
        'stackId',
        'status',
        'storage',
        'updateTime',
        'vcpus',
      ].sort(),
    );
    expect(machines[0]!.cloudspaceid).toBe(cs.id);
    expect((machines[0]!.nics as Record<string, unknown>[])[0]).toHaveProperty('macAddress');
  });

  it('keeps the upstream typo when cloudspaceId is missing', async () => {
    const res = await call('machines/list');
    expect(res.status).toBe(400);
    expect(await res.json()).toBe('Please specify a cloudsapce ID.');
  });

  it('answers 404 for an unknown actor method', async () => {
    const res = await call('billing/forecast');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(typeof (await res.json())).toBe('string');
  });
});

describe('OpenvCloud faults', () => {
  it('can serve the G8 example of docs/upstreams/openvcloud.md#sim-6 verbatim as a malformed body', async () => {
    sim.injectFault({ route: OPENVCLOUD_ROUTES.calculate, fault: { kind: 'malformed', body: SEED_MALFORMED_BODY } });
    const res = await call('billing/calculate', { accountId: 1, start: JAN, end: JAN + HOUR });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toBe(SEED_MALFORMED_BODY);
    expect(text).toContain('"name": "Endavor"\n');
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('renders a bodiless status fault as a JSON string message, like the upstream', async () => {
    sim.injectFault({
      route: OPENVCLOUD_ROUTES.calculate,
      fault: {
        kind: 'status',
        status: 503,
        body: JSON.stringify(OPENVCLOUD_MESSAGES.upgrading),
        contentType: 'application/json',
      },
      times: 1,
    });
    const res = await call('billing/calculate', { start: JAN, end: JAN + HOUR });
    expect(res.status).toBe(503);
    expect(await res.json()).toBe('Can not call API during upgrade');
    sim.injectFault({ fault: { kind: 'status', status: 500 }, times: 1 });
    const plain = await call('accounts/list');
    expect(plain.status).toBe(500);
    expect(typeof (await plain.json())).toBe('string');
    expect((await call('accounts/list')).status).toBe(200);
  });

  it('fails only the matching account when a fault is scoped by args', async () => {
    sim.injectFault({
      route: OPENVCLOUD_ROUTES.calculate,
      match: { accountId: '2' },
      fault: { kind: 'rateLimit', retryAfterSeconds: 30 },
    });
    const limited = await call('billing/calculate', { accountId: 2, start: JAN, end: JAN + HOUR }, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect((await call('billing/calculate', { accountId: 1, start: JAN, end: JAN + HOUR })).status).toBe(200);
  });
});
