// A real HTTP server speaking Hyperstack's billing API (docs/upstreams/hyperstack.md): all 37 operations
// under /v1/billing/billing/…, `api_key` header auth, the documented error
// bodies, `YYYY-MM-DDTHH:MM:SS` dates, and every money figure derived from seed.ts's hourly
// cost model so that lists, details, graphs and org totals agree to the last digit.

import {
  startSimulator,
  jsonText,
  type Handler,
  type RouteDef,
  type SimRequest,
  type SimResponse,
  type SimulatorHandle,
} from '../kit.js';
import {
  HYPERSTACK_DEFAULT_NOW,
  HYPERSTACK_DEFAULT_SEED,
  SUB_RESOURCES,
  events,
  generateHyperstackData,
  hourStamp,
  hourWindow,
  hourlySeries,
  isToken,
  money,
  overlaps,
  splitSubResources,
  stateAt,
  tokenTotals,
  totals,
  type HourWindow,
  type HsResource,
  type HyperstackData,
} from './seed.js';
import type { HsKind } from '../../src/providers/hyperstack/kinds.js';

/** The accepted API key (header `api_key`). */
export const HYPERSTACK_SIM_KEY = 'hs-sim-key';
/** A key that authenticates but lacks billing permission: 403 on every route. */
export const HYPERSTACK_SIM_FORBIDDEN_KEY = 'hs-sim-key-no-billing';

const P = '/billing/billing';
const HOUR_MS = 3_600_000;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** Route names are the SDK operation names of docs/upstreams/hyperstack.md#s3 (log, counters, fault rules). */
export const HYPERSTACK_ROUTES = {
  get_user_billing_history: 'GET /history',
  get_usage: 'GET /usage',
  get_last_day_cost: 'GET /last-day-cost',
  list_org_notification_thresholds: 'GET /threshold',
  get_notification_threshold: 'PUT /threshold/:threshold_id',
  list_billing_contract_history: 'GET /history/contract',
  get_vm_billing_history: 'GET /history/virtual-machine',
  get_vm_billing_details: 'GET /history/virtual-machine/:vm_id',
  get_vm_billing_graph: 'GET /history/virtual-machine/:vm_id/graph',
  get_vm_billing_events: 'GET /virtual-machine/:vm_id/billing-events',
  get_vm_sub_resource_costs: 'GET /virtual-machine/:vm_id/sub-resource',
  get_vm_sub_resource_graph: 'GET /virtual-machine/:vm_id/sub-resource/graph',
  get_volume_billing_history: 'GET /history/volume',
  get_volume_billing_details: 'GET /history/volume/:volume_id',
  get_volume_billing_history_graph: 'GET /history/volume/:volume_id/graph',
  get_volume_billing_events: 'GET /volume/:volume_id/billing-events',
  list_snapshot_billing_history: 'GET /history/snapshot',
  get_snapshot_billing_history: 'GET /history/snapshot/:snapshot_id',
  get_snapshot_billing_history_graph: 'GET /history/snapshot/:snapshot_id/graph',
  list_bucket_billing_history: 'GET /history/bucket',
  get_bucket_billing_history: 'GET /history/bucket/:bucket_id',
  buckets_billing_history_hourly_chart: 'GET /history/bucket/:bucket_id/graph',
  list_clusters_billing_history: 'GET /history/cluster',
  get_cluster_billing_history: 'GET /history/cluster/:cluster_id',
  get_cluster_billing_history_graph: 'GET /history/cluster/:cluster_id/graph',
  get_fine_tuning_billing_history: 'GET /history/fine_tuning',
  get_resource_fine_tuning_billing_history: 'GET /history/fine_tuning/:resource_id',
  get_fine_tuning_billing_history_graph: 'GET /history/fine_tuning/:resource_id/graph',
  get_model_evaluation_billing_history: 'GET /history/model_evaluation',
  get_resource_model_evaluation_billing_history: 'GET /history/model_evaluation/:resource_id',
  get_model_evaluation_billing_history_graph: 'GET /history/model_evaluation/:resource_id/graph',
  list_serverless_inference_billing_history: 'GET /history/serverless_inference',
  get_serverless_inferences_billing_history: 'GET /history/serverless_inference/:resource_id',
  get_serverless_inference_billing_history_graph: 'GET /history/serverless_inference/:resource_id/graph',
  get_data_synthesis_billing_history: 'GET /history/data_synthesis',
  get_data_synthesis_history_for_resource: 'GET /history/data_synthesis/:resource_id',
  get_data_synthesis_billing_history_graph: 'GET /history/data_synthesis/:resource_id/graph',
} as const;
export type HyperstackRoute = keyof typeof HYPERSTACK_ROUTES;
export const HYPERSTACK_ROUTE_NAMES = Object.keys(HYPERSTACK_ROUTES) as HyperstackRoute[];

/** `error_reason` per status (docs/upstreams/hyperstack.md#s5); 500 has no schema and no reason. */
const REASONS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  429: 'too_many_requests',
};

