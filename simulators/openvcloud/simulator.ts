// A real HTTP server speaking the OpenvCloud (G8) Cloud API subset billgraph uses
// (docs/upstreams/openvcloud.md#simulator): billing/calculate plus the account → cloudspace →
// machine listings and legacy users/authenticate, over the seeded world in ./seed.ts.

import { randomUUID } from 'node:crypto';
import {
  json,
  jsonText,
  startSimulator,
  type Handler,
  type RouteDef,
  type SimRequest,
  type SimResponse,
  type SimulatorHandle,
} from '../kit.js';
import {
  calculate,
  generateOpenvcloudData,
  OPENVCLOUD_DEFAULT_SEED,
  type CalculateAccountResult,
  type CalculateTotalResult,
  type CloudspaceConsumption,
  type MachineConsumption,
  type OpenvcloudAce,
  type OpenvcloudData,
  type OpenvcloudPrecision,
} from './seed.js';

export const OPENVCLOUD_BASE_PATH = '/restmachine/cloudapi';

/** Route names as they appear in the request log, counters and fault rules. */
export const OPENVCLOUD_ROUTES = {
  calculate: 'billing/calculate',
  listAccounts: 'accounts/list',
  getAccount: 'accounts/get',
  listCloudspaces: 'cloudspaces/list',
  listMachines: 'machines/list',
  authenticate: 'users/authenticate',
} as const;

/** Who a token (or a session key from users/authenticate) acts as. */
export interface OpenvcloudPrincipal {
  username: string;
  /** Accepted by users/authenticate together with `username`. */
  password: string;
  /** Member of the billing group: may call billing/calculate. */
  billing: boolean;
  /** Accounts the principal's ACL reaches; 'all' = G8 admin. */
  accounts: 'all' | readonly number[];
}

/** In the billing group; sees every account. */
export const OPENVCLOUD_SIM_TOKEN = 'g8-sim-token';
/** Sees every account but is not in the billing group: 403 on billing/calculate only. */
export const OPENVCLOUD_SIM_NO_BILLING_TOKEN = 'g8-sim-token-no-billing';
/** In the billing group, but its ACL reaches account 1 only. */
export const OPENVCLOUD_SIM_ACCOUNT1_TOKEN = 'g8-sim-token-account1';
/** users/authenticate credentials of the OPENVCLOUD_SIM_TOKEN principal. */
export const OPENVCLOUD_SIM_USERNAME = 'billgraph';
export const OPENVCLOUD_SIM_PASSWORD = 'g8-sim-password';

export const OPENVCLOUD_SIM_PRINCIPALS: Readonly<Record<string, OpenvcloudPrincipal>> = {
  [OPENVCLOUD_SIM_TOKEN]: {
    username: OPENVCLOUD_SIM_USERNAME,
    password: OPENVCLOUD_SIM_PASSWORD,
    billing: true,
    accounts: 'all',
  },
  [OPENVCLOUD_SIM_NO_BILLING_TOKEN]: {
    username: 'ops-viewer',
    password: 'ops-viewer-password',
    billing: false,
    accounts: 'all',
  },
  [OPENVCLOUD_SIM_ACCOUNT1_TOKEN]: {
    username: 'nasa-finance',
    password: 'nasa-finance-password',
    billing: true,
    accounts: [1],
  },
};

/**
 * G8's own calculate example from its billing page, verbatim: not valid JSON (missing commas and
 * braces); served as the malformed-body fault of docs/upstreams/openvcloud.md#sim-6.
 */
export const SEED_MALFORMED_BODY = `{
   "account": {
          "id": 1,
          "name": "NASA",
          "cloudspaces": {
              "1": {
                  "id": 1,
                  "name": "Houston flight control",
                  "machines": {
                      "1": {
                          "id": 1,
                          "name": "Endavor"
                          "consumption": {
                              "CU": 1.202324,
                              "SU": 2.123456,
                              "TU": 0.509384
                      },
                      "2": {
                          "id": 1,
                          "name": "Discovery"
                          "consumption": {
                              "CU": 1.090876,
                              "SU": 2.4123456,
                              "TU": 0.800982
                      }
                  },
                  "consumption": {
                      "CU": 2.000287,
                      "SU": 4.509876,
                      "TU": 1.390897,
                      "NU": 0.459087
                  }
              }
          },
          "consumption": {
              "CU": 2.009876,
              "SU": 4.534765,
              "TU": 1.312098,
              "NU": 0.450098
          }
  }
}`;

/**
 * The upstream's own error texts, sent as G8 sends them; billgraph maps by status, never by text
 * (docs/upstreams/openvcloud.md#errors).
 */
