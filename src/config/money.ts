/**
 * The config's money keys (docs/pricing.md): `sources[].prices` (flat or dated unit prices per
 * metric) and the top-level `currencies` (which codes are virtual, and dated exchange rates).
 * Their checks across entries say where the problem is and what to change.
 */
import { z } from 'zod';
import { DAY_MS, HOUR_MS } from '../lib/durations.js';
import { formatDateTime } from '../lib/dateTime.js';
import { parseFrom } from '../lib/prices.js';
import { ISO_4217 } from '../lib/rates.js';

const decimalString = z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string such as "0.05"');

const CURRENCY_CODE = /^[A-Z]{3,10}$/;

/**
 * The key of a dated entry's start, in problem paths. A template literal on purpose: the word in
 * single quotes, then more code, reads as a module specifier to the production build's import
 * check (test/gateway/main/productionStart.test.ts).
 */
const FROM_KEY = `from`;

const currencyCode = z.string().regex(CURRENCY_CODE, 'must be a currency code such as "EUR"');

const fromInstant = z
  .string()
  .refine(
    (value) => parseFrom(value) !== null,
    'must be a date such as "2026-11-02" (UTC midnight) or an RFC 3339 instant such as "2026-11-02T00:00:00Z"',
  );

/** A flat price for one unit of a metric, used where the upstream reports quantities only. */
const flatPriceSchema = z
  .object({
    amount: decimalString.describe('Price of one unit, an exact non-negative decimal string such as "0.0125".'),
    currency: currencyCode.describe('Currency code, 3–10 capital letters, such as "EUR".'),
  })
  .strict()
  .describe('A price for one unit of a metric, valid since forever.');

const datedPriceSchema = z
  .object({
    amount: decimalString.describe('Price of one unit, an exact non-negative decimal string such as "0.0150".'),
    currency: currencyCode.describe(
      'Currency code, 3–10 capital letters, such as "EUR"; the same in every entry of one list.',
    ),
    from: fromInstant.describe(
      'When this price starts: a date ("2026-11-02", UTC midnight) or an RFC 3339 instant; it holds until the next entry\'s `from`. Before the first entry the metric has no price. Must fall on a boundary of the source\'s finest buckets (UTC hours or UTC days).',
    ),
  })
  .strict()
  .describe('One price of a dated list.');

export const pricesSchema = z
  .record(
    z.string(),
    z.union([flatPriceSchema, z.array(datedPriceSchema).min(1, 'must list at least one price')], {
      error:
        'must be a price such as { "amount": "0.0125", "currency": "EUR" } or a list of them, each with "from", oldest first',
    }),
  )
  .default({})
  .describe(
    'Unit prices per metric, for sources that report quantities only (docs/pricing.md): flat, such as { "CU": { "amount": "0.0125", "currency": "EUR" } }, or dated, such as { "CU": [{ "amount": "0.0125", "currency": "EUR", "from": "2026-01-01" }, { "amount": "0.0150", "currency": "EUR", "from": "2026-11-02" }] }. Each bucket is priced at the price valid at its start; a bucket spanning a change is priced piece by piece. Default: none (cost is null).',
  );

type Prices = z.infer<typeof pricesSchema>;

export interface MoneyProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

/** Whether `ms` starts one of the finest buckets (UTC hours, days or months) of a provider. */
function onBoundary(ms: number, finest: string): boolean {
  if (finest === 'HOUR') return ms % HOUR_MS === 0;
  if (finest === 'DAY') return ms % DAY_MS === 0;
  if (finest === 'MONTH') return ms % DAY_MS === 0 && new Date(ms).getUTCDate() === 1;
  return true;
}

/** The boundary at or before `ms`, for the message's example. */
function floorTo(ms: number, finest: string): number {
  if (finest === 'HOUR') return Math.floor(ms / HOUR_MS) * HOUR_MS;
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  if (finest === 'DAY') return day;
  const at = new Date(ms);
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
}

const BOUNDARY: Readonly<Record<string, string>> = { HOUR: 'UTC hours', DAY: 'UTC days', MONTH: 'UTC months' };

/**
 * One source's dated lists: `from` strictly increasing, one currency per list, every change on a
 * boundary of the provider's finest buckets. Paths are relative to the source entry.
 */
