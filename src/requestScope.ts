import { randomUUID } from 'node:crypto';
import type { RequestTrace } from './observability/upstreamTelemetry.js';

/**
 * What one GraphQL request carries down to every upstream call it makes: its id (for logs and
 * error extensions), its deadline and its running count of upstream calls against a ceiling.
 * One scope per request, never shared, so per-request budgets and deadlines hang off it rather
 * than off long-lived clients.
 */
export interface RequestScope {
  /** Correlates the request's access line, its upstream-failure lines and its errors. */
  readonly requestId: string;
  /** When the request started, in epoch milliseconds (the injectable calendar clock). */
  readonly startedAt: number;
  /**
   * When every upstream call of this request must be over, in epoch milliseconds of the real
   * clock (Date.now, never the injectable calendar clock). Infinity when there is none.
   */
  readonly deadline: number;
  /** Most upstream HTTP attempts the request may make; Infinity when unlimited. */
  readonly maxUpstreamCalls: number;
  /** Upstream HTTP attempts made so far (a retry is another attempt). */
  upstreamCalls: number;
  /** The request's trace when tracing is on: its upstream calls become child spans. */
  readonly trace?: RequestTrace;
  /**
   * The authenticated tenant's name: each source's bulkhead queues its calls in this tenant's
   * FIFO, served round-robin with the other tenants'. Undefined for calls outside a tenant's request.
   */
  readonly tenant?: string;
}

export interface RequestScopeOptions {
  /** @default a random UUID */
  readonly requestId?: string;
  /** Epoch milliseconds, for `startedAt`. @default Date.now */
  readonly now?: () => number;
  /** The request's deadline, in milliseconds from now (limits.requestTimeoutMs). @default no deadline */
  readonly timeoutMs?: number;
  /** Ceiling on upstream attempts (limits.maxUpstreamCallsPerRequest). @default unlimited */
  readonly maxUpstreamCalls?: number;
  /** @default none (tracing off) */
  readonly trace?: RequestTrace;
  /** @default none (the bulkheads' shared no-tenant queue) */
  readonly tenant?: string;
}

export function createRequestScope(options: RequestScopeOptions = {}): RequestScope {
  return {
    requestId: options.requestId ?? randomUUID(),
    startedAt: (options.now ?? Date.now)(),
    deadline: options.timeoutMs !== undefined ? Date.now() + options.timeoutMs : Number.POSITIVE_INFINITY,
    maxUpstreamCalls: options.maxUpstreamCalls ?? Number.POSITIVE_INFINITY,
    upstreamCalls: 0,
    ...(options.trace ? { trace: options.trace } : {}),
    ...(options.tenant !== undefined ? { tenant: options.tenant } : {}),
  };
}
