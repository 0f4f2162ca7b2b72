/**
 * Display helpers. Amounts stay decimal strings from the API; only the display is rounded, by
 * Intl.NumberFormat given the string itself (an exact decimal since ES2023's Intl.NumberFormat v3,
 * never through a float), half away from zero ("halfExpand"), so a total and a chart label of the
 * same amount always agree.
 */

const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(minimumFractionDigits: number, maximumFractionDigits: number): Intl.NumberFormat {
  const key = `${minimumFractionDigits}|${maximumFractionDigits}`;
  let found = formats.get(key);
  if (!found) {
    found = new Intl.NumberFormat('en-US', {
      minimumFractionDigits,
      maximumFractionDigits,
      roundingMode: 'halfExpand',
    });
    formats.set(key, found);
  }
  return found;
}

/** A decimal string as the formatter takes it; anything else shows as it came. */
const isDecimal = (value: string): value is `${number}` => /^-?\d+(\.\d+)?$/.test(value);

/** "33135.146099" → "33,135.15": exactly `fractionDigits` decimals, rounded half-up from the digits. */
export function formatDecimal(value: string, fractionDigits = 2): string {
  return isDecimal(value) ? numberFormat(fractionDigits, fractionDigits).format(value) : value;
}

/** A quantity: counts without decimals ("1299684.000000" → "1,299,684"), fractions to at most two ("0.125" → "0.13"). */
export function formatQuantity(value: string): string {
  return isDecimal(value) ? numberFormat(0, 2).format(value) : value;
}

export function formatMoney(m: { amount: string; currency: string }): string {
  return `${formatDecimal(m.amount)} ${m.currency}`;
}
