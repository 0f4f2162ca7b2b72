import { describe, expect, it } from 'vitest';
import { GatewayError, ErrorCode } from '../../../src/errors.js';
import * as logger from '../../../src/logger.js';
import {
  REDACTED,
  isRedactableSecret,
  isSecretKey,
  registerSecrets,
  sanitize,
  scrub,
} from '../../../src/logging/redaction.js';

describe('redaction', () => {
  it('takes keys that name or end in a secret as secret, whatever their case and separators', () => {
    for (const key of ['Authorization', 'x-api-key', 'api_key', 'clientSecret', 'adminPassword', 'bearer_token'])
      expect(isSecretKey(key), key).toBe(true);
    for (const key of ['user', 'tokens_used', 'operation', 'keys']) expect(isSecretKey(key), key).toBe(false);
  });

  it('scrubs URLs, secret query parameters and bearer tokens from a string', () => {
    expect(scrub('GET https://api.example/v1?x=1 failed')).toBe('GET [url] failed');
    expect(scrub('retry ?api_key=abc&page=2')).toBe(`retry ?api_key=${REDACTED}&page=2`);
    expect(scrub('sent Bearer abc.def-123')).toBe(`sent Bearer ${REDACTED}`);
  });

  it('bounds a very long string', () => {
    const out = scrub('a'.repeat(10_000));
    expect(out.length).toBe(4001);
    expect(out.endsWith('…')).toBe(true);
  });

  it('scrubs a registered credential wherever it appears, but never a word-like or short value', () => {
    registerSecrets(['k3y-0123456789abcdef', 'billgraph', 'short1', 42]);
    expect(scrub('key k3y-0123456789abcdef in text')).toBe(`key ${REDACTED} in text`);
    expect(scrub('billgraph short1')).toBe('billgraph short1');
    expect(isRedactableSecret('abcdefghijklmnop')).toBe(true);
    expect(isRedactableSecret('password')).toBe(false);
    expect(isRedactableSecret('pa55word')).toBe(true);
  });

  it('redacts secret keys at any depth and turns maps, sets, dates, URLs and bigints into plain values', () => {
    const out = sanitize({
      headers: new Map([['authorization', 'Bearer x']]),
      nested: { deeper: { password: 'p' } },
      at: new Date(0),
      url: new URL('https://x.example'),
      tags: new Set(['a']),
      big: 10n,
    });
    expect(out).toEqual({
      headers: { authorization: REDACTED },
      nested: { deeper: { password: REDACTED } },
      at: '1970-01-01T00:00:00.000Z',
      url: '[url]',
      tags: ['a'],
      big: '10',
    });
  });

  it("describes billgraph's own errors by name, code and message only, and others with class, stack and cause", () => {
    expect(sanitize(new GatewayError('Nope.', ErrorCode.NOT_FOUND))).toEqual({
      name: 'GatewayError',
      code: 'NOT_FOUND',
      message: 'Nope.',
    });
    const other = sanitize(new TypeError('bad at https://x.example', { cause: new Error('root') })) as Record<
      string,
      unknown
    >;
    expect(other).toMatchObject({ name: 'TypeError', class: 'TypeError', message: 'bad at [url]' });
    expect(other.stack).toEqual(expect.any(String));
    expect(other.cause).toMatchObject({ message: 'root', class: 'Error' });
  });

  it('is what src/logger.ts re-exports', () => {
    expect(logger.scrub).toBe(scrub);
    expect(logger.sanitize).toBe(sanitize);
    expect(logger.registerSecrets).toBe(registerSecrets);
    expect(logger.isSecretKey).toBe(isSecretKey);
  });
});
