import { describe, expect, it } from 'vitest';
import type { Money } from '../../../src/lib/money.js';
import { currencyBook } from '../../../src/lib/rates.js';
import type { ConsumptionPointModel, SourceModel } from '../../../src/models.js';
import { billingTotals, convertTotal, unpricedMetrics, virtualTotals } from '../../../src/reports/currencyTotals.js';

const g8: SourceModel = { id: 'g8', provider: 'OPENVCLOUD', name: 'g8' };
const kb: SourceModel = { id: 'kb', provider: 'KILLBILL', name: 'kb' };

const point = (
  cost: Money | null,
  {
    start = '2026-10-01T00:00:00Z',
    end = '2026-10-02T00:00:00Z',
    metric = 'CU',
    unit = 'CU-hours',
    source = g8,
  }: { start?: string; end?: string; metric?: string; unit?: string; source?: SourceModel } = {},
): ConsumptionPointModel => ({
  source,
  start,
  end,
  metric,
  quantity: '1',
  unit,
  cost,
  accountProviderId: '1',
  resource: null,
  isFinal: true,
});

const book = currencyBook(
  {
    BUZZ: {
      rates: [
        { rate: '0.001', to: 'USD', from: '2026-01-01' },
        { rate: '0.002', to: 'USD', from: '2026-10-02' },
      ],
    },
    EUR: { rates: [{ rate: '1.08', to: 'USD', from: '2026-10-01' }] },
  },
  ['CREDITS'],
);

const points = [
  point({ amount: '1.005', currency: 'EUR' }),
  point({ amount: '0.3', currency: 'USD' }),
  point({ amount: '1000', currency: 'BUZZ' }),
  point({ amount: '500', currency: 'BUZZ' }, { start: '2026-10-02T00:00:00Z', end: '2026-10-03T00:00:00Z' }),
  point({ amount: '7', currency: 'BUZZ' }, { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' }),
  point({ amount: '12.25', currency: 'CREDITS' }),
  point({ amount: '2', currency: 'EUR' }, { start: '2026-09-30T00:00:00Z', end: '2026-10-01T00:00:00Z' }),
  point(null, { metric: 'TU', unit: 'TU-hours' }),
  point(null, { metric: 'TU', unit: 'TU-hours' }),
  point(null, { metric: 'api-calls', unit: 'api-calls', source: kb }),
];

describe('billingTotals and virtualTotals', () => {
  it('split the costs: ISO 4217 currencies in totals, Buzz and credits apart, each in its own currency', () => {
    expect(billingTotals(points, book)).toEqual([
      { currency: 'EUR', amount: '3.005' },
      { currency: 'USD', amount: '0.3' },
    ]);
    expect(virtualTotals(points, book)).toEqual([
      { currency: 'BUZZ', amount: '1507' },
      { currency: 'CREDITS', amount: '12.25' },
    ]);
  });
});

describe('unpricedMetrics', () => {
  it('lists each (source, metric, unit) whose points have no cost once, sorted', () => {
    expect(unpricedMetrics(points)).toEqual([
      { source: g8, metric: 'TU', unit: 'TU-hours' },
      { source: kb, metric: 'api-calls', unit: 'api-calls' },
    ]);
  });
});

describe('convertTotal', () => {
  it('converts each cost at the rate valid at its bucket start and keeps the rest apart per currency', () => {
    expect(convertTotal(points, 'USD', book)).toEqual({
      // 1.005 × 1.08 + 0.3 + 1000 × 0.001 + 500 × 0.002
      converted: { currency: 'USD', amount: '3.3854' },
      unconverted: [
        // The month bucket spans the BUZZ rate change on the 2nd.
        { currency: 'BUZZ', amount: '7' },
        { currency: 'CREDITS', amount: '12.25' },
        // The EUR→USD rate starts on the 1st, after this bucket's start.
        { currency: 'EUR', amount: '2' },
      ],
    });
  });

  it('answers zero in the currency when nothing converts, and never converts without a rate', () => {
    expect(convertTotal([point({ amount: '1', currency: 'EUR' })], 'JPY', book)).toEqual({
      converted: { currency: 'JPY', amount: '0' },
      unconverted: [{ currency: 'EUR', amount: '1' }],
    });
  });
});
