import type { Config, CredentialsValidator, SourceConfig } from '../config.js';
import type { Bucket } from '../lib/buckets.js';
import type { DecodedId } from '../lib/ids.js';
import type { Window } from '../lib/timeWindow.js';
import type { Resolvers } from '../generated/resolvers.js';
import type {
  AccountModel,
  ConsumptionPointModel,
  Granularity,
  NodeModel,
  Provider,
  ResourceModel,
  ResourceType,
  SourceModel,
} from '../models.js';
import type { RequestScope } from '../requestScope.js';
import type { ResilienceStatus } from './resilience.js';
import type { SourceCache } from '../cache/sourceCache.js';
import type { UpstreamTelemetry } from '../observability/upstreamTelemetry.js';

/** A window already split into the buckets the caller asked for. */
export interface BucketedWindow {
  readonly window: Window;
  readonly granularity: Granularity;
  readonly buckets: readonly Bucket[];
}

/**
 * What one source can answer within one request. Built per request from the source's
 * long-lived runtime, so its DataLoaders never outlive the request. These are what the core
 * schema asks every source; optional members are capabilities a provider may lack (the core
 * answers an empty list for those). What only one provider answers (cloudspaces, subscriptions,
 * billing thresholds, …) is a method of its own API class, reached by its own resolvers.
 */
export interface SourceApi {
  listAccounts(): Promise<AccountModel[]>;
  /** Null when the upstream has no such account. */
  getAccount(providerId: string): Promise<AccountModel | null>;
  resources?(account: AccountModel, types: readonly ResourceType[] | null): Promise<ResourceModel[]>;
  accountConsumption(account: AccountModel, window: BucketedWindow): Promise<ConsumptionPointModel[]>;
  resourceConsumption?(resource: ResourceModel, window: BucketedWindow): Promise<ConsumptionPointModel[]>;
  /**
   * The parts of an account the source reports consumption for on their own (usageReport's
   * SUB_ACCOUNT); a source without any answers each account as its own sub-account.
   */
  subAccounts?(account: AccountModel): Promise<SubAccount[]>;
  /** The id (in subAccounts) of the sub-account a resource belongs to; null when it belongs to none. */
  subAccountOf?(resource: ResourceModel): string | null;
  /** Loads any object this source handed an id for; null when it no longer exists. */
  resolveNode(id: DecodedId): Promise<NodeModel | null>;
}

/** A part of an account with its own consumption: e.g. a cloudspace, a subscription. */
export interface SubAccount {
  /** Its Node id. */
  readonly id: string;
  /** Display name, when the upstream has one. */
  readonly name: string | null;
  /** Its consumption: part of its account's, through the same loaders (so usually no extra upstream call). */
  consumption(window: BucketedWindow): Promise<ConsumptionPointModel[]>;
}

/** Long-lived per-source state: the HTTP client and its keep-alive agent. */
export interface SourceRuntime {
  readonly source: SourceModel;
  readonly config: SourceConfig;
  /** The source's API for one request; its upstream calls are counted on `scope`. */
  createApi(scope: RequestScope): SourceApi;
  /** Cheapest authenticated call, for /readyz. */
  ping(): Promise<void>;
  /** The source's breaker, queue and socket state (no upstream call). */
  resilience(): ResilienceStatus;
  close(): Promise<void>;
}

export interface RuntimeDeps {
  readonly limits: Config['limits'];
  /** Milliseconds since epoch; injectable so isFinal can be tested. */
  readonly now: () => number;
  /** This source's namespace of the gateway's cross-request cache; loaders consult it, never the store. */
  readonly cache: SourceCache;
  /** The gateway's upstream metrics; absent when metrics are off (and in tests of one runtime). */
  readonly telemetry?: UpstreamTelemetry;
  /**
   * The source's side of the usage ledger, for writes upstream: `touched` says which account's
   * buckets changed, so no answer from the ledger hides the write. Absent without a ledger.
   */
  readonly ledger?: { touched(accountId: string, startMs: number, endMs: number): Promise<void> };
}

