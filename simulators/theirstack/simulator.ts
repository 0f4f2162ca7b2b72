// A real HTTP server speaking TheirStack's team credit consumption API as
// docs/upstreams/theirstack.md#simulator describes it: Bearer auth, wall-clock datetimes in the requested IANA
// zone, an inclusive end, daily buckets on that zone's midnights, the documented
// `{ error: { code, title, description }, request_id }` error body, and IETF RateLimit headers.

import { DateTime, IANAZone } from 'luxon';
import { json, jsonText, startSimulator, type SimRequest, type SimResponse, type SimulatorHandle } from '../kit.js';
import { withLocalOffset } from '../../src/lib/localDays.js';
import { dailyConsumption, THEIRSTACK_DEFAULT_SEED, type TheirstackDay, type TheirstackTeam } from './seed.js';

export const THEIRSTACK_CONSUMPTION_PATH = '/v0/teams/credits_consumption';
export const THEIRSTACK_BALANCE_PATH = '/v0/billing/credit-balance';

/** Route names as they appear in the request log, counters and fault rules. */
export const THEIRSTACK_ROUTES = {
  consumption: 'teams/credits_consumption',
  balance: 'billing/credit-balance',
} as const;

export const THEIRSTACK_SIM_TOKEN = 'theirstack-sim-token';
/** A team with no credits left: 402 on consumption. */
export const THEIRSTACK_SIM_NO_CREDITS_TOKEN = 'theirstack-sim-token-no-credits';
/** A revoked key: 401. */
export const THEIRSTACK_SIM_REVOKED_TOKEN = 'theirstack-sim-token-revoked';

export const THEIRSTACK_SIM_TEAMS: Readonly<Record<string, TheirstackTeam>> = {
  [THEIRSTACK_SIM_TOKEN]: { name: 'Acme Recruiting', salt: 11, status: 'active' },
  [THEIRSTACK_SIM_NO_CREDITS_TOKEN]: { name: 'Broke Ventures', salt: 12, status: 'out_of_credits' },
  [THEIRSTACK_SIM_REVOKED_TOKEN]: { name: 'Former Customer', salt: 13, status: 'revoked' },
};

/**
 * Error codes per status, assumed (docs/upstreams/theirstack.md#errors): TheirStack lists E-001…E-016 and
 * explains only E-001 ("Not allowed exception"); the rest of this table is ours.
 */
export const THEIRSTACK_ERRORS: Readonly<Record<number, { code: string; title: string }>> = {
  400: { code: 'E-003', title: 'Bad request' },
  401: { code: 'E-004', title: 'Unauthorized' },
  402: { code: 'E-001', title: 'Not allowed exception' },
  404: { code: 'E-005', title: 'Not found' },
  405: { code: 'E-008', title: 'Method not allowed' },
  422: { code: 'E-002', title: 'Validation error' },
  429: { code: 'E-006', title: 'Too many requests' },
  500: { code: 'E-007', title: 'Internal server error' },
};

/**
 * Statuses whose error body carries an integer request_id; the others send null or omit it (TheirStack
 * says it is not present on every error: docs/upstreams/theirstack.md#t1).
 */
const WITH_REQUEST_ID = new Set([400, 402, 422, 500]);
const OMIT_REQUEST_ID = new Set([404, 405]);

export interface TheirstackRateLimitPolicy {
  /** Policy name in the RateLimit headers, e.g. "per-second". */
  name: string;
  /** Requests allowed per window. */
  limit: number;
  /** Sliding window length, in seconds. */
  windowSeconds: number;
}

/**
 * Behaviours beyond what TheirStack publishes (docs/upstreams/theirstack.md#switches), each off by
 * default: the default simulator answers only the documented shapes, statuses and headers.
 */
export interface TheirstackExtensions {
  /**
   * A 429 from the rate-limit policy also carries `Retry-After` (the seconds until the window
   * frees a request). TheirStack's rate-limit page names only the RateLimit headers and their
   * `t=` (docs/upstreams/theirstack.md#t3). @default false
   */
  retryAfterOn429?: boolean;
  /**
   * A range longer than 366 days is refused with 400 (`E-003`). TheirStack documents no longest
   * range; without the switch every day of any range is answered. @default false
   */
  refuseRangesOver366Days?: boolean;
  /**
   * About one charge in 16 is pro-rated to a fractional API credit with 18 decimals, so daily
   * totals need more digits than a double holds (for lossless-parsing tests and the demo).
   * TheirStack documents credits as record counts, integers in every example: without the switch
   * every credit is an integer. @default false
   */
  fractionalCredits?: boolean;
}

