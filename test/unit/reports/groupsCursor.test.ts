import { describe, expect, it } from 'vitest';
import { decodeGroupsCursor, encodeGroupsCursor } from '../../../src/reports/groupsCursor.js';

describe('groups cursors', () => {
  const keys = ['g8', 'kb', 'hs'];

  it('round-trip to the index of the group they were handed out for', () => {
    for (const [i, key] of keys.entries()) expect(decodeGroupsCursor(encodeGroupsCursor(i, key), keys)).toBe(i);
  });

  it('are opaque base64url', () => {
    expect(encodeGroupsCursor(1, 'kb')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('refuse garbage, and a cursor whose group moved, saying what to pass', () => {
    expect(() => decodeGroupsCursor('nope', keys)).toThrow(/must be a cursor returned by groups/);
    expect(() => decodeGroupsCursor(encodeGroupsCursor(1, 'hs'), keys)).toThrow(
      /pass the same usageReport and groups arguments/,
    );
    expect(() => decodeGroupsCursor(encodeGroupsCursor(7, 'kb'), keys)).toThrow(/does not have at that place/);
  });
});
