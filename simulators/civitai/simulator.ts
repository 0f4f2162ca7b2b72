// A real HTTP server speaking the Civitai Orchestration v1 consumption endpoint as
// docs/upstreams/civitai.md#simulator describes it: Bearer auth, camelCase date-time query
// parameters bound case-insensitively, RFC 7807 problem bodies, totals from ./seed.ts.

import { jsonText, startSimulator, type SimRequest, type SimResponse, type SimulatorHandle } from '../kit.js';
import { CIVITAI_DEFAULT_SEED, consumptionBetween, type CivitaiConsumer, type CivitaiConsumption } from './seed.js';

export const CIVITAI_CONSUMPTION_PATH = '/v1/consumer/consumption';

/** Route names as they appear in the request log, counters and fault rules. */
export const CIVITAI_ROUTES = { consumption: 'consumer/consumption' } as const;

export const CIVITAI_SIM_API_KEY = 'civitai-sim-key';
/** Authenticates, but its consumer is suspended: 403. */
export const CIVITAI_SIM_SUSPENDED_KEY = 'civitai-sim-key-suspended';

export const CIVITAI_SIM_CONSUMERS: Readonly<Record<string, CivitaiConsumer>> = {
  [CIVITAI_SIM_API_KEY]: { name: 'billgraph-demo', salt: 1, suspended: false },
  [CIVITAI_SIM_SUSPENDED_KEY]: { name: 'suspended-studio', salt: 2, suspended: true },
};

/** How a 401 looks: ASP.NET bearer auth usually sends no body, some deployments a ProblemDetails. */
export type CivitaiUnauthorizedStyle = 'empty' | 'problem';

/**
 * Behaviours beyond what Civitai publishes (docs/upstreams/civitai.md#switches), each off by
 * default: the default simulator answers only the documented shapes and statuses.
 */
export interface CivitaiExtensions {
  /**
   * `startDate >= endDate` is refused with 400 and a validation problem body. Civitai's clients
   * declare only the 200 answer; without the switch such a window is an empty one: 200 with zero
   * totals and the window echoed as asked. @default false
   */
  refuseStartNotBeforeEnd?: boolean;
  /**
   * `totalCost` carries the exact total with all 18 fractional digits (up to 23 significant
   * digits), for lossless-parsing tests and the demo. Civitai's API serialises a double: without
   * the switch the total is rounded to at most 17 significant digits. @default false
   */
  longDecimals?: boolean;
}

export interface CivitaiSimulatorOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Delay before every response, in milliseconds. @default 0 */
  latencyMs?: number;
  /** Seed of the ledgers. @default CIVITAI_DEFAULT_SEED */
  seed?: number;
  /** Accepted API keys. @default CIVITAI_SIM_CONSUMERS */
  keys?: Readonly<Record<string, CivitaiConsumer>>;
  /** @default 'empty' */
  unauthorizedStyle?: CivitaiUnauthorizedStyle;
  /** Clock for default windows, epoch milliseconds. @default Date.now */
  now?: () => number;
  /** Behaviours beyond the published API, each off by default. @default {} */
  extensions?: CivitaiExtensions;
}

export interface CivitaiSimulator extends SimulatorHandle {
  /**
   * The totals the endpoint reports for [startMs, endMs) (default: the CIVITAI_SIM_API_KEY
   * consumer), following the `longDecimals` switch as it is set now.
   */
  expectedConsumption(startMs: number, endMs: number, apiKey?: string): CivitaiConsumption;
  setUnauthorizedStyle(style: CivitaiUnauthorizedStyle): void;
  /** Turns extensions on or off; the ones not named keep their setting. */
  setExtensions(extensions: CivitaiExtensions): void;
}

const DAY_MS = 86_400_000;

/** An RFC 7807 body with the application/problem+json type. */
export function problem(status: number, title: string, extra: Record<string, unknown> = {}): SimResponse {
  const type = `https://tools.ietf.org/html/rfc9110#section-15.${status >= 500 ? 6 : 5}.${PROBLEM_SECTIONS[status] ?? 1}`;
  return {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
    body: JSON.stringify({ type, title, status, ...extra }),
  };
}
const PROBLEM_SECTIONS: Record<number, number> = { 400: 1, 401: 2, 403: 4, 404: 5, 405: 6, 429: 29, 500: 1, 503: 4 };

