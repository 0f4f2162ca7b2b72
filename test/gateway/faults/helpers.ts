/**
 * Shared pieces of the fault tests: one query that touches every source, how to read one
 * source's outcome out of it, and the checks every fault case makes (no secret leaks, the
 * source's sockets back to what its keep-alive pool holds).
 */
import { expect } from 'vitest';
import type { FullHarness, GraphQLResponse } from '../../helpers/harness.js';
import { secretsOfEverySource, SOURCE_IDS } from '../../helpers/providers.js';

/** Every built-in source, in registry order: a provider added to the registry is faulted here too. */
export { SOURCE_IDS };

export const WINDOW = { start: '2026-10-01T00:00:00Z', end: '2026-10-03T00:00:00Z' };

/** Lists every source's accounts and asks each for its consumption: at least one call per source. */
export const EVERY_SOURCE = /* GraphQL */ `
  query ($w: TimeWindow!) {
    accounts(first: 500) {
      errors {
        source {
          id
        }
        code
        message
        retryable
      }
      edges {
        node {
          id
          source {
            id
          }
          consumption(window: $w) {
            metric
            quantity
          }
        }
      }
    }
  }
`;

/** Hyperstack alone: its accounts listing and each account's consumption (the breaker, pause and deadline tests). */
export const HS_ONLY = /* GraphQL */ `
  query ($w: TimeWindow!) {
    accounts(source: "hs") {
      errors {
        code
        message
      }
      edges {
        node {
          id
          consumption(window: $w) {
            quantity
          }
        }
      }
    }
  }
`;

export interface HsAnswer {
  accounts: { errors: { code: string; message: string }[]; edges: { node: { id: string } }[] };
}

/**
 * Short, explicit budgets for the faulted source, generous ones for the healthy sources (they
 * must answer even on a loaded machine): nothing here depends on the machine being fast.
 */
export const FAULT_LIMITS = { requestTimeoutMs: 5000 };
/**
 * The faulted source's body cap is small enough that a 10 MB answer is refused after a few
 * milliseconds of reading: at 2 MiB, reading up to the cap took longer than the attempt
 * on a loaded machine, and the case answered UPSTREAM_TIMEOUT instead of UPSTREAM_BAD_RESPONSE.
 * Every source's real answers in these tests are far smaller. The attempt is 1 s, not 300 ms: at
 * 300 ms a fault-free call or the capped read itself missed it on a machine at load 11 (2 cores),
 * and its retries still end well inside FAULT_LIMITS.requestTimeoutMs.
 */
export const FAULT_SOURCE = { timeoutMs: 1000, maxResponseBytes: 256 * 1024 };
export const HEALTHY_SOURCE = { timeoutMs: 4500 };
/** An answer may arrive this much later than the deadline (event loop, JSON, a loaded CI machine). */
export const MARGIN_MS = 1500;

export interface Outcome {
  /** Error codes that name this source: its SourceError entries and the field errors of its accounts. */
  codes: string[];
  /** This source's account nodes, as answered. */
  nodes: unknown[];
}

/** One source's part of an EVERY_SOURCE answer. */
export function outcomeOf(res: GraphQLResponse, id: string): Outcome {
  const accounts = res.body.data?.accounts;
  expect(accounts, res.text.slice(0, 500)).toBeTruthy();
  if (!accounts) throw new Error('no accounts in the answer');
  const edges = accounts.edges as { node: { source: { id: string } } }[];
  const mine = new Set(edges.flatMap((e, i) => (e.node.source.id === id ? [i] : [])));
  const fieldCodes = (res.body.errors ?? [])
    .filter((e) => e.path?.[0] === 'accounts' && e.path[1] === 'edges' && mine.has(Number(e.path[2])))
    .map((e) => String(e.extensions?.code));
  const listCodes = (accounts.errors as { source: { id: string }; code: string }[])
    .filter((e) => e.source.id === id)
    .map((e) => e.code);
  return {
    codes: [...listCodes, ...fieldCodes],
    nodes: edges.filter((e) => e.node.source.id === id).map((e) => e.node),
  };
}

/** Credentials, simulator addresses and stack traces that must never reach a client. */
export function expectNoSecrets(h: FullHarness, text: string): void {
  const secrets = secretsOfEverySource(h);
  expect(secrets.length).toBeGreaterThanOrEqual(6);
  for (const secret of secrets) expect(text).not.toContain(secret);
  for (const sim of Object.values(h.sims)) expect(text).not.toContain(`:${sim.port}`);
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|\bat \S+ \(|stacktrace|node_modules/i);
}

/**
 * The source's sockets return to baseline: none busy in the gateway's agent, and the simulator
 * holds no connection beyond the agent's idle keep-alive pool (a held or half-read one would
 * show as one more).
 */
export async function expectSocketsSettled(h: FullHarness, id: string): Promise<void> {
  const runtime = h.gateway.sources.get(id)!.runtime;
  await expect
    .poll(
      () => {
        const { sockets, inFlight, queued } = runtime.resilience();
        return {
          busy: sockets.busy,
          inFlight,
          queued,
          extraOnSimulator: Math.max(0, h.sims[id]!.openConnections - sockets.free),
        };
      },
      { timeout: 3000, interval: 25 },
    )
    .toEqual({ busy: 0, inFlight: 0, queued: 0, extraOnSimulator: 0 });
}
