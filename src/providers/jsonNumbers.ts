import { isLosslessNumber, type LosslessNumber } from 'lossless-json';
import { z } from 'zod';

/** A JSON number's grammar (RFC 8259), as a whole string. */
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * A JSON number kept as its literal by parseJsonLossless (the shared REST client's default
 * parse), e.g. "0.015774193694443002": every digit, no double in between. Bodies parsed that way
 * cannot tell a number from a quoted number; upstreams where that matters use `losslessNumber`.
 */
export const numberLiteral = z.string().regex(NUMBER, 'a number');

/**
 * A JSON number from a body parsed by lossless-json's own `parse` (LosslessNumber wrappers, not
 * strings), as its literal text: a quoted number such as `"12"` is refused as the wrong type.
 */
export const losslessNumber = z.custom<LosslessNumber>(isLosslessNumber, 'a JSON number').transform((n) => n.value);