export interface HyperstackSimulatorOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Delay before every response, in milliseconds. @default 0 */
  latencyMs?: number;
  /** Seed of the generated world. @default HYPERSTACK_DEFAULT_SEED */
  seed?: number;
  /** Size factor of the generated world (virtual machines, volumes), for the benchmark. @default 1 */
  scale?: number;
  /** The simulator's "now", epoch milliseconds (defaults of date windows, last-day cost, lifetimes). @default HYPERSTACK_DEFAULT_NOW */
  now?: number;
  /**
   * Largest per_page a list honours; larger values are clamped (proposed, docs/upstreams/hyperstack.md#s2).
   * @default 100
   */
  maxPerPage?: number;
  /** Upstream behaviours docs/upstreams/hyperstack.md allows but the default simulator does not show. @default {} */
  quirks?: HyperstackQuirks;
  /**
   * Behaviours beyond what Hyperstack publishes (docs/upstreams/hyperstack.md#s10), each off by default:
   * the default simulator answers only the published shapes.
   * @default {}
   */
  extensions?: HyperstackExtensions;
}

/**
 * Switches for what the simulator can add beyond Hyperstack's published contract (the SDK's
 * BillingApi page and models). All off by default (docs/upstreams/hyperstack.md#s10).
 */
export interface HyperstackExtensions {
  /**
   * `metrics.incurred_bill_graph` where no model defines it: daily points on endpoint 1 with
   * `graph=true`, hourly points on the bucket graph (22) and the token graphs (31, 34, 37).
   */
  incurredBillGraph?: boolean;
  /** `usage_time` in token metrics (lists 29, 32, 35; details and graphs 30, 31, 33, 34, 36, 37). */
  tokenUsageTime?: boolean;
  /** A 200 JSON body `{status, message, billing_history_contract}` for contract history (6), documented as void. */
  contractHistoryEnvelope?: boolean;
  /** Every route also at the root (`/billing/billing/…`), not only under `/v1`. Fixed at start. */
  routesWithoutV1?: boolean;
}

/** Every extension on (the simulator as it was before issue 18). */
export const HYPERSTACK_ALL_EXTENSIONS: Readonly<Required<HyperstackExtensions>> = Object.freeze({
  incurredBillGraph: true,
  tokenUsageTime: true,
  contractHistoryEnvelope: true,
  routesWithoutV1: true,
});

/** The path prefix of Hyperstack's base URL (`https://infrahub-api.nexgencloud.com/v1`). */
export const HYPERSTACK_BASE_PATH = '/v1';

export interface HyperstackQuirks {
  /**
   * Seconds per point of the graphs that carry `granularity` (9, 12, 15, 19, 22, 25, 28):
   * 3600 = one point per UTC hour (proposed, docs/upstreams/hyperstack.md#s4-5), 86400 = one point per UTC
   * day at midnight, summing that day's hours inside the window (the value in Hyperstack's docs
   * example, same section). The token graphs (31, 34, 37) carry no granularity and stay hourly.
   * @default 3600
   */
  graphGranularity?: 3600 | 86400;
  /** A `pagination.pages` every list reports instead of the true count (a misbehaving upstream). */
  listPages?: number;
}

export interface HyperstackSimulator extends SimulatorHandle {
  readonly data: HyperstackData;
  readonly now: number;
  /** Pure expected figures, as the endpoints print them. */
  readonly expected: HyperstackExpected;
  /** Replaces the quirks (`{}` restores the defaults); tests that set one must reset it. */
  setQuirks(quirks: HyperstackQuirks): void;
  /** The extensions in force. */
  readonly extensions: Readonly<HyperstackExtensions>;
  /**
   * Replaces the extensions (`{}` = the published contract only); tests that set one must reset
   * it. `routesWithoutV1` is fixed at start: a different value throws.
   */
  setExtensions(extensions: HyperstackExtensions): void;
  /** The base URL billgraph's `baseUrl` takes: `url` + `/v1`. */
  readonly baseUrl: string;
}

export interface HyperstackExpected {
  /** Window totals of one resource (list/details figures). */
  totals(infrahubId: number, startIso: string, endIso: string): ReturnType<typeof totals> & { resource: HsResource };
  /** The window's incurred bill of one resource as printed. */
  incurredBill(infrahubId: number, startIso: string, endIso: string): string;
  /** Hourly points [hour ISO, amount] of one resource. */
  hourly(infrahubId: number, startIso: string, endIso: string): [string, string][];
  /** Resources a list call for this kind and window returns (before paging). */
  listed(kind: HsKind, startIso: string, endIso: string): HsResource[];
  /** Org-wide figures of endpoint 1. */
  org(
    startIso: string,
    endIso: string,
  ): Record<
    'incurred_bill' | 'non_discounted_bill' | 'vm_cost' | 'volume_cost' | 'contract_cost' | 'snapshot_cost',
    string
  >;
  /** Endpoint 3's figures. */
  lastDay(): Record<'instances_cost' | 'volumes_cost' | 'clusters_cost' | 'total_cost', string>;
  /** Endpoint 11's six totals. */
  subResources(infrahubId: number, startIso: string, endIso: string): Record<string, string>;
  money: typeof money;
}

/** A JSON number literal written verbatim (so no digit is lost to a float). */
class Num {
  constructor(readonly text: string) {}
}
const n = (v: bigint | number): Num => new Num(typeof v === 'bigint' ? money(v) : String(v));

