import { describe, expect, it } from 'vitest';
import { EMPTY_BOOK, ISO_4217, currencyBook } from '../../../src/lib/rates.js';

const ms = (iso: string) => Date.parse(iso);
const book = currencyBook(
  {
    BUZZ: {
      virtual: true,
      rates: [
        { rate: '0.002', to: 'USD', from: '2026-11-01' },
        { rate: '0.001', to: 'USD', from: '2026-01-01' },
      ],
    },
    EUR: { rates: [{ rate: '1.08', to: 'USD', from: '2026-01-01' }] },
    POINTS: { virtual: false, rates: [] },
  },
  ['CREDITS'],
);
const day = (iso: string) => [ms(iso), ms(iso) + 86_400_000] as const;

describe('currencyBook', () => {
  it('knows ISO 4217 codes as billing currencies, declared and other codes as virtual', () => {
    expect(ISO_4217.has('EUR') && ISO_4217.has('USD') && !ISO_4217.has('BUZZ')).toBe(true);
    expect(['EUR', 'USD', 'BUZZ', 'CREDITS', 'GEMS'].map((c) => book.isVirtual(c))).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
    // The config's word wins (validation refuses a non-ISO code marked billing).
    expect(book.isVirtual('POINTS')).toBe(false);
    expect(EMPTY_BOOK.isVirtual('CREDITS')).toBe(true);
  });

  it('converts at the rate valid at the bucket start, exactly, sorting the rates itself', () => {
    expect(book.convert({ amount: '1234.5', currency: 'BUZZ' }, 'USD', ...day('2026-10-31T00:00:00Z'))).toEqual({
      kind: 'converted',
      money: { amount: '1.2345', currency: 'USD' },
    });
    expect(book.convert({ amount: '1234.5', currency: 'BUZZ' }, 'USD', ...day('2026-11-01T00:00:00Z'))).toEqual({
      kind: 'converted',
      money: { amount: '2.469', currency: 'USD' },
    });
    expect(book.convert({ amount: '0.1', currency: 'USD' }, 'USD', 0, 1)).toEqual({
      kind: 'converted',
      money: { amount: '0.1', currency: 'USD' },
    });
  });

  it('does not convert without a rate: before the first, in the other direction, or chained', () => {
    expect(book.convert({ amount: '1', currency: 'BUZZ' }, 'USD', ...day('2025-12-31T00:00:00Z')).kind).toBe('noRate');
    expect(book.convert({ amount: '1', currency: 'USD' }, 'EUR', ...day('2026-10-01T00:00:00Z')).kind).toBe('noRate');
    expect(book.convert({ amount: '1', currency: 'BUZZ' }, 'EUR', ...day('2026-10-01T00:00:00Z')).kind).toBe('noRate');
  });

  it('does not convert a bucket a rate change falls inside', () => {
    expect(
      book.convert({ amount: '1', currency: 'BUZZ' }, 'USD', ms('2026-10-01T00:00:00Z'), ms('2026-12-01T00:00:00Z'))
        .kind,
    ).toBe('rateChanges');
  });
});
