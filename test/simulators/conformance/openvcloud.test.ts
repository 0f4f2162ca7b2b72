// Conformance: the OpenvCloud (G8) simulator against G8's reference pages. G8 ships no official
// client, so every call billgraph makes (billing/calculate, the account → cloudspace → machine
// listings, the legacy users/authenticate) and the error cases are made with plain `fetch` against
// the default simulator, and each answer's status and body (field names, JSON types, required
// fields, nothing undeclared) is checked against the shape encoded once in ./openvcloudShapes.ts
// (docs/upstreams/openvcloud.md#conformance says which page each assertion comes from).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OPENVCLOUD_BASE_PATH,
  OPENVCLOUD_MESSAGES,
  OPENVCLOUD_SIM_NO_BILLING_TOKEN,
  OPENVCLOUD_SIM_PASSWORD,
  OPENVCLOUD_SIM_TOKEN,
  OPENVCLOUD_SIM_USERNAME,
  startOpenvcloudSimulator,
  type OpenvcloudSimulator,
} from '../../../simulators/openvcloud/simulator.js';
import { CALCULATE_ACCOUNT_RESULT, OPENVCLOUD_ANSWERS } from './openvcloudShapes.js';
import { answerProblems, asLiterals, literals, parseTyped, typeProblems, type Answer } from './shapes.js';

const EXPECTED_CALLS = 14;
const START = Date.parse('2026-10-01T00:00:00Z') / 1000;
const END = Date.parse('2026-10-02T00:00:00Z') / 1000;

type Rec = Record<string, unknown>;

