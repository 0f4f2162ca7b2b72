/**
 * One account's consumption point as one FOCUS Cost and Usage row (docs/focus.md): the money
 * columns the FinOps way — BillingCurrency always a national currency, a virtual currency (Buzz,
 * credits) only ever a PricingCurrency — exact to the digit (decimal strings; products, never
 * quotients), date-times in UTC `YYYY-MM-DDTHH:mm:ssZ`, periods start-inclusive, end-exclusive.
 */
import { normaliseDecimalInput } from '../../lib/decimal.js';
import { formatDateTime } from '../../lib/dateTime.js';
import type { Money } from '../../lib/money.js';
import { priceSteps, type PriceTable } from '../../lib/prices.js';
import type { CurrencyBook } from '../../lib/rates.js';
import type { ConsumptionPointModel, SourceModel } from '../../models.js';
import { BucketPoint } from '../../providers/bucketPoint.js';
import type { FocusService } from '../../providers/types.js';
import type { FocusRow } from './focusColumns.js';
import { focusUnitOf } from './focusUnit.js';

/** How a source's virtual-currency use is billed: its credits bought in advance, or invoiced as they are used. */
export type VirtualBilling = 'prepaid' | 'onUse';

/** What every row of one source shares. */
export interface FocusSourceInfo {
  readonly source: SourceModel;
  /** The provider's display name: ServiceProviderName, HostProviderName, ProviderName, PublisherName. */
  readonly providerName: string;
  readonly service: FocusService;
  readonly prices: PriceTable;
  readonly virtualBilling: VirtualBilling;
}

export interface FocusAccount {
  /** billgraph's global id (x_AccountId). */
  readonly id: string;
  /** The upstream's own id (BillingAccountId). */
  readonly providerId: string;
  readonly name: string | null;
}

/** Why a point is not a row. */
export type FocusRefusal =
  /** It has a quantity but no cost: the upstream states none and no price list prices it. */
  | { readonly kind: 'unpriced'; readonly metric: string; readonly unit: string }
  /** Its cost is in a virtual currency no configured rate converts into a national one over the bucket. */
  | { readonly kind: 'noRate'; readonly currency: string };

/** The national currency each virtual currency is billed in: the `to` of its configured rates (docs/focus.md). */
export type BillingCurrencyOf = (virtualCurrency: string) => string | null;

/** A decimal as FOCUS's NumericFormat wants it: plain digits, never exponent form ("1e-7" → "0.0000001"). */
const plain = (value: string): string => (/[eE]/.test(value) ? (normaliseDecimalInput(value) ?? value) : value);

/** UTC month [start, end) holding `ms`: the billing period of a usage row. */
function monthOf(ms: number): [number, number] {
  const d = new Date(ms);
  return [Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)];
}

/** The price-list step a price-list cost was priced at: its start names the SKU price. */
function priceStepAt(prices: PriceTable, metric: string, ms: number): { fromMs: number; price: Money } | undefined {
  const setting = prices[metric];
  if (!setting) return undefined;
  let found;
  for (const step of priceSteps(setting)) {
    if (step.fromMs > ms) break;
    found = step;
  }
  return found;
}

export function focusRowOf(
  info: FocusSourceInfo,
  account: FocusAccount,
  point: ConsumptionPointModel & { readonly startMs?: number; readonly endMs?: number },
  book: CurrencyBook,
  billingCurrencyOf: BillingCurrencyOf,
): FocusRow | FocusRefusal {
  const stated = point.cost;
  if (!stated) return { kind: 'unpriced', metric: point.metric, unit: point.unit };
  const cost = { amount: plain(stated.amount), currency: stated.currency };
  const quantity = plain(point.quantity);
  const startMs = point.startMs ?? Date.parse(point.start);
  const endMs = point.endMs ?? Date.parse(point.end);
  // A cost the price list gave (not one the upstream stated) has a unit price: the step it was priced at.
  const fromList = point instanceof BucketPoint && point.statedCost === undefined;
  const step = fromList ? priceStepAt(info.prices, point.metric, startMs) : undefined;
  const unitPrice = step?.price.amount ?? null;

  let billing: Money;
  let billingUnitPrice: string | null = unitPrice;
  let billed: string;
  if (book.isVirtual(cost.currency)) {
    const target = billingCurrencyOf(cost.currency);
    const converted = target ? book.convert(cost, target, startMs, endMs) : null;
    if (!target || converted?.kind !== 'converted') return { kind: 'noRate', currency: cost.currency };
    billing = converted.money;
    if (unitPrice !== null) {
      const unit = book.convert({ amount: unitPrice, currency: cost.currency }, target, startMs, endMs);
      billingUnitPrice = unit.kind === 'converted' ? unit.money.amount : null;
    }
    // Credits bought in advance were billed when bought: their use adds nothing to an invoice.
    billed = info.virtualBilling === 'onUse' ? billing.amount : '0';
  } else {
    billing = cost;
    billed = cost.amount;
  }
  const [periodStart, periodEnd] = monthOf(startMs);
  const unit = focusUnitOf(point.unit);
  const { source } = info;
  return {
    BilledCost: billed,
    BillingAccountId: account.providerId,
    BillingAccountName: account.name ?? account.providerId,
    BillingCurrency: billing.currency,
    BillingPeriodEnd: formatDateTime(periodEnd),
    BillingPeriodStart: formatDateTime(periodStart),
    ChargeCategory: 'Usage',
    ChargeClass: null,
    ChargeDescription: `${point.metric} (${point.unit}) at ${source.name}`,
    ChargeFrequency: 'Usage-Based',
    ChargePeriodEnd: formatDateTime(endMs),
    ChargePeriodStart: formatDateTime(startMs),
    ConsumedQuantity: quantity,
    ConsumedUnit: unit,
    ContractedCost: billing.amount,
    ContractedUnitPrice: billingUnitPrice,
    EffectiveCost: billing.amount,
    HostProviderName: info.providerName,
    InvoiceId: null,
    InvoiceIssuerName: source.name,
    ListCost: billing.amount,
    ListUnitPrice: billingUnitPrice,
    PricingCurrency: cost.currency,
    PricingCurrencyContractedUnitPrice: unitPrice,
    PricingCurrencyEffectiveCost: cost.amount,
    PricingCurrencyListUnitPrice: unitPrice,
    PricingQuantity: quantity,
    PricingUnit: unit,
    ProviderName: info.providerName,
    PublisherName: info.providerName,
    ServiceCategory: info.service.serviceCategory,
    ServiceName: info.service.serviceName,
    ServiceProviderName: info.providerName,
    ServiceSubcategory: info.service.serviceSubcategory,
    SkuId: `${source.provider}/${point.metric}`,
    SkuMeter: point.metric,
    SkuPriceDetails: null,
    SkuPriceId: step
      ? `${source.id}/${point.metric}/${Number.isFinite(step.fromMs) ? formatDateTime(step.fromMs) : 'flat'}`
      : `${source.id}/${point.metric}/stated`,
    x_SourceId: source.id,
    x_AccountId: account.id,
    x_Metric: point.metric,
    x_Unit: point.unit,
    x_IsFinal: point.isFinal ? 'true' : 'false',
    x_CostOrigin: fromList ? 'priceList' : 'stated',
  };
}

/** Whether mapping gave a row or a refusal. */
export const isRefusal = (value: FocusRow | FocusRefusal): value is FocusRefusal =>
  typeof (value as { kind?: unknown }).kind === 'string' && !('BilledCost' in value);
