import { parseJsonLossless } from '../../lib/parseJsonLossless.js';
import { z } from 'zod';
import { UpstreamError } from '../../errors.js';
import { sumDecimals } from '../../lib/decimal.js';
import { truncate } from '../../lib/ids.js';
import { RestClient, type RestClientOptions, type RestRequest, type RestResponse } from '../http.js';
import type { HsKind } from './kinds.js';
import { answeredOther } from '../answerCheck.js';
import { DEFAULT_GRAPH_SECONDS, parseHsDate } from './mapping.js';
import {
  SUBS,
  eventDto,
  lastDayDto,
  orgHistoryDto,
  pageDto,
  rowDto,
  subPageDto,
  thresholdDto,
  usageDto,
  type EventDto,
  type HsWindow,
  type LastDayDto,
  type ListPage,
  type OrgHistoryDto,
  type PointDto,
  type RowDto,
  type SubResourceRowDto,
  type ThresholdDto,
  type UsageDto,
} from './dto.js';

// The answers' shapes live in dto.ts; their types are still imported from here by the provider's other modules.
export type {
  EventDto,
  HsWindow,
  LastDayDto,
  ListPage,
  OrgHistoryDto,
  PointDto,
  RowDto,
  SubResourceName,
  SubResourceRowDto,
  ThresholdDto,
  UsageDto,
} from './dto.js';

const P = '/billing/billing';

/** Where each kind lives and under which payload keys (docs/upstreams/hyperstack.md#s3 and #s4-8, quirks kept). Endpoint numbers in this file are those of #s3. */
interface KindRoutes {
  seg: string;
  listKey: string;
  detailsKey: string;
  /** Bucket and cluster details hold one object, not a page. */
  detailsSingle: boolean;
  /** Null = the graph body has no envelope (bucket, endpoint 22). */
  graphKey: string | null;
  /** SDK operation names of the list, details and graph calls (the `operation` in errors and logs). */
  list: string;
  details: string;
  graph: string;
}
type ListedKind = Exclude<HsKind, 'CONTRACT'>;
const route = (
  seg: string,
  listKey: string,
  detailsKey: string,
  graphKey: string | null,
  detailsSingle: boolean,
  [list, details, graph]: [string, string, string],
): KindRoutes => ({
  seg,
  listKey,
  detailsKey,
  graphKey,
  detailsSingle,
  list,
  details,
  graph,
});
export const KIND_ROUTES: Record<ListedKind, KindRoutes> = {
  VIRTUAL_MACHINE: route(
    'virtual-machine',
    'billing_history_vm',
    'billing_history_vm_details',
    'billing_history_vm_details',
    false,
    ['get_vm_billing_history', 'get_vm_billing_details', 'get_vm_billing_graph'],
  ),
  VOLUME: route(
    'volume',
    'billing_history_volume',
    'billing_history_volume_details',
    'billing_history_snapshot_details',
    false,
    ['get_volume_billing_history', 'get_volume_billing_details', 'get_volume_billing_history_graph'],
  ),
  SNAPSHOT: route(
    'snapshot',
    'billing_history_volume',
    'billing_history_volume_details',
    'billing_history_snapshot_details',
    false,
    ['list_snapshot_billing_history', 'get_snapshot_billing_history', 'get_snapshot_billing_history_graph'],
  ),
  BUCKET: route('bucket', 'billing_history_bucket', 'billing_history_bucket_details', null, true, [
    'list_bucket_billing_history',
    'get_bucket_billing_history',
    'buckets_billing_history_hourly_chart',
  ]),
  CLUSTER: route(
    'cluster',
    'billing_history_cluster',
    'billing_history_cluster_details',
    'billing_history_cluster_details',
    true,
    ['list_clusters_billing_history', 'get_cluster_billing_history', 'get_cluster_billing_history_graph'],
  ),
  FINE_TUNING: route(
    'fine_tuning',
    'billing_history_fine_tuning',
    'billing_history_volume_details',
    'billing_history_snapshot_details',
    false,
    [
      'get_fine_tuning_billing_history',
      'get_resource_fine_tuning_billing_history',
      'get_fine_tuning_billing_history_graph',
    ],
  ),
  MODEL_EVALUATION: route(
    'model_evaluation',
    'billing_history_serverless_inference',
    'billing_history_model_evalutation_details',
    'billing_history_model_evalutation_details',
    false,
    [
      'get_model_evaluation_billing_history',
      'get_resource_model_evaluation_billing_history',
      'get_model_evaluation_billing_history_graph',
    ],
  ),
  SERVERLESS_INFERENCE: route(
    'serverless_inference',
    'billing_history_serverless_inference',
    'billing_history_serverless_inference_details',
    'billing_history_serverless_inference_details',
    false,
    [
      'list_serverless_inference_billing_history',
      'get_serverless_inferences_billing_history',
      'get_serverless_inference_billing_history_graph',
    ],
  ),
  DATA_SYNTHESIS: route(
    'data_synthesis',
    'billing_history_serverless_inference',
    'billing_history_data_synthesis_details',
    'billing_history_data_synthesis_details',
    false,
    [
      'get_data_synthesis_billing_history',
      'get_data_synthesis_history_for_resource',
      'get_data_synthesis_billing_history_graph',
    ],
  ),
};