export const OPENVCLOUD_MESSAGES = {
  notFound: 'Could not find an accessible resource.',
  missingCloudspaceId: 'Please specify a cloudsapce ID.',
  upgrading: 'Can not call API during upgrade',
} as const;

/**
 * Behaviours beyond what G8 publishes (docs/upstreams/openvcloud.md#switches), each off by
 * default: the default simulator prints numbers as G8's billing page shows them.
 */
export interface OpenvcloudExtensions extends OpenvcloudPrecision {
  /**
   * Every unit value printed with exactly six decimals (`11904.000000`). G8's page shows values
   * such as `1.202324` and `2.4123456`, no padding: without the switch trailing zeros are dropped,
   * one decimal kept (`11904.0`). @default false
   */
  paddedDecimals?: boolean;
  /**
   * Account 1's "Voyager golden archive" machine holds ~92 EiB, so its SU totals need 17
   * significant digits, more than a double holds (for lossless-parsing tests and the demo).
   * Without the switch it holds ~96 TiB and every value fits a double. Changing it at run time
   * regenerates the world (`sim.data`). @default false
   */
  beyondDoublePrecision?: boolean;
}

export interface OpenvcloudSimulatorOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Delay before every response, in milliseconds. @default 0 */
  latencyMs?: number;
  /** Accepted bearer tokens. @default OPENVCLOUD_SIM_PRINCIPALS */
  tokens?: Readonly<Record<string, OpenvcloudPrincipal>>;
  /** Seed of the generated world. @default OPENVCLOUD_DEFAULT_SEED */
  seed?: number;
  /** Size factor of the generated world (accounts, cloudspaces, machines), for the benchmark. @default 1 */
  scale?: number;
  /** Lifetime of users/authenticate session keys, in seconds. @default 3600 */
  sessionTtlSeconds?: number;
  /** Behaviours beyond the published API, each off by default. @default {} */
  extensions?: OpenvcloudExtensions;
}

export interface ExpectedCalculate {
  (accountId: number, startEpochSec: number, endEpochSec: number): CalculateAccountResult;
  (accountId: undefined, startEpochSec: number, endEpochSec: number): CalculateTotalResult;
}

export interface OpenvcloudSimulator extends SimulatorHandle {
  /** The seeded world, including deleted machines and cloudspaces. */
  readonly data: OpenvcloudData;
  /** The tree billing/calculate returns, numbers as it prints them (the switches as set now); ignores ACLs. */
  readonly expectedCalculate: ExpectedCalculate;
  /** Turns extensions on or off; the ones not named keep their setting. */
  setExtensions(extensions: OpenvcloudExtensions): void;
  /** Makes every users/authenticate key issued so far invalid (401), as if it had expired. */
  expireSessions(): void;
}

