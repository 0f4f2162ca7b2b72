import type { Provider } from './generated/resolvers.js';
import { BadUserInputError, ErrorCode, GatewayError } from './lib/gatewayError.js';

// The code set and the two base classes live in src/lib/ (lib's parsers throw BadUserInputError,
// and lib imports nothing above it); every other error builds on them here.
export { BadUserInputError, ErrorCode, GatewayError };

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
  /**
   * For a call billgraph refused itself without calling the upstream (open breaker, 429 pause):
   * the code of the upstream failure behind the refusal (e.g. UPSTREAM_TIMEOUT); `upstreamStatus`
   * is then that failure's status. Absent when the error is the upstream's own failure.
   */
  causeCode?: ErrorCode;
  /** When billgraph will call the source again (RFC 3339): an open breaker's probe, a 429 pause's end. */
  retryAt?: string;
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
