// A real HTTP server speaking the Kill Bill ≥ 0.24 REST subset billgraph uses
// (docs/upstreams/killbill.md#simulator): accounts pagination, bundles, subscriptions, usage
// roll-ups and usage recording, with Kill Bill's auth filters and error bodies; plus the reads the
// official client offers on those objects (by external key, a bundle by id, balances, audit logs,
// docs/upstreams/killbill.md#sim-9), which the conformance suite (test/simulators/conformance/) drives.

import { randomUUID } from 'node:crypto';
import { NUMBER_MARK, parseJsonTyped } from '../../src/lib/parseJsonLossless.js';
import {
  json,
  jsonText,
  startSimulator,
  type RouteDef,
  type SimRequest,
  type SimResponse,
  type SimulatorHandle,
} from '../kit.js';
import {
  decimalToNanos,
  formatNanos,
  generateKillbillData,
  KILLBILL_DEFAULT_SEED,
  rollUp,
  type KillbillAuditLevel,
  type KillbillData,
  type KillbillPrecision,
  type UsageRecord,
} from './seed.js';
import { killbillJson, killbillJsonText, renderInstant, type AccountOptions } from './json.js';

export const KILLBILL_BASE_PATH = '/1.0/kb';

/** Route names as they appear in the request log, counters and fault rules. */
export const KILLBILL_ROUTES = {
  accountsPagination: 'accounts/pagination',
  getAccount: 'accounts/get',
  getAccountByKey: 'accounts/getByKey',
  bundles: 'accounts/bundles',
  getBundle: 'bundles/get',
  getSubscription: 'subscriptions/get',
  usage: 'usages/get',
  usageByUnit: 'usages/getByUnit',
  recordUsage: 'usages/record',
} as const;

/** Kill Bill's defaults (docs/upstreams/killbill.md#k13): admin/password, tenant bob/lazar. */
export const KILLBILL_SIM_CREDENTIALS = {
  username: 'admin',
  password: 'password',
  apiKey: 'bob',
  apiSecret: 'lazar',
} as const;
export type KillbillCredentials = { username: string; password: string; apiKey: string; apiSecret: string };

const UUID = /^\w+-\w+-\w+-\w+-\w+$/;
const DAY_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

export const TENANT_ERROR_PAGE =
  '<html><head><title>Error 401 Unauthorized</title></head><body><h2>HTTP ERROR 401</h2><p>Problem accessing /1.0/kb. Reason:<pre>    Make sure to set the X-Killbill-ApiKey and X-Killbill-ApiSecret headers</pre></p></body></html>';

/** One stored record with what the POST carried (audit headers, the amount literal as sent). */
export interface StoredRecord extends UsageRecord {
  /** The amount as the request wrote it, e.g. "333333333.333333333"; null for seeded records. */
  amountLiteral: string | null;
  createdBy: string | null;
  reason: string | null;
  comment: string | null;
}

/**
 * Behaviours beyond what Kill Bill's usage data looks like (docs/upstreams/killbill.md#switches), each off
 * by default. Fixed at start: the seeded records are made once.
 */
export interface KillbillExtensions extends KillbillPrecision {
  /**
   * The first account's first subscription also records KILLBILL_BIG_AMOUNT (`333333333.333333333`)
   * egress-gb twice on KILLBILL_BIG_AMOUNT_DAY, so that day's sum needs more digits than a double
   * holds (Kill Bill's own integration test, docs/upstreams/killbill.md#k8): for lossless-parsing
   * tests. Without it that day has its ordinary daily summary only. @default false
   */
  beyondDoublePrecision?: boolean;
}

export interface KillbillSimulatorOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Delay before every response, in milliseconds. @default 0 */
  latencyMs?: number;
  /** Seed of the generated world. @default KILLBILL_DEFAULT_SEED */
  seed?: number;
  /** Size factor of the generated world (accounts, bundles, subscriptions), for the benchmark. @default 1 */
  scale?: number;
  /** Accepted credentials. @default KILLBILL_SIM_CREDENTIALS */
  credentials?: KillbillCredentials;
  /** Behaviours beyond the published API, each off by default. @default {} */
  extensions?: KillbillExtensions;
}