function render(value: unknown): string {
  if (value instanceof Num) return value.text;
  if (Array.isArray(value)) return `[${value.map(render).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${render(v)}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

const ok = (body: unknown): SimResponse => jsonText(200, render(body));

export function hyperstackError(status: number, message: string): SimResponse {
  if (status >= 500) return jsonText(status, JSON.stringify({ message: 'Internal Server Error' }));
  return jsonText(status, JSON.stringify({ status: false, message, error_reason: REASONS[status] ?? 'bad_request' }));
}

/** kind → list path segment, list payload key, details payload key, graph payload key. */
const KIND_PATHS: Record<
  Exclude<HsKind, 'CONTRACT'>,
  { seg: string; listKey: string; detailsKey: string; graphKey: string | null; success?: boolean }
> = {
  VIRTUAL_MACHINE: {
    seg: 'virtual-machine',
    listKey: 'billing_history_vm',
    detailsKey: 'billing_history_vm_details',
    graphKey: 'billing_history_vm_details',
  },
  VOLUME: {
    seg: 'volume',
    listKey: 'billing_history_volume',
    detailsKey: 'billing_history_volume_details',
    graphKey: 'billing_history_snapshot_details',
  },
  SNAPSHOT: {
    seg: 'snapshot',
    listKey: 'billing_history_volume',
    detailsKey: 'billing_history_volume_details',
    graphKey: 'billing_history_snapshot_details',
  },
  BUCKET: {
    seg: 'bucket',
    listKey: 'billing_history_bucket',
    detailsKey: 'billing_history_bucket_details',
    graphKey: null,
  },
  CLUSTER: {
    seg: 'cluster',
    listKey: 'billing_history_cluster',
    detailsKey: 'billing_history_cluster_details',
    graphKey: 'billing_history_cluster_details',
  },
  FINE_TUNING: {
    seg: 'fine_tuning',
    listKey: 'billing_history_fine_tuning',
    detailsKey: 'billing_history_volume_details',
    graphKey: 'billing_history_snapshot_details',
    success: true,
  },
  MODEL_EVALUATION: {
    seg: 'model_evaluation',
    listKey: 'billing_history_serverless_inference',
    detailsKey: 'billing_history_model_evalutation_details',
    graphKey: 'billing_history_model_evalutation_details',
    success: true,
  },
  SERVERLESS_INFERENCE: {
    seg: 'serverless_inference',
    listKey: 'billing_history_serverless_inference',
    detailsKey: 'billing_history_serverless_inference_details',
    graphKey: 'billing_history_serverless_inference_details',
    success: true,
  },
  DATA_SYNTHESIS: {
    seg: 'data_synthesis',
    listKey: 'billing_history_serverless_inference',
    detailsKey: 'billing_history_data_synthesis_details',
    graphKey: 'billing_history_data_synthesis_details',
    success: true,
  },
};

const USAGE_TYPES: Partial<Record<HsKind, string>> = {
  VIRTUAL_MACHINE: 'virtual_machine',
  VOLUME: 'volume',
  SNAPSHOT: 'snapshot',
  BUCKET: 'bucket',
  CLUSTER: 'cluster',
};

class BadRequest extends Error {}

export async function startHyperstackSimulator(opts: HyperstackSimulatorOptions = {}): Promise<HyperstackSimulator> {
  const data = generateHyperstackData(opts.seed ?? HYPERSTACK_DEFAULT_SEED, opts.scale ?? 1);
  const now = opts.now ?? HYPERSTACK_DEFAULT_NOW;
  const nowHour = Math.floor(now / HOUR_MS);
  let quirks: HyperstackQuirks = { ...opts.quirks };
  let ext: HyperstackExtensions = { ...opts.extensions };
  const withoutV1 = ext.routesWithoutV1 === true;
  const byId = new Map(data.resources.map((r) => [r.infrahubId, r]));
  const monthStart = (() => {
    const d = new Date(now);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  })();

  // ---- argument parsing (the proposed simulator error triggers of docs/upstreams/hyperstack.md#s5)
  function windowOf(req: SimRequest): HourWindow {
    const parse = (name: 'start_date' | 'end_date', fallback: number): number => {
      const raw = req.query[name];
      if (raw === undefined) return fallback;
      if (!DATE.test(raw) || !Number.isFinite(Date.parse(`${raw}Z`)))
        throw new BadRequest(`${name} should be formatted in YYYY-MM-DDTHH:MM:SS, got "${raw}".`);
      return Date.parse(`${raw}Z`);
    };
    const start = parse('start_date', monthStart);
    const end = parse('end_date', now);
    if (start > end) throw new BadRequest('start_date must not be after end_date.');
    return hourWindow(start, end, now);
  }
  function positiveInt(req: SimRequest, name: string, fallback: number): number {
    const raw = req.query[name];
    if (raw === undefined) return fallback;
    if (!/^[1-9]\d{0,6}$/.test(raw)) throw new BadRequest(`${name} must be a positive integer, got "${raw}".`);
    return Number(raw);
  }
  function flag(req: SimRequest, name: string): boolean {
    const raw = req.query[name];
    if (raw === undefined) return false;
    if (raw !== 'true' && raw !== 'false') throw new BadRequest(`${name} must be "true" or "false", got "${raw}".`);
    return raw === 'true';
  }
  function resourceOf(req: SimRequest, param: string, kind: HsKind): HsResource | null {
    const raw = req.params[param] ?? '';
    if (!/^\d{1,15}$/.test(raw)) throw new BadRequest(`${param} must be an integer, got "${raw}".`);
    const r = byId.get(Number(raw));
    return r && r.kind === kind ? r : null;
  }

  // ---- row builders
  const listRow = (r: HsResource, w: HourWindow) => {
    const t = totals(r, w);
    const status = stateAt(r, Math.min(w.to, nowHour) - 1);
    if (r.kind === 'CONTRACT') {
      return {
        attributes: { infrahub_id: n(r.infrahubId), description: r.description, gpu_type: r.gpuType, status },
        metrics: { incurred_bill: n(t.incurred), price_per_hour: n(r.price) },
      };
    }
    if (isToken(r.kind) || r.kind === 'FINE_TUNING') {
      const attributes = {
        infrahub_id: n(r.infrahubId),
        resource_name: r.name,
        status,
        base_model: r.baseModel,
        base_model_display_name: r.baseModelDisplayName,
        lora_adapter: r.loraAdapter,
      };
      if (r.kind === 'FINE_TUNING')
        return {
          attributes,
          metrics: {
            incurred_bill: n(t.incurred),
            non_discounted_bill: n(t.nonDiscounted),
            usage_time: n(t.usageHours),
          },
        };
      return { attributes, metrics: tokenMetrics(r, w) };
    }
    const row = {
      attributes: {
        id: r.uuid,
        infrahub_id: n(r.infrahubId),
        resource_name: r.name,
        status,
        contract_id: r.contractId === null ? null : n(r.contractId),
      },
      metrics: { incurred_bill: n(t.incurred), price_per_hour: n(r.price), usage_time: n(t.usageHours) },
    };
    return row;
  };
  const tokenMetrics = (r: HsResource, w: HourWindow) => {
    const t = totals(r, w);
    const split = tokenTotals(r, t);
    return {
      incurred_bill: n(t.incurred),
      non_discounted_bill: n(t.nonDiscounted),
      ...(ext.tokenUsageTime ? { usage_time: n(t.usageHours) } : {}),
      input_tokens: n(Number(t.inputTokens)),
      input_tokens_incurred_bill: n(split.inputBill),
      input_tokens_non_discounted_bill: n(split.inputNd),
      output_tokens: n(Number(t.outputTokens)),
      output_tokens_incurred_bill: n(split.outputBill),
      output_tokens_non_discounted_bill: n(split.outputNd),
    };
  };
  const detailsAttributes = (r: HsResource) => ({ id: r.uuid, infrahub_id: n(r.infrahubId), resource_name: r.name });
  const detailsMetrics = (r: HsResource, w: HourWindow, withStates: boolean) => {
    const t = totals(r, w);
    return {
      price_per_hour: n(r.price),
      non_discounted_price_per_hour: n((r.price * r.ndPercent) / 100n),
      incurred_bill: n(t.incurred),
      non_discounted_bill: n(t.nonDiscounted),
      usage_time: n(t.usageHours),
      ...(withStates
        ? {
            usage_time_ACTIVE: n(t.hours.ACTIVE),
            usage_time_SHUTOFF: n(t.hours.SHUTOFF),
            usage_time_HIBERNATED: n(t.hours.HIBERNATED),
          }
        : {}),
    };
  };
  /** Seconds per point of the graphs that carry `granularity`. */
  const graphSeconds = () => quirks.graphGranularity ?? 3600;
  /** Hourly [hour, value] → the same series at `seconds` per point (daily = UTC-day sums, stamped at midnight). */
  const atGranularity = (series: [number, bigint][], seconds: number): [number, bigint][] => {
    if (seconds === 3600) return series;
    const days = new Map<number, bigint>();
    for (const [h, v] of series) days.set(Math.floor(h / 24) * 24, (days.get(Math.floor(h / 24) * 24) ?? 0n) + v);
    return [...days.entries()].sort(([a], [b]) => a - b);
  };
  const graphPoints = (series: [number, bigint][], seconds = 3600) =>
    atGranularity(series, seconds).map(([h, v]) => ({ datetime: `${hourStamp(h)}Z`, value: n(v) }));
  const tokenAttributes = (r: HsResource, w: HourWindow) => ({
    infrahub_id: n(r.infrahubId),
    resource_name: r.name,
    status: stateAt(r, Math.min(w.to, nowHour) - 1),
    base_model: r.baseModel,
    base_model_display_name: r.baseModelDisplayName,
    lora_adapter: r.loraAdapter,
  });
  const envelope = (key: string, payload: unknown, message: string, success = false) => ({
    [success ? 'success' : 'status']: true,
    message,
    [key]: payload,
  });

  // ---- handlers
  const list =
    (kind: HsKind): Handler =>
    (req) => {
      const w = windowOf(req);
      const perPage = Math.min(positiveInt(req, 'per_page', 20), opts.maxPerPage ?? 100);
      const page = positiveInt(req, 'page', 1);
      const search = req.query.search?.toLowerCase();
      const matching = data.resources.filter(
        (r) =>
          r.kind === kind &&
          overlaps(r, w) &&
          (!search ||
            r.name.toLowerCase().includes(search) ||
            (r.description ?? '').toLowerCase().includes(search) ||
            String(r.infrahubId) === search ||
            r.uuid === search),
      );
      const rows = matching.slice((page - 1) * perPage, page * perPage).map((r) => listRow(r, w));
      const pages = quirks.listPages ?? Math.max(1, Math.ceil(matching.length / perPage));
      const payload = {
        org_id: n(data.orgId),
        total_count: n(matching.length),
        pagination: { page: n(page), pages: n(pages), per_page: n(perPage) },
        billing_history: rows,
      };
      const paths = KIND_PATHS[kind as Exclude<HsKind, 'CONTRACT'>];
      return ok(envelope(paths.listKey, payload, `Billing History for ${kind} Retrieved Successfully.`, paths.success));
    };

  const contracts: Handler = (req) => {
    const w = windowOf(req);
    // Documented as "void (empty response body)" (docs/upstreams/hyperstack.md#s4-11): the arguments are still
    // checked (400), but the answer carries nothing unless the extension is on.
    if (!ext.contractHistoryEnvelope) return { status: 200, headers: {}, body: '' };
    const search = req.query.search?.toLowerCase();
    const matching = data.resources.filter(
      (r) =>
        r.kind === 'CONTRACT' &&
        overlaps(r, w) &&
        (!search || (r.description ?? '').toLowerCase().includes(search) || String(r.infrahubId) === search),
    );
    return ok(
      envelope(
        'billing_history_contract',
        { org_id: n(data.orgId), total_count: n(matching.length), billing_history: matching.map((r) => listRow(r, w)) },
        'Contract billing history retrieved successfully.',
      ),
    );
  };

  const details =
    (kind: Exclude<HsKind, 'CONTRACT'>, param: string): Handler =>
    (req) => {
      const w = windowOf(req);
      const r = resourceOf(req, param, kind);
      if (!r) return hyperstackError(404, `Resource ${req.params[param]} not found.`);
      const key = KIND_PATHS[kind].detailsKey;
      const message = 'Billing details retrieved successfully.';
      switch (kind) {
        case 'VIRTUAL_MACHINE':
          return ok(
            envelope(
              key,
              {
                org_id: n(data.orgId),
                total_count: n(1),
                billing_history: [{ attributes: detailsAttributes(r), metrics: detailsMetrics(r, w, true) }],
              },
              message,
            ),
          );
        case 'BUCKET':
          return ok(envelope(key, { attributes: detailsAttributes(r), metrics: detailsMetrics(r, w, true) }, message));
        case 'CLUSTER': {
          const row = listRow(r, w);
          const clusterStatus = row.attributes.status;
          const nodes = r.nodes.map((node) => {
            const t = totals({ ...r, price: node.price }, w);
            return {
              attributes: {
                id: node.uuid,
                infrahub_id: n(node.infrahubId),
                resource_name: node.name,
                status: clusterStatus,
                contract_id: null,
              },
              metrics: { incurred_bill: n(t.incurred), price_per_hour: n(node.price), usage_time: n(t.usageHours) },
            };
          });
          return ok(envelope(key, { ...row, nodes }, message));
        }
        case 'VOLUME':
        case 'SNAPSHOT':
        case 'FINE_TUNING':
          return ok(
            envelope(
              key,
              {
                org_id: n(data.orgId),
                total_count: n(1),
                billing_history: [
                  {
                    attributes: {
                      ...detailsAttributes(r),
                      subresource_type: r.subresourceType,
                      subresource_amount: n(r.subresourceAmount ?? 0),
                    },
                    metrics: detailsMetrics(r, w, false),
                  },
                ],
              },
              message,
            ),
          );
        default:
          return ok(
            envelope(
              key,
              {
                org_id: n(data.orgId),
                total_count: n(1),
                pagination: { page: n(1), pages: n(1), per_page: n(1) },
                billing_history: [{ attributes: tokenAttributes(r, w), metrics: tokenMetrics(r, w) }],
              },
              message,
            ),
          );
      }
    };

  const graph =
    (kind: Exclude<HsKind, 'CONTRACT'>, param: string): Handler =>
    (req) => {
      const w = windowOf(req);
      const r = resourceOf(req, param, kind);
      if (!r) return hyperstackError(404, `Resource ${req.params[param]} not found.`);
      const series = hourlySeries(r, w);
      const seconds = graphSeconds();
      const points = graphPoints(series, seconds);
      const t = totals(r, w);
      const message = 'Biling Details Hourly Cost datapoints Retrieved Successfully.';
      if (kind === 'BUCKET') {
        // Endpoint 22: no envelope, details-style metrics; the point array only with the extension
        // (docs/upstreams/hyperstack.md#s4-5, #s10).
        return ok({
          org_id: n(data.orgId),
          total_count: n(1),
          granularity: n(seconds),
          billing_history: [
            {
              attributes: detailsAttributes(r),
              metrics: {
                ...detailsMetrics(r, w, true),
                ...(ext.incurredBillGraph ? { incurred_bill_graph: points } : {}),
              },
            },
          ],
        });
      }
      if (isToken(kind)) {
        // No granularity field in these models (docs/upstreams/hyperstack.md#s4-9): always hourly.
        return ok(
          envelope(
            KIND_PATHS[kind].graphKey!,
            {
              org_id: n(data.orgId),
              total_count: n(1),
              pagination: { page: n(1), pages: n(1), per_page: n(1) },
              billing_history: [
                {
                  attributes: tokenAttributes(r, w),
                  metrics: {
                    ...tokenMetrics(r, w),
                    ...(ext.incurredBillGraph ? { incurred_bill_graph: graphPoints(series) } : {}),
                  },
                },
              ],
            },
            message,
          ),
        );
      }
      return ok(
        envelope(
          KIND_PATHS[kind].graphKey!,
          {
            org_id: n(data.orgId),
            total_count: n(1),
            granularity: n(seconds),
            billing_history: [
              {
                attributes: detailsAttributes(r),
                metrics: { incurred_bill: n(t.incurred), incurred_bill_graph: points },
              },
            ],
          },
          message,
        ),
      );
    };

  const billingEvents =
    (kind: 'VIRTUAL_MACHINE' | 'VOLUME', param: string): Handler =>
    (req) => {
      const w = windowOf(req);
      const r = resourceOf(req, param, kind);
      // Endpoints 10 and 16 document no 404: an unknown id has no events (docs/upstreams/hyperstack.md#s5).
      const list = r
        ? events(r, w).map((e) => ({
            start: hourStamp(e.startHour),
            event: e.state,
            event_duration: n(e.hours),
            price_per_hour: n(e.rate),
            total_cost: n(BigInt(e.hours) * e.rate),
          }))
        : [];
      return ok(envelope('billing_events_history', list, 'Billing events retrieved successfully.'));
    };

  const subResources = (req: SimRequest) => {
    const w = windowOf(req);
    const r = resourceOf(req, 'vm_id', 'VIRTUAL_MACHINE');
    if (!r) return null;
    const series = hourlySeries(r, w);
    const seconds = graphSeconds();
    const whole = splitSubResources(totals(r, w).incurred);
    const metrics: Record<string, unknown> = {};
    for (const sub of SUB_RESOURCES) {
      metrics[`${sub}_incurred_bill`] = n(whole[sub]);
      // Split per hour first, then aggregate: a daily point is the sum of that day's hourly points.
      metrics[`${sub}_incurred_bill_graph`] = graphPoints(
        series.map(([h, v]) => [h, splitSubResources(v)[sub]] as [number, bigint]),
        seconds,
      );
    }
    return {
      org_id: n(data.orgId),
      total_count: n(1),
      granularity: n(seconds),
      billing_history: [{ attributes: detailsAttributes(r), metrics }],
    };
  };

  const orgTotals = (w: HourWindow) => {
    let all = 0n;
    let nd = 0n;
    const by: Partial<Record<HsKind, bigint>> = {};
    for (const r of data.resources) {
      const t = totals(r, w);
      all += t.incurred;
      nd += t.nonDiscounted;
      by[r.kind] = (by[r.kind] ?? 0n) + t.incurred;
    }
    return { all, nd, by };
  };

  const handlers: Record<HyperstackRoute, Handler> = {
    get_user_billing_history: (req) => {
      const w = windowOf(req);
      const withGraph = flag(req, 'graph');
      const t = orgTotals(w);
      const metrics: Record<string, unknown> = {
        incurred_bill: n(t.all),
        non_discounted_bill: n(t.nd),
        vm_cost: n(t.by.VIRTUAL_MACHINE ?? 0n),
        volume_cost: n(t.by.VOLUME ?? 0n),
        contract_cost: n(t.by.CONTRACT ?? 0n),
        snapshot_cost: n(t.by.SNAPSHOT ?? 0n),
      };
      if (withGraph && ext.incurredBillGraph) {
        // Extension (docs/upstreams/hyperstack.md#s10): the model has no point array.
        // Proposed (docs/upstreams/hyperstack.md#s4-10): daily points (UTC days) of the org's incurred bill.
        const days = new Map<number, bigint>();
        for (const r of data.resources)
          for (const [h, v] of hourlySeries(r, w))
            days.set(Math.floor(h / 24), (days.get(Math.floor(h / 24)) ?? 0n) + v);
        metrics.incurred_bill_graph = [...days.entries()]
          .sort(([a], [b]) => a - b)
          .map(([d, v]) => ({ datetime: `${hourStamp(d * 24)}Z`, value: n(v) }));
      }
      return ok(
        envelope(
          'billing_history',
          {
            org_id: n(data.orgId),
            total_count: n(1),
            billing_history: [{ attributes: { id: String(data.orgId) }, metrics }],
          },
          'Billing history retrieved successfully.',
        ),
      );
    },
    get_usage: (req) => {
      const deleted = flag(req, 'deleted');
      const env = req.query.environment;
      const rows = data.resources
        .filter((r) => USAGE_TYPES[r.kind] && (r.terminatedHour !== null && r.terminatedHour <= nowHour) === deleted)
        .filter((r) => !env || r.environment.name === env || String(r.environment.id) === env)
        .map((r) => {
          const life = totals(r, hourWindow(r.createdHour * HOUR_MS, now, now));
          const end = r.terminatedHour !== null ? Math.min(r.terminatedHour, nowHour + 1) : null;
          const upMinutes = Math.max(
            0,
            Math.round(((end === null ? now : end * HOUR_MS) - r.createdHour * HOUR_MS) / 60_000),
          );
          return {
            resource_id: n(r.infrahubId),
            resource_type: USAGE_TYPES[r.kind],
            name: r.name,
            organization_id: n(data.orgId),
            // price / 60 is not a finite decimal: printed to 20 places, truncated.
            bill_per_minute: end === null ? n(r.price / 60n) : null,
            create_time: `${hourStamp(r.createdHour)}Z`,
            terminate_time: end === null ? null : `${hourStamp(end)}Z`,
            total_up_time: n(upMinutes),
            total_bill: n(life.incurred),
            active: end === null,
            exclude_billing: r.excludeBilling,
          };
        });
      return ok(envelope('data', rows, 'Successful'));
    },
    get_last_day_cost: () => {
      const x = expected.lastDay();
      return ok(
        envelope(
          'data',
          {
            instances_cost: new Num(x.instances_cost),
            volumes_cost: new Num(x.volumes_cost),
            clusters_cost: new Num(x.clusters_cost),
            total_cost: new Num(x.total_cost),
          },
          'Last day cost retrieved successfully.',
        ),
      );
    },
    list_org_notification_thresholds: () =>
      ok(
        envelope(
          'thresholds',
          data.thresholds.map((t) => ({ ...t, id: n(t.id), threshold: n(t.threshold) })),
          'Thresholds retrieved successfully.',
        ),
      ),
    get_notification_threshold: (req) => {
      const raw = req.params.threshold_id ?? '';
      if (!/^\d{1,9}$/.test(raw)) throw new BadRequest(`threshold_id must be an integer, got "${raw}".`);
      const body = req.json as Record<string, unknown> | undefined;
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw new BadRequest('Body must be a JSON object such as {"subscribe": true}.');
      if (typeof body.subscribe !== 'boolean') throw new BadRequest('"subscribe" is required and must be a boolean.');
      const t = data.thresholds.find((x) => x.id === Number(raw));
      if (!t) return hyperstackError(404, `Threshold ${raw} not found.`);
      t.subscribed = body.subscribe;
      return ok(
        envelope(
          'threshold',
          { ...t, id: n(t.id), threshold: n(t.threshold) },
          t.subscribed ? 'Subscribed to threshold.' : 'Unsubscribed from threshold.',
        ),
      );
    },
    list_billing_contract_history: contracts,
    get_vm_billing_history: list('VIRTUAL_MACHINE'),
    get_vm_billing_details: details('VIRTUAL_MACHINE', 'vm_id'),
    get_vm_billing_graph: graph('VIRTUAL_MACHINE', 'vm_id'),
    get_vm_billing_events: billingEvents('VIRTUAL_MACHINE', 'vm_id'),
    get_vm_sub_resource_costs: (req) => {
      const body = subResources(req);
      return body ? ok(body) : hyperstackError(404, `Virtual machine ${req.params.vm_id} not found.`);
    },
    get_vm_sub_resource_graph: (req) => {
      const body = subResources(req);
      return body
        ? ok(envelope('sub_resources_costs', body, 'Sub-resource costs retrieved successfully.'))
        : hyperstackError(404, `Virtual machine ${req.params.vm_id} not found.`);
    },
    get_volume_billing_history: list('VOLUME'),
    get_volume_billing_details: details('VOLUME', 'volume_id'),
    get_volume_billing_history_graph: graph('VOLUME', 'volume_id'),
    get_volume_billing_events: billingEvents('VOLUME', 'volume_id'),
    list_snapshot_billing_history: list('SNAPSHOT'),
    get_snapshot_billing_history: details('SNAPSHOT', 'snapshot_id'),
    get_snapshot_billing_history_graph: graph('SNAPSHOT', 'snapshot_id'),
    list_bucket_billing_history: list('BUCKET'),
    get_bucket_billing_history: details('BUCKET', 'bucket_id'),
    buckets_billing_history_hourly_chart: graph('BUCKET', 'bucket_id'),
    list_clusters_billing_history: list('CLUSTER'),
    get_cluster_billing_history: details('CLUSTER', 'cluster_id'),
    get_cluster_billing_history_graph: graph('CLUSTER', 'cluster_id'),
    get_fine_tuning_billing_history: list('FINE_TUNING'),
    get_resource_fine_tuning_billing_history: details('FINE_TUNING', 'resource_id'),
    get_fine_tuning_billing_history_graph: graph('FINE_TUNING', 'resource_id'),
    get_model_evaluation_billing_history: list('MODEL_EVALUATION'),
    get_resource_model_evaluation_billing_history: details('MODEL_EVALUATION', 'resource_id'),
    get_model_evaluation_billing_history_graph: graph('MODEL_EVALUATION', 'resource_id'),
    list_serverless_inference_billing_history: list('SERVERLESS_INFERENCE'),
    get_serverless_inferences_billing_history: details('SERVERLESS_INFERENCE', 'resource_id'),
    get_serverless_inference_billing_history_graph: graph('SERVERLESS_INFERENCE', 'resource_id'),
    get_data_synthesis_billing_history: list('DATA_SYNTHESIS'),
    get_data_synthesis_history_for_resource: details('DATA_SYNTHESIS', 'resource_id'),
    get_data_synthesis_billing_history_graph: graph('DATA_SYNTHESIS', 'resource_id'),
  };

  /** Auth first (401 missing/unknown key, 403 key without billing), then the handler; BadRequest → 400. */
  const guarded =
    (handler: Handler): Handler =>
    async (req) => {
      const key = req.headers.api_key;
      if (!key) return hyperstackError(401, 'Missing api_key header.');
      if (key === HYPERSTACK_SIM_FORBIDDEN_KEY)
        return hyperstackError(403, 'You do not have permission to access billing.');
      if (key !== HYPERSTACK_SIM_KEY) return hyperstackError(401, 'Invalid api_key.');
      try {
        return await handler(req);
      } catch (error) {
        if (error instanceof BadRequest) return hyperstackError(400, error.message);
        throw error;
      }
    };

  const routes: RouteDef[] = HYPERSTACK_ROUTE_NAMES.flatMap((name) => {
    const [method, path] = HYPERSTACK_ROUTES[name].split(' ') as [string, string];
    const handler = guarded(handlers[name]);
    // Served under /v1 (docs/upstreams/hyperstack.md#s1); at the root too only with the extension, logged under the same name.
    return [`${HYPERSTACK_BASE_PATH}${P}${path}`, ...(withoutV1 ? [`${P}${path}`] : [])].map((full) => ({
      name,
      method,
      path: full,
      handler,
    }));
  });

  const toWindow = (startIso: string, endIso: string) => hourWindow(Date.parse(startIso), Date.parse(endIso), now);
  const get = (id: number) => {
    const r = byId.get(id);
    if (!r) throw new Error(`No resource ${id} in the seeded world.`);
    return r;
  };
  const expected: HyperstackExpected = {
    totals: (id, s, e) => ({ ...totals(get(id), toWindow(s, e)), resource: get(id) }),
    incurredBill: (id, s, e) => money(totals(get(id), toWindow(s, e)).incurred),
    hourly: (id, s, e) => hourlySeries(get(id), toWindow(s, e)).map(([h, v]) => [`${hourStamp(h)}Z`, money(v)]),
    listed: (kind, s, e) => data.resources.filter((r) => r.kind === kind && overlaps(r, toWindow(s, e))),
    org: (s, e) => {
      const t = orgTotals(toWindow(s, e));
      return {
        incurred_bill: money(t.all),
        non_discounted_bill: money(t.nd),
        vm_cost: money(t.by.VIRTUAL_MACHINE ?? 0n),
        volume_cost: money(t.by.VOLUME ?? 0n),
        contract_cost: money(t.by.CONTRACT ?? 0n),
        snapshot_cost: money(t.by.SNAPSHOT ?? 0n),
      };
    },
    lastDay: () => {
      const day = Math.floor(now / 86_400_000) - 1;
      const w = { from: day * 24, to: day * 24 + 24 };
      const sum = (kind: HsKind) =>
        data.resources.filter((r) => r.kind === kind).reduce((s, r) => s + totals(r, w).incurred, 0n);
      const [i, v, c] = [sum('VIRTUAL_MACHINE'), sum('VOLUME'), sum('CLUSTER')];
      return {
        instances_cost: money(i),
        volumes_cost: money(v),
        clusters_cost: money(c),
        total_cost: money(i + v + c),
      };
    },
    subResources: (id, s, e) =>
      Object.fromEntries(
        Object.entries(splitSubResources(totals(get(id), toWindow(s, e)).incurred)).map(([k, v]) => [k, money(v)]),
      ),
    money,
  };

  const handle = await startSimulator({
    routes,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.latencyMs !== undefined ? { latencyMs: opts.latencyMs } : {}),
    errorResponse: hyperstackError,
  });
  const setQuirks = (next: HyperstackQuirks) => {
    quirks = { ...next };
  };
  const setExtensions = (next: HyperstackExtensions) => {
    if ((next.routesWithoutV1 === true) !== withoutV1)
      throw new Error('routesWithoutV1 is fixed when the Hyperstack simulator starts.');
    ext = { ...next };
  };
  const sim = Object.assign(handle, {
    data,
    now,
    expected,
    setQuirks,
    setExtensions,
    baseUrl: `${handle.url}${HYPERSTACK_BASE_PATH}`,
  });
  return Object.defineProperty(sim, 'extensions', { get: () => ({ ...ext }), enumerable: true }) as typeof sim & {
    readonly extensions: Readonly<HyperstackExtensions>;
  };
}
