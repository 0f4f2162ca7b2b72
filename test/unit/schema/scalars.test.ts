import { parseValue as parseLiteralText } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../../src/errors.js';
import { DateScalar, DateTime, Decimal } from '../../../src/schema/scalars.js';

/** The error `run` throws (failing the test when it throws nothing). */
function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

/** A BAD_USER_INPUT error with exactly this message. */
function expectBadInput(run: () => unknown, message: string): void {
  const error = thrown(run);
  expect(error).toBeInstanceOf(BadUserInputError);
  expect(error.message).toBe(message);
  expect((error as BadUserInputError).extensions.code).toBe('BAD_USER_INPUT');
}

const literal = (text: string) => parseLiteralText(text);

describe('DateTime', () => {
  it('refuses an invalid Date with its own message, not a RangeError from the formatter', () => {
    expect(() => DateTime.serialize(new Date(NaN))).toThrow(TypeError);
    expect(() => DateTime.serialize(new Date(NaN))).toThrow(/^DateTime cannot represent /);
  });

  it('serialises a Date or an RFC 3339 string as UTC with a Z', () => {
    expect(DateTime.serialize(new Date(Date.UTC(2026, 10, 1)))).toBe('2026-11-01T00:00:00Z');
    expect(DateTime.serialize('2026-11-01T02:00:00+02:00')).toBe('2026-11-01T00:00:00Z');
    expect(DateTime.serialize('2026-11-01T00:00:00.120Z')).toBe('2026-11-01T00:00:00.120Z');
  });

  it('refuses to serialise anything else, with a TypeError naming it', () => {
    expect(thrown(() => DateTime.serialize('yesterday'))).toEqual(
      new TypeError('DateTime cannot represent "yesterday".'),
    );
    expect(thrown(() => DateTime.serialize(1_790_000_000_000))).toEqual(
      new TypeError('DateTime cannot represent 1790000000000.'),
    );
    expect(thrown(() => DateTime.serialize({ at: 1 }))).toEqual(new TypeError('DateTime cannot represent an object.'));
    expect(thrown(() => DateTime.serialize([]))).toEqual(new TypeError('DateTime cannot represent a list.'));
  });

  it('reads a variable with any offset and normalises it to UTC', () => {
    expect(DateTime.parseValue('2026-10-31T20:00:00-04:00')).toBe('2026-11-01T00:00:00Z');
  });

  it('refuses a variable that is not an instant with an offset, quoting it', () => {
    expectBadInput(
      () => DateTime.parseValue('2026-11-01'),
      'DateTime must be an RFC 3339 instant with an offset, such as "2026-11-01T00:00:00Z", got "2026-11-01".',
    );
    expectBadInput(
      () => DateTime.parseValue('2026-02-30T00:00:00Z'),
      'DateTime must be an RFC 3339 instant with an offset, such as "2026-11-01T00:00:00Z", got "2026-02-30T00:00:00Z".',
    );
  });

  it('names a number, a list or an object it refuses without serialising it', () => {
    expectBadInput(
      () => DateTime.parseValue(1_790_000_000_000),
      'DateTime must be an RFC 3339 instant with an offset, such as "2026-11-01T00:00:00Z", got 1790000000000.',
    );
    expectBadInput(
      () => DateTime.parseValue([['deep']]),
      'DateTime must be an RFC 3339 instant with an offset, such as "2026-11-01T00:00:00Z", got a list.',
    );
    expectBadInput(
      () => DateTime.parseValue({ start: 'x' }),
      'DateTime must be an RFC 3339 instant with an offset, such as "2026-11-01T00:00:00Z", got an object.',
    );
  });

  it('cuts a long refused value to 80 characters in the message', () => {
    const long = 'x'.repeat(500);
    expectBadInput(
      () => DateTime.parseValue(long),
      `DateTime must be an RFC 3339 instant with an offset, such as "2026-11-01T00:00:00Z", got "${'x'.repeat(80)}…".`,
    );
  });

  it('reads a string literal from the query text', () => {
    expect(DateTime.parseLiteral(literal('"2026-11-01T01:00:00+01:00"'))).toBe('2026-11-01T00:00:00Z');
  });

  it('refuses a literal that is not a string, naming its digits or its kind', () => {
    expectBadInput(
      () => DateTime.parseLiteral(literal('20261101')),
      'DateTime must be given as a string, got 20261101.',
    );
    expectBadInput(() => DateTime.parseLiteral(literal('1.5')), 'DateTime must be given as a string, got 1.5.');
    expectBadInput(
      () => DateTime.parseLiteral(literal('true')),
      'DateTime must be given as a string, got BooleanValue.',
    );
    expectBadInput(() => DateTime.parseLiteral(literal('NOW')), 'DateTime must be given as a string, got EnumValue.');
  });
});

