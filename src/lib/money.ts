import { multiplyDecimals, sumDecimals } from './decimal.js';

export interface Money {
  readonly amount: string;
  readonly currency: string;
}

/**
 * quantity × a configured unit price, multiplied the first time `amount` is read: a point's
 * cost costs nothing unless a query selects it or a total sums it (most points are never
 * priced by the query that fetched them). Read-only, like every Money a resolver returns.
 */
export class PricedQuantity implements Money {
  private computed: string | undefined;

  constructor(
    private readonly quantity: string,
    private readonly unitPrice: Money,
  ) {}

  get amount(): string {
    return (this.computed ??= multiplyDecimals(this.quantity, this.unitPrice.amount));
  }

  get currency(): string {
    return this.unitPrice.currency;
  }
}

/** The cost of `quantity` at `unitPrice`, or null without a price. */
export const costAt = (quantity: string, unitPrice: Money | undefined): Money | null =>
  unitPrice ? new PricedQuantity(quantity, unitPrice) : null;

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