export async function startOpenvcloudSimulator(opts: OpenvcloudSimulatorOptions = {}): Promise<OpenvcloudSimulator> {
  const extensions: Required<OpenvcloudExtensions> = {
    paddedDecimals: false,
    beyondDoublePrecision: false,
    ...opts.extensions,
  };
  const generate = () => generateOpenvcloudData(opts.seed ?? OPENVCLOUD_DEFAULT_SEED, opts.scale ?? 1, extensions);
  let data = generate();
  // A Map, so a token such as "constructor" cannot match an Object.prototype member.
  const tokens = new Map(Object.entries(opts.tokens ?? OPENVCLOUD_SIM_PRINCIPALS));
  const ttlMs = (opts.sessionTtlSeconds ?? 3600) * 1000;
  const sessions = new Map<string, { principal: OpenvcloudPrincipal; expiresAt: number }>();

  const fail = (status: number, message: string) => json(status, message);
  const sees = (p: OpenvcloudPrincipal, accountId: number) => p.accounts === 'all' || p.accounts.includes(accountId);

  function principalOf(req: SimRequest): OpenvcloudPrincipal | SimResponse {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^bearer\s+(\S+)\s*$/i.exec(header);
      if (!m) return fail(401, 'Authorization header must be "bearer <jwt>".');
      return tokens.get(m[1]!) ?? fail(401, 'Invalid or expired JWT.');
    }
    const key = req.args.authkey;
    if (key) {
      const s = sessions.get(key);
      return s && s.expiresAt > Date.now() ? s.principal : fail(401, 'Invalid or expired authkey.');
    }
    return fail(401, 'Missing credentials: send "Authorization: bearer <jwt>" or an "authkey" parameter.');
  }

  function aclFor(accountId: number, base: readonly OpenvcloudAce[]): OpenvcloudAce[] {
    const granted = [...tokens.values()]
      .filter((p) => p.accounts !== 'all' && p.accounts.includes(accountId))
      .map((p): OpenvcloudAce => ({
        userGroupId: p.username,
        type: 'U',
        right: 'R',
        status: 'CONFIRMED',
        explicit: true,
      }));
    return [...base, ...granted];
  }

  const forbidden = (p: OpenvcloudPrincipal) =>
    fail(403, `User: "${p.username}" isn't allowed to execute this action. Not enough permissions`);

  /** Route handler that runs only for an authenticated principal. */
  const authed =
    (handler: (req: SimRequest, p: OpenvcloudPrincipal) => SimResponse): ((req: SimRequest) => SimResponse) =>
    (req) => {
      const p = principalOf(req);
      return 'status' in p ? p : handler(req, p);
    };

  const named: { name: string; handler: Handler }[] = [
    {
      name: OPENVCLOUD_ROUTES.calculate,
      handler: authed((req, p) => {
        if (!p.billing) {
          return fail(
            403,
            `User ${p.username} has no access. If you would like to gain access please contact your adminstrator`,
          );
        }
        const start = epochSeconds(req.args, 'start');
        if (typeof start === 'string') return fail(400, start);
        const end = epochSeconds(req.args, 'end');
        if (typeof end === 'string') return fail(400, end);
        if (start >= end) return fail(400, `Parameter "start" (${start}) must be before "end" (${end}).`);
        const rawAccount = req.args.accountId;
        if (rawAccount === undefined || rawAccount === '')
          return jsonText(200, renderTotal(calculate(data, undefined, start, end, extensions)));
        const accountId = integerArg(rawAccount, 'accountId');
        if (typeof accountId === 'string') return fail(400, accountId);
        if (!data.accounts.some((a) => a.id === accountId)) return fail(404, OPENVCLOUD_MESSAGES.notFound);
        if (!sees(p, accountId)) return forbidden(p);
        return jsonText(200, renderAccount(calculate(data, accountId, start, end, extensions)));
      }),
    },
    {
      name: OPENVCLOUD_ROUTES.listAccounts,
      handler: authed((_req, p) =>
        json(
          200,
          data.accounts
            .filter((a) => sees(p, a.id))
            .map((a) => ({
              id: a.id,
              name: a.name,
              acl: aclFor(a.id, a.acl),
              creationTime: a.creationTime,
              updateTime: a.updateTime,
            })),
        ),
      ),
    },
    {
      name: OPENVCLOUD_ROUTES.getAccount,
      handler: authed((req, p) => {
        const raw = req.args.accountId;
        if (raw === undefined || raw === '') return fail(400, 'Parameter "accountId" is required.');
        const accountId = integerArg(raw, 'accountId');
        if (typeof accountId === 'string') return fail(400, accountId);
        const a = data.accounts.find((x) => x.id === accountId);
        if (!a) return fail(404, OPENVCLOUD_MESSAGES.notFound);
        if (!sees(p, a.id)) return forbidden(p);
        return json(200, {
          id: a.id,
          name: a.name,
          status: a.status,
          acl: aclFor(a.id, a.acl),
          creationTime: a.creationTime,
          updateTime: a.updateTime,
        });
      }),
    },
    {
      name: OPENVCLOUD_ROUTES.listCloudspaces,
      handler: authed((req, p) => {
        const includeDeleted = /^(true|1)$/i.test(req.args.includedeleted ?? '');
        const list = data.cloudspaces
          .filter((cs) => sees(p, cs.accountId) && (includeDeleted || cs.status !== 'DELETED'))
          .map((cs) => {
            const account = data.accounts.find((a) => a.id === cs.accountId)!;
            const acl = aclFor(account.id, account.acl);
            const accountAcl = acl.find((ace) => ace.userGroupId === p.username) ?? {
              userGroupId: p.username,
              type: 'U',
              right: 'ACDRUX',
              status: 'CONFIRMED',
              explicit: false,
            };
            return {
              id: cs.id,
              name: cs.name,
              descr: cs.descr,
              status: cs.status,
              accountId: cs.accountId,
              accountName: account.name,
              acl: cs.acl,
              accountAcl,
              type: cs.type,
              externalnetworkip: cs.externalnetworkip,
              publicipaddress: cs.publicipaddress,
              location: cs.location,
              gid: cs.gid,
              creationTime: cs.creationTime,
              updateTime: cs.updateTime,
            };
          });
        return json(200, list);
      }),
    },
    {
      name: OPENVCLOUD_ROUTES.listMachines,
      handler: authed((req, p) => {
        const raw = req.args.cloudspaceId;
        if (raw === undefined || raw === '') return fail(400, OPENVCLOUD_MESSAGES.missingCloudspaceId);
        const cloudspaceId = integerArg(raw, 'cloudspaceId');
        if (typeof cloudspaceId === 'string') return fail(400, cloudspaceId);
        const cs = data.cloudspaces.find((c) => c.id === cloudspaceId && c.status !== 'DELETED');
        if (!cs) return fail(404, OPENVCLOUD_MESSAGES.notFound);
        if (!sees(p, cs.accountId)) return forbidden(p);
        const list = data.machines
          .filter((m) => m.cloudspaceId === cs.id && m.deletionTime === null)
          .map((m) => ({
            id: m.id,
            referenceId: m.referenceId,
            cloudspaceid: m.cloudspaceId,
            hostname: m.hostname,
            imageId: m.imageId,
            name: m.name,
            nics: m.nics,
            sizeId: m.sizeId,
            status: m.status,
            stackId: m.stackId,
            disks: m.disks,
            creationTime: m.creationTime,
            updateTime: m.updateTime,
            memory: m.memory,
            vcpus: m.vcpus,
            storage: m.storage,
          }));
        return json(200, list);
      }),
    },
    {
      name: OPENVCLOUD_ROUTES.authenticate,
      handler: (req) => {
        const { username, password } = req.args;
        const principal = [...tokens.values()].find((p) => p.username === username && p.password === password);
        if (!principal) return fail(401, 'Invalid username or password.');
        const key = randomUUID();
        sessions.set(key, { principal, expiresAt: Date.now() + ttlMs });
        return json(200, key);
      },
    },
  ];
  const routes: RouteDef[] = named.map((r) => ({
    ...r,
    method: ['GET', 'POST'],
    path: `${OPENVCLOUD_BASE_PATH}/${r.name}`,
  }));

  const handle = await startSimulator({
    routes,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.latencyMs !== undefined ? { latencyMs: opts.latencyMs } : {}),
    errorResponse: fail,
  });

  const expectedCalculate = ((accountId: number | undefined, start: number, end: number) =>
    calculate(data, accountId, start, end, extensions)) as ExpectedCalculate;

  const sim = Object.assign(handle, {
    expectedCalculate,
    expireSessions: () => sessions.clear(),
    setExtensions(next: OpenvcloudExtensions) {
      const regenerate =
        next.beyondDoublePrecision !== undefined && next.beyondDoublePrecision !== extensions.beyondDoublePrecision;
      Object.assign(extensions, next);
      if (regenerate) data = generate();
    },
  });
  // A live getter: Object.assign would copy the value once, and setExtensions may regenerate it.
  return Object.defineProperty(sim, 'data', { get: () => data, enumerable: true }) as OpenvcloudSimulator;
}

