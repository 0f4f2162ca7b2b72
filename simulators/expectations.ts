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
}

/** The name every simulators/<name>/expectations.ts exports its declarations under. */
export type ExpectationsModule = { readonly expectations: ProviderTestExpectations };
