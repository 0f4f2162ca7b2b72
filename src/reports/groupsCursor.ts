import { createHash } from 'node:crypto';
import { encodeCursor, readCursor } from '../lib/cursor.js';
import { BadUserInputError } from '../lib/gatewayError.js';

/**
 * Cursors of UsageReport.groups: the edge's position in the sorted groups plus a digest of its
 * key, so a cursor is refused (instead of silently skipping or repeating groups) when the next
 * page is asked with other arguments or the order has moved since.
 */
const CURSOR = /^(\d{1,9}):([0-9a-f]{12})$/;

const digest = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 12);

export const encodeGroupsCursor = (index: number, key: string): string => encodeCursor(`${index}:${digest(key)}`);

/** The index after which the next page starts, given the sorted groups' keys. */
export function decodeGroupsCursor(cursor: string, keys: readonly string[]): number {
  const match = readCursor(cursor, CURSOR, 'groups');
  const index = Number(match[1]);
  const key = keys[index];
  if (key === undefined || digest(key) !== match[2])
    throw new BadUserInputError(
      'Argument "after" names a group this report does not have at that place: pass the same usageReport and groups arguments as the query that returned it (the order moves when the consumption does), or start again without "after".',
      'after',
    );
  return index;
}
