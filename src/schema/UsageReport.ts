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
import { groupRows, keyString } from '../reports/groupRows.js';
import { decodeGroupsCursor, encodeGroupsCursor } from '../reports/groupsCursor.js';
import { defaultSortCurrency, foldTop, sortGroups } from '../reports/sortGroups.js';

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

const MAX_PAGE = 500;

/**
 * UsageReport's own fields beyond the report model's (points, complete, errors): the money fields
 * (docs/pricing.md) — totals in billing currencies, virtual totals, unpriced metrics and the
 * conversion into `currency` — and the groups (docs/reports.md).
 */
export const UsageReport: UsageReportResolvers = {
  totals: (report, _args, ctx) => billingTotals(report.points, ctx.currencies()),
  virtualTotals: (report, _args, ctx) => virtualTotals(report.points, ctx.currencies()),
  unpricedMetrics: (report) => unpricedMetrics(report.points),
  converted: (report, _args, ctx) => conversionOf(report, ctx.currencies())?.converted ?? null,
  unconverted: (report, _args, ctx) => conversionOf(report, ctx.currencies())?.unconverted ?? [],
  groups(report, { first, after, top, sortCurrency }, ctx) {
    const pageSize = first ?? 50;
    if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > MAX_PAGE)
      throw new BadUserInputError(`Argument "first" must be between 0 and ${MAX_PAGE}, got ${pageSize}.`, 'first');
    if (top !== null && top !== undefined && (!Number.isInteger(top) || top < 1))
      throw new BadUserInputError(`Argument "top" must be 1 or more, got ${top}; omit it for every group.`, 'top');
    const book = ctx.currencies();
    const currency = sortCurrency ?? defaultSortCurrency(report.rows, (c) => book.isVirtual(c));
    const sorted = sortGroups(
      groupRows(report.rows, report.dimensions, report.buckets, report.failed, {
        sources: report.sources,
        isFinal: report.isFinalBucket,
      }),
      currency,
    );
    const groups = top ? foldTop(sorted, top, report.dimensions) : sorted;
    const keys = groups.map((g) => keyString(g.key));
    const from = after ? decodeGroupsCursor(after, keys) + 1 : 0;
    const page = groups.slice(from, from + pageSize);
    const edges = page.map((node, i) => ({ cursor: encodeGroupsCursor(from + i, keys[from + i]!), node }));
    return {
      edges,
      pageInfo: { hasNextPage: from + page.length < groups.length, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: groups.length,
    };
  },
};
