/**
 * What UsageReport says of its points' money (docs/pricing.md): totals in billing currencies,
 * totals in virtual currencies, the metrics that had no price, and one total converted into a
 * currency asked for, with what could not be converted kept apart per currency. Pure functions
 * of the points and the currency book; exact decimals only.
 */
import { totalsByCurrency, type Money } from '../lib/money.js';
import type { CurrencyBook } from '../lib/rates.js';
import type { ConsumptionPointModel, SourceModel } from '../models.js';
import { sumDecimals } from '../lib/decimal.js';

/** Per currency, the points' costs in billing (ISO 4217, not virtual) currencies. */
export const billingTotals = (points: readonly ConsumptionPointModel[], book: CurrencyBook): Money[] =>
  totalsByCurrency(points.map((p) => p.cost).filter((cost) => cost !== null && !book.isVirtual(cost.currency)));

/** Per currency, the points' costs in virtual currencies (Buzz, credits, …), each in its own. */
export const virtualTotals = (points: readonly ConsumptionPointModel[], book: CurrencyBook): Money[] =>
  totalsByCurrency(points.map((p) => p.cost).filter((cost) => cost !== null && book.isVirtual(cost.currency)));

export interface UnpricedMetricModel {
  readonly source: SourceModel;
  readonly metric: string;
  readonly unit: string;
}

/** Each (source, metric, unit) with a point that has a quantity but no cost, once, sorted by source id, metric, unit. */
export function unpricedMetrics(points: readonly ConsumptionPointModel[]): UnpricedMetricModel[] {
  const found = new Map<string, UnpricedMetricModel>();
  for (const point of points) {
    if (point.cost !== null) continue;
    const key = JSON.stringify([point.source.id, point.metric, point.unit]);
    if (!found.has(key)) found.set(key, { source: point.source, metric: point.metric, unit: point.unit });
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, metric]) => metric);
}

export interface ConvertedTotal {
  /** Every cost that converted, summed in the target currency. */
  readonly converted: Money;
  /** Per currency, the costs that did not: no rate at the bucket's start, or a rate change inside the bucket. */
  readonly unconverted: Money[];
}

/**
 * All the points' costs in `currency`, each at the rate valid at its bucket's start. A bucket
 * with a rate change inside it is not converted (one amount cannot be split between two rates
 * exactly): it stays in `unconverted`, with what had no rate at all.
 */
export function convertTotal(
  points: readonly ConsumptionPointModel[],
  currency: string,
  book: CurrencyBook,
): ConvertedTotal {
  const converted: string[] = [];
  const left: Money[] = [];
  for (const point of points) {
    const cost = point.cost;
    if (!cost) continue;
    const result = book.convert(cost, currency, Date.parse(point.start), Date.parse(point.end));
    if (result.kind === 'converted') converted.push(result.money.amount);
    else left.push(cost);
  }
  return { converted: { amount: sumDecimals(converted), currency }, unconverted: totalsByCurrency(left) };
}