export interface TheirstackSimulatorOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Delay before every response, in milliseconds. @default 0 */
  latencyMs?: number;
  /** Seed of the ledgers. @default THEIRSTACK_DEFAULT_SEED */
  seed?: number;
  /** Accepted API keys. @default THEIRSTACK_SIM_TEAMS */
  teams?: Readonly<Record<string, TheirstackTeam>>;
  /** Return days without consumption too. @default true */
  includeZeroDays?: boolean;
  /** `utc`: period_start as the UTC instant with Z (as documented); `offset`: local offset form. @default 'utc' */
  periodStartStyle?: 'utc' | 'offset';
  /** Per-key sliding-window limit. @default { name: 'per-minute', limit: 600, windowSeconds: 60 } */
  rateLimit?: TheirstackRateLimitPolicy;
  /** Clock for default windows and rate limits, epoch milliseconds. @default Date.now */
  now?: () => number;
  /** First request_id handed out. @default 4815162342 */
  firstRequestId?: number;
  /** Behaviours beyond the published API, each off by default. @default {} */
  extensions?: TheirstackExtensions;
}

export interface ExpectedDaysOptions {
  /** @default THEIRSTACK_SIM_TOKEN */
  token?: string;
  /** @default the simulator's includeZeroDays setting */
  includeZeroDays?: boolean;
}

export interface TheirstackSimulator extends SimulatorHandle {
  /**
   * The days the endpoint returns for a half-open window [startMs, endMs) asked the way billgraph
   * asks it (local start, end − 1 s inclusive, in `zone`), following the `fractionalCredits`
   * switch as it is set now.
   */
  expectedDays(startMs: number, endMs: number, zone: string, options?: ExpectedDaysOptions): TheirstackDay[];
  setIncludeZeroDays(include: boolean): void;
  setPeriodStartStyle(style: 'utc' | 'offset'): void;
  setRateLimit(policy: TheirstackRateLimitPolicy): void;
  /** Turns extensions on or off; the ones not named keep their setting. */
  setExtensions(extensions: TheirstackExtensions): void;
  /** The request_id the next error body will carry. */
  readonly nextRequestId: number;
}

const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 366;