/** Epoch seconds: a non-negative integer no larger than 10^11 (larger looks like milliseconds). */
function epochSeconds(args: Record<string, string>, name: 'start' | 'end'): number | string {
  const raw = args[name];
  if (raw === undefined || raw === '') return `Parameter "${name}" is required: Unix epoch seconds.`;
  if (!/^\d+$/.test(raw)) return `Parameter "${name}" must be an integer number of Unix epoch seconds, got "${raw}".`;
  const value = Number(raw);
  if (value > 1e11)
    return `Parameter "${name}" must be Unix epoch seconds, got "${raw}", which looks like milliseconds.`;
  return value;
}

function integerArg(raw: string, name: string): number | string {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : `Parameter "${name}" must be an integer, got "${raw}".`;
}

// Numbers are written as JSON number literals straight from their decimal strings, never via a float.
function consumptionText(c: MachineConsumption | CloudspaceConsumption): string {
  return `{${Object.entries(c)
    .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
    .join(',')}}`;
}

function renderTotal(r: CalculateTotalResult): string {
  return `{"consumption":${consumptionText(r.consumption)}}`;
}

function renderAccount({ account }: CalculateAccountResult): string {
  const spaces = Object.values(account.cloudspaces).map((cs) => {
    const machines = Object.values(cs.machines).map(
      (m) =>
        `${JSON.stringify(String(m.id))}:{"id":${m.id},"name":${JSON.stringify(m.name)},"consumption":${consumptionText(m.consumption)}}`,
    );
    return `${JSON.stringify(String(cs.id))}:{"id":${cs.id},"name":${JSON.stringify(cs.name)},"machines":{${machines.join(',')}},"consumption":${consumptionText(cs.consumption)}}`;
  });
  return `{"account":{"id":${account.id},"name":${JSON.stringify(account.name)},"cloudspaces":{${spaces.join(',')}},"consumption":${consumptionText(account.consumption)}}}`;
}
