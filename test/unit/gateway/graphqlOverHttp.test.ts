import { describe, expect, it } from 'vitest';
import {
  ClientClosed,
  MAX_BODY_BYTES,
  TIMED_OUT,
  executesMediaType,
  mediaTypeOf,
  readBody,
  withRequestId,
} from '../../../src/gateway/graphqlOverHttp.js';
import { fakeRequest } from './fakeHttp.js';

describe('readBody', () => {
  it('resolves to the whole body as UTF-8 text once it has ended', async () => {
    const req = fakeRequest({ method: 'POST' });
    const body = readBody(req, 1000);
    req.write(Buffer.from('{"query":"{ a'));
    req.end(Buffer.from(' }"} é'));
    await expect(body).resolves.toBe('{"query":"{ a }"} é');
  });

  it('resolves to null for a body over the cap, read to its end', async () => {
    const req = fakeRequest({ method: 'POST' });
    const body = readBody(req, 1000);
    req.write(Buffer.alloc(MAX_BODY_BYTES, 'a'));
    req.end(Buffer.from('b'));
    await expect(body).resolves.toBeNull();
  });

  it('resolves to null at once from a content-length over the cap, whatever arrives', async () => {
    const req = fakeRequest({ method: 'POST', headers: { 'content-length': String(MAX_BODY_BYTES + 1) } });
    const body = readBody(req, 1000);
    req.end(Buffer.from('{}'));
    await expect(body).resolves.toBeNull();
  });

  it('resolves to TIMED_OUT when the body is not all in within the deadline', async () => {
    const req = fakeRequest({ method: 'POST' });
    const body = readBody(req, 20);
    req.write(Buffer.from('{"query":'));
    await expect(body).resolves.toBe(TIMED_OUT);
  });

  it('rejects with ClientClosed when the client goes away before the end', async () => {
    const req = fakeRequest({ method: 'POST' });
    const body = readBody(req, 1000);
    req.write(Buffer.from('{'));
    req.destroy();
    await expect(body).rejects.toBeInstanceOf(ClientClosed);
  });
});

describe('media types', () => {
  it('reads the media type without parameters, lower-cased', () => {
    expect(mediaTypeOf('Application/JSON; charset=utf-8')).toBe('application/json');
    expect(mediaTypeOf(undefined)).toBe('');
  });

  it('executes only JSON bodies, never what a form or a no-preflight fetch can send', () => {
    expect(executesMediaType('application/json')).toBe(true);
    expect(executesMediaType('application/graphql-response+json; charset=utf-8')).toBe(true);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', undefined])
      expect(executesMediaType(type)).toBe(false);
  });
});

describe('withRequestId', () => {
  it('adds the request id to every error and collects their codes', () => {
    const codes = new Set<string>();
    const text = JSON.stringify({ errors: [{ message: 'x', extensions: { code: 'BAD_REQUEST' } }, { message: 'y' }] });
    expect(JSON.parse(withRequestId(text, 'r-9', codes))).toEqual({
      errors: [
        { message: 'x', extensions: { code: 'BAD_REQUEST', requestId: 'r-9' } },
        { message: 'y', extensions: { requestId: 'r-9' } },
      ],
    });
    expect([...codes]).toEqual(['BAD_REQUEST']);
  });

  it('returns any other text unchanged', () => {
    const codes = new Set<string>();
    expect(withRequestId('{"data":{"a":1}}', 'r', codes)).toBe('{"data":{"a":1}}');
    expect(withRequestId('"errors" but not JSON', 'r', codes)).toBe('"errors" but not JSON');
    expect(withRequestId('{"errors":"not a list"}', 'r', codes)).toBe('{"errors":"not a list"}');
    expect(codes.size).toBe(0);
  });
});
