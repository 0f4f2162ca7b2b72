import { describe, expect, it } from 'vitest';
import { costAt, PricedQuantity, totalsByCurrency } from '../../../src/lib/money.js';

describe('PricedQuantity', () => {
  it('is quantity × unit price, exactly, in the price’s currency', () => {
    const cost = new PricedQuantity('71759259266.695080', { amount: '0.00004', currency: 'EUR' });
    expect([cost.amount, cost.currency]).toEqual(['2870370.3706678032', 'EUR']);
  });

  it('multiplies only when its amount is read', () => {
    // A quantity big.js cannot read would throw at once if the product were computed eagerly.
    const cost = new PricedQuantity('not a number', { amount: '2', currency: 'EUR' });
    expect(cost.currency).toBe('EUR');
    expect(() => cost.amount).toThrow();
  });

  it('sums per currency with plain Money, never across currencies', () => {
    const eur = { amount: '0.0125', currency: 'EUR' };
    expect(
      totalsByCurrency([
        costAt('0.1', eur),
        costAt('0.2', eur),
        { amount: '1', currency: 'USD' },
        costAt('5', undefined),
      ]),
    ).toEqual([
      { currency: 'EUR', amount: '0.00375' },
      { currency: 'USD', amount: '1' },
    ]);
  });
});