export interface KillbillSimulator extends SimulatorHandle {
  /** The seeded world (records POSTed later are in `records`, not here). */
  readonly data: KillbillData;
  /** Every record the server holds, seeded and POSTed, in insertion order. */
  readonly records: readonly StoredRecord[];
  /** Records stored through POST /1.0/kb/usages, oldest first. */
  readonly posted: readonly StoredRecord[];
  /** What GET /1.0/kb/usages/{id} returns for [start, end): unit type → exact decimal string. Includes POSTed records. */
  expectedUsage(subscriptionId: string, startIso: string, endIso: string): Record<string, string>;
  /** Stored records of one subscription with one tracking id. */
  recordsWith(subscriptionId: string, trackingId: string): StoredRecord[];
  /** Changes the credentials the server accepts (e.g. a rotated password). */
  setCredentials(credentials: KillbillCredentials): void;
  /**
   * Milliseconds between the trackingId check and the insert of a POST, 0 by default. Kill Bill's
   * check-then-insert is not atomic (docs/upstreams/killbill.md#recording-usage): a window lets concurrent
   * duplicates both insert.
   */
  setInsertDelay(ms: number): void;
}

/** `BillingExceptionJson` (docs/upstreams/killbill.md#k5); `stackTrace` is empty unless ?withStackTrace=true. */
export function billingException(status: number, className: string, code: number | null, message: string): SimResponse {
  return json(status, { className, code, message, causeClassName: null, causeMessage: null, stackTrace: [] });
}
const illegalArgument = (message: string) => billingException(400, 'java.lang.IllegalArgumentException', null, message);
const objectDoesNotExist = (id: string, type: string) =>
  billingException(
    404,
    'org.killbill.billing.callcontext.InternalCallContextFactory$ObjectDoesNotExist',
    null,
    `Object id=${id} type=${type} doesn't exist!`,
  );
/** A 400/404 that Kill Bill sends without a body (docs/upstreams/killbill.md#k2; Jersey's no-route 404). */
const empty = (status: number): SimResponse => ({ status, body: '' });

