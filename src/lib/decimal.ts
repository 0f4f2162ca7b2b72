import BigJs from 'big.js';

// big.js adds and multiplies exactly; only division rounds (we never divide money).
// `BigJs()` makes a constructor of our own, so turning off exponent notation (every amount prints
// as plain digits) does not change big.js for any other module of the process.
const Big = BigJs();
Big.NE = -1_000_000;
Big.PE = 1_000_000;

/** A plain decimal literal: optional sign, digits, optional fraction. No exponent, no spaces. */
const DECIMAL_LITERAL = /^-?(?:0|[1-9]\d*|\d+)(?:\.\d+)?$/;

/** Exact sum of decimal strings; "0" for none. */
export function sumDecimals(values: Iterable<string>): string {
  let total = new Big(0);
  for (const value of values) total = total.plus(value);
  return total.toString();
}

export const addDecimals = (a: string, b: string): string => new Big(a).plus(b).toString();

export const multiplyDecimals = (a: string, b: string): string => new Big(a).times(b).toString();

/** Whether two decimal strings are the same number, whatever their scale ("2.50" and "2.5" are). */
export const equalDecimals = (a: string, b: string): boolean => new Big(a).eq(b);

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`, exactly. */
export const compareDecimals = (a: string, b: string): number => new Big(a).cmp(b);

export const isNegativeDecimal = (value: string): boolean => new Big(value).lt(0);

/** A decimal in exponent notation, e.g. "1.5e-7"; group 1 is the exponent. */
const EXPONENT_LITERAL = /^-?\d+(?:\.\d+)?[eE]([+-]?\d+)$/;

/**
 * The largest exponent (either sign) an input may carry: its plain digits are at most this long. Without a bound
 * "1e999999", nine characters, would become a million digits (≈34 ms of CPU each, before any cost check).
 */
export const MAX_DECIMAL_EXPONENT = 1000;

/** True when `value` is in exponent notation past ±MAX_DECIMAL_EXPONENT (refused by normaliseDecimalInput). */
export function exponentTooLarge(value: string): boolean {
  const exponent = EXPONENT_LITERAL.exec(value.startsWith('+') ? value.slice(1) : value)?.[1];
  return exponent !== undefined && !(Math.abs(Number(exponent)) <= MAX_DECIMAL_EXPONENT);
}

/** Canonical form: no leading "+", no exponent, trailing zeros kept as sent; null when not a decimal. */
export function normaliseDecimalInput(value: string): string | null {
  // One sign at most: "+-5" is not a number.
  const trimmed = value.startsWith('+') && !value.startsWith('+-') ? value.slice(1) : value;
  if (DECIMAL_LITERAL.test(trimmed)) return trimmed;
  if (EXPONENT_LITERAL.test(trimmed) && !exponentTooLarge(trimmed)) return new Big(trimmed).toString();
  return null;
}
