import type { ResponsePath as Path } from 'graphql';
import { describe, expect, it } from 'vitest';
import { UpstreamError, BadUserInputError } from '../../../src/errors.js';
import type { SourceModel } from '../../../src/models.js';
import { PartialErrors } from '../../../src/schema/partialErrors.js';

const hs: SourceModel = { id: 'hs', provider: 'HYPERSTACK', name: 'hs' };
const ts: SourceModel = { id: 'ts', provider: 'THEIRSTACK', name: 'ts' };
/** A resolver's `info.path` for the response path `keys`, as graphql-js links it. */
const at = (...keys: (string | number)[]): { path: Path } => ({
  path: keys.reduce<Path | undefined>((prev, key) => ({ prev, key, typename: undefined }), undefined)!,
});
const down = () =>
  new UpstreamError('Hyperstack source "hs" failed (HTTP 503).', 'UPSTREAM_UNAVAILABLE', {
    provider: 'HYPERSTACK',
    source: 'hs',
    retryable: true,
    upstreamStatus: 503,
  });

describe('PartialErrors', () => {
  it('turns a source failure into a top-level error at the field path, naming source and provider', () => {
    const partial = new PartialErrors();
    const entry = partial.report(at('report', 'usageReport'), hs, down());
    expect(entry).toEqual({
      source: hs,
      code: 'UPSTREAM_UNAVAILABLE',
      message: down().message,
      retryable: true,
      upstreamStatus: 503,
      causeCode: null,
      retryAt: null,
    });
    expect(partial.formatted()).toEqual([
      {
        message: 'Source "hs" is missing from this answer: Hyperstack source "hs" failed (HTTP 503).',
        path: ['report', 'usageReport'],
        extensions: {
          code: 'UPSTREAM_UNAVAILABLE',
          source: 'hs',
          provider: 'HYPERSTACK',
          retryable: true,
          upstreamStatus: 503,
          causeCode: null,
          retryAt: null,
          partial: true,
        },
      },
    ]);
  });

  it('reports a source once per field and code, however many accounts or buckets failed', () => {
    const partial = new PartialErrors();
    for (let i = 0; i < 30; i++) partial.report(at('usageReport'), hs, down());
    partial.report(at('other'), hs, down());
    expect(partial.size).toBe(2);
  });

  it('names the source of a gateway-side refusal, which carries no source of its own', () => {
    const partial = new PartialErrors();
    partial.report(at('usageReport'), ts, new BadUserInputError('TheirStack reports whole days.', 'granularity'));
    expect(partial.formatted()[0]!.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      argumentName: 'granularity',
      source: 'ts',
      provider: 'THEIRSTACK',
      retryable: false,
      upstreamStatus: null,
      causeCode: null,
      retryAt: null,
      partial: true,
    });
  });

  it('gives the entry and the top-level error the cause and retry time of a refusal by an open breaker', () => {
    const partial = new PartialErrors();
    const refusal = new UpstreamError('Hyperstack source "hs" was not called for "x".', 'UPSTREAM_UNAVAILABLE', {
      provider: 'HYPERSTACK',
      source: 'hs',
      retryable: true,
      upstreamStatus: 503,
      causeCode: 'UPSTREAM_UNAVAILABLE',
      retryAt: '2026-10-01T00:00:10.000Z',
      extra: { breaker: 'open' },
    });
    const cause = { upstreamStatus: 503, causeCode: 'UPSTREAM_UNAVAILABLE', retryAt: '2026-10-01T00:00:10.000Z' };
    expect(partial.report(at('usageReport'), hs, refusal)).toMatchObject(cause);
    expect(partial.formatted()[0]!.extensions).toMatchObject({ ...cause, breaker: 'open', partial: true });
  });

  it('masks an unexpected error: no message of its own reaches the answer', () => {
    const partial = new PartialErrors();
    partial.report(at('accounts'), hs, new RangeError('Maximum call stack size exceeded'));
    expect(partial.formatted()[0]).toMatchObject({
      message: 'Source "hs" is missing from this answer: Unexpected error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR', upstreamStatus: null, causeCode: null, retryAt: null },
    });
  });
});
