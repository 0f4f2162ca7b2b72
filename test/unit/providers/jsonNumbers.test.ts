import { describe, expect, it } from 'vitest';
import { parseJsonLossless, parseJsonTyped } from '../../../src/lib/parseJsonLossless.js';
import { numberLiteral, typedNumber } from '../../../src/providers/jsonNumbers.js';

describe('numberLiteral', () => {
  it('takes the literal parseJsonLossless keeps, every digit, and refuses what is not a number', () => {
    const body = parseJsonLossless('[0.015774193694443002001, -3, 1e-7]') as string[];
    expect(body.map((v) => numberLiteral.parse(v))).toEqual(['0.015774193694443002001', '-3', '1e-7']);
    for (const bad of ['12a', '', '1.', 'NaN', '+1']) expect(numberLiteral.safeParse(bad).success, bad).toBe(false);
  });
});

describe('typedNumber', () => {
  it('takes a JSON number from parseJsonTyped as its literal, and refuses a quoted one', () => {
    const [number, quoted, plain] = parseJsonTyped('[333333333.333333333, "12", "x"]') as unknown[];
    expect(typedNumber.parse(number)).toBe('333333333.333333333');
    expect(typedNumber.safeParse(quoted).success).toBe(false);
    expect(typedNumber.safeParse(plain).success).toBe(false);
    expect(typedNumber.safeParse(12).success).toBe(false);
  });
});