export async function startKillbillSimulator(opts: KillbillSimulatorOptions = {}): Promise<KillbillSimulator> {
  const data = generateKillbillData(opts.seed ?? KILLBILL_DEFAULT_SEED, opts.scale ?? 1, {
    beyondDoublePrecision: opts.extensions?.beyondDoublePrecision ?? false,
  });
  let accepted: KillbillCredentials = { ...(opts.credentials ?? KILLBILL_SIM_CREDENTIALS) };
  let insertDelayMs = 0;
  const records: StoredRecord[] = data.records.map((r) => ({
    ...r,
    amountLiteral: null,
    createdBy: null,
    reason: null,
    comment: null,
  }));
  const posted: StoredRecord[] = [];
  const accountsById = new Map(data.accounts.map((a) => [a.accountId, a]));
  const subscriptionsById = new Map(data.subscriptions.map((s) => [s.subscriptionId, s]));

  /**
   * Shiro's Basic filter first, then the tenant filter (the order is assumed, docs/upstreams/killbill.md#sim-2);
   * neither answers JSON (docs/upstreams/killbill.md#k7, docs/upstreams/killbill.md#k14).
   */
  function authFailure(req: SimRequest): SimResponse | null {
    const m = /^basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
    if (decoded !== `${accepted.username}:${accepted.password}`)
      return { status: 401, headers: { 'www-authenticate': 'BASIC realm="killbill"' }, body: '' };
    if (
      req.headers['x-killbill-apikey'] !== accepted.apiKey ||
      req.headers['x-killbill-apisecret'] !== accepted.apiSecret
    ) {
      return { status: 401, headers: { 'content-type': 'text/html;charset=iso-8859-1' }, body: TENANT_ERROR_PAGE };
    }
    return null;
  }
  const authed =
    (handler: (req: SimRequest) => SimResponse | Promise<SimResponse>) =>
    (req: SimRequest): SimResponse | Promise<SimResponse> =>
      authFailure(req) ?? handler(req);

  /** Non-UUID path parameters match no Jersey route: 404 without a body. */
  const uuidParam = (req: SimRequest, name: string): string | null => {
    const v = req.params[name] ?? '';
    return UUID.test(v) ? v : null;
  };

  function usageResponse(req: SimRequest, unitType: string | null): SimResponse {
    const id = uuidParam(req, 'subscriptionId');
    if (!id) return empty(404);
    const { startDate, endDate } = req.query;
    // UsageResource: a missing bound is a 400 with no entity (docs/upstreams/killbill.md#k2).
    if (!startDate || !endDate) return empty(400);
    const startMs = parseUsageDate(startDate);
    if (startMs === null) return illegalArgument(`Invalid format: "${startDate}" is malformed`);
    const endMs = parseUsageDate(endDate);
    if (endMs === null) return illegalArgument(`Invalid format: "${endDate}" is malformed`);
    if (!subscriptionsById.has(id)) return objectDoesNotExist(id, 'SUBSCRIPTION');
    const sums = rollUp(records, id, startMs, endMs);
    let units = [...sums.entries()].filter(([u]) => unitType === null || u === unitType);
    // The order is a HashMap's (docs/upstreams/killbill.md#k3): clients must not rely on it.
    units = shuffle(units, `${id}|${startMs}|${endMs}`);
    // Amounts are written as JSON number literals straight from the exact sums, never via a float.
    const unitsText = units
      .map(([u, nanos]) => `{"unitType":${JSON.stringify(u)},"amount":${formatNanos(nanos)}}`)
      .join(',');
    return jsonText(
      200,
      `{"subscriptionId":${JSON.stringify(id)},"startDate":${JSON.stringify(renderInstant(startMs))},"endDate":${JSON.stringify(renderInstant(endMs))},"rolledUpUnits":[${unitsText}]}`,
    );
  }

  async function recordUsage(req: SimRequest): Promise<SimResponse> {
    const createdBy = req.headers['x-killbill-createdby'];
    if (!createdBy) return illegalArgument('Header X-Killbill-CreatedBy needs to be set');
    let body: unknown;
    try {
      // Numbers come back as NUMBER_MARK + their literal, so a POSTed amount keeps every digit.
      body = parseJsonTyped(req.rawBody);
    } catch {
      return billingException(
        400,
        'com.fasterxml.jackson.core.JsonParseException',
        null,
        'Unexpected character in the request body',
      );
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return illegalArgument('SubscriptionUsageRecordJson body needs to be set');
    const b = body as Record<string, unknown>;
    if (typeof b.subscriptionId !== 'string' || !b.subscriptionId)
      return illegalArgument('SubscriptionUsageRecordJson subscriptionId needs to be set');
    if (b.unitUsageRecords === undefined || b.unitUsageRecords === null)
      return illegalArgument('SubscriptionUsageRecordJson unitUsageRecords needs to be set');
    if (!Array.isArray(b.unitUsageRecords) || b.unitUsageRecords.length === 0)
      return illegalArgument('json.getUnitUsageRecords() is empty');
    const rows: Omit<StoredRecord, 'trackingId'>[] = [];
    for (const unit of b.unitUsageRecords as Record<string, unknown>[]) {
      if (typeof unit?.unitType !== 'string' || !unit.unitType)
        return illegalArgument('UnitUsageRecordJson unitType need to be set');
      if (!Array.isArray(unit.usageRecords) || unit.usageRecords.length === 0)
        return illegalArgument('UnitUsageRecordJson usageRecords must have at least one element.');
      for (const rec of unit.usageRecords as Record<string, unknown>[]) {
        const recordMs = typeof rec?.recordDate === 'string' ? parseUsageDate(rec.recordDate) : null;
        if (recordMs === null) return illegalArgument('UsageRecordJson recordDate needs to be set');
        // Jackson reads a JSON string into a BigDecimal too.
        const literal =
          typeof rec.amount !== 'string'
            ? null
            : rec.amount.startsWith(NUMBER_MARK)
              ? rec.amount.slice(NUMBER_MARK.length)
              : rec.amount;
        const amountNanos = literal === null ? null : decimalToNanos(literal);
        if (literal === null || amountNanos === null) return illegalArgument('UsageRecordJson amount needs to be set');
        rows.push({
          subscriptionId: b.subscriptionId,
          unitType: unit.unitType,
          recordMs,
          amountNanos,
          amountLiteral: literal,
          createdBy,
          reason: req.headers['x-killbill-reason'] ?? null,
          comment: req.headers['x-killbill-comment'] ?? null,
        });
      }
    }
    const sub = subscriptionsById.get(b.subscriptionId);
    if (!sub) return objectDoesNotExist(b.subscriptionId, 'SUBSCRIPTION');
    // Usage after the subscription's effective end is refused with an empty 400 (docs/upstreams/killbill.md#k2).
    const latest = Math.max(...rows.map((r) => r.recordMs));
    if (sub.billingEndMs !== null && sub.billingEndMs < latest) return empty(400);
    // An absent or empty trackingId gets a random one: no idempotency at all (docs/upstreams/killbill.md#k3).
    const trackingId = typeof b.trackingId === 'string' && b.trackingId !== '' ? b.trackingId : randomUUID();
    if (trackingId.length > 128)
      return billingException(
        500,
        'org.skife.jdbi.v2.exceptions.UnableToExecuteStatementException',
        null,
        'Data too long for column tracking_id',
      );
    if (records.some((r) => r.subscriptionId === sub.subscriptionId && r.trackingId === trackingId)) {
      return billingException(
        400,
        'org.killbill.billing.usage.api.UsageApiException',
        50000,
        `A usage record with tracking ID ${trackingId} already exists`,
      );
    }
    if (insertDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, insertDelayMs));
    for (const row of rows) {
      const stored = { ...row, trackingId };
      records.push(stored);
      posted.push(stored);
    }
    return { status: 201, body: '' };
  }

  const dto = killbillJson(data);
  const bundlesById = new Map(data.bundles.map((b) => [b.bundleId, b]));
  const accountNotFound = (id: string) =>
    billingException(
      404,
      'org.killbill.billing.account.api.AccountApiException',
      3002,
      `Account does not exist for id ${id}`,
    );

  /** `accountWithBalance`, `accountWithBalanceAndCBA` and `audit`, read as Jersey binds them. */
  function accountOptions(req: SimRequest): AccountOptions | SimResponse {
    const audit = auditLevel(req);
    if (typeof audit !== 'string') return audit;
    return {
      withBalance: jerseyBoolean(req.query.accountWithBalance),
      withBalanceAndCBA: jerseyBoolean(req.query.accountWithBalanceAndCBA),
      audit,
    };
  }
  const renderJson = (value: unknown, headers: Record<string, string> = {}) =>
    jsonText(200, killbillJsonText(value), headers);

  const routes: RouteDef[] = [
    {
      name: KILLBILL_ROUTES.accountsPagination,
      method: 'GET',
      path: `${KILLBILL_BASE_PATH}/accounts/pagination`,
      handler: authed((req) => {
        const offset = nonNegativeInt(req.query.offset, 0);
        const limit = nonNegativeInt(req.query.limit, 100);
        if (offset === null || limit === null) return illegalArgument('offset and limit must be non-negative numbers');
        const opts = accountOptions(req);
        if ('status' in opts) return opts;
        const page = data.accounts.slice(offset, offset + limit);
        const total = data.accounts.length;
        const next = offset + page.length;
        const headers: Record<string, string> = {
          'X-Killbill-Pagination-CurrentOffset': String(offset),
          'X-Killbill-Pagination-TotalNbRecords': String(total),
          'X-Killbill-Pagination-MaxNbRecords': String(total),
        };
        if (next < total && page.length > 0) {
          headers['X-Killbill-Pagination-NextOffset'] = String(next);
          headers['X-Killbill-Pagination-NextPageUri'] =
            `${KILLBILL_BASE_PATH}/accounts/pagination?offset=${next}&limit=${limit}&accountWithBalance=${opts.withBalance}&accountWithBalanceAndCBA=${opts.withBalanceAndCBA}&audit=${opts.audit}`;
        }
        return renderJson(
          page.map((a) => dto.account(a, opts)),
          headers,
        );
      }),
    },
    {
      // AccountResource.getAccountByKey: GET /1.0/kb/accounts?externalKey=…
      name: KILLBILL_ROUTES.getAccountByKey,
      method: 'GET',
      path: `${KILLBILL_BASE_PATH}/accounts`,
      handler: authed((req) => {
        const key = req.query.externalKey;
        // A null key is ACCOUNT_CANNOT_MAP_NULL_KEY (3004), an unmapped AccountApiException: 400.
        if (key === undefined)
          return billingException(
            400,
            'org.killbill.billing.account.api.AccountApiException',
            3004,
            'An attempt was made to get the id for a <null> external key.',
          );
        const opts = accountOptions(req);
        if ('status' in opts) return opts;
        const a = data.accounts.find((x) => x.externalKey === key);
        return a
          ? renderJson(dto.account(a, opts))
          : billingException(
              404,
              'org.killbill.billing.account.api.AccountApiException',
              3003,
              `Account does not exist for key ${key}`,
            );
      }),
    },
    {
      name: KILLBILL_ROUTES.bundles,
      method: 'GET',
      path: `${KILLBILL_BASE_PATH}/accounts/:accountId/bundles`,
      handler: authed((req) => {
        const id = uuidParam(req, 'accountId');
        if (!id) return empty(404);
        if (!accountsById.has(id)) return accountNotFound(id);
        const audit = auditLevel(req);
        if (typeof audit !== 'string') return audit;
        // AccountResource.getAccountBundles: `externalKey` selects the account's bundles with that
        // key; `bundlesFilter` (comma-separated bundle ids) keeps only those ids; empty = no filter.
        const { externalKey, bundlesFilter } = req.query;
        const wanted = bundlesFilter ? new Set(bundlesFilter.split(',')) : null;
        const list = data.bundles.filter(
          (b) =>
            b.accountId === id &&
            (externalKey === undefined || b.externalKey === externalKey) &&
            (wanted === null || wanted.has(b.bundleId)),
        );
        return renderJson(list.map((b) => dto.bundle(b, audit)));
      }),
    },
    {
      name: KILLBILL_ROUTES.getAccount,
      method: 'GET',
      path: `${KILLBILL_BASE_PATH}/accounts/:accountId`,
      handler: authed((req) => {
        const id = uuidParam(req, 'accountId');
        if (!id) return empty(404);
        const opts = accountOptions(req);
        if ('status' in opts) return opts;
        const a = accountsById.get(id);
        return a ? renderJson(dto.account(a, opts)) : accountNotFound(id);
      }),
    },
    {
      // BundleResource.getBundle.
      name: KILLBILL_ROUTES.getBundle,
      method: 'GET',
      path: `${KILLBILL_BASE_PATH}/bundles/:bundleId`,
      handler: authed((req) => {
        const id = uuidParam(req, 'bundleId');
        if (!id) return empty(404);
        const audit = auditLevel(req);
        if (typeof audit !== 'string') return audit;
        const b = bundlesById.get(id);
        // The 404 is the Swagger's ("Bundle not found"); the body's class and code are assumed
        // (SUB_GET_INVALID_BUNDLE_ID, docs/upstreams/killbill.md#sim-9).
        return b
          ? renderJson(dto.bundle(b, audit))
          : billingException(
              404,
              'org.killbill.billing.subscription.api.user.SubscriptionApiException',
              1081,
              `Could not find a bundle matching id ${id}`,
            );
      }),
    },
    {
      name: KILLBILL_ROUTES.getSubscription,
      method: 'GET',
      path: `${KILLBILL_BASE_PATH}/subscriptions/:subscriptionId`,
      handler: authed((req) => {
        const id = uuidParam(req, 'subscriptionId');
        if (!id) return empty(404);
        const audit = auditLevel(req);
        if (typeof audit !== 'string') return audit;
        const s = subscriptionsById.get(id);
        return s ? renderJson(dto.subscription(s, audit)) : objectDoesNotExist(id, 'SUBSCRIPTION');
      }),
    },
    {
      name: KILLBILL_ROUTES.usage,
      method: 'GET',
      path: `${KILLBILL_BASE_PATH}/usages/:subscriptionId`,
      handler: authed((req) => usageResponse(req, null)),
    },
    {
      name: KILLBILL_ROUTES.usageByUnit,
      method: 'GET',
      path: `${KILLBILL_BASE_PATH}/usages/:subscriptionId/:unitType`,
      handler: authed((req) => usageResponse(req, req.params.unitType ?? '')),
    },
    {
      name: KILLBILL_ROUTES.recordUsage,
      method: 'POST',
      path: `${KILLBILL_BASE_PATH}/usages`,
      handler: authed(recordUsage),
    },
  ];

  const handle = await startSimulator({
    routes,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.latencyMs !== undefined ? { latencyMs: opts.latencyMs } : {}),
    // Errors the kit renders itself: Jersey's bodiless 404/405, BillingExceptionJson for the rest.
    errorResponse: (status, message) =>
      status === 404 || status === 405
        ? empty(status)
        : billingException(status, 'java.lang.RuntimeException', null, message),
  });

  return Object.assign(handle, {
    data,
    get records() {
      return records;
    },
    get posted() {
      return posted;
    },
    expectedUsage(subscriptionId: string, startIso: string, endIso: string) {
      const sums = rollUp(records, subscriptionId, Date.parse(startIso), Date.parse(endIso));
      return Object.fromEntries(
        [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([u, n]) => [u, formatNanos(n)]),
      );
    },
    recordsWith: (subscriptionId: string, trackingId: string) =>
      records.filter((r) => r.subscriptionId === subscriptionId && r.trackingId === trackingId),
    setCredentials(credentials: KillbillCredentials) {
      accepted = { ...credentials };
    },
    setInsertDelay(ms: number) {
      insertDelayMs = ms;
    },
  });
}

