/**
 * The columns of billgraph's FOCUS export (Cost and Usage dataset, docs/focus.md), in the order
 * they are written: FOCUS columns first, then billgraph's own with the `x_` prefix, as FOCUS's
 * ColumnHandling asks. Which columns a FOCUS version has decides what `version=1.2` drops.
 */

/** The FOCUS versions the export writes. */
export const FOCUS_VERSIONS = ['1.3', '1.2'] as const;
export type FocusVersion = (typeof FOCUS_VERSIONS)[number];

export interface FocusColumn {
  readonly name: string;
  /** The first FOCUS version that has it; billgraph's own columns: null. */
  readonly since: '1.0' | '1.1' | '1.2' | '1.3' | null;
}

/** One row as written: every column, null for an empty cell. */
export type FocusRow = Readonly<Record<string, string | null>>;

const focus = (name: string, since: FocusColumn['since'] = '1.0'): FocusColumn => ({ name, since });

export const FOCUS_COLUMNS: readonly FocusColumn[] = [
  focus('BilledCost'),
  focus('BillingAccountId'),
  focus('BillingAccountName'),
  focus('BillingCurrency'),
  focus('BillingPeriodEnd'),
  focus('BillingPeriodStart'),
  focus('ChargeCategory'),
  focus('ChargeClass', '1.1'),
  focus('ChargeDescription'),
  focus('ChargeFrequency'),
  focus('ChargePeriodEnd'),
  focus('ChargePeriodStart'),
  focus('ConsumedQuantity', '1.1'),
  focus('ConsumedUnit', '1.1'),
  focus('ContractedCost', '1.1'),
  focus('ContractedUnitPrice', '1.1'),
  focus('EffectiveCost'),
  focus('HostProviderName', '1.3'),
  focus('InvoiceId', '1.2'),
  focus('InvoiceIssuerName'),
  focus('ListCost'),
  focus('ListUnitPrice'),
  focus('PricingCurrency', '1.2'),
  focus('PricingCurrencyContractedUnitPrice', '1.2'),
  focus('PricingCurrencyEffectiveCost', '1.2'),
  focus('PricingCurrencyListUnitPrice', '1.2'),
  focus('PricingQuantity'),
  focus('PricingUnit'),
  // Deprecated in 1.3 (ServiceProviderName and HostProviderName replace them) but still
  // Mandatory: written so 1.2 readers keep working.
  focus('ProviderName'),
  focus('PublisherName'),
  focus('ServiceCategory'),
  focus('ServiceName'),
  focus('ServiceProviderName', '1.3'),
  focus('ServiceSubcategory', '1.1'),
  focus('SkuId'),
  focus('SkuMeter', '1.1'),
  focus('SkuPriceDetails', '1.1'),
  focus('SkuPriceId'),
  { name: 'x_SourceId', since: null },
  { name: 'x_AccountId', since: null },
  { name: 'x_Metric', since: null },
  { name: 'x_Unit', since: null },
  { name: 'x_IsFinal', since: null },
  { name: 'x_CostOrigin', since: null },
];

const ORDER = ['1.0', '1.1', '1.2', '1.3'];

/** The column names a version's export writes, in order. */
export function columnsOf(version: FocusVersion): string[] {
  return FOCUS_COLUMNS.filter((c) => c.since === null || ORDER.indexOf(c.since) <= ORDER.indexOf(version)).map(
    (c) => c.name,
  );
}

/**
 * The FOCUS applicability criteria billgraph declares for its export (the requirements model's
 * names); every rule gated by another criterion does not apply to it. Why each: docs/focus.md.
 */
export const DECLARED_CRITERIA: readonly string[] = [
  'ACCOUNT_NAMING_SUPPORTED',
  'USAGE_MEASUREMENT_SUPPORTED',
  'UNIT_PRICING_SUPPORTED',
  'VIRTUAL_CURRENCY_SUPPORTED',
  'PRICING_BILLING_CURRENCY_DIFFERENCES_SUPPORTED',
];