export async function startCivitaiSimulator(opts: CivitaiSimulatorOptions = {}): Promise<CivitaiSimulator> {
  const seed = opts.seed ?? CIVITAI_DEFAULT_SEED;
  // A Map, so a key such as "constructor" cannot match an Object.prototype member.
  const keys = new Map(Object.entries(opts.keys ?? CIVITAI_SIM_CONSUMERS));
  const now = opts.now ?? Date.now;
  let unauthorizedStyle: CivitaiUnauthorizedStyle = opts.unauthorizedStyle ?? 'empty';
  const extensions: Required<CivitaiExtensions> = {
    refuseStartNotBeforeEnd: false,
    longDecimals: false,
    ...opts.extensions,
  };

  const unauthorized = (detail: string): SimResponse => {
    const headers = { 'www-authenticate': 'Bearer' };
    if (unauthorizedStyle === 'empty') return { status: 401, headers, body: '' };
    const p = problem(401, 'Unauthorized', { detail });
    return { ...p, headers: { ...p.headers, ...headers } };
  };

  function consumerOf(req: SimRequest): CivitaiConsumer | SimResponse {
    const header = req.headers.authorization;
    if (header === undefined) return unauthorized('Missing bearer token.');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return unauthorized('The Authorization header must be "Bearer <token>".');
    const consumer = keys.get(m[1]!);
    if (!consumer) return unauthorized('The bearer token is invalid or expired.');
    if (consumer.suspended) return problem(403, 'Forbidden', { detail: 'This consumer is suspended.' });
    return consumer;
  }

  const handler = (req: SimRequest): SimResponse => {
    const consumer = consumerOf(req);
    if ('status' in consumer) return consumer;
    // ASP.NET binds query names case-insensitively and ignores unknown ones (e.g. start_date).
    const arg = (name: string) => Object.entries(req.query).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    const errors: Record<string, string[]> = {};
    const read = (name: string): number | undefined => {
      const raw = arg(name);
      if (raw === undefined || raw === '') return undefined;
      const ms = parseUpstreamDateTime(raw);
      if (ms === null) errors[name] = [`The value '${raw}' is not valid.`];
      return ms ?? undefined;
    };
    const startArg = read('startDate');
    const endArg = read('endDate');
    if (Object.keys(errors).length) return problem(400, 'One or more validation errors occurred.', { errors });
    const endMs = endArg ?? now();
    const startMs = startArg ?? endMs - 30 * DAY_MS;
    // Without the switch an empty or backwards window holds no events: zero totals (seed.ts).
    if (extensions.refuseStartNotBeforeEnd && startMs >= endMs)
      return problem(400, 'One or more validation errors occurred.', {
        errors: { startDate: ['startDate must be before endDate.'] },
      });
    const c = consumptionBetween(seed, consumer, startMs, endMs, extensions);
    // totalCost is written from its decimal string, never through a float.
    return jsonText(
      200,
      `{"images":${c.images},"totalCost":${c.totalCost},"startDate":${JSON.stringify(isoZ(startMs))},"endDate":${JSON.stringify(isoZ(endMs))}}`,
    );
  };

  const handle = await startSimulator({
    routes: [{ name: CIVITAI_ROUTES.consumption, method: 'GET', path: CIVITAI_CONSUMPTION_PATH, handler }],
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.latencyMs !== undefined ? { latencyMs: opts.latencyMs } : {}),
    errorResponse: (status, message) => problem(status, message),
  });

  return Object.assign(handle, {
    expectedConsumption(startMs: number, endMs: number, apiKey = CIVITAI_SIM_API_KEY): CivitaiConsumption {
      const consumer = keys.get(apiKey);
      if (!consumer) throw new Error(`No simulated consumer has the key "${apiKey}".`);
      return consumptionBetween(seed, consumer, startMs, endMs, extensions);
    },
    setUnauthorizedStyle(style: CivitaiUnauthorizedStyle) {
      unauthorizedStyle = style;
    },
    setExtensions(next: CivitaiExtensions) {
      Object.assign(extensions, next);
    },
  });
}

/** 2026-10-01T00:00:00Z, with milliseconds only when they are not zero. */
function isoZ(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

const UPSTREAM_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * What the clients send (docs/upstreams/civitai.md#serialisation): `Z`, `+hh:mm` or `+hhmm` offsets,
 * any number of fractional digits (Python's %f gives six); no offset is read as UTC.
 */
export function parseUpstreamDateTime(raw: string): number | null {
  const m = UPSTREAM_DATE_TIME.exec(raw.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Number(((m[7] ?? '') + '000').slice(0, 3));
  const base = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(base);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return null;
  const offset = m[8];
  if (!offset || offset.toUpperCase() === 'Z') return base;
  const digits = offset.replace(':', '');
  const sign = digits[0] === '-' ? -1 : 1;
  const oh = Number(digits.slice(1, 3));
  const om = Number(digits.slice(3, 5));
  if (oh > 23 || om > 59) return null;
  return base - sign * (oh * 60 + om) * 60_000;
}
