/**
 * The FOCUS export's rows (docs/focus.md): every account of every source in scope over a window,
 * one row per account, bucket and metric, read the way reports read them — the ledger's final
 * buckets first, the upstream for the rest (src/ledger/ledgerApi.ts) — and streamed: a chunk of
 * buckets of one source at a time, each in a request context of its own (its own call budget and
 * deadline), so a year of hours never sits in memory and a consumer that stops pulling stops the work.
 */
import type { Config } from '../../config.js';
import { createContext, type GatewaySource } from '../../context.js';
import { isGatewayError } from '../../errors.js';
import { isAtLeast } from '../../lib/buckets.js';
import { logger } from '../../logger.js';
import { DAY_MS } from '../../lib/durations.js';
import { formatDateTime } from '../../lib/dateTime.js';
import { currencyBook, type CurrencyBook } from '../../lib/rates.js';
import type { AccountModel } from '../../models.js';
import { createRequestScope } from '../../requestScope.js';
import type { Tenant } from '../../security/tenantAuth.js';
import { FOCUS_COLUMNS, FOCUS_VERSIONS, columnsOf, type FocusRow, type FocusVersion } from './focusColumns.js';
import { focusRowOf, isRefusal, type BillingCurrencyOf, type FocusSourceInfo } from './focusRow.js';

export const FOCUS_GRANULARITIES = ['HOUR', 'DAY', 'MONTH'] as const;
export type FocusGranularity = (typeof FOCUS_GRANULARITIES)[number];
export const FOCUS_FORMATS = ['csv', 'jsonl'] as const;
export type FocusFormat = (typeof FOCUS_FORMATS)[number];

/** What to export; parsed and checked by focusRequest.ts. */
export interface FocusExportRequest {
  readonly startMs: number;
  readonly endMs: number;
  readonly granularity: FocusGranularity;
  readonly format: FocusFormat;
  readonly version: FocusVersion;
  /** Source ids asked; null: every source the caller may see. */
  readonly sources: readonly string[] | null;
  /** Rows in a virtual currency without a rate into a national one: refuse the export, or leave them out and count them. */
  readonly virtual: 'refuse' | 'skip';
  /** Rows with a quantity but no cost (no price configured): refuse the export, or leave them out and count them. */
  readonly unpriced: 'refuse' | 'skip';
}

export interface FocusExportDeps {
  readonly sources: ReadonlyMap<string, GatewaySource>;
  readonly limits: Config['limits'];
  readonly currencies: Config['currencies'];
  readonly tenant: Tenant;
  readonly now: () => number;
}

/** An export that cannot be written as asked: the message says what to change. */
export class FocusExportError extends Error {
  constructor(
    message: string,
    /**
     * 'request': the parameters or the configuration (HTTP 400); 'refused': a row FOCUS cannot hold
     * (no cost, no rate; HTTP 422); 'source': a source failed (HTTP 502). After the first row is
     * written the export can only be cut.
     */
    readonly stage: 'request' | 'refused' | 'source',
  ) {
    super(message);
    this.name = 'FocusExportError';
  }
}

/** How far an export got; read by the progress bar, the trailer and the bench. */
export interface FocusExportStats {
  rows: number;
  sourcesDone: number;
  readonly sourcesTotal: number;
  bucketsDone: number;
  readonly bucketsTotal: number;
  upstreamCalls: number;
  /** Rows left out (virtual=skip, unpriced=skip), per "source/currency" or "source/metric". */
  readonly skipped: Map<string, number>;
}

/** One source's part of the plan. */
interface PlannedSource {
  readonly gateway: GatewaySource;
  readonly info: FocusSourceInfo;
  /** Where its buckets stop being final (null: all are): the rows after it may still change. */
  readonly notFinalFromMs: number | null;
}

export interface FocusExportPlan {
  readonly request: FocusExportRequest;
  readonly columns: readonly string[];
  readonly sources: readonly PlannedSource[];
  readonly chunks: readonly { readonly startMs: number; readonly endMs: number }[];
  readonly stats: FocusExportStats;
  /** Per source id, the range of the export whose buckets are not final yet (for a header and the trailer). */
  readonly notFinal: ReadonlyMap<string, { readonly from: string; readonly to: string }>;
  /** The currencies (virtual or not, dated rates) every row is priced with, and each virtual one's billing currency. */
  readonly book: CurrencyBook;
  readonly billingOf: BillingCurrencyOf;
}

