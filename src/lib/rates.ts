/**
 * Currencies (docs/pricing.md): which codes are virtual (Buzz, credits, …) and which are billing
 * currencies (ISO 4217 codes), and the dated exchange rates `usageReport(currency:)` converts
 * with. A rate holds from its `from` until the next rate of the same pair; there is no inverse
 * and no chaining (EUR→USD does not give USD→EUR): what has no configured rate is not converted.
 */
import { multiplyDecimals } from './decimal.js';
import type { Money } from './money.js';
import { parseFrom } from './prices.js';

/** ISO 4217 codes, as this Node knows them: the billing (national) currencies. */
export const ISO_4217: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** The config's `currencies` entry of one code (src/config/money.ts). */
export interface CurrencySetting {
  readonly virtual?: boolean | undefined;
  readonly rates: readonly { readonly rate: string; readonly to: string; readonly from: string }[];
}

/** What a cost in one currency converts to over one bucket. */
export type Conversion =
  | { readonly kind: 'converted'; readonly money: Money }
  /** No rate from the currency into the target is valid at the bucket's start. */
  | { readonly kind: 'noRate' }
  /** A rate changes inside the bucket: one amount cannot be split between two rates exactly. */
  | { readonly kind: 'rateChanges' };

export interface CurrencyBook {
  /** True for a virtual currency: one a provider or the config declares, or any code outside ISO 4217. */
  isVirtual(code: string): boolean;
  /** `money`, stated over [startMs, endMs), in `to`. */
  convert(money: Money, to: string, startMs: number, endMs: number): Conversion;
}

interface RateStep {
  readonly fromMs: number;
  readonly rate: string;
}

/** The book of the config's `currencies` and the virtual currencies the configured providers declare. */
export function currencyBook(
  settings: Readonly<Record<string, CurrencySetting>>,
  declaredVirtual: Iterable<string> = [],
): CurrencyBook {
  const declared = new Set(declaredVirtual);
  const pairs = new Map<string, RateStep[]>();
  for (const [code, setting] of Object.entries(settings)) {
    for (const { rate, to, from } of setting.rates) {
      const fromMs = parseFrom(from);
      if (fromMs === null) continue;
      const key = `${code}>${to}`;
      const list = pairs.get(key) ?? [];
      list.push({ fromMs, rate });
      pairs.set(key, list);
    }
  }
  for (const list of pairs.values()) list.sort((a, b) => a.fromMs - b.fromMs);
  return {
    isVirtual: (code) => settings[code]?.virtual ?? (declared.has(code) || !ISO_4217.has(code)),
    convert(money, to, startMs, endMs) {
      if (money.currency === to) return { kind: 'converted', money: { amount: money.amount, currency: to } };
      let rate: string | undefined;
      for (const step of pairs.get(`${money.currency}>${to}`) ?? []) {
        if (step.fromMs <= startMs) rate = step.rate;
        else if (step.fromMs < endMs) return { kind: 'rateChanges' };
        else break;
      }
      return rate === undefined
        ? { kind: 'noRate' }
        : { kind: 'converted', money: { amount: multiplyDecimals(money.amount, rate), currency: to } };
    },
  };
}

/** A book without rates: only ISO 4217 codes are billing currencies. */
export const EMPTY_BOOK: CurrencyBook = currencyBook({});
