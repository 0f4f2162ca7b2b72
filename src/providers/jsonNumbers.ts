import { z } from 'zod';
import { NUMBER_MARK } from '../lib/parseJsonLossless.js';

/** A JSON number's grammar (RFC 8259), as a whole string. */
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * A JSON number kept as its literal by parseJsonLossless (the shared REST client's default
 * parse), e.g. "0.015774193694443002": every digit, no double in between. Bodies parsed that way
 * cannot tell a number from a quoted number; upstreams where that matters use `typedNumber`.
 */
export const numberLiteral = z.string().regex(NUMBER, 'a number');

/**
 * A JSON number from a body parsed by `parseJsonTyped` (marked, not plain strings), as its
 * literal text: a quoted number such as `"12"` is refused as the wrong type.
 */
export const typedNumber = z
  .string()
  .refine((v) => v.startsWith(NUMBER_MARK) && NUMBER.test(v.slice(NUMBER_MARK.length)), 'a JSON number')
  .transform((v) => v.slice(NUMBER_MARK.length));
