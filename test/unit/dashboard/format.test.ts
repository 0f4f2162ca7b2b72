import { describe, expect, it } from 'vitest';
import { formatDecimal, formatMoney, formatQuantity } from '../../../web/src/format.js';

describe('the dashboard’s number display', () => {
  it('rounds amounts half-up from their digits, never truncating', () => {
    expect(formatDecimal('91840.726988')).toBe('91,840.73');
    expect(formatDecimal('0.005')).toBe('0.01');
    expect(formatDecimal('-2.345')).toBe('-2.35');
    expect(formatDecimal('7')).toBe('7.00');
  });

  it('rounds from the exact decimal, past what a double holds', () => {
    // As a double 0.145 is 0.14499999999999999: a float would round it down.
    expect(formatDecimal('0.145')).toBe('0.15');
    expect(formatDecimal('71759274778.146402')).toBe('71,759,274,778.15');
    expect(formatDecimal('123456789012345678.995')).toBe('123,456,789,012,345,679.00');
  });

  it('shows counts without decimals and fractions to two places at most', () => {
    expect(formatQuantity('1299684')).toBe('1,299,684');
    expect(formatQuantity('1299684.000000')).toBe('1,299,684');
    expect(formatQuantity('0.125')).toBe('0.13');
    expect(formatQuantity('33135.143099')).toBe('33,135.14');
    expect(formatQuantity('11904.004')).toBe('11,904');
  });

  it('writes money with its currency, and leaves a value that is not a decimal as it came', () => {
    expect(formatMoney({ amount: '1060211.912244', currency: 'BUZZ' })).toBe('1,060,211.91 BUZZ');
    expect(formatDecimal('n/a')).toBe('n/a');
  });
});
