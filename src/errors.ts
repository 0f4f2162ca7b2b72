import { GraphQLError } from 'graphql';
import type { Provider } from './generated/resolvers.js';

/**
 * The closed set of `extensions.code` values billgraph emits (docs/errors.md).
 * Apollo's own request-level codes (parse/validation failures) pass through unchanged.
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
   * A write reused an idempotency key (Kill Bill's trackingId) that the source already holds
   * with different content: nothing was written; `extensions.differences` says what differs.
   */
  CONFLICT: 'CONFLICT',
  /** The caller's tenant spent its query budget for the current window (HTTP 429 + Retry-After). */
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes Apollo Server sets itself for requests that never reach a resolver. */
export const APOLLO_REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

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

export class NotFoundError extends GatewayError {
  constructor(message: string) {
    super(message, ErrorCode.NOT_FOUND);
  }
}

export type UpstreamErrorCode =
  | typeof ErrorCode.UPSTREAM_TIMEOUT
  | typeof ErrorCode.UPSTREAM_UNAVAILABLE
  | typeof ErrorCode.UPSTREAM_RATE_LIMITED
  | typeof ErrorCode.UPSTREAM_AUTH_FAILED
  | typeof ErrorCode.UPSTREAM_PAYMENT_REQUIRED
  | typeof ErrorCode.UPSTREAM_BAD_RESPONSE
  | typeof ErrorCode.NOT_FOUND
  | typeof ErrorCode.BAD_USER_INPUT;

export interface UpstreamErrorDetail {
  provider: Provider;
  /** The source id from the config file. */
  source: string;
  retryable: boolean;
  /** The upstream's HTTP status, when it answered at all. */
  upstreamStatus?: number;
  /** Seconds the upstream asked us to wait (429 Retry-After). */
  retryAfter?: number;
  /** Extra, already-sanitised fields a provider wants to surface (e.g. TheirStack's request_id). */
  extra?: Record<string, unknown>;
}

/**
 * A failure of one upstream source. The message is written by billgraph, never copied
 * from a URL or a stack; upstream detail lives under our own extension keys.
 */
export class UpstreamError extends GatewayError {
  readonly detail: UpstreamErrorDetail;
  constructor(message: string, code: UpstreamErrorCode, detail: UpstreamErrorDetail) {
    const { extra, ...rest } = detail;
    super(message, code, { ...rest, ...extra });
    this.detail = detail;
  }
}

/** An error's extensions as a client may see them: `http` tells Apollo the status and is never for the body. */
export const withoutHttp = (extensions: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const { http: _http, ...rest } = extensions;
  return rest;
};

export const isGatewayError = (error: unknown): error is GatewayError => error instanceof GatewayError;

/** The upstream said it has no such object (HTTP 404 or its own not-found body): a miss, not a failure. */
export const isNotFound = (error: unknown): boolean =>
  error instanceof UpstreamError && error.code === ErrorCode.NOT_FOUND;
