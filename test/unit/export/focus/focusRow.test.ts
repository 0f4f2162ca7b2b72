import { describe, expect, it } from 'vitest';
import { focusRowOf, isRefusal, type FocusSourceInfo } from '../../../../src/export/focus/focusRow.js';
import { currencyBook } from '../../../../src/lib/rates.js';
import type { Money } from '../../../../src/lib/money.js';
import type { PriceTable } from '../../../../src/lib/prices.js';
import { BucketPoint, type PointOrigin } from '../../../../src/providers/bucketPoint.js';

const DAY = 86_400_000;
const NOV_2 = Date.parse('2026-11-02T00:00:00Z');
const bucket = { startMs: NOV_2, endMs: NOV_2 + DAY, start: '2026-11-02T00:00:00Z', end: '2026-11-03T00:00:00Z' };
const account = { id: 'QWNjb3VudDpnODox', providerId: '1', name: 'NASA' };
const book = currencyBook({ BUZZ: { rates: [{ rate: '0.001', to: 'USD', from: '2026-01-01' }] } }, ['BUZZ', 'CREDITS']);
const billingOf = (code: string) => (code === 'BUZZ' ? 'USD' : null);

function info(prices: PriceTable = {}, virtualBilling: FocusSourceInfo['virtualBilling'] = 'prepaid'): FocusSourceInfo {
  return {
    source: { id: 'g8', provider: 'OPENVCLOUD', name: 'G8 Europe' },
    providerName: 'OpenvCloud',
    service: {
      serviceCategory: 'Compute',
      serviceSubcategory: 'Virtual Machines',
      serviceName: 'OpenvCloud Cloudspaces',
    },
    prices,
    virtualBilling,
  };
}

function point(source: FocusSourceInfo, quantity: string, statedCost?: Money | null) {
  return new BucketPoint(
    {
      source: source.source,
      prices: source.prices as PointOrigin['prices'],
      accountProviderId: '1',
      resource: null,
      now: NOV_2 + 10 * DAY,
      isFinalBucket: () => true,
    },
    bucket,
    'CU',
    quantity,
    'CU-hours',
    statedCost,
  );
}

describe('focusRowOf', () => {
  it('prices a quantity by the dated price list: unit prices set, every cost quantity × price, the SKU price named by its start', () => {
    const prices = {
      CU: [
        { amount: '0.0125', currency: 'EUR', from: '2026-01-01' },
        { amount: '0.0150', currency: 'EUR', from: '2026-11-02' },
      ],
    };
    const s = info(prices);
    const row = focusRowOf(s, account, point(s, '1066.312488'), book, billingOf);
    expect(isRefusal(row)).toBe(false);
    expect(row).toMatchObject({
      BilledCost: '15.99468732',
      EffectiveCost: '15.99468732',
      ListCost: '15.99468732',
      ContractedCost: '15.99468732',
      ListUnitPrice: '0.0150',
      ContractedUnitPrice: '0.0150',
      BillingCurrency: 'EUR',
      PricingCurrency: 'EUR',
      PricingCurrencyEffectiveCost: '15.99468732',
      PricingQuantity: '1066.312488',
      PricingUnit: 'CU-Hours',
      x_Unit: 'CU-hours',
      SkuPriceId: 'g8/CU/2026-11-02T00:00:00Z',
      ChargePeriodStart: '2026-11-02T00:00:00Z',
      ChargePeriodEnd: '2026-11-03T00:00:00Z',
      BillingPeriodStart: '2026-11-01T00:00:00Z',
      BillingPeriodEnd: '2026-12-01T00:00:00Z',
      BillingAccountId: '1',
      BillingAccountName: 'NASA',
      x_CostOrigin: 'priceList',
      x_IsFinal: 'true',
    });
  });

  it('keeps a stated national cost as it is, with no unit price (billgraph never divides money)', () => {
    const s = info();
    const row = focusRowOf(s, account, point(s, '3', { amount: '7.10', currency: 'USD' }), book, billingOf);
    expect(row).toMatchObject({
      BilledCost: '7.10',
      EffectiveCost: '7.10',
      ListUnitPrice: null,
      x_CostOrigin: 'stated',
    });
    expect(row).toMatchObject({ SkuPriceId: 'g8/CU/stated', PricingCurrencyListUnitPrice: null });
  });

  it('bills a prepaid virtual currency at 0 and converts its value into the national currency of its rate', () => {
    const s = info();
    const row = focusRowOf(s, account, point(s, '2', { amount: '1500', currency: 'BUZZ' }), book, billingOf);
    expect(row).toMatchObject({
      BilledCost: '0',
      EffectiveCost: '1.5',
      ListCost: '1.5',
      BillingCurrency: 'USD',
      PricingCurrency: 'BUZZ',
      PricingCurrencyEffectiveCost: '1500',
    });
  });

  it('bills a virtual currency on use at its converted value when the source says so', () => {
    const s = info({}, 'onUse');
    const row = focusRowOf(s, account, point(s, '2', { amount: '1500', currency: 'BUZZ' }), book, billingOf);
    expect(row).toMatchObject({ BilledCost: '1.5', EffectiveCost: '1.5', BillingCurrency: 'USD' });
  });

  it('converts a virtual unit price too, so ListCost is still ListUnitPrice × PricingQuantity', () => {
    const s = info({ CU: { amount: '250', currency: 'BUZZ' } });
    const row = focusRowOf(s, account, point(s, '4'), book, billingOf);
    expect(row).toMatchObject({
      PricingCurrencyListUnitPrice: '250',
      PricingCurrencyEffectiveCost: '1000',
      ListUnitPrice: '0.25',
      ListCost: '1',
    });
  });

  it('refuses a point without a cost, and one in a virtual currency without a rate', () => {
    const s = info();
    expect(focusRowOf(s, account, point(s, '4', null), book, billingOf)).toEqual({
      kind: 'unpriced',
      metric: 'CU',
      unit: 'CU-hours',
    });
    expect(focusRowOf(s, account, point(s, '4', { amount: '9', currency: 'CREDITS' }), book, billingOf)).toEqual({
      kind: 'noRate',
      currency: 'CREDITS',
    });
  });

  it('writes an upstream’s exponent form as plain digits, exactly', () => {
    const s = info();
    const row = focusRowOf(s, account, point(s, '1.5e-7', { amount: '2E+3', currency: 'USD' }), book, billingOf);
    expect(row).toMatchObject({ ConsumedQuantity: '0.00000015', PricingQuantity: '0.00000015', BilledCost: '2000' });
  });
});