/** Page size for list walks; the simulator clamps at 100 (proposed: docs/upstreams/hyperstack.md#s2). */
export const LIST_PAGE_SIZE = 100;

/**
 * Hyperstack's billing API (its in-flight limit and the retry of its intermittent 500s are
 * settings of the shared policy: see index.ts and docs/resilience.md): `api_key` header, `/billing/billing/…` paths, `YYYY-MM-DDTHH:MM:SS`
 * windows. Every 200 is checked against the models of docs/upstreams/hyperstack.md#s4; a `status`/`success` of false on
 * a 200 is an error (docs/upstreams/hyperstack.md#s5).
 */
export class HyperstackClient extends RestClient {
  constructor(
    options: RestClientOptions,
    private readonly apiKey: string,
  ) {
    super(options);
  }

  protected override async willSendRequest(request: {
    headers: Record<string, string>;
    query: URLSearchParams;
  }): Promise<void> {
    request.headers.api_key = this.apiKey;
  }

  /** Adds the upstream's `error_reason` under our own key; 400 without one is `bad_request` (docs/upstreams/hyperstack.md#s5). */
  protected override errorFromResponse(response: RestResponse, request: RestRequest): UpstreamError {
    const base = super.errorFromResponse(response, request);
    let reason: unknown;
    try {
      reason = (parseJsonLossless(response.text) as { error_reason?: unknown } | null)?.error_reason;
    } catch {
      reason = undefined;
    }
    const upstreamReason =
      typeof reason === 'string' && /^[a-z_]{1,40}$/.test(reason)
        ? reason
        : response.status === 400
          ? 'bad_request'
          : undefined;
    if (!upstreamReason) return base;
    return new UpstreamError(base.message, base.code as never, {
      ...base.detail,
      extra: { upstreamErrorReason: upstreamReason },
    });
  }

  /** GET/PUT, then the envelope check, then the payload under `key` (or the whole body when key is null). */
  private async call<T>(request: RestRequest, key: string | null, schema: z.ZodType<T>): Promise<T> {
    const body = await this.json(request);
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw this.badResponse(request, 'a body that is not a JSON object');
    const record = body as Record<string, unknown>;
    if (record.status === false || record.success === false) {
      throw this.badResponse(request, 'a 200 whose status is false');
    }
    // Without an envelope the rows are the contract: a body lacking them must not read as zero cost.
    if (key === null && !Array.isArray(record.billing_history))
      throw this.badResponse(request, 'a body that does not match its contract (billing_history: a list)', 200);
    return this.conform(request, schema, key === null ? record : record[key], key === null ? {} : { at: key });
  }

  private get(path: string, operation: string, query: Record<string, string | number | undefined> = {}): RestRequest {
    return { method: 'GET', path: `${P}${path}`, query, operation };
  }

  private static windowQuery(window: HsWindow | null): Record<string, string | undefined> {
    return window ? { start_date: window.start, end_date: window.end } : {};
  }

  /** Endpoint 1. */
  async orgHistory(window: HsWindow | null, graph: boolean): Promise<OrgHistoryDto> {
    const query = { ...HyperstackClient.windowQuery(window), ...(graph ? { graph: 'true' } : {}) };
    const request = this.get('/history', 'get_user_billing_history', query);
    const dto = await this.call(request, 'billing_history', orgHistoryDto);
    const metrics = (dto.billing_history ?? []).map((r) => r.metrics);
    this.checkGraph(
      request,
      metrics.flatMap((m) => m.incurred_bill_graph ?? []),
      window,
      null,
    );
    return { orgId: dto.org_id ?? null, metrics };
  }