/** Everything billgraph knows about one provider; registry.ts lists them (the one place a provider is declared). */
export interface ProviderModule<P extends Provider = Provider> {
  /** The provider's id: its key in registry.ts, its `Provider` enum value and `sources[].provider` in the config. */
  readonly provider: P;
  /** Human name used in error messages, e.g. "OpenvCloud". */
  readonly displayName: string;
  /** One line: the description of its `Provider` enum value in the schema (written by `npm run codegen`). */
  readonly description: string;
  /** Finest granularity the upstream can answer without inventing numbers; the ledger keeps its rows at it (UTC). */
  readonly finestGranularity: Granularity;
  /**
   * The provider's finality rule (its mapping's isFinalBucket): whether a bucket ending at `endMs`
   * is final at `now`, both in milliseconds since epoch. ConsumptionPoint.isFinal, the cache and
   * the ledger (which keeps final buckets only) all use it.
   */
  readonly isFinalBucket: (endMs: number, now: number) => boolean;
  /**
   * How long the upstream may still restate a bucket after it is final, in hours (late usage,
   * re-rating): each sync re-reads that far back, so the ledger follows corrections.
   */
  readonly restatementHours: number;
  /**
   * True when the upstream answers a coarse window itself and writes its total at the scale of its
   * terms (G8's calculate: "1071.609360"); the ledger's sums then keep the database's scale.
   * Otherwise billgraph sums the finest buckets and drops trailing zeros (src/lib/decimal.ts), and
   * so does the ledger: either way an answer from the ledger is the live one digit for digit.
   * @default false
   */
  readonly upstreamSums?: boolean;
  readonly validateCredentials: CredentialsValidator;
  /** The same demands as JSON Schema, for billgraph.schema.json (its `settings.ts`). */
  readonly settings: ProviderSettings;
  /** Default `cache.ttlSeconds` of its sources: how long a final window's answer is reused, in seconds. */
  readonly cacheTtlSeconds: number;
  /**
   * Default `sources[].maxResponseBytes` of its sources, in bytes: a few times its largest real
   * answer, so a runaway body is refused before it is buffered and parsed (docs/resilience.md).
   */
  readonly maxResponseBytes: number;
  /**
   * Default `sources[].maxInFlight` of its sources, in calls, when its upstream limits callers
   * below what `maxSockets` would send (never above `maxSockets`). Absent: `maxSockets`.
   */
  readonly maxInFlight?: number;
  /**
   * The virtual currencies (never ISO 4217 codes) its upstream states costs in, such as Civitai's
   * "BUZZ": UsageReport reports them in virtualTotals, never in totals (docs/pricing.md). Absent: none.
   */
  readonly virtualCurrencies?: readonly string[];
  /**
   * How its consumption is named in a FOCUS export (docs/focus.md): FOCUS's ServiceCategory and
   * ServiceSubcategory (values of FOCUS's closed lists) and ServiceName. Absent: "Other",
   * "Other (Other)" and the display name.
   */
  readonly focus?: FocusService;
  createRuntime(config: SourceConfig, deps: RuntimeDeps): SourceRuntime;
  /** What it adds to the GraphQL schema, when it adds types or fields; merged in registry order. */
  readonly schema?: ProviderSchema;
}

/** A provider's FOCUS service columns. */
export interface FocusService {
  readonly serviceCategory: string;
  readonly serviceSubcategory: string;
  readonly serviceName: string;
}

/**
 * A provider's part of the schema (docs/adding-a-provider.md). The core SDL (schema/) and
 * resolvers (src/schema/) never name a provider; src/gatewaySchema.ts merges these in.
 */
export interface ProviderSchema {
  /** Its SDL files, next to its code; `npm run build` copies them into dist/. */
  readonly sdl: readonly URL[];
  /** Its resolvers: one object per type it defines or extends, holding only its own fields. */
  readonly resolvers: Resolvers;
  /** Its models module (`new URL('./models.js', import.meta.url)`), which exports the mapped types. */
  readonly models: URL;
  /** codegen mappers: each GraphQL type it defines → the model type its resolvers receive, exported by `models`. */
  readonly mappers: Readonly<Record<string, string>>;
}

/** A JSON Schema node, as z.toJSONSchema writes them. */
export type JsonSchema = { [keyword: string]: unknown };

/** A provider's `sources[].credentials` and `sources[].options`, as JSON Schema (billgraph.schema.json). */
export interface ProviderSettings {
  readonly credentials: JsonSchema;
  /**
   * Its options, each with its unit and default in its description. Options a source must set are
   * its `required` list: `validateCredentials` then refuses their absence at `['options', name]`,
   * naming each, and billgraph.schema.json requires `options` for the provider (the contract suite
   * and test/repo/configSchema.test.ts check both).
   */
  readonly options?: JsonSchema;
}
