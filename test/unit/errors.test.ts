import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  APOLLO_REQUEST_CODES,
  BadUserInputError,
  GatewayError,
  isGatewayError,
  isNotFound,
  NotFoundError,
  UpstreamError,
  withoutHttp,
} from '../../src/errors.js';

describe('NotFoundError', () => {
  it('is a GatewayError with code NOT_FOUND and the message as given', () => {
    const error = new NotFoundError('No Machine has this id.');
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.message).toBe('No Machine has this id.');
    expect(error.code).toBe('NOT_FOUND');
    expect(error.extensions).toEqual({ code: 'NOT_FOUND' });
  });
});

describe('UpstreamError', () => {
  it('carries provider, source, retryable and the upstream status as extensions, and keeps its detail', () => {
    const detail = { provider: 'HYPERSTACK' as const, source: 'hs', retryable: true, upstreamStatus: 503 };
    const error = new UpstreamError('Hyperstack is unavailable.', 'UPSTREAM_UNAVAILABLE', detail);
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      provider: 'HYPERSTACK',
      source: 'hs',
      retryable: true,
      upstreamStatus: 503,
    });
    expect(error.detail).toBe(detail);
  });

  it('spreads the extra fields into the extensions instead of nesting them under "extra"', () => {
    const error = new UpstreamError('TheirStack answered 429.', 'UPSTREAM_RATE_LIMITED', {
      provider: 'THEIRSTACK',
      source: 'ts',
      retryable: true,
      retryAfter: 30,
      extra: { requestId: 'r-1' },
    });
    expect(error.extensions).toEqual({
      code: 'UPSTREAM_RATE_LIMITED',
      provider: 'THEIRSTACK',
      source: 'ts',
      retryable: true,
      retryAfter: 30,
      requestId: 'r-1',
    });
  });
});

describe('withoutHttp', () => {
  it('drops the http extension and keeps every other one, leaving its argument unchanged', () => {
    const extensions = { code: 'RATE_LIMITED', http: { status: 429 }, retryAfter: 2 };
    expect(withoutHttp(extensions)).toEqual({ code: 'RATE_LIMITED', retryAfter: 2 });
    expect(extensions).toEqual({ code: 'RATE_LIMITED', http: { status: 429 }, retryAfter: 2 });
  });
});

describe('isGatewayError', () => {
  it('is true for billgraph’s errors and false for a plain GraphQLError, an Error or a string', () => {
    expect(isGatewayError(new BadUserInputError('bad', 'x'))).toBe(true);
    expect(isGatewayError(new NotFoundError('gone'))).toBe(true);
    expect(isGatewayError(new GraphQLError('parse'))).toBe(false);
    expect(isGatewayError(new Error('boom'))).toBe(false);
    expect(isGatewayError('NOT_FOUND')).toBe(false);
  });
});

describe('isNotFound', () => {
  const upstream = (code: 'NOT_FOUND' | 'UPSTREAM_TIMEOUT') =>
    new UpstreamError('x', code, { provider: 'KILLBILL', source: 'kb', retryable: false });

  it('is true only for an upstream’s NOT_FOUND, not for a gateway-side NotFoundError or another code', () => {
    expect(isNotFound(upstream('NOT_FOUND'))).toBe(true);
    expect(isNotFound(upstream('UPSTREAM_TIMEOUT'))).toBe(false);
    expect(isNotFound(new NotFoundError('No source "x" is configured.'))).toBe(false);
    expect(isNotFound(undefined)).toBe(false);
  });
});

describe('APOLLO_REQUEST_CODES', () => {
  it('holds exactly the codes Apollo Server sets for requests that never reach a resolver', () => {
    expect([...APOLLO_REQUEST_CODES].sort()).toEqual([
      'BAD_REQUEST',
      'BAD_USER_INPUT',
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'OPERATION_RESOLUTION_FAILURE',
      'PERSISTED_QUERY_NOT_FOUND',
      'PERSISTED_QUERY_NOT_SUPPORTED',
    ]);
  });
});