const addMonths = (ms: number, n: number): number => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
};

/** The bucket edges of [startMs, endMs) at a granularity, in UTC. */
function bucketEdges(startMs: number, endMs: number, granularity: FocusGranularity): number[] {
  const edges: number[] = [];
  for (let t = startMs; t < endMs;) {
    edges.push(t);
    t = granularity === 'HOUR' ? t + 3_600_000 : granularity === 'DAY' ? t + DAY_MS : addMonths(t, 1);
  }
  return edges;
}

/** Buckets per chunk: a UTC day of hours (Hyperstack answers at most 72 hours a call), a month of days, one month. */
const CHUNK_BUCKETS: Record<FocusGranularity, number> = { HOUR: 24, DAY: 31, MONTH: 1 };

/** The national currency a virtual one is billed in: the target of its first configured rate. */
export function billingCurrencyOf(currencies: Config['currencies'], book: CurrencyBook): BillingCurrencyOf {
  return (code) => currencies[code]?.rates.map((r) => r.to).find((to) => !book.isVirtual(to)) ?? null;
}

/**
 * Checks the request against the configuration and the caller's sources, and plans it: every
 * refusal it can know before a row is written (an unknown source, a virtual currency without a
 * rate) is a 'request' error here, so an HTTP answer can still be a 400.
 */
export function planFocusExport(request: FocusExportRequest, deps: FocusExportDeps): FocusExportPlan {
  if (!FOCUS_VERSIONS.includes(request.version))
    throw new FocusExportError(`version must be one of ${FOCUS_VERSIONS.join(', ')}.`, 'request');
  const visible = [...deps.sources.values()].filter(
    (s) => deps.tenant.sources === null || deps.tenant.sources.has(s.runtime.source.id),
  );
  const ids = request.sources ?? visible.map((s) => s.runtime.source.id);
  const unknown = ids.filter((id) => !visible.some((s) => s.runtime.source.id === id));
  if (unknown.length > 0)
    throw new FocusExportError(
      `sources names ${unknown.map((id) => `"${id}"`).join(', ')}, which ${unknown.length === 1 ? 'is' : 'are'} not a source you can export; the sources are ${visible.map((s) => s.runtime.source.id).join(', ') || '(none)'}.`,
      'request',
    );
  const book = currencyBook(
    deps.currencies,
    visible.flatMap((s) => s.module.virtualCurrencies ?? []),
  );
  const billingOf = billingCurrencyOf(deps.currencies, book);
  const now = deps.now();
  const edges = bucketEdges(request.startMs, request.endMs, request.granularity);
  const planned: PlannedSource[] = [];
  const notFinal = new Map<string, { from: string; to: string }>();
  for (const id of ids) {
    const gateway = visible.find((s) => s.runtime.source.id === id)!;
    const { module, runtime } = gateway;
    if (!isAtLeast(request.granularity, module.finestGranularity))
      throw new FocusExportError(
        `Source "${id}" reports ${module.finestGranularity} buckets at the finest, so it cannot be exported by ${request.granularity}: use granularity=${module.finestGranularity} or coarser, or leave it out with sources=.`,
        'request',
      );
    if (request.virtual === 'refuse')
      for (const code of module.virtualCurrencies ?? [])
        if (!billingOf(code))
          throw new FocusExportError(
            `Source "${id}" states costs in ${code}, a virtual currency, and FOCUS bills only national currencies: configure a rate such as currencies: { "${code}": { "rates": [{ "rate": "0.001", "to": "USD", "from": "2026-01-01" }] } } (docs/pricing.md), or pass virtual=skip to leave its rows out (the export then says how many).`,
            'request',
          );
    const ends = edges.map((e, i) => edges[i + 1] ?? request.endMs);
    const firstOpen = ends.findIndex((end) => !module.isFinalBucket(end, now));
    const notFinalFromMs = firstOpen === -1 ? null : edges[firstOpen]!;
    if (notFinalFromMs !== null)
      notFinal.set(id, { from: formatDateTime(notFinalFromMs), to: formatDateTime(request.endMs) });
    planned.push({
      gateway,
      notFinalFromMs,
      info: {
        source: runtime.source,
        providerName: module.displayName,
        service: module.focus ?? {
          serviceCategory: 'Other',
          serviceSubcategory: 'Other (Other)',
          serviceName: module.displayName,
        },
        prices: runtime.config.prices,
        virtualBilling: runtime.config.focus?.virtualBilling ?? 'prepaid',
      },
    });
  }
  const chunkSize = CHUNK_BUCKETS[request.granularity];
  const chunks: { startMs: number; endMs: number }[] = [];
  for (let i = 0; i < edges.length; i += chunkSize)
    chunks.push({ startMs: edges[i]!, endMs: edges[i + chunkSize] ?? request.endMs });
  return {
    request,
    columns: columnsOf(request.version),
    sources: planned,
    chunks,
    notFinal,
    book,
    billingOf,
    stats: {
      rows: 0,
      sourcesDone: 0,
      sourcesTotal: planned.length,
      bucketsDone: 0,
      bucketsTotal: edges.length * planned.length,
      upstreamCalls: 0,
      skipped: new Map(),
    },
  };
}

