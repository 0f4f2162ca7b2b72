import type { GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../../src/context.js';
import { currencyBook } from '../../../src/lib/rates.js';
import { SeriesPoint, UsageReportGroup } from '../../../src/schema/UsageReportGroup.js';

const ctx = { currencies: () => currencyBook({ TOKENS: { virtual: true, rates: [] } }) } as unknown as Context;
const TOTALS = [
  { amount: '91840.726988830069559576', currency: 'BUZZ' },
  { amount: '2875995.96555880786', currency: 'EUR' },
  { amount: '7', currency: 'TOKENS' },
  { amount: '0.10', currency: 'USD' },
];
type Field = (parent: unknown, args: unknown, ctx: Context, info: GraphQLResolveInfo) => unknown;
const call = (field: unknown, parent: unknown) => (field as Field)(parent, {}, ctx, {} as GraphQLResolveInfo);

describe('UsageReportGroup and SeriesPoint money', () => {
  it('keeps billing currencies in totals and moves virtual ones (ISO 4217 or not, declared or not) to virtualTotals', () => {
    const group = { totals: TOTALS };
    expect(call(UsageReportGroup.totals, group)).toEqual([
      { amount: '2875995.96555880786', currency: 'EUR' },
      { amount: '0.10', currency: 'USD' },
    ]);
    expect(call(UsageReportGroup.virtualTotals, group)).toEqual([
      { amount: '91840.726988830069559576', currency: 'BUZZ' },
      { amount: '7', currency: 'TOKENS' },
    ]);
  });

  it('splits a series point the same way, every digit kept', () => {
    const point = { totals: TOTALS };
    expect(call(SeriesPoint.totals, point)).toEqual(call(UsageReportGroup.totals, point));
    expect(call(SeriesPoint.virtualTotals, point)).toEqual(call(UsageReportGroup.virtualTotals, point));
  });
});
