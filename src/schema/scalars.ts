import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { BadUserInputError } from '../errors.js';
import { formatDateTime, isValidDate, parseDateTime } from '../lib/dateTime.js';
import { exponentTooLarge, MAX_DECIMAL_EXPONENT, normaliseDecimalInput } from '../lib/decimal.js';
import { truncate } from '../lib/ids.js';

/**
 * What the caller sent, for a message: a string quoted and cut, a list or object only named. A
 * list or object is never serialised: a variable can nest 100,000 levels deep inside 1 MB, and
 * JSON.stringify would overflow the stack (its RangeError would become the message).
 */
const show = (value: unknown): string => {
  if (typeof value === 'string') return `"${truncate(value)}"`;
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  return truncate(String(value));
};

function stringLiteral(ast: ValueNode, typeName: string): string {
  if (ast.kind !== Kind.STRING)
    throw new BadUserInputError(
      `${typeName} must be given as a string, got ${ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? truncate(ast.value) : ast.kind}.`,
    );
  return ast.value;
}

function parseDateTimeInput(value: unknown): string {
  const ms = typeof value === 'string' ? parseDateTime(value) : null;
  if (ms === null)
    throw new BadUserInputError(
      `DateTime must be an RFC 3339 instant with an offset, such as "2026-11-01T00:00:00Z", got ${show(value)}.`,
    );
  return formatDateTime(ms);
}

/** RFC 3339 in, UTC "Z" out; inputs are normalised to UTC so equal instants compare equal. */
export const DateTime = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description:
    'RFC 3339 instant. Output is always UTC with a Z suffix, e.g. 2026-11-01T00:00:00Z. Input may carry any offset.',
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return formatDateTime(value.getTime());
    if (typeof value === 'string') {
      const ms = parseDateTime(value);
      if (ms !== null) return formatDateTime(ms);
    }
    throw new TypeError(`DateTime cannot represent ${show(value)}.`);
  },
  parseValue: parseDateTimeInput,
  parseLiteral: (ast) => parseDateTimeInput(stringLiteral(ast, 'DateTime')),
});

function parseDateInput(value: unknown): string {
  if (typeof value !== 'string' || !isValidDate(value))
    throw new BadUserInputError(`Date must be a calendar date "YYYY-MM-DD", got ${show(value)}.`);
  return value;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'Calendar date, YYYY-MM-DD.',
  serialize(value) {
    if (typeof value === 'string' && isValidDate(value)) return value;
    throw new TypeError(`Date cannot represent ${show(value)}.`);
  },
  parseValue: parseDateInput,
  parseLiteral: (ast) => parseDateInput(stringLiteral(ast, 'Date')),
});

function parseDecimalInput(value: unknown): string {
  // A JSON number in variables has already been through JSON.parse's double: even one that
  // looks whole (1.00000000000000001 → 1) may have lost digits, so only strings are exact.
  const normalised = typeof value === 'string' ? normaliseDecimalInput(value.trim()) : null;
  if (normalised === null) {
    throw new BadUserInputError(
      typeof value === 'number'
        ? `Decimal must be sent as a string to stay exact, e.g. "${value}", got the number ${value}.`
        : typeof value === 'string' && exponentTooLarge(value.trim())
          ? `Decimal exponents must be within ±${MAX_DECIMAL_EXPONENT} (write the digits out), got ${show(value)}.`
          : `Decimal must be a decimal number in a string, such as "12.5", got ${show(value)}.`,
    );
  }
  return normalised;
}

/** Exact decimals travel as strings both ways. */
export const Decimal = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description:
    'Exact decimal number serialised as a JSON string, e.g. "0.015774193694443002". Never a float; arithmetic is exact.',
  serialize(value) {
    if (typeof value === 'string' && normaliseDecimalInput(value) !== null) return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    throw new TypeError(`Decimal cannot represent ${show(value)}.`);
  },
  parseValue: parseDecimalInput,
  parseLiteral(ast) {
    // An integer literal in the query text keeps its digits (graphql-js hands over the text).
    if (ast.kind === Kind.INT) return parseDecimalInput(ast.value);
    return parseDecimalInput(stringLiteral(ast, 'Decimal'));
  },
});
