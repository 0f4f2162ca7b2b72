import { compareDecimals } from '../lib/decimal.js';
import { totalsByCurrency } from '../lib/money.js';
import type { ReportDimension } from '../generated/resolvers.js';
import { keyString, OTHERS, quantitiesOf, type ReportGroup } from './groupRows.js';
import type { ReportRow } from './reportRow.js';

/**
 * The currency groups are sorted by when the caller names none: the one pricing the most rows
 * of the report (its largest billing currency by how much of the consumption it prices), ties
 * by name; null when nothing is priced. Amounts of different currencies are never compared.
 */
export function defaultSortCurrency(
  rows: readonly Pick<ReportRow, 'costs'>[],
  isVirtual: (currency: string) => boolean = () => false,
): string | null {
  const counts = new Map<string, number>();
  // A billing currency when any prices a row: a virtual one (Buzz, credits) sorts only when asked.
  const billing = rows.some((row) => row.costs.some((c) => !isVirtual(c.currency)));
  for (const row of rows)
    for (const c of row.costs)
      if (!billing || !isVirtual(c.currency)) counts.set(c.currency, (counts.get(c.currency) ?? 0) + 1);
  let best: string | null = null;
  for (const [currency, n] of counts) {
    const bestCount = best === null ? -1 : counts.get(best)!;
    if (n > bestCount || (n === bestCount && currency < best!)) best = currency;
  }
  return best;
}

const amountIn = (group: ReportGroup, currency: string | null): string =>
  group.totals.find((m) => m.currency === currency)?.amount ?? '0';

/**
 * Most expensive first in `currency` (a group without it counts zero), ties broken by key
 * (its values compared as strings), so the order is the same on every request.
 */
export function sortGroups(groups: readonly ReportGroup[], currency: string | null): ReportGroup[] {
  return groups
    .map((group) => ({ group, amount: amountIn(group, currency), id: keyString(group.key) }))
    .sort((a, b) => compareDecimals(b.amount, a.amount) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e) => e.group);
}

/**
 * Keeps the first `top` of sorted groups and folds the rest into one last group whose key
 * says __others__ for every dimension: its totals, quantities and series are the exact sums of
 * the folded groups', so nothing is lost; a bucket of its series is final when every folded group's is. Unchanged when there are at most `top` groups.
 */
export function foldTop(
  sorted: readonly ReportGroup[],
  top: number,
  dimensions: readonly ReportDimension[],
): ReportGroup[] {
  if (sorted.length <= top) return [...sorted];
  const kept = sorted.slice(0, top);
  const rest = sorted.slice(top);
  const series = rest[0]!.series.map((point, i) => ({
    start: point.start,
    end: point.end,
    totals: totalsByCurrency(rest.flatMap((g) => g.series[i]!.totals)),
    quantities: quantitiesOf(rest.flatMap((g) => g.series[i]!.quantities)),
    isFinal: rest.every((g) => g.series[i]!.isFinal),
  }));
  const others: ReportGroup = {
    key: dimensions.map((dimension) => ({ dimension, value: OTHERS, label: `${rest.length} other groups` })),
    others: true,
    groupCount: rest.reduce((n, g) => n + g.groupCount, 0),
    totals: totalsByCurrency(rest.flatMap((g) => g.totals)),
    quantities: quantitiesOf(rest.flatMap((g) => g.quantities)),
    series,
    complete: rest.every((g) => g.complete),
  };
  return [...kept, others];
}
