import { randomUUID } from 'node:crypto';

/**
 * What one GraphQL request carries down to every upstream call it makes: its id (for logs and
 * error extensions) and its running count of upstream calls. One scope per request, never
 * shared, so per-request budgets and deadlines hang off it rather than off long-lived clients.
 */
export interface RequestScope {
  /** Correlates the request's access line, its upstream-failure lines and its errors. */
  readonly requestId: string;
  /** When the request started, in epoch milliseconds. */
  readonly startedAt: number;
  /** Upstream HTTP attempts made so far (a retry is another attempt). */
  upstreamCalls: number;
}

export interface RequestScopeOptions {
  /** @default a random UUID */
  readonly requestId?: string;
  /** Epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

export function createRequestScope(options: RequestScopeOptions = {}): RequestScope {
  return { requestId: options.requestId ?? randomUUID(), startedAt: (options.now ?? Date.now)(), upstreamCalls: 0 };
}
