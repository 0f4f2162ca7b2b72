import { describe, expect, it } from 'vitest';
import type { SourceModel } from '../../../src/models.js';
import { decodeAccountsCursor, encodeAccountsCursor } from '../../../src/schema/accountsCursor.js';

const g8: SourceModel = { id: 'g8', provider: 'OPENVCLOUD', name: 'g8' };
const kb: SourceModel = { id: 'kb-eu_1', provider: 'KILLBILL', name: 'kb' };

describe('accounts cursors', () => {
  it('round-trip a source and an index within that source', () => {
    expect(decodeAccountsCursor(encodeAccountsCursor('kb-eu_1', 41), [g8, kb])).toEqual({ sourceIndex: 1, index: 41 });
  });

  it('are opaque: no source id or index reads in the clear', () => {
    const cursor = encodeAccountsCursor('g8', 3);
    expect(cursor).not.toContain('g8');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('find the source by id, so the same cursor works when the selection starts elsewhere', () => {
    expect(decodeAccountsCursor(encodeAccountsCursor('kb-eu_1', 0), [kb])).toEqual({ sourceIndex: 0, index: 0 });
  });

  it('refuse a cursor of a source the query does not list, saying which arguments to repeat', () => {
    expect(() => decodeAccountsCursor(encodeAccountsCursor('kb-eu_1', 0), [g8])).toThrow(
      /same "provider" and "source" arguments/,
    );
  });

  it.each([
    ['a forged text', 'bogus'],
    ['the old offset form', Buffer.from('offset:3').toString('base64url')],
    ['a negative index', Buffer.from('g8:-1').toString('base64url')],
    ['an index of ten digits', Buffer.from('g8:1234567890').toString('base64url')],
  ])('refuse %s as BAD_USER_INPUT on "after", quoting at most 40 characters', (_name, cursor) => {
    try {
      decodeAccountsCursor(cursor + 'x'.repeat(1000), [g8]);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
      expect((error as Error).message.length).toBeLessThan(200);
    }
  });
});
