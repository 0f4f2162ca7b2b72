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

export const isNegativeDecimal = (value: string): boolean => new Big(value).lt(0);

/** Canonical form: no leading "+", no exponent, trailing zeros kept as sent. */
export function normaliseDecimalInput(value: string): string | null {
  const trimmed = value.startsWith('+') ? value.slice(1) : value;
  if (DECIMAL_LITERAL.test(trimmed)) return trimmed;
  if (/^-?\d+(?:\.\d+)?[eE][+-]?\d+$/.test(trimmed)) return new Big(trimmed).toString();
  return null;
}
