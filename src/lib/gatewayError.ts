import { GraphQLError } from 'graphql';

/**
 * The closed set of `extensions.code` values billgraph emits (docs/errors.md).
 * Apollo's own request-level codes (parse/validation failures) pass through unchanged.
 *
 * It lives in src/lib/ with the two error classes below so that lib's parsers (ids, time
 * windows, buckets) can refuse an argument without importing anything above lib;
 * src/errors.ts re-exports all three and builds the other errors on them.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_RATE_LIMITED: 'UPSTREAM_RATE_LIMITED',
  UPSTREAM_AUTH_FAILED: 'UPSTREAM_AUTH_FAILED',
  UPSTREAM_PAYMENT_REQUIRED: 'UPSTREAM_PAYMENT_REQUIRED',
  UPSTREAM_BAD_RESPONSE: 'UPSTREAM_BAD_RESPONSE',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /**
   * A report's part the ledger does not hold yet (not synced, or not final) and that the upstream
   * could not give within the request's call ceiling: what the ledger holds is answered.
   */
  LEDGER_NOT_SYNCED: 'LEDGER_NOT_SYNCED',
  /**
   * A write reused an idempotency key (Kill Bill's trackingId) that the source already holds
   * with different content: nothing was written; `extensions.differences` says what differs.
   */
  CONFLICT: 'CONFLICT',
  /** The caller's tenant spent its query budget for the current window (HTTP 429 + Retry-After). */
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Every error billgraph raises on purpose; anything else is masked by formatError. */
export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
    this.code = code;
    this.name = 'GatewayError';
  }
}

/** An argument the caller must change; `argument` names it (e.g. "window", "input.units"). */
export class BadUserInputError extends GatewayError {
  constructor(message: string, argument?: string) {
    super(message, ErrorCode.BAD_USER_INPUT, argument ? { argumentName: argument } : {});
  }
}