describe('Date', () => {
  it('serialises a calendar date as it is', () => {
    expect(DateScalar.serialize('2026-10-31')).toBe('2026-10-31');
  });

  it('refuses to serialise a date that does not exist or another shape', () => {
    expect(thrown(() => DateScalar.serialize('2026-02-30'))).toEqual(
      new TypeError('Date cannot represent "2026-02-30".'),
    );
    expect(thrown(() => DateScalar.serialize(new Date(0)))).toEqual(new TypeError('Date cannot represent an object.'));
  });

  it('reads a calendar date variable unchanged', () => {
    expect(DateScalar.parseValue('2028-02-29')).toBe('2028-02-29');
  });

  it('refuses a variable that is not YYYY-MM-DD or not a real day', () => {
    expectBadInput(
      () => DateScalar.parseValue('2026-2-1'),
      'Date must be a calendar date "YYYY-MM-DD", got "2026-2-1".',
    );
    expectBadInput(
      () => DateScalar.parseValue('2026-11-01T00:00:00Z'),
      'Date must be a calendar date "YYYY-MM-DD", got "2026-11-01T00:00:00Z".',
    );
    expectBadInput(
      () => DateScalar.parseValue('2026-04-31'),
      'Date must be a calendar date "YYYY-MM-DD", got "2026-04-31".',
    );
    expectBadInput(() => DateScalar.parseValue(20261101), 'Date must be a calendar date "YYYY-MM-DD", got 20261101.');
  });

  it('reads a string literal and refuses any other literal', () => {
    expect(DateScalar.parseLiteral(literal('"2026-10-31"'))).toBe('2026-10-31');
    expectBadInput(() => DateScalar.parseLiteral(literal('20261031')), 'Date must be given as a string, got 20261031.');
    expectBadInput(
      () => DateScalar.parseLiteral(literal('["2026-10-31"]')),
      'Date must be given as a string, got ListValue.',
    );
  });
});

describe('Decimal', () => {
  it('refuses an exponent past ±1000 with a message saying to write the digits out, without expanding it', () => {
    expect(() => Decimal.parseValue('1e999999')).toThrow(
      'Decimal exponents must be within ±1000 (write the digits out), got "1e999999".',
    );
    expect(() => Decimal.parseValue('+-5')).toThrow('Decimal must be a decimal number in a string');
  });

  it('serialises a decimal string exactly as it is, trailing zeros kept', () => {
    expect(Decimal.serialize('0.015774193694443002')).toBe('0.015774193694443002');
    expect(Decimal.serialize('12.50')).toBe('12.50');
    expect(Decimal.serialize('-3')).toBe('-3');
  });

  it('serialises a safe integer number as its digits', () => {
    expect(Decimal.serialize(42)).toBe('42');
    expect(Decimal.serialize(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
  });

  it('refuses to serialise a float, an unsafe integer or a non-decimal string', () => {
    expect(thrown(() => Decimal.serialize(1.5))).toEqual(new TypeError('Decimal cannot represent 1.5.'));
    expect(thrown(() => Decimal.serialize(2 ** 53))).toEqual(
      new TypeError('Decimal cannot represent 9007199254740992.'),
    );
    expect(thrown(() => Decimal.serialize('12,5'))).toEqual(new TypeError('Decimal cannot represent "12,5".'));
  });

  it('reads a decimal string variable, dropping a leading "+" and surrounding spaces', () => {
    expect(Decimal.parseValue('0.10')).toBe('0.10');
    expect(Decimal.parseValue('+12.50')).toBe('12.50');
    expect(Decimal.parseValue(' 7 ')).toBe('7');
  });

  it('writes an exponent out as plain digits', () => {
    expect(Decimal.parseValue('1.5E-3')).toBe('0.0015');
    expect(Decimal.parseValue('25e2')).toBe('2500');
  });

  it('refuses a number variable, since JSON numbers may already have lost digits, and shows how to send it', () => {
    expectBadInput(
      () => Decimal.parseValue(0.1),
      'Decimal must be sent as a string to stay exact, e.g. "0.1", got the number 0.1.',
    );
    expectBadInput(
      () => Decimal.parseValue(3),
      'Decimal must be sent as a string to stay exact, e.g. "3", got the number 3.',
    );
  });

  it('refuses a string that is not a plain decimal', () => {
    for (const text of ['12,5', '1/2', '', '.5', '5.', 'NaN', 'Infinity', '0x10', '1_000']) {
      expectBadInput(
        () => Decimal.parseValue(text),
        `Decimal must be a decimal number in a string, such as "12.5", got "${text}".`,
      );
    }
  });

  it('refuses a boolean, a list or an object, naming only what it was', () => {
    expectBadInput(
      () => Decimal.parseValue(true),
      'Decimal must be a decimal number in a string, such as "12.5", got true.',
    );
    expectBadInput(
      () => Decimal.parseValue(['1']),
      'Decimal must be a decimal number in a string, such as "12.5", got a list.',
    );
    expectBadInput(
      () => Decimal.parseValue({ amount: '1' }),
      'Decimal must be a decimal number in a string, such as "12.5", got an object.',
    );
  });

  it('reads an integer literal keeping every digit, beyond a double’s precision', () => {
    expect(Decimal.parseLiteral(literal('12345678901234567890123'))).toBe('12345678901234567890123');
  });

  it('reads a string literal, and refuses a float literal that a double would round', () => {
    expect(Decimal.parseLiteral(literal('"1.00000000000000001"'))).toBe('1.00000000000000001');
    expectBadInput(() => Decimal.parseLiteral(literal('1.5')), 'Decimal must be given as a string, got 1.5.');
    expectBadInput(() => Decimal.parseLiteral(literal('null')), 'Decimal must be given as a string, got NullValue.');
  });
});