describe('the OpenvCloud simulator against G8’s reference pages', () => {
  let sim: OpenvcloudSimulator;
  /** Names of the calls answered with the documented status and body shape. */
  const conforming: string[] = [];

  beforeAll(async () => {
    sim = await startOpenvcloudSimulator();
  });
  afterAll(async () => sim?.close());

  interface Call {
    method?: 'GET' | 'POST';
    /** Query parameters (GET) or form fields (POST), as billgraph sends them. */
    args?: Record<string, string>;
    /** `bearer <token>` as billgraph writes it; null: no Authorization header. */
    token?: string | null;
  }

  /**
   * One plain-fetch call to `<base>/<route>`, checked against the documented answer; counted once
   * it conforms. Returns the body with every number as its literal text.
   */
  async function call<T>(name: string, answer: Answer, route: string, opts: Call = {}): Promise<T> {
    const { method = 'GET', args = {}, token = OPENVCLOUD_SIM_TOKEN } = opts;
    const form = new URLSearchParams(args).toString();
    const headers: Record<string, string> = token === null ? {} : { authorization: `bearer ${token}` };
    if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(
      `${sim.url}${OPENVCLOUD_BASE_PATH}/${route}${method === 'GET' && form ? `?${form}` : ''}`,
      method === 'POST' ? { method, headers, body: form } : { method, headers },
    );
    const text = await res.text();
    expect(answerProblems(res, text, answer, name)).toEqual([]);
    conforming.push(name);
    return literals(parseTyped(text)) as T;
  }

  describe('billing/calculate (GET, epoch seconds)', () => {
    it('answers one account’s tree, id-keyed cloudspaces and machines, as the seeded world has it', async () => {
      const body = await call<{ account: { cloudspaces: Rec } }>(
        'calculate, account 1',
        OPENVCLOUD_ANSWERS.calculateAccount,
        'billing/calculate',
        { args: { accountId: '1', start: String(START), end: String(END) } },
      );
      // A tree with nodes, so the nested shapes were checked on real cloudspaces and machines.
      const spaces = Object.values(body.account.cloudspaces) as { machines: Rec }[];
      expect(spaces.length).toBeGreaterThan(0);
      expect(spaces.some((cs) => Object.keys(cs.machines).length > 0)).toBe(true);
      expect(body).toEqual(asLiterals(sim.expectedCalculate(1, START, END)));
    });

    it('answers the G8 total without accountId', async () => {
      const body = await call('calculate, G8 total', OPENVCLOUD_ANSWERS.calculateTotal, 'billing/calculate', {
        args: { start: String(START), end: String(END) },
      });
      expect(body).toEqual(asLiterals(sim.expectedCalculate(undefined, START, END)));
    });
  });

  describe('listings (POST, form fields)', () => {
    it('accounts/list answers every account the token reaches', async () => {
      const body = await call<{ id: string; name: string }[]>(
        'accounts/list',
        OPENVCLOUD_ANSWERS.listAccounts,
        'accounts/list',
        { method: 'POST' },
      );
      expect(body.map((a) => [a.id, a.name])).toEqual(sim.data.accounts.map((a) => [String(a.id), a.name]));
    });

    it('cloudspaces/list answers every live cloudspace, with its account', async () => {
      const body = await call<{ id: string; accountId: string }[]>(
        'cloudspaces/list',
        OPENVCLOUD_ANSWERS.listCloudspaces,
        'cloudspaces/list',
        { method: 'POST' },
      );
      expect(body.map((cs) => [cs.id, cs.accountId])).toEqual(
        sim.data.cloudspaces.filter((cs) => cs.status !== 'DELETED').map((cs) => [String(cs.id), String(cs.accountId)]),
      );
    });

    it('machines/list answers the live machines of one cloudspace', async () => {
      const cs = sim.data.cloudspaces.find(
        (c) => c.status !== 'DELETED' && sim.data.machines.some((m) => m.cloudspaceId === c.id && !m.deletionTime),
      )!;
      const body = await call<{ id: string; cloudspaceid: string }[]>(
        'machines/list',
        OPENVCLOUD_ANSWERS.listMachines,
        'machines/list',
        { method: 'POST', args: { cloudspaceId: String(cs.id) } },
      );
      expect(body.map((m) => m.id)).toEqual(
        sim.data.machines.filter((m) => m.cloudspaceId === cs.id && m.deletionTime === null).map((m) => String(m.id)),
      );
      expect(new Set(body.map((m) => m.cloudspaceid))).toEqual(new Set([String(cs.id)]));
    });
  });

  it('users/authenticate answers a session key as a JSON string, which then works as ?authkey=', async () => {
    const key = await call<string>('users/authenticate', OPENVCLOUD_ANSWERS.authenticate, 'users/authenticate', {
      method: 'POST',
      args: { username: OPENVCLOUD_SIM_USERNAME, password: OPENVCLOUD_SIM_PASSWORD },
      token: null,
    });
    expect(key.length).toBeGreaterThan(0);
    const body = await call<unknown[]>('accounts/list by authkey', OPENVCLOUD_ANSWERS.listAccounts, 'accounts/list', {
      method: 'POST',
      args: { authkey: key },
      token: null,
    });
    expect(body.length).toBe(sim.data.accounts.length);
  });

  describe('errors, each a JSON string message', () => {
    it('401 without credentials, and for a wrong password', async () => {
      await call('calculate without credentials', OPENVCLOUD_ANSWERS.unauthorized, 'billing/calculate', {
        args: { accountId: '1', start: String(START), end: String(END) },
        token: null,
      });
      await call('wrong password', OPENVCLOUD_ANSWERS.unauthorized, 'users/authenticate', {
        method: 'POST',
        args: { username: OPENVCLOUD_SIM_USERNAME, password: 'wrong' },
        token: null,
      });
    });

    it('403 on billing/calculate for a token outside the billing group', async () => {
      await call('calculate outside the billing group', OPENVCLOUD_ANSWERS.forbidden, 'billing/calculate', {
        args: { accountId: '1', start: String(START), end: String(END) },
        token: OPENVCLOUD_SIM_NO_BILLING_TOKEN,
      });
    });

    it('404 with G8’s own message for an account that does not exist', async () => {
      const message = await call('calculate, unknown account', OPENVCLOUD_ANSWERS.notFound, 'billing/calculate', {
        args: { accountId: '999', start: String(START), end: String(END) },
      });
      expect(message).toBe(OPENVCLOUD_MESSAGES.notFound);
    });

    it('400 for a calculate without start, and for machines/list without cloudspaceId (G8’s message)', async () => {
      await call('calculate without start', OPENVCLOUD_ANSWERS.badRequest, 'billing/calculate', {
        args: { accountId: '1', end: String(END) },
      });
      const message = await call('machines/list without cloudspaceId', OPENVCLOUD_ANSWERS.badRequest, 'machines/list', {
        method: 'POST',
      });
      expect(message).toBe(OPENVCLOUD_MESSAGES.missingCloudspaceId);
    });

    it('404 for a route that does not exist', async () => {
      await call(
        'unknown route',
        { ...OPENVCLOUD_ANSWERS.notFound, source: 'specs/openvcloud.md § Simulator notes 1' },
        'billing/nothing',
      );
    });
  });

  it(`made ${EXPECTED_CALLS} calls, each answered as the pages say`, () => {
    expect(new Set(conforming).size).toBe(EXPECTED_CALLS);
    expect(sim.count()).toBe(EXPECTED_CALLS);
  });

  it('flags drift: a missing field, a wrong type, an undeclared field, a key that is not an id', () => {
    const tree = parseTyped(
      '{"account":{"id":"1","name":"NASA","consumption":{"CU":1,"SU":2,"TU":3,"NU":4},' +
        '"cloudspaces":{"cs-1":{"id":1,"name":"Houston","consumption":{"CU":1,"SU":2,"TU":3,"NU":4},' +
        '"machines":{"7":{"id":7,"name":"Endeavour","consumption":{"CU":1,"SU":2,"NU":0.5}}}}}}}',
    );
    expect(typeProblems(tree, { object: CALCULATE_ACCOUNT_RESULT }, 'tree')).toEqual([
      'tree.account.id: expected integer, got "1"',
      'tree.account.cloudspaces: key "cs-1" does not match /^\\d+$/',
      expect.stringMatching(/^tree\.account\.cloudspaces\["cs-1"\]\.machines\["7"\]\.consumption\.TU: missing/),
      expect.stringMatching(/^tree\.account\.cloudspaces\["cs-1"\]\.machines\["7"\]\.consumption\.NU: not declared/),
    ]);
    expect(typeProblems(parseTyped('[{"id":1}]'), OPENVCLOUD_ANSWERS.listAccounts.body, 'accounts')).toEqual([
      expect.stringMatching(/^accounts\[0\]\.name: missing/),
      expect.stringMatching(/^accounts\[0\]\.acl: missing/),
      expect.stringMatching(/^accounts\[0\]\.creationTime: missing/),
      expect.stringMatching(/^accounts\[0\]\.updateTime: missing/),
    ]);
  });
});
