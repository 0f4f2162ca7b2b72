import { describe, expect, it } from 'vitest';
import { changesWithin, parseFrom, priceAt, priceSteps } from '../../../src/lib/prices.js';

const ms = (iso: string) => Date.parse(iso);
const dated = [
  { amount: '0.0125', currency: 'EUR', from: '2026-01-01' },
  { amount: '0.0150', currency: 'EUR', from: '2026-11-02' },
];

describe('parseFrom', () => {
  it('reads a date as its UTC midnight and an RFC 3339 instant with its offset', () => {
    expect(parseFrom('2026-11-02')).toBe(ms('2026-11-02T00:00:00Z'));
    expect(parseFrom('2026-11-02T01:00:00+01:00')).toBe(ms('2026-11-02T00:00:00Z'));
    expect(parseFrom('2026-02-30')).toBeNull();
    expect(parseFrom('2026-11-02T00:00:00')).toBeNull();
  });
});

describe('priceAt', () => {
  it('gives a flat price at any instant', () => {
    const flat = { amount: '0.0125', currency: 'EUR' };
    expect(priceAt(flat, ms('1990-01-01T00:00:00Z'))).toEqual(flat);
    expect(priceSteps(flat)).toEqual([{ fromMs: -Infinity, price: flat }]);
  });

  it('gives the price valid at the instant: none before the first, each from its `from` on', () => {
    expect(priceAt(dated, ms('2025-12-31T23:59:59Z'))).toBeUndefined();
    expect(priceAt(dated, ms('2026-01-01T00:00:00Z'))).toEqual({ amount: '0.0125', currency: 'EUR' });
    expect(priceAt(dated, ms('2026-11-01T23:00:00Z'))).toEqual({ amount: '0.0125', currency: 'EUR' });
    expect(priceAt(dated, ms('2026-11-02T00:00:00Z'))).toEqual({ amount: '0.0150', currency: 'EUR' });
    expect(priceAt(undefined, 0)).toBeUndefined();
  });

  it('computes the steps of one setting once', () => {
    expect(priceSteps(dated)).toBe(priceSteps(dated));
  });
});

describe('changesWithin', () => {
  const table = {
    CU: dated,
    SU: [
      { amount: '1', currency: 'USD', from: '2026-10-01' },
      { amount: '2', currency: 'USD', from: '2026-11-02' },
      { amount: '3', currency: 'USD', from: '2026-11-20T05:00:00Z' },
    ],
    NU: { amount: '4.50', currency: 'EUR' },
  };

  it('lists each change strictly inside [start, end) once, sorted, never a first `from`', () => {
    expect(changesWithin(table, ms('2026-09-01T00:00:00Z'), ms('2026-12-01T00:00:00Z'))).toEqual([
      ms('2026-11-02T00:00:00Z'),
      ms('2026-11-20T05:00:00Z'),
    ]);
  });

  it('does not count a change at the bucket start or end', () => {
    expect(changesWithin(table, ms('2026-11-02T00:00:00Z'), ms('2026-11-03T00:00:00Z'))).toEqual([]);
    expect(changesWithin(table, ms('2026-11-01T00:00:00Z'), ms('2026-11-02T00:00:00Z'))).toEqual([]);
  });
});
