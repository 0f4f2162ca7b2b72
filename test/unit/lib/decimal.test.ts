import { describe, expect, it } from 'vitest';
import {
  compareDecimals,
  equalDecimals,
  exponentTooLarge,
  multiplyDecimals,
  normaliseDecimalInput,
  sumDecimals,
} from '../../../src/lib/decimal.js';
import { totalsByCurrency } from '../../../src/lib/money.js';

describe('decimal arithmetic', () => {
  it('adds without float error', () => {
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(['333333333.333333333', '333333333.333333333'])).toBe('666666666.666666666');
    expect(sumDecimals([])).toBe('0');
  });

  it('multiplies exactly and never prints exponents', () => {
    expect(multiplyDecimals('0.0000001', '3')).toBe('0.0000003');
    expect(multiplyDecimals('123456789012345678901234567890', '10')).toBe('1234567890123456789012345678900');
  });

  it('normalises input literals and rejects what is not a number', () => {
    expect(normaliseDecimalInput('+12.50')).toBe('12.50');
    expect(normaliseDecimalInput('1e-7')).toBe('0.0000001');
    expect(normaliseDecimalInput('12,5')).toBeNull();
    expect(normaliseDecimalInput('NaN')).toBeNull();
    expect(normaliseDecimalInput('')).toBeNull();
    expect(normaliseDecimalInput('+-5')).toBeNull();
  });

  it('compares decimals by value, whatever their scale', () => {
    expect(equalDecimals('2.50', '2.5')).toBe(true);
    expect(equalDecimals('9007199254740993', '9007199254740992')).toBe(false);
    expect(equalDecimals('0.000000000000000001', '0')).toBe(false);
    expect(compareDecimals('0.10000000000000000001', '0.1')).toBe(1);
    expect(compareDecimals('2.50', '2.5')).toBe(0);
    expect(compareDecimals('-3', '0.5')).toBe(-1);
  });

  it('writes out exponents up to ±1000 and refuses larger ones instead of expanding them', () => {
    expect(normaliseDecimalInput('1e1000')).toBe(`1${'0'.repeat(1000)}`);
    expect(normaliseDecimalInput('-1e-1000')).toBe(`-0.${'0'.repeat(999)}1`);
    expect(normaliseDecimalInput('1e1001')).toBeNull();
    expect(normaliseDecimalInput('1e999999')).toBeNull();
    expect(normaliseDecimalInput('+1E-99999999999999999999')).toBeNull();
    expect(exponentTooLarge('1e1001')).toBe(true);
    expect(exponentTooLarge('1e1000')).toBe(false);
    expect(exponentTooLarge('12.5')).toBe(false);
  });

  it('totals per currency, never across currencies', () => {
    expect(
      totalsByCurrency([
        { amount: '1.10', currency: 'USD' },
        null,
        { amount: '2', currency: 'EUR' },
        { amount: '0.90', currency: 'USD' },
      ]),
    ).toEqual([
      { amount: '2', currency: 'EUR' },
      { amount: '2', currency: 'USD' },
    ]);
  });
});

describe('the big.js configuration', () => {
  it('is billgraph’s own: other users of big.js keep its exponent defaults', async () => {
    const { default: SharedBig } = await import('big.js');
    expect([SharedBig.NE, SharedBig.PE]).toEqual([-7, 21]);
    expect(new SharedBig('1e-7').toString()).toBe('1e-7');
    expect(multiplyDecimals('0.0000001', '1')).toBe('0.0000001');
  });
});
