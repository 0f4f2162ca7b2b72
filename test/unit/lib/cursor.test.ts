import { describe, expect, it } from 'vitest';
import { encodeCursor, readCursor } from '../../../src/lib/cursor.js';

describe('page cursors', () => {
  it('read back what was encoded, as the pattern’s match', () => {
    const match = readCursor(encodeCursor('g8:41'), /^([a-z0-9]+):(\d+)$/, 'accounts');
    expect([match[1], match[2]]).toEqual(['g8', '41']);
  });

  it('refuse anything else with BAD_USER_INPUT on "after", naming the field whose endCursor to pass', () => {
    expect(() => readCursor('bm90LWEtY3Vyc29y', /^(\d+)$/, 'groups')).toThrow(
      'Argument "after" must be a cursor returned by groups (pageInfo.endCursor), got "bm90LWEtY3Vyc29y".',
    );
  });
});
