import { describe, expect, it } from 'vitest';
import {
  closeWith,
  refuseRejectedKey,
  refuseUnauthenticated,
  sendError,
  sendJson,
} from '../../../src/gateway/httpAnswers.js';
import { FakeResponse, fakeRequest } from './fakeHttp.js';

describe('the answers the HTTP layer writes itself', () => {
  it('sends JSON with its status, a utf-8 JSON content type and the byte length', () => {
    const res = new FakeResponse();
    sendJson(res.asResponse(), 503, { status: 'not ready', note: 'é' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-length']).toBe(Buffer.byteLength(res.body));
    expect(res.json()).toEqual({ status: 'not ready', note: 'é' });
  });

  it('shapes an error like a GraphQL answer, with its code and the request id', () => {
    const res = new FakeResponse();
    sendError(res.asResponse(), 415, 'POST bodies must be JSON.', 'BAD_REQUEST', 'req-1');
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({
      errors: [{ message: 'POST bodies must be JSON.', extensions: { code: 'BAD_REQUEST', requestId: 'req-1' } }],
    });
  });

  it('closes the connection once an answer written with closeWith is flushed', () => {
    const req = fakeRequest({});
    const res = new FakeResponse();
    closeWith(req, res.asResponse(), () => sendJson(res.asResponse(), 408, {}));
    expect(res.headers.connection).toBe('close');
    expect(req.socketDestroyed()).toBe(true);
  });

  it('refuses an unauthenticated request with 401, the Bearer challenge and a closed connection', () => {
    const req = fakeRequest({});
    const res = new FakeResponse();
    refuseUnauthenticated(req, res.asResponse(), 'Send a key.', 'req-2');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="billgraph"');
    expect(res.headers.connection).toBe('close');
    expect(res.json()).toEqual({
      errors: [{ message: 'Send a key.', extensions: { code: 'UNAUTHENTICATED', requestId: 'req-2' } }],
    });
    expect(req.socketDestroyed()).toBe(true);
  });

  it.each([
    ['missing', 'This gateway needs an API key: send "Authorization: Bearer <key>".'],
    ['invalid', 'The API key is not valid: send "Authorization: Bearer <key>" with a key configured for a tenant.'],
  ] as const)('refuses a %s key with 401 and says what to send', (reason, message) => {
    const res = new FakeResponse();
    refuseRejectedKey(fakeRequest({}), res.asResponse(), reason, 'req-3');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED', requestId: 'req-3' } }] });
  });
});
