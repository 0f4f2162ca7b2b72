import type { Config } from './config.js';
import { BadUserInputError, ErrorCode, GatewayError, NotFoundError } from './errors.js';
import { isAtLeast, splitWindow } from './lib/buckets.js';
import { validateWindow, type TimeWindowInput, type Window } from './lib/timeWindow.js';
import type { Granularity, SourceModel } from './models.js';
import { currencyBook, type CurrencyBook, type CurrencySetting } from './lib/rates.js';
import { splitAtChanges, withPriceChanges } from './providers/pricedApi.js';
import type { BucketedWindow, ProviderModule, SourceApi, SourceRuntime } from './providers/types.js';
import type { RequestScope } from './requestScope.js';
import { PartialErrors } from './schema/partialErrors.js';
import { LOCAL_TENANT, type Tenant } from './security/tenantAuth.js';
import type { SourceLedger } from './ledger/gatewayLedger.js';
import { ledgerReportOf, type LedgerReport, type SourceFreshness } from './ledger/ledgerApi.js';

/** A configured source as the gateway holds it for its whole life. */
export interface GatewaySource {
  readonly runtime: SourceRuntime;
  readonly module: ProviderModule;
  /** The usage ledger under the source's API (docs/ledger.md); absent without one. */
  readonly ledger?: SourceLedger;
}

export interface Context {
  readonly limits: Config['limits'];
  /** The request's id and upstream-call count, shared with every source API of this request. */
  readonly scope: RequestScope;
  /** Who is calling; the local tenant when the gateway runs without tenants. */
  readonly tenant: Tenant;
  /** The sources this tenant may see, in config order; every other source behaves as if it were not configured. */
  readonly sources: readonly SourceModel[];
  /** The per-request API (and loaders) of a source, over the ledger when there is one; created on first use. */
  api(source: SourceModel | string): SourceApi;
  /** Per source id asked so far, how many buckets came from the ledger and how many from the upstream. */
  readonly freshness: ReadonlyMap<string, SourceFreshness>;
  /** When `billgraph sync` last wrote the source into the ledger (RFC 3339); null when never or without a ledger. */
  lastSynced(sourceId: string): Promise<string | null>;
  /**
   * The ledger's reader of the source's whole report (the buckets `billgraph sync` read whole),
   * null without a ledger or when a price change falls inside a bucket (then the source's API
   * answers it in pieces). Call api(source) first.
   */
  ledgerReport(sourceId: string): LedgerReport | null;
  /** The config's `currencies` with the virtual currencies of the sources' providers (docs/pricing.md); built on first use. */
  currencies(): CurrencyBook;
  /** Validates a TimeWindow argument; the same argument value is validated once per request. */
  window(input: TimeWindowInput, argument?: string): Window;
  /**
   * Whether `source` no longer revises a bucket ending at `endMs` (epoch ms): its provider's
   * finality rule (ConsumptionPoint.isFinal's) at the request's start on the calendar clock.
   */
  readonly isFinalBucket: (source: SourceModel, endMs: number) => boolean;
  /** A validated window split into buckets the source's provider can answer. */
  bucketed(source: SourceModel, input: TimeWindowInput, granularity: Granularity, argument?: string): BucketedWindow;
  /**
   * The operation's estimated cost (docs/limits.md), set by the cost limit plugin before anything
   * executes; null until then (and for requests that never reach execution).
   */
  cost: number | null;
  /**
   * Counts objects resolved by list fields and the bytes they will add to the answer (estimated);
   * throws QUERY_TOO_COMPLEX once past limits.maxObjectsPerRequest or limits.maxAnswerBytes.
   */
  countObjects(count: number, bytes?: number): void;
  /** Throws QUERY_TOO_COMPLEX once the request has resolved more objects or bytes than it may. */
  checkObjects(): void;
  /**
   * The parts of this answer that a source could not give (a listing or report answered without
   * one source); each becomes a top-level error with its path, whatever the client selected.
   */
  readonly partial: PartialErrors;
  /**
   * Whether the request has run past its deadline (scope.deadline), recording the cut when it
   * has: building an answer spends the same deadline as waiting for upstreams, so a query that
   * keeps the CPU busy is stopped like a slow source.
   */
  pastDeadline(): boolean;
  /**
   * The errors that cut the request short (object or byte ceiling, deadline), each once, in the
   * order they happened; empty while none has. A method, not a getter: Apollo Server copies the
   * context with Object.assign, which would freeze a getter's value at the copy.
   */
  cutShort(): readonly GatewayError[];
}

/**
 * The error of a request cut short (object or byte ceiling, deadline). Its empty path makes
 * graphql-js's locatedError reuse this one instance for every non-null field it stops, instead of
 * building a located copy per field: those copies were a third of the CPU a cut four-level cycle
 * took. The answer reports it once, without a path (ceilingPlugin).
 */
class RequestCutError extends GatewayError {
  override readonly path: readonly (string | number)[] = [];
}

/**
 * One context per GraphQL request. Loaders live inside each SourceApi, so two requests never
 * share a cache; window validation and bucketing are memoised per argument value, because a
 * query that asks 50 machines for consumption passes the same window 50 times.
 */
