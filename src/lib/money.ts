import { sumDecimals } from './decimal.js';

export interface Money {
  amount: string;
  currency: string;
}

/** One Money per currency, amounts summed exactly; currencies are never mixed. Sorted by currency. */
export function totalsByCurrency(amounts: Iterable<Money | null | undefined>): Money[] {
  const byCurrency = new Map<string, string[]>();
  for (const money of amounts) {
    if (!money) continue;
    const list = byCurrency.get(money.currency);
    if (list) list.push(money.amount);
    else byCurrency.set(money.currency, [money.amount]);
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, list]) => ({ currency, amount: sumDecimals(list) }));
}
