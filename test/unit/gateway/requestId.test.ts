import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestIdOf } from '../../../src/gateway/requestId.js';

const req = (id: string | string[] | undefined) => ({ headers: { 'x-request-id': id } }) as unknown as IncomingMessage;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdOf', () => {
  it("keeps the caller's x-request-id when it is short and safe to log", () => {
    expect(requestIdOf(req('abc-123_x.y:z'))).toBe('abc-123_x.y:z');
  });

  it('replaces an unsafe, overlong, repeated or missing id with a fresh UUID', () => {
    for (const given of ['bad id', 'a\nb', 'x'.repeat(129), ['a', 'b'], undefined, '']) {
      const id = requestIdOf(req(given));
      expect(id).toMatch(UUID);
    }
    expect(requestIdOf(req(undefined))).not.toBe(requestIdOf(req(undefined)));
  });
});
