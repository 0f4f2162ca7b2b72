import { BadUserInputError } from '../errors.js';
import { encodeCursor, readCursor } from '../lib/cursor.js';
import type { SourceModel } from '../models.js';

/**
 * Where an edge of `accounts` sits: its source and its index in that source's own list. A
 * cursor that counted across sources would shift when one source fails for one page, and the
 * next page would skip or repeat the other sources' accounts; a position per source cannot.
 */
export interface AccountsPosition {
  /** Index of the source in the query's selected sources. */
  readonly sourceIndex: number;
  /** Index of the account in that source's list. */
  readonly index: number;
}

/** Source ids are 1–64 letters, digits, "-" or "_" (config.ts), so ":" separates unambiguously. */
const CURSOR = /^([A-Za-z0-9][A-Za-z0-9_-]{0,63}):(\d{1,9})$/;

export const encodeAccountsCursor = (sourceId: string, index: number): string => encodeCursor(`${sourceId}:${index}`);

/** The position a cursor names among `selected`, or BAD_USER_INPUT saying what to pass instead. */
export function decodeAccountsCursor(cursor: string, selected: readonly SourceModel[]): AccountsPosition {
  const match = readCursor(cursor, CURSOR, 'accounts');
  const sourceIndex = selected.findIndex((s) => s.id === match[1]);
  if (sourceIndex < 0)
    throw new BadUserInputError(
      `Argument "after" is a cursor of a source this query does not list; pass the same "provider" and "source" arguments as the query that returned it, or start again without "after".`,
      'after',
    );
  return { sourceIndex, index: Number(match[2]) };
}
