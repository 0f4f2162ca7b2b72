/**
 * What the generic tests (test/gateway/, test/browser/, …) expect of one provider against its
 * built-in simulator, declared next to that simulator in simulators/<name>/expectations.ts (the
 * folder is the provider id lower-cased). test/helpers/providers.ts loads one per registered
 * provider, so a test of "every provider does X" lists no provider itself: adding a provider
 * means adding its expectations file here, and no edit in test/ (docs/adding-a-provider.md).
 *
 * Values are exact: a test fails when the gateway makes one call more or fewer than declared.
 */
import type { Provider } from '../src/models.js';
import type { FaultRule, RequestFilter, SimulatorHandle } from './kit.js';

/** The query that reads every account's consumption of one provider over `$w`: the core schema's windowed walk. */
export const accountsConsumptionQuery = (provider: Provider): string => /* GraphQL */ `
  query ($w: TimeWindow!) {
    accounts(provider: ${provider}) {
      edges {
        node {
          consumption(window: $w) {
            metric
            quantity
            isFinal
          }
        }
      }
    }
  }
`;

/** A time window as a test sends it: ISO instants, end exclusive. */
export interface TestWindow {
  readonly start: string;
  readonly end: string;
}

/**
 * A query whose windowed usage/cost calls go through the cross-request cache
 * (test/gateway/cache/providers.test.ts): a final window's calls are made once across requests,
 * an open window's every time.
 */
export interface CrossRequestCacheExpectation<S extends SimulatorHandle = SimulatorHandle> {
  /** A GraphQL operation taking `$w: TimeWindow!` (plus `variables`) that reaches this provider's windowed calls. */
  readonly query: string;
  /** Further variables of `query`, from the running simulator and its source id. */
  variables?(sim: S, sourceId: string): Record<string, unknown>;
  /** The upstream calls for `window` that a cached answer replaces. */
  cached(window: TestWindow): RequestFilter;
  /** How many of them one run of `query` makes when nothing is cached (the same for a closed and an open window). */
  calls(sim: S): number;
  /**
   * Calls `query` makes on every run whatever the window and the cache (e.g. Hyperstack's
   * discovery of this month's resources), and how many; none when absent.
   */
  readonly uncached?: { readonly filter: RequestFilter; readonly calls: number };
}

/** An amount of money as the API answers it. */
export interface TestMoney {
  readonly amount: string;
  readonly currency: string;
}

/** Points as test/gateway/federation.test.ts's query selects them. */
export interface FederatedPoint {
  readonly metric: string;
  readonly quantity: string;
}

/** One account as test/gateway/federation.test.ts's query answers it (the fields it selects). */
export interface FederatedAccount {
  readonly providerId: string;
  readonly consumption: readonly (FederatedPoint & { readonly cost: TestMoney | null })[];
  readonly cost: readonly TestMoney[];
  readonly cloudspaces: readonly {
    readonly machines: readonly { readonly providerId: string; readonly consumption: readonly FederatedPoint[] }[];
  }[];
  readonly subscriptions: readonly { readonly providerId: string; readonly usage: readonly FederatedPoint[] }[];
}

/** Metric → quantity, exactly as the API prints it; one point per metric. */
export type QuantitiesByMetric = Readonly<Record<string, string>>;

/** The exact figures one account answers in the federated query; a test compares each one declared. */
export interface FederatedFigures {
  readonly consumption: QuantitiesByMetric;
  /** The account's `cost`, when this provider prices it. */
  readonly cost?: readonly TestMoney[];
  /** The currency every consumption point is priced in, when it prices each. */
  readonly pointCurrency?: string;
  /** Each machine's consumption, by the machine's providerId, for providers with cloudspaces. */
  readonly machines?: Readonly<Record<string, QuantitiesByMetric>>;
  /** Each subscription's usage, by the subscription's providerId, for providers with subscriptions. */
  readonly subscriptions?: Readonly<Record<string, QuantitiesByMetric>>;
}

/**
 * One query across every source (test/gateway/federation.test.ts): the exact numbers this
 * source's accounts answer, computed from the simulator's own data, and the upstream calls it takes.
 */
export interface FederationExpectation<S extends SimulatorHandle = SimulatorHandle> {
  /** What `account` (one of this source's, as answered) must answer for `window`. */
  figures(sim: S, account: FederatedAccount, window: TestWindow): FederatedFigures;
  /** The calls the query makes to this source, route → exact count, given its accounts as answered. */
  calls(sim: S, accounts: readonly FederatedAccount[]): Readonly<Record<string, number>>;
  /** Every call the query makes to this source, when `calls` names them all. */
  totalCalls?(sim: S, accounts: readonly FederatedAccount[]): number;
  /** At least this many machines and subscriptions across this source's accounts, so their checks are not vacuous. */
  readonly atLeast?: { readonly machines?: number; readonly subscriptions?: number };
}

/** One provider's declarations for the generic tests. `S` is its simulator's handle type. */
export interface ProviderTestExpectations<P extends Provider = Provider, S extends SimulatorHandle = SimulatorHandle> {
  /** The provider these are for; the loader checks it against the folder it found them in. */
  readonly provider: P;
  /** Upstream calls one readiness check (/readyz) makes to this source. */
  readonly readinessCalls: number;
  readonly crossRequestCache: CrossRequestCacheExpectation<S>;
  /**
   * The calls to fail (a fault rule without its fault) so that this source's accounts still list
   * but their consumption is unavailable: the dashboard's per-source banner
   * (test/browser/dashboard.test.ts).
   */
  readonly consumptionCalls: Omit<FaultRule, 'fault' | 'times'>;
  readonly federation: FederationExpectation<S>;
  /**
   * Account fields of this provider's own schema part that reach its upstream, as a GraphQL
   * selection (windowed ones taking `$w`), for the query that touches every source and its own
   * fields (test/helpers/everySource.ts); '' only for a provider without a schema part.
   */
  readonly accountSelection: string;
}

/** The name every simulators/<name>/expectations.ts exports its declarations under. */
export type ExpectationsModule = { readonly expectations: ProviderTestExpectations };