export async function startTheirstackSimulator(opts: TheirstackSimulatorOptions = {}): Promise<TheirstackSimulator> {
  const seed = opts.seed ?? THEIRSTACK_DEFAULT_SEED;
  const teams = new Map(Object.entries(opts.teams ?? THEIRSTACK_SIM_TEAMS));
  const now = opts.now ?? Date.now;
  let includeZeroDays = opts.includeZeroDays ?? true;
  let periodStartStyle = opts.periodStartStyle ?? 'utc';
  let policy: TheirstackRateLimitPolicy = opts.rateLimit ?? { name: 'per-minute', limit: 600, windowSeconds: 60 };
  let nextRequestId = opts.firstRequestId ?? 4_815_162_342;
  const extensions: Required<TheirstackExtensions> = {
    retryAfterOn429: false,
    refuseRangesOver366Days: false,
    fractionalCredits: false,
    ...opts.extensions,
  };
  const hits = new Map<string, number[]>();

  /** The documented error body; request_id per WITH_REQUEST_ID / OMIT_REQUEST_ID. */
  const error = (status: number, description: string, headers: Record<string, string> = {}): SimResponse => {
    const known = THEIRSTACK_ERRORS[status] ?? { code: 'E-007', title: 'Error' };
    const body: Record<string, unknown> = { error: { code: known.code, title: known.title, description } };
    if (WITH_REQUEST_ID.has(status) || status >= 500) body.request_id = nextRequestId++;
    else if (!OMIT_REQUEST_ID.has(status)) body.request_id = null;
    return json(status, body, headers);
  };

  /** Counts the request against its key's sliding window and returns the RateLimit headers. */
  function rateLimit(key: string): { headers: Record<string, string>; limited: boolean } {
    const t = now();
    const windowMs = policy.windowSeconds * 1000;
    const recent = (hits.get(key) ?? []).filter((at) => at > t - windowMs);
    const limited = recent.length >= policy.limit;
    if (!limited) recent.push(t);
    hits.set(key, recent);
    const remaining = Math.max(0, policy.limit - recent.length);
    const reset = recent.length ? Math.max(1, Math.ceil((recent[0]! + windowMs - t) / 1000)) : policy.windowSeconds;
    const headers: Record<string, string> = {
      ratelimit: `"${policy.name}"; r=${remaining}; t=${reset}`,
      'ratelimit-policy': `"${policy.name}"; q=${policy.limit}; w=${policy.windowSeconds}`,
      'ratelimit-limit': String(policy.limit),
      'ratelimit-remaining': String(remaining),
      'ratelimit-reset': String(reset),
    };
    if (limited && extensions.retryAfterOn429) headers['retry-after'] = String(reset);
    return { headers, limited };
  }

  /** Bearer auth and the rate limit, shared by both routes. */
  function admit(req: SimRequest): { team: TheirstackTeam; headers: Record<string, string> } | SimResponse {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!m) return error(401, 'Missing API key: send "Authorization: Bearer <api key>".');
    const team = teams.get(m[1]!);
    if (!team || team.status === 'revoked') return error(401, 'The API key is invalid, expired or revoked.');
    const { headers, limited } = rateLimit(m[1]!);
    if (limited)
      return error(
        429,
        `Rate limit "${policy.name}" exceeded: ${policy.limit} requests per ${policy.windowSeconds} s.`,
        headers,
      );
    return { team, headers };
  }

  const consumption = (req: SimRequest): SimResponse => {
    const admitted = admit(req);
    if ('status' in admitted) return admitted;
    const { team, headers } = admitted;
    const withHeaders = (r: SimResponse): SimResponse => ({ ...r, headers: { ...headers, ...r.headers } });
    const zone = req.query.timezone || 'UTC';
    if (!IANAZone.isValidZone(zone))
      return withHeaders(error(422, `Invalid timezone "${zone}": expected an IANA name such as "Europe/Madrid".`));
    const endArg = req.query.end_datetime ? parseWallClock(req.query.end_datetime, zone) : now();
    if (endArg === null)
      return withHeaders(
        error(422, `Invalid end_datetime "${req.query.end_datetime}": expected ISO 8601, e.g. 2023-01-01T23:59:59.`),
      );
    const startArg = req.query.start_datetime ? parseWallClock(req.query.start_datetime, zone) : endArg - 30 * DAY_MS;
    if (startArg === null)
      return withHeaders(
        error(
          422,
          `Invalid start_datetime "${req.query.start_datetime}": expected ISO 8601, e.g. 2023-01-01T00:00:00.`,
        ),
      );
    if (startArg > endArg) return withHeaders(error(422, 'start_datetime must not be after end_datetime.'));
    if (extensions.refuseRangesOver366Days && endArg - startArg > MAX_RANGE_DAYS * DAY_MS)
      return withHeaders(error(400, `The range may span at most ${MAX_RANGE_DAYS} days.`));
    if (team.status === 'out_of_credits')
      return withHeaders(error(402, 'Your team has no API credits left. Upgrade your plan or buy more credits.'));
    const days = dailyConsumption(seed, team, startArg, endArg, zone, extensions).filter(
      (d) => includeZeroDays || d.api !== '0' || d.ui !== '0',
    );
    // Numbers are written from their decimal strings, never through a float.
    const items = days.map(
      (d) =>
        `{"period_start":${JSON.stringify(periodStartStyle === 'utc' ? withLocalOffset(d.periodStartMs, 'UTC') : withLocalOffset(d.periodStartMs, zone))},"api_credits_consumed":${d.api},"ui_credits_consumed":${d.ui}}`,
    );
    return jsonText(200, `[${items.join(',')}]`, headers);
  };

  const balance = (req: SimRequest): SimResponse => {
    const admitted = admit(req);
    if ('status' in admitted) return admitted;
    const left = admitted.team.status === 'out_of_credits' ? 0 : 10_000;
    return json(
      200,
      { ui_credits: left, used_ui_credits: 0, api_credits: left, used_api_credits: 0 },
      admitted.headers,
    );
  };

  const handle = await startSimulator({
    routes: [
      { name: THEIRSTACK_ROUTES.consumption, method: 'GET', path: THEIRSTACK_CONSUMPTION_PATH, handler: consumption },
      { name: THEIRSTACK_ROUTES.balance, method: 'GET', path: THEIRSTACK_BALANCE_PATH, handler: balance },
    ],
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.latencyMs !== undefined ? { latencyMs: opts.latencyMs } : {}),
    errorResponse: (status, message) => error(status, message),
  });

  const sim = Object.assign(handle, {
    expectedDays(startMs: number, endMs: number, zone: string, options: ExpectedDaysOptions = {}): TheirstackDay[] {
      const team = teams.get(options.token ?? THEIRSTACK_SIM_TOKEN);
      if (!team) throw new Error(`No simulated team has the token "${options.token}".`);
      const include = options.includeZeroDays ?? includeZeroDays;
      return dailyConsumption(seed, team, startMs, endMs - 1000, zone, extensions).filter(
        (d) => include || d.api !== '0' || d.ui !== '0',
      );
    },
    setIncludeZeroDays(include: boolean) {
      includeZeroDays = include;
    },
    setPeriodStartStyle(style: 'utc' | 'offset') {
      periodStartStyle = style;
    },
    setRateLimit(next: TheirstackRateLimitPolicy) {
      policy = next;
      hits.clear();
    },
    setExtensions(next: TheirstackExtensions) {
      Object.assign(extensions, next);
    },
  });
  // A live getter: Object.assign would copy the value once.
  return Object.defineProperty(sim, 'nextRequestId', {
    get: () => nextRequestId,
    enumerable: true,
  }) as TheirstackSimulator;
}

/**
 * ISO 8601 date-time; without an offset it is a wall-clock time in `zone` (assumed,
 * docs/upstreams/theirstack.md#time-semantics).
 */
export function parseWallClock(raw: string, zone: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(raw)) return null;
  const parsed = DateTime.fromISO(raw, { zone, setZone: false });
  return parsed.isValid ? parsed.toMillis() : null;
}