export function priceProblems(
  sourceId: string,
  providerName: string,
  finest: string | undefined,
  prices: Prices,
): MoneyProblem[] {
  const out: MoneyProblem[] = [];
  for (const [metric, setting] of Object.entries(prices)) {
    if (!Array.isArray(setting)) continue;
    const first = setting[0];
    setting.forEach((entry, i) => {
      const at = ['prices', metric, i];
      const fromMs = parseFrom(entry.from);
      const before = i > 0 ? setting[i - 1] : undefined;
      const beforeMs = before ? parseFrom(before.from) : null;
      if (first && entry.currency !== first.currency) {
        out.push({
          path: [...at, 'currency'],
          message: `source "${sourceId}" metric "${metric}" entry ${i}: must be "${first.currency}" like entry 0; one metric's prices share one currency, because a bucket spanning a change is priced as the sum of its pieces and amounts in two currencies cannot be summed (give the new currency its own list, or convert with "currencies")`,
        });
      }
      if (fromMs === null) return;
      if (before && beforeMs !== null && fromMs <= beforeMs) {
        out.push({
          path: [...at, FROM_KEY],
          message:
            fromMs === beforeMs
              ? `source "${sourceId}" metric "${metric}" entry ${i}: "${entry.from}" starts at the same instant as entry ${i - 1} ("${before.from}"); each price needs its own start, so remove one of the two`
              : `source "${sourceId}" metric "${metric}" entry ${i}: "${entry.from}" is before entry ${i - 1} ("${before.from}"); list a metric's prices oldest first`,
        });
      }
      if (finest && !onBoundary(fromMs, finest)) {
        out.push({
          path: [...at, FROM_KEY],
          message: `source "${sourceId}" metric "${metric}" entry ${i}: the price change at "${entry.from}" must fall on a bucket boundary of ${providerName}'s finest buckets (${BOUNDARY[finest] ?? finest}), such as "${formatDateTime(floorTo(fromMs, finest))}"`,
        });
      }
    });
  }
  return out;
}

const rateSchema = z
  .object({
    rate: decimalString.describe(
      'Units of `to` one unit of this currency is worth, an exact non-negative decimal string such as "0.001".',
    ),
    to: currencyCode.describe('The currency the rate converts into, such as "USD".'),
    from: fromInstant.describe(
      'When this rate starts: a date ("2026-01-01", UTC midnight) or an RFC 3339 instant; it holds until the next rate into the same `to`. Before the first one nothing converts.',
    ),
  })
  .strict()
  .describe('One dated exchange rate.');

const currencySchema = z
  .object({
    virtual: z
      .boolean()
      .optional()
      .describe(
        'Whether the code is a virtual currency (Buzz, credits, …): reported in UsageReport.virtualTotals, never in totals. ISO 4217 codes are billing currencies and cannot be virtual; any other code is virtual. Default: true for a code outside ISO 4217, else false.',
      ),
    rates: z
      .array(rateSchema)
      .default([])
      .describe(
        "Dated exchange rates out of this currency, oldest first per `to`; usageReport(currency:) converts with the rate valid at each point's bucket start. Default: none (not convertible).",
      ),
  })
  .strict()
  .describe('One currency: whether it is virtual, and its dated exchange rates.');

export const currenciesSchema = z
  .record(z.string(), currencySchema)
  .default({})
  .superRefine((currencies, ctx) => {
    for (const [code, currency] of Object.entries(currencies)) {
      if (!CURRENCY_CODE.test(code)) {
        ctx.addIssue({ code: 'custom', path: [code], message: 'must be keyed by a currency code such as "EUR"' });
        continue;
      }
      const iso = ISO_4217.has(code);
      if (currency.virtual === true && iso)
        ctx.addIssue({
          code: 'custom',
          path: [code, 'virtual'],
          message: `"${code}" is an ISO 4217 code, a billing currency, so it cannot be virtual; give the virtual currency a code outside ISO 4217 (such as "BUZZ") or remove "virtual"`,
        });
      if (currency.virtual === false && !iso)
        ctx.addIssue({
          code: 'custom',
          path: [code, 'virtual'],
          message: `"${code}" is not an ISO 4217 code, so it can only be virtual (billing currencies are ISO 4217 codes such as "EUR"); remove "virtual": false`,
        });
      const last = new Map<string, number>();
      currency.rates.forEach((rate, i) => {
        if (rate.to === code)
          ctx.addIssue({
            code: 'custom',
            path: [code, 'rates', i, 'to'],
            message: `converts "${code}" into itself; name another currency`,
          });
        const fromMs = parseFrom(rate.from);
        if (fromMs === null) return;
        const before = last.get(rate.to);
        if (before !== undefined && fromMs <= before)
          ctx.addIssue({
            code: 'custom',
            path: [code, 'rates', i, FROM_KEY],
            message: `"${rate.from}" is not after the previous rate into "${rate.to}"; list each target's rates oldest first, each "from" once`,
          });
        last.set(rate.to, fromMs);
      });
    }
  })
  .describe(
    'Currencies by code (docs/pricing.md): which are virtual and their dated exchange rates, such as { "BUZZ": { "virtual": true, "rates": [{ "rate": "0.001", "to": "USD", "from": "2026-01-01" }] } }. Providers declare the virtual currencies they state (Civitai BUZZ, TheirStack CREDITS); list one here to give it rates. Default: none (no conversion).',
  );

export type CurrenciesConfig = z.infer<typeof currenciesSchema>;
