/**
 * Dated price lists (docs/pricing.md): `sources[].prices` gives each metric either one flat price
 * (valid since forever) or a list of prices, each valid from its `from` instant until the next
 * one's. A bucket is priced at the price valid at its start; a bucket with a change inside it is
 * priced piece by piece (src/providers/pricedApi.ts), so these helpers also say where the
 * changes fall.
 */
import { parseDateTime, isValidDate } from './dateTime.js';
import type { Money } from './money.js';

/** One entry of a dated list: the price from `from` (a date, UTC midnight, or an RFC 3339 instant) on. */
export interface DatedPrice extends Money {
  readonly from: string;
}

/** A metric's configured price: flat, or dated entries sorted by `from`. */
export type PriceSetting = Money | readonly DatedPrice[];

/** A source's `prices`: metric → price setting. */
export type PriceTable = Readonly<Record<string, PriceSetting>>;

/** One price and the instant it starts (-Infinity for a flat price). */
export interface PriceStep {
  readonly fromMs: number;
  readonly price: Money;
}

/** Epoch milliseconds of a `from`: "2026-11-02" is its UTC midnight; else an RFC 3339 instant. Null when neither. */
export function parseFrom(value: string): number | null {
  if (isValidDate(value)) return Date.parse(`${value}T00:00:00Z`);
  return parseDateTime(value);
}

const steps = new WeakMap<object, readonly PriceStep[]>();

/**
 * The setting as steps sorted by start, computed once per setting object (config objects live
 * as long as the gateway). Entries whose `from` does not parse are left out (config validation
 * refuses them first).
 */
export function priceSteps(setting: PriceSetting): readonly PriceStep[] {
  let found = steps.get(setting);
  if (!found) {
    found = isDatedList(setting)
      ? setting.flatMap((entry) => {
          const fromMs = parseFrom(entry.from);
          return fromMs === null ? [] : [{ fromMs, price: { amount: entry.amount, currency: entry.currency } }];
        })
      : [{ fromMs: -Infinity, price: { amount: setting.amount, currency: setting.currency } }];
    steps.set(setting, found);
  }
  return found;
}

const isDatedList = (setting: PriceSetting): setting is readonly DatedPrice[] => Array.isArray(setting);

/** The price valid at `ms` (the last step starting at or before it); undefined before the first or without a setting. */
export function priceAt(setting: PriceSetting | undefined, ms: number): Money | undefined {
  if (!setting) return undefined;
  let found: Money | undefined;
  for (const step of priceSteps(setting)) {
    if (step.fromMs > ms) break;
    found = step.price;
  }
  return found;
}

/**
 * The instants in (startMs, endMs) where a metric of the table changes from one price to another,
 * sorted, each once. A list's first `from` is not one: before it the metric has no price, so a
 * bucket spanning it has no cost, in pieces or whole.
 */
export function changesWithin(table: PriceTable, startMs: number, endMs: number): number[] {
  const out = new Set<number>();
  for (const setting of Object.values(table)) {
    for (const { fromMs } of priceSteps(setting).slice(1)) if (fromMs > startMs && fromMs < endMs) out.add(fromMs);
  }
  return [...out].sort((a, b) => a - b);
}
