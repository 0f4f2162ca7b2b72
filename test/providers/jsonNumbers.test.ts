import { parse } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from '../../src/lib/parseJsonLossless.js';
import { losslessNumber, numberLiteral } from '../../src/providers/jsonNumbers.js';

describe('numberLiteral', () => {
  it('takes the literal parseJsonLossless keeps, every digit, and refuses what is not a number', () => {
    const body = parseJsonLossless('[0.015774193694443002001, -3, 1e-7]') as string[];
    expect(body.map((v) => numberLiteral.parse(v))).toEqual(['0.015774193694443002001', '-3', '1e-7']);
    for (const bad of ['12a', '', '1.', 'NaN', '+1']) expect(numberLiteral.safeParse(bad).success, bad).toBe(false);
  });
});

describe('losslessNumber', () => {
  it('takes a JSON number from lossless-json as its literal, and refuses a quoted one', () => {
    expect(losslessNumber.parse((parse('[333333333.333333333]') as unknown[])[0])).toBe('333333333.333333333');
    expect(losslessNumber.safeParse((parse('["12"]') as unknown[])[0]).success).toBe(false);
  });
});