export function createContext(
  sources: ReadonlyMap<string, GatewaySource>,
  limits: Config['limits'],
  scope: RequestScope,
  tenant: Tenant = LOCAL_TENANT,
  currencies: Readonly<Record<string, CurrencySetting>> = {},
): Context {
  const apis = new Map<string, SourceApi>();
  const freshness = new Map<string, SourceFreshness>();
  const reports = new Map<string, LedgerReport>();
  const windows = new Map<string, Window>();
  const bucketings = new Map<string, BucketedWindow>();
  let book: CurrencyBook | undefined;
  let bucketsAsked = 0;
  const visible = (id: string): boolean => tenant.sources === null || tenant.sources.has(id);
  const sourceModels = [...sources.values()].map((s) => s.runtime.source).filter((s) => visible(s.id));

  const sourceOf = (id: string): GatewaySource => {
    const found = visible(id) ? sources.get(id) : undefined;
    if (!found) throw new NotFoundError(`No source "${id}" is configured.`);
    return found;
  };

  const window = (input: TimeWindowInput, argument = 'window'): Window => {
    const key = `${argument}|${input.start}|${input.end}|${input.timeZone ?? 'UTC'}`;
    let validated = windows.get(key);
    if (!validated) {
      validated = validateWindow(input, limits, argument);
      windows.set(key, validated);
    }
    return validated;
  };

  // One error instance per limit and request, thrown by every field it stops: the response
  // reports each once, at the top (ceilingPlugin), not once per field.
  const cuts: GatewayError[] = [];
  const cutError = (message: string): (() => GatewayError) => {
    let error: GatewayError | undefined;
    return () => {
      if (!error) {
        error = new RequestCutError(message, ErrorCode.QUERY_TOO_COMPLEX);
        cuts.push(error);
      }
      return error;
    };
  };
  let objects = 0;
  const objectsSpent = cutError(
    `The answer grew past ${limits.maxObjectsPerRequest} objects, the limit per request (limits.maxObjectsPerRequest); the data already resolved is kept. Ask for fewer or smaller lists, or split the query.`,
  );
  let answerBytes = 0;
  const bytesSpent = cutError(
    `The answer grew past ${limits.maxAnswerBytes} bytes (estimated), the limit per request (limits.maxAnswerBytes); the data already resolved is kept. Select fewer fields of long lists, ask for fewer or smaller lists, or split the query.`,
  );
  // The first ceiling crossed is the one reported: lists already under way keep counting after it.
  let crossed: GatewayError | undefined;
  const checkCeilings = (): void => {
    if (crossed) throw crossed;
    if (objects > limits.maxObjectsPerRequest) throw (crossed = objectsSpent());
    if (answerBytes > limits.maxAnswerBytes) throw (crossed = bytesSpent());
  };
  const deadlinePassed = cutError(
    `The request ran past its deadline of ${limits.requestTimeoutMs} ms (limits.requestTimeoutMs), upstream calls and building the answer together; the data already resolved is kept. Ask for fewer or smaller lists, shorter windows, or split the query.`,
  );

  return {
    limits,
    scope,
    tenant,
    sources: sourceModels,
    freshness,
    ledgerReport: (id) => reports.get(id) ?? null,
    lastSynced: async (id) => (await sources.get(id)?.ledger?.lastSynced()) ?? null,
    cost: null,
    partial: new PartialErrors(),
    cutShort: () => cuts,
    countObjects(count, bytes = 0) {
      objects += count;
      answerBytes += bytes;
      checkCeilings();
    },
    checkObjects: checkCeilings,
    pastDeadline() {
      if (Date.now() <= scope.deadline) return false;
      deadlinePassed();
      return true;
    },
    api(source) {
      const id = typeof source === 'string' ? source : source.id;
      let api = apis.get(id);
      if (!api) {
        const { runtime, ledger } = sourceOf(id);
        api = runtime.createApi(scope);
        if (ledger) {
          const counts: SourceFreshness = { fromLedger: 0, live: 0 };
          freshness.set(id, counts);
          api = ledger.backed(api, counts);
          const report = ledgerReportOf(api);
          const { prices } = runtime.config;
          if (report)
            reports.set(id, (w, level) =>
              splitAtChanges(w, prices) ? Promise.resolve({ head: 0, points: [] }) : report(w, level),
            );
        }
        // The ledger under the price-change wrapper: pieces of a bucket are what the ledger keeps.
        api = withPriceChanges(api, runtime.config.prices);
        apis.set(id, api);
      }
      return api;
    },
    currencies: () =>
      (book ??= currencyBook(
        currencies,
        [...sources.values()].flatMap((s) => s.module.virtualCurrencies ?? []),
      )),
    window,
    isFinalBucket: (source, endMs) => sourceOf(source.id).module.isFinalBucket(endMs, scope.startedAt),
    bucketed(source, input, granularity, argument = 'window') {
      const { module } = sourceOf(source.id);
      if (!isAtLeast(granularity, module.finestGranularity)) {
        throw new BadUserInputError(
          `Argument "granularity" ${granularity} is finer than ${module.displayName} reports; use ${module.finestGranularity} or coarser for source "${source.id}".`,
          'granularity',
        );
      }
      const validated = window(input, argument);
      const key = `${validated.startMs}|${validated.endMs}|${validated.timeZone}|${granularity}`;
      let result = bucketings.get(key);
      if (!result) {
        result = { window: validated, granularity, buckets: splitWindow(validated, granularity, limits, argument) };
        // Every distinct bucketing costs upstream calls per account and bucket: cap the sum per request.
        bucketsAsked += result.buckets.length;
        if (bucketsAsked > limits.maxBucketsPerRequest) {
          throw new GatewayError(
            `The query asks for ${bucketsAsked} time buckets; the limit is ${limits.maxBucketsPerRequest} per request. Use a coarser granularity, a shorter window or fewer distinct windows.`,
            ErrorCode.QUERY_TOO_COMPLEX,
          );
        }
        bucketings.set(key, result);
      }
      return result;
    },
  };
}
