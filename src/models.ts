import type {
  Granularity,
  Provider,
  ResolversInterfaceTypes,
  ResolversTypes,
  ResourceType,
} from './generated/resolvers.js';
import type { Money } from './lib/money.js';

/**
 * Internal models: what resolvers receive as parents (codegen `mappers`). Each carries its
 * source so a resolver can reach that source's per-request loaders without a lookup table.
 */
export interface SourceModel {
  readonly id: string;
  readonly provider: Provider;
  readonly name: string;
}

export interface FromSource {
  readonly source: SourceModel;
}

export interface AccountModel extends FromSource {
  readonly __typename: 'Account';
  readonly id: string;
  readonly providerId: string;
  readonly name: string | null;
}

/**
 * Every concrete Resource and Node model, as codegen collected them from the mappers (the core's
 * in codegen.yml, each provider's in its schema.ts): the core names no provider's model.
 */
export type ResourceModel = ResolversInterfaceTypes<ResolversTypes>['Resource'];
export type NodeModel = ResolversInterfaceTypes<ResolversTypes>['Node'];

export interface ConsumptionPointModel extends FromSource {
  readonly start: string;
  readonly end: string;
  readonly metric: string;
  /** Exact decimal string, as the upstream sent it or an exact sum of such values. */
  readonly quantity: string;
  readonly unit: string;
  /** Billed cost: what the upstream states, else the price list's (docs/pricing.md); null without either. */
  readonly cost: Money | null;
  /** The price list's quantity × price, when `sources[].prices` prices the metric; absent or null otherwise. */
  readonly listCost?: Money | null;
  readonly accountProviderId: string;
  readonly resource: ResourceModel | null;
  readonly isFinal: boolean;
}

export interface SourceErrorModel {
  readonly source: SourceModel;
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  /** The upstream's HTTP status of this failure, or of the failure behind a refusal; null when it never answered. */
  readonly upstreamStatus?: number | null;
  /** For a refusal billgraph made without calling the upstream: the code of the upstream failure behind it. */
  readonly causeCode?: string | null;
  /** When billgraph calls the source again (RFC 3339); null when the next request does. */
  readonly retryAt?: string | null;
}

export interface AccountConnectionModel {
  readonly edges: { cursor: string; node: AccountModel }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
  readonly totalCount: number;
  readonly errors: SourceErrorModel[];
}

export interface UsageReportModel {
  readonly points: ConsumptionPointModel[];
  /** The sources in the report's scope, in config order. */
  readonly sources: readonly SourceModel[];
  readonly totals: Money[];
  /** The `currency` argument: UsageReport.converted's target; null or absent when none was asked. */
  readonly currency?: string | null;
  readonly complete: boolean;
  readonly errors: SourceErrorModel[];
}

/** One source's part of an answer: from the ledger or the upstream, and when the ledger last synced it. */
export interface SourceFreshnessModel {
  readonly source: SourceModel;
  /** RFC 3339; null when never synced. */
  readonly lastSyncedAt: string | null;
  readonly bucketsFromLedger: number;
  readonly bucketsLive: number;
}

export type { Granularity, Money, Provider, ResourceType };