/**
 * Kill Bill ≥ 0.24's usage date parser (docs/upstreams/killbill.md#k6): `yyyy-MM-dd` is 00:00 UTC of that
 * day; a date-time without an offset is read in the server zone, taken to be UTC (assumed,
 * docs/upstreams/killbill.md#windows). Null when unparsable.
 */
export function parseUsageDate(value: string): number | null {
  if (DAY_ONLY.test(value)) {
    const ms = Date.parse(`${value}T00:00:00Z`);
    return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(value) ? ms : null;
  }
  if (!DATE_TIME.test(value)) return null;
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : `${value}Z`;
  const ms = Date.parse(withZone);
  return Number.isFinite(ms) ? ms : null;
}

/** Jersey binds a Boolean query parameter with Boolean.valueOf: only "true" (any case) is true. */
const jerseyBoolean = (raw: string | undefined) => raw?.toLowerCase() === 'true';

/** `?audit=NONE|MINIMAL|FULL` (default NONE); AuditMode upper-cases it, an unknown level is a 400. */
function auditLevel(req: SimRequest): KillbillAuditLevel | SimResponse {
  const raw = (req.query.audit ?? 'NONE').toUpperCase();
  if (raw === 'NONE' || raw === 'MINIMAL' || raw === 'FULL') return raw;
  return billingException(
    400,
    'java.lang.IllegalArgumentException',
    null,
    `No enum constant org.killbill.billing.util.api.AuditLevel.${raw}`,
  );
}

function nonNegativeInt(raw: string | undefined, fallback: number): number | null {
  if (raw === undefined || raw === '') return fallback;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

/** Deterministic Fisher–Yates keyed by a string (FNV-1a seeded LCG). */
function shuffle<T>(items: T[], key: string): T[] {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    h = (Math.imul(h, 1664525) + 1013904223) >>> 0;
    const j = h % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
