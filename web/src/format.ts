/** Display helpers. Amounts stay decimal strings from the API; only the display is shortened. */

/** "33135.143099" → "33,135.14" (no float: the digits are the API's). */
export function formatDecimal(value: string, fractionDigits = 2): string {
  const negative = value.startsWith('-');
  const [int = '0', frac = ''] = (negative ? value.slice(1) : value).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const shown =
    fractionDigits > 0 ? `${grouped}.${frac.padEnd(fractionDigits, '0').slice(0, fractionDigits)}` : grouped;
  return negative ? `-${shown}` : shown;
}

export function formatMoney(m: { amount: string; currency: string }): string {
  return `${formatDecimal(m.amount)} ${m.currency}`;
}

// Generated from the provider registry (npm run codegen); that module imports nothing.
export { PROVIDER_LABELS } from '../../src/generated/providers';
