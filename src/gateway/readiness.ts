import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewaySource } from '../context.js';
import { ErrorCode, isGatewayError } from '../errors.js';
import type { Authentication, Tenant } from '../security/tenantAuth.js';
import { sendJson } from './httpAnswers.js';

/** How long /readyz reuses its last upstream checks, in milliseconds. */
export const READINESS_CACHE_MS = 1000;

/** One source's entry in /readyz. */
export interface SourceCheck {
  readonly id: string;
  readonly provider: string;
  readonly ready: boolean;
  readonly code?: string;
  readonly breaker: string;
  readonly retryAt?: string;
}

export interface ReadinessOptions {
  readonly sources: ReadonlyMap<string, GatewaySource>;
  readonly authenticate: (authorization: string | undefined) => Authentication;
  /** Epoch milliseconds for the check cache and the breakers' retry times. @default Date.now */
  readonly now?: () => number;
}

/** The handler of /readyz. */
export type Readiness = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * /readyz: each source's ping, unless its circuit breaker is open: then it is not ready and is
 * not called (a due probe is let through, and the ping is that probe). Every entry says the
 * breaker's state ('closed' | 'open' | 'half-open').
 */
export function createReadiness({ sources, authenticate, now = Date.now }: ReadinessOptions): Readiness {
  /**
   * The sources' checks, shared by every /readyz within READINESS_CACHE_MS while no breaker
   * changed state: an unauthenticated endpoint must not turn each hit into a call to every upstream.
   */
  let lastChecks: { at: number; breakers: string; checks: Promise<SourceCheck[]> } | null = null;
  function sourceChecks(): Promise<SourceCheck[]> {
    const breakers = [...sources.values()].map(({ runtime }) => runtime.resilience().breaker).join();
    if (lastChecks && now() - lastChecks.at < READINESS_CACHE_MS && lastChecks.breakers === breakers)
      return lastChecks.checks;
    const checks = Promise.all([...sources.values()].map((source) => checkSource(source, now)));
    lastChecks = { at: now(), breakers, checks };
    return checks;
  }

  return async (req, res) => {
    // With tenants, which sources exist is for authenticated callers; an orchestrator needs only the status.
    const auth = authenticate(req.headers.authorization);
    const tenant: Tenant | null = auth.kind === 'granted' ? auth.tenant : null;
    const checks = await sourceChecks();
    // A tenant's readiness is that of its own sources; an orchestrator (no key) gets the whole gateway's.
    const shown = tenant ? checks.filter((c) => tenant.sources === null || tenant.sources.has(c.id)) : undefined;
    const ready = (shown ?? checks).every((c) => c.ready);
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...(shown ? { sources: shown } : {}) });
  };
}

/** One source's readiness: not ready without a call while its breaker is open and no probe is due, else its ping. */
export async function checkSource({ runtime }: GatewaySource, now: () => number = Date.now): Promise<SourceCheck> {
  const { id, provider } = runtime.source;
  const before = runtime.resilience();
  if (before.breaker === 'open' && before.retryAt !== undefined && before.retryAt > now()) {
    return {
      id,
      provider,
      ready: false,
      code: ErrorCode.UPSTREAM_UNAVAILABLE,
      breaker: before.breaker,
      retryAt: new Date(before.retryAt).toISOString(),
    };
  }
  try {
    await runtime.ping();
    return { id, provider, ready: true, breaker: runtime.resilience().breaker };
  } catch (error) {
    const code = isGatewayError(error) ? error.code : ErrorCode.INTERNAL_SERVER_ERROR;
    return { id, provider, ready: false, code, breaker: runtime.resilience().breaker };
  }
}