  /** Endpoint 2. */
  usage(deleted: boolean, environment: string | null): Promise<UsageDto[]> {
    const query = { deleted: deleted ? 'true' : undefined, environment: environment ?? undefined };
    return this.call(this.get('/usage', 'get_usage', query), 'data', z.array(usageDto));
  }

  /** Endpoint 3. */
  lastDayCost(): Promise<LastDayDto> {
    return this.call(this.get('/last-day-cost', 'get_last_day_cost'), 'data', lastDayDto);
  }

  /** Endpoint 4. */
  thresholds(): Promise<ThresholdDto[]> {
    return this.call(this.get('/threshold', 'list_org_notification_thresholds'), 'thresholds', z.array(thresholdDto));
  }

  /** Endpoint 5: the SDK calls it get_notification_threshold, but it is a PUT update. */
  updateThreshold(thresholdId: string, subscribe: boolean): Promise<ThresholdDto> {
    return this.call(
      {
        method: 'PUT',
        path: `${P}/threshold/${encodeURIComponent(thresholdId)}`,
        body: { subscribe },
        operation: 'get_notification_threshold',
      },
      'threshold',
      thresholdDto,
    );
  }

  /**
   * Endpoint 6: documented as "void (empty response body)". A 2xx with an empty body, or with any
   * body not of the proposed shape (docs/upstreams/hyperstack.md#s4-11), is no contracts, never an error;
   * non-2xx statuses are errors as everywhere.
   */
  async contracts(window: HsWindow | null, search: string | null): Promise<RowDto[]> {
    const request = this.get('/history/contract', 'list_billing_contract_history', {
      ...HyperstackClient.windowQuery(window),
      search: search ?? undefined,
    });
    const response = await this.send(request);
    if (response.status < 200 || response.status >= 300) throw this.errorFromResponse(response, request);
    if (response.text.trim() === '') return [];
    let body: unknown;
    try {
      body = parseJsonLossless(response.text);
    } catch {
      return [];
    }
    const payload = (body as Record<string, unknown> | null)?.billing_history_contract;
    const parsed = pageDto.safeParse(payload);
    return parsed.success ? (parsed.data.billing_history ?? []) : [];
  }

  /** Lists 7, 13, 17, 20, 23, 26, 29, 32, 35: one page. */
  async list(
    kind: ListedKind,
    window: HsWindow | null,
    page: number,
    perPage: number,
    search: string | null = null,
  ): Promise<ListPage> {
    const r = KIND_ROUTES[kind];
    const query = { ...HyperstackClient.windowQuery(window), search: search ?? undefined, per_page: perPage, page };
    const dto = await this.call(this.get(`/history/${r.seg}`, r.list, query), r.listKey, pageDto);
    const rows = dto.billing_history ?? [];
    return {
      orgId: dto.org_id ?? null,
      totalCount: dto.total_count !== null && dto.total_count !== undefined ? Number(dto.total_count) : rows.length,
      pages: Number(dto.pagination?.pages ?? 1),
      rows,
    };
  }

  /** Details 8, 14, 18, 21, 24, 27, 30, 33, 36: per-id, normalised to a list of rows (sum over them). */
  async details(kind: ListedKind, id: string, window: HsWindow | null): Promise<RowDto[]> {
    const r = KIND_ROUTES[kind];
    const request = this.get(
      `/history/${r.seg}/${encodeURIComponent(id)}`,
      r.details,
      HyperstackClient.windowQuery(window),
    );
    const rows = r.detailsSingle
      ? [await this.call(request, r.detailsKey, rowDto)]
      : ((await this.call(request, r.detailsKey, pageDto)).billing_history ?? []);
    this.checkRows(request, rows, id);
    return rows;
  }

  /** Graphs 9, 15, 19, 22, 25, 28, 31, 34, 37. */
  async graph(
    kind: ListedKind,
    id: string,
    window: HsWindow | null,
  ): Promise<{ granularity: number | null; rows: RowDto[] }> {
    const r = KIND_ROUTES[kind];
    const request = this.get(
      `/history/${r.seg}/${encodeURIComponent(id)}/graph`,
      r.graph,
      HyperstackClient.windowQuery(window),
    );
    const dto = await this.call(request, r.graphKey, pageDto);
    const granularity = this.granularityOf(request, dto.granularity);
    const rows = dto.billing_history ?? [];
    this.checkRows(request, rows, id);
    this.checkGraph(
      request,
      rows.flatMap((row) => row.metrics.incurred_bill_graph ?? []),
      window,
      granularity,
    );
    return { granularity, rows };
  }