/** What a failure may say to the caller: billgraph's own messages (GatewayError), never another error's text. */
function describe(error: unknown): string {
  if (isGatewayError(error)) return error.message;
  logger.error('focus export: unexpected error', { error });
  return 'Unexpected error.';
}

/**
 * The plan's rows, source after source, chunk after chunk; stats are kept current. Throws a
 * FocusExportError ('source') when a source fails or a row must be refused, after the rows before it.
 */
export async function* focusRows(plan: FocusExportPlan, deps: FocusExportDeps): AsyncGenerator<FocusRow> {
  const { request, stats } = plan;
  // A version with fewer columns (1.2) writes each row without the others.
  const project =
    plan.columns.length === FOCUS_COLUMNS.length
      ? (row: FocusRow): FocusRow => row
      : (row: FocusRow): FocusRow => Object.fromEntries(plan.columns.map((c) => [c, row[c] ?? null]));
  for (const planned of plan.sources) {
    const { source } = planned.info;
    let accounts: AccountModel[] | null = null;
    for (const chunk of plan.chunks) {
      // One request's worth of work: its own scope, call budget and deadline, as one GraphQL request.
      const scope = createRequestScope({
        now: deps.now,
        requestId: `focus-export-${source.id}-${chunk.startMs}`,
        timeoutMs: deps.limits.requestTimeoutMs,
        maxUpstreamCalls: deps.limits.maxUpstreamCallsPerRequest,
        tenant: deps.tenant.name,
      });
      const ctx = createContext(deps.sources, deps.limits, scope, deps.tenant, deps.currencies);
      const api = ctx.api(source.id);
      let perAccount;
      try {
        accounts ??= await api.listAccounts();
        const window = ctx.bucketed(
          source,
          { start: formatDateTime(chunk.startMs), end: formatDateTime(chunk.endMs), timeZone: 'UTC' },
          request.granularity,
        );
        perAccount = await Promise.all(accounts.map((a) => api.accountConsumption(a, window)));
        stats.bucketsDone += window.buckets.length;
      } catch (error) {
        throw new FocusExportError(
          `Source "${source.id}" could not give ${formatDateTime(chunk.startMs)} → ${formatDateTime(chunk.endMs)}: ${describe(error)} The rows before it were written; export again when the source is back, or leave it out with sources=.`,
          'source',
        );
      } finally {
        stats.upstreamCalls += scope.upstreamCalls;
      }
      for (let i = 0; i < accounts.length; i++) {
        const account = accounts[i]!;
        for (const point of perAccount[i]!) {
          const row = focusRowOf(planned.info, account, point, plan.book, plan.billingOf);
          if (isRefusal(row)) {
            const policy = row.kind === 'noRate' ? request.virtual : request.unpriced;
            if (policy === 'refuse')
              throw new FocusExportError(
                row.kind === 'noRate'
                  ? `Source "${source.id}" states a cost in ${row.currency} at ${point.start}, and no configured rate converts ${row.currency} into a national currency over that bucket: configure currencies.${row.currency}.rates (docs/pricing.md), or pass virtual=skip to leave such rows out.`
                  : `Source "${source.id}" reports ${row.metric} (${row.unit}) without a cost at ${point.start}, and FOCUS needs one on every row: price it in sources[].prices (docs/pricing.md), or pass unpriced=skip to leave such rows out.`,
                'refused',
              );
            const key = `${source.id}/${row.kind === 'noRate' ? row.currency : row.metric}`;
            stats.skipped.set(key, (stats.skipped.get(key) ?? 0) + 1);
            continue;
          }
          stats.rows++;
          yield project(row);
        }
      }
    }
    stats.sourcesDone++;
  }
}
