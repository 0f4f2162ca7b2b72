import type { GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../../src/context.js';
import { currencyBook } from '../../../src/lib/rates.js';
import type { UsageReportModel } from '../../../src/models.js';
import { UsageReport } from '../../../src/schema/UsageReport.js';
import { contextOf, emptyApi } from '../helpers/context.js';
import { pointCosting } from '../helpers/points.js';

const source = { id: 'g8', provider: 'OPENVCLOUD', name: 'g8' } as const;
const report = (currency: string | null): UsageReportModel => ({
  sources: [source],
  points: [
    pointCosting(source, { amount: '1.5', currency: 'EUR' }),
    pointCosting(source, { amount: '1000', currency: 'BUZZ' }),
    pointCosting(source, { amount: '3', currency: 'CREDITS' }),
    pointCosting(source, null, 'TU'),
  ],
  totals: [],
  currency,
  complete: true,
  errors: [],
});

type Field = keyof typeof UsageReport;
const resolve = (field: Field, model: UsageReportModel, ctx: Context): unknown =>
  (UsageReport[field] as (p: unknown, a: unknown, c: unknown, i: GraphQLResolveInfo) => unknown)(
    model,
    {},
    ctx,
    {} as GraphQLResolveInfo,
  );

describe('UsageReport', () => {
  it('splits totals by billing and virtual currency, with the providers’ declared virtual currencies', () => {
    const { ctx } = contextOf([{ id: 'g8', provider: 'OPENVCLOUD', api: emptyApi() }]);
    const model = report(null);
    expect(resolve('totals', model, ctx)).toEqual([{ currency: 'EUR', amount: '1.5' }]);
    expect(resolve('virtualTotals', model, ctx)).toEqual([
      { currency: 'BUZZ', amount: '1000' },
      { currency: 'CREDITS', amount: '3' },
    ]);
    expect(resolve('unpricedMetrics', model, ctx)).toEqual([{ source, metric: 'TU', unit: 'h' }]);
    expect(resolve('converted', model, ctx)).toBeNull();
    expect(resolve('unconverted', model, ctx)).toEqual([]);
  });

  it('converts into the currency asked with the configured rates and lists what had none', () => {
    const book = currencyBook({ BUZZ: { rates: [{ rate: '0.001', to: 'EUR', from: '2026-01-01' }] } });
    const ctx = { currencies: () => book } as unknown as Context;
    const model = report('EUR');
    expect(resolve('converted', model, ctx)).toEqual({ currency: 'EUR', amount: '2.5' });
    expect(resolve('unconverted', model, ctx)).toEqual([{ currency: 'CREDITS', amount: '3' }]);
  });

  it('refuses a currency argument that is not a code', () => {
    const ctx = { currencies: () => currencyBook({}) } as unknown as Context;
    expect(() => resolve('converted', report('usd'), ctx)).toThrow(
      'Argument "currency" must be a currency code of 3–10 capital letters such as "USD", got "usd".',
    );
  });
});