  /**
   * A per-resource answer is about the resource asked for: a row whose `infrahub_id` (the id in
   * the path) is another one (a server ignoring the path's id) would report that resource's cost
   * as this one's. Rows without it are taken as the asked resource's (the SDK makes it optional).
   */
  private checkRows(
    request: RestRequest,
    rows: readonly { attributes: { infrahub_id?: string | null } }[],
    id: string,
  ): void {
    const other = rows.find((row) => (row.attributes.infrahub_id ?? id) !== id);
    if (other)
      throw this.badResponse(request, answeredOther('resource', id, String(other.attributes.infrahub_id)), 200);
  }

  /**
   * Graph points are about the window asked for: every `datetime` must be a date, and each point
   * [datetime, datetime + granularity) must overlap the window (points partly outside are clipped
   * by bucketPoints). A point wholly outside says the server answered another window, whose
   * figures must not be read as zero for this one.
   */
  private checkGraph(
    request: RestRequest,
    points: readonly PointDto[],
    window: HsWindow | null,
    granularitySeconds: number | null,
  ): void {
    const startMs = window ? parseHsDate(window.start) : null;
    const endMs = window ? parseHsDate(window.end) : null;
    const spanMs = (granularitySeconds ?? DEFAULT_GRAPH_SECONDS) * 1000;
    for (const p of points) {
      const at = parseHsDate(p.datetime);
      if (at === null)
        throw this.badResponse(
          request,
          `a graph point whose datetime "${truncate(p.datetime, 40)}" is not a date`,
          200,
        );
      if (startMs !== null && endMs !== null && (at >= endMs || at + spanMs <= startMs))
        throw this.badResponse(request, answeredOther('window', `${window!.start}/${window!.end}`, p.datetime), 200);
    }
  }

  /** A graph's `granularity`: seconds per point (docs/upstreams/hyperstack.md#s4-5: honour it); zero or negative breaks the contract. */
  private granularityOf(request: RestRequest, raw: string | null | undefined): number | null {
    if (raw === null || raw === undefined) return null;
    const seconds = Number(raw);
    if (!Number.isSafeInteger(seconds) || seconds <= 0)
      throw this.badResponse(request, `a graph granularity of ${raw}, not a positive number of seconds`);
    return seconds;
  }

  /** Events 10 and 16 (no `history/` segment). */
  events(kind: 'VIRTUAL_MACHINE' | 'VOLUME', id: string, window: HsWindow | null): Promise<EventDto[]> {
    const seg = KIND_ROUTES[kind].seg;
    const operation = kind === 'VIRTUAL_MACHINE' ? 'get_vm_billing_events' : 'get_volume_billing_events';
    return this.call(
      this.get(`/${seg}/${encodeURIComponent(id)}/billing-events`, operation, HyperstackClient.windowQuery(window)),
      'billing_events_history',
      z.array(eventDto),
    );
  }

  /** Endpoint 11 (no envelope) or 12 (`sub_resources_costs`): the same model, summed over rows. */
  async subResources(id: string, window: HsWindow | null, graph: boolean): Promise<SubResourceRowDto> {
    const path = `/virtual-machine/${encodeURIComponent(id)}/sub-resource${graph ? '/graph' : ''}`;
    const request = this.get(
      path,
      graph ? 'get_vm_sub_resource_graph' : 'get_vm_sub_resource_costs',
      HyperstackClient.windowQuery(window),
    );
    const dto = await this.call(request, graph ? 'sub_resources_costs' : null, subPageDto);
    const rows = dto.billing_history ?? [];
    const totals = {} as SubResourceRowDto['totals'];
    const graphs = {} as SubResourceRowDto['graphs'];
    for (const s of SUBS) {
      const values = rows
        .map((r) => r.metrics[`${s}_incurred_bill`] as string | null | undefined)
        .filter((v): v is string => typeof v === 'string');
      // One row per VM in practice; several rows are summed exactly.
      totals[s] = values.length === 0 ? null : values.length === 1 ? values[0]! : sumDecimals(values);
      graphs[s] = rows.flatMap((r) => (r.metrics[`${s}_incurred_bill_graph`] as PointDto[] | null | undefined) ?? []);
    }
    const granularity = graph ? this.granularityOf(request, dto.granularity) : null;
    this.checkRows(request, rows, id);
    if (graph) this.checkGraph(request, Object.values(graphs).flat(), window, granularity);
    return { granularity, totals, graphs };
  }
}
