/**
 * The one test harness: real simulators on loopback, a real gateway listening on a free
 * port, and a GraphQL client that speaks HTTP to it. Nothing here stubs fetch.
 */
import type { GraphQLFormattedError } from 'graphql';
import { validateConfig } from '../../src/bootstrap.js';
import type { Account, ConsumptionPoint, Mutation, Query } from '../../src/generated/resolvers.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/server.js';
import {
  OPENVCLOUD_SIM_PRINCIPALS,
  OPENVCLOUD_SIM_TOKEN,
  startOpenvcloudSimulator,
  type OpenvcloudSimulator,
} from '../../simulators/openvcloud/simulator.js';

/**
 * What a test reads from an answer: the generated schema type (src/generated/resolvers.ts) with
 * every field present and non-null. A query selects only some fields and a nullable one may be
 * null, which tests assert with expect; the type catches misspelt fields and wrong scalar types.
 * Aliases and inline fragments need their own type.
 */
export type Answer<T> = T extends string | number | boolean | bigint | null | undefined
  ? NonNullable<T>
  : T extends readonly (infer E)[]
    ? Answer<E>[]
    : { -readonly [K in keyof T]-?: Answer<NonNullable<T[K]>> };
export type QueryAnswer = Answer<Query>;
export type MutationAnswer = Answer<Mutation>;
export type AccountAnswer = Answer<Account>;
export type PointAnswer = Answer<ConsumptionPoint>;
/** An `accounts` answer whose nodes are N: for selections with aliases. */
export type AccountsAnswer<N> = { accounts: { edges: { node: N }[] } };

export interface GraphQLResponse<T = QueryAnswer> {
  status: number;
  body: { data?: T; errors?: GraphQLFormattedError[] };
  text: string;
}

export interface Harness {
  readonly url: string;
  readonly g8: OpenvcloudSimulator;
  readonly gateway: Gateway;
  query<T = QueryAnswer>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Bearer token the g8 source is configured with (the simulator accepts it). @default OPENVCLOUD_SIM_TOKEN */
  g8Token?: string;
  /** Extra fields for the g8 source entry (timeoutMs, prices, …). */
  g8Source?: Record<string, unknown>;
  /** Further sources appended to the config. */
  extraSources?: Record<string, unknown>[];
  limits?: Record<string, number>;
  now?: () => number;
  /** Top-level config keys (cache, tenants, …) merged over the harness's. */
  config?: Record<string, unknown>;
}

/**
 * Source settings every harness applies unless a test overrides them. Most suites share one
 * gateway across many fault cases; with the production breaker threshold (5) an earlier case
 * would leave the breaker open for the next one, and with the shared 429 pause an earlier case's
 * Retry-After would hold the source quiet for the next. Tests of the breaker and of the pause
 * (test/gateway/faults/breakerCauses.test.ts, rateLimitPause.test.ts) set their own.
 */
export const TEST_SOURCE_DEFAULTS = { breakerThreshold: 1000, maxRateLimitPauseMs: 0 } as const;

export async function postGraphQL<T = QueryAnswer>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as GraphQLResponse<T>['body'], text };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const token = options.g8Token ?? OPENVCLOUD_SIM_TOKEN;
  const g8 = await startOpenvcloudSimulator({
    tokens: { ...OPENVCLOUD_SIM_PRINCIPALS, [token]: OPENVCLOUD_SIM_PRINCIPALS[OPENVCLOUD_SIM_TOKEN]! },
  });
  const config = validateConfig(
    {
      // The ledger has tests of its own (test/gateway/ledger/); here every answer is live.
      ledger: { enabled: false },
      ...options.config,
      ...(options.limits ? { limits: options.limits } : {}),
      sources: [
        {
          id: 'g8',
          provider: 'OPENVCLOUD',
          baseUrl: g8.url,
          credentials: { token },
          timeoutMs: 2000,
          ...TEST_SOURCE_DEFAULTS,
          ...options.g8Source,
        },
        ...(options.extraSources ?? []),
      ],
    },
    'test harness',
    process.env,
  );
  const gateway = createGateway({ config, ...(options.now ? { now: options.now } : {}), stopGracePeriodMs: 1000 });
  const url = await gateway.listen(0, '127.0.0.1');
  return {
    url,
    g8,
    gateway,
    query: (query, variables) => postGraphQL(url, query, variables),
    async close() {
      await gateway.stop();
      await g8.close();
    },
  };
}

/** Epoch seconds of an ISO instant. */
export const sec = (iso: string): number => Date.parse(iso) / 1000;

export interface FullHarness {
  readonly url: string;
  readonly gateway: Gateway;
  /** Each built-in simulator by the source id the embedded default gives it (SIMULATED_SOURCE_IDS; test/helpers/providers.ts). */
  readonly sims: Record<string, import('../../simulators/kit.js').SimulatorHandle>;
  query<T = QueryAnswer>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /**
   * A clean slate for the next case: faults, counters and latency of every simulator, and the
   * gateway's cross-request cache, so no case is answered from what an earlier one fetched
   * (within a case the cache stays on, as it runs in production).
   */
  resetAll(): void;
  close(): Promise<void>;
}

/**
 * Every registered provider's simulator plus a gateway over all of them, configured exactly
 * like `npm start`'s embedded default (source fields can be overridden per source id), with the
 * values beyond a double on (`npm start -- --demo-precision`) unless `precision: false`.
 */
export async function startFullHarness(
  options: {
    sourceOverrides?: Record<string, Record<string, unknown>>;
    now?: () => number;
    /** Top-level config keys (tenants, cors, limits, …) merged over the embedded default. */
    config?: Record<string, unknown>;
    limits?: Record<string, number>;
    /** Further gateway options (tracing, env). */
    gateway?: Partial<Omit<GatewayOptions, 'config'>>;
    /**
     * The simulators' values beyond a double (startAllSimulators's `precision`): the README's
     * 17-digit SU total, Kill Bill's 333333333.333333333 records, the FOCUS golden file. `false`
     * gives the demo's ordinary data, as plain `npm start` serves it (e.g. for the dashboard's
     * browser tests). @default true
     */
    precision?: boolean;
  } = {},
): Promise<FullHarness> {
  const { startAllSimulators } = await import('../../simulators/registry.js');
  const sims = await startAllSimulators({ precision: options.precision ?? true });
  const raw = {
    ledger: { enabled: false },
    ...options.config,
    ...(options.limits ? { limits: options.limits } : {}),
    sources: sims.config.sources.map((s) => ({
      ...s,
      timeoutMs: 2000,
      ...TEST_SOURCE_DEFAULTS,
      ...options.sourceOverrides?.[s.id],
    })),
  };
  const config = validateConfig(raw, 'full test harness', process.env);
  const gateway = createGateway({
    config,
    ...(options.now ? { now: options.now } : {}),
    stopGracePeriodMs: 1000,
    ...options.gateway,
  });
  const url = await gateway.listen(0, '127.0.0.1');
  const byId = Object.fromEntries(sims.started.map((s) => [s.source.id, s.handle]));
  return {
    url,
    gateway,
    sims: byId,
    query: (query, variables) => postGraphQL(url, query, variables),
    resetAll() {
      for (const sim of Object.values(byId)) {
        sim.clearFaults();
        sim.resetCounters();
        sim.setLatency(0);
      }
      // The in-memory store's clear() completes synchronously; its promise carries nothing.
      void gateway.cache.clear();
    },
    async close() {
      await gateway.stop();
      await sims.close();
    },
  };
}
