import { BadUserInputError } from '../errors.js';
import type { UsageReportResolvers } from '../generated/resolvers.js';
import type { UsageReportModel } from '../models.js';
import type { CurrencyBook } from '../lib/rates.js';
import {
  billingTotals,
  convertTotal,
  unpricedMetrics,
  virtualTotals,
  type ConvertedTotal,
} from '../reports/currencyTotals.js';

const CURRENCY = /^[A-Z]{3,10}$/;

const conversions = new WeakMap<UsageReportModel, ConvertedTotal>();

/** The report's conversion into its `currency` argument, computed once per report; null without one. */
function conversionOf(report: UsageReportModel, book: CurrencyBook): ConvertedTotal | null {
  const currency = report.currency;
  if (!currency) return null;
  if (!CURRENCY.test(currency))
    throw new BadUserInputError(
      `Argument "currency" must be a currency code of 3–10 capital letters such as "USD", got ${JSON.stringify(currency)}.`,
      'currency',
    );
  let found = conversions.get(report);
  if (!found) {
    found = convertTotal(report.points, currency, book);
    conversions.set(report, found);
  }
  return found;
}

/**
 * UsageReport's money fields (docs/pricing.md), computed from the report's points: totals in
 * billing currencies, virtual totals, unpriced metrics and the conversion into `currency`.
 */
export const UsageReport: UsageReportResolvers = {
  totals: (report, _args, ctx) => billingTotals(report.points, ctx.currencies()),
  virtualTotals: (report, _args, ctx) => virtualTotals(report.points, ctx.currencies()),
  unpricedMetrics: (report) => unpricedMetrics(report.points),
  converted: (report, _args, ctx) => conversionOf(report, ctx.currencies())?.converted ?? null,
  unconverted: (report, _args, ctx) => conversionOf(report, ctx.currencies())?.unconverted ?? [],
};
