import { BadUserInputError } from './gatewayError.js';

/**
 * Opaque page cursors (Relay's `after`): base64url of a short text only billgraph reads back, so
 * a client passes them on and never builds one.
 */
export const encodeCursor = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** What `pattern` finds in a cursor of the list field `field`, or BAD_USER_INPUT saying what to pass. */
export function readCursor(cursor: string, pattern: RegExp, field: string): RegExpExecArray {
  const match = pattern.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match)
    throw new BadUserInputError(
      `Argument "after" must be a cursor returned by ${field} (pageInfo.endCursor), got "${cursor.slice(0, 40)}".`,
      'after',
    );
  return match;
}
