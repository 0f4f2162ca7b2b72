/**
 * The chart's data: per currency, one stack per group (its top groups by that currency's cost, the rest
 * folded into "Others"), summed exactly with big.js; floats exist only as bar heights. Billing currencies
 * come first, most expensive first; virtual currencies (Buzz, credits) after, each on its own chart.
 */
import Big from 'big.js';
type Money = { readonly amount: string; readonly currency: string };

export interface ChartBucket {
  readonly start: string;
  readonly end: string;
  /** False while some source may still revise it (today, or within a restatement lag). */
  readonly isFinal: boolean;
}

export interface ChartGroupInput {
  readonly id: string;
  readonly label: string;
  /** The report's own "others" group (groups(top:)): always folded into Others, standing for `groupCount` groups. */
  readonly others?: boolean;
  readonly groupCount?: number;
  readonly series: readonly {
    start: string;
    end: string;
    isFinal?: boolean | null;
    totals: readonly Money[];
    virtualTotals: readonly Money[];
  }[];
}

export interface Stack {
  readonly id: string;
  readonly label: string;
  /** Per bucket: the exact amount and its height for drawing. */
  readonly values: readonly { exact: string; height: number }[];
  readonly total: string;
  /** Groups folded into this stack: 1, or the count behind "Others". */
  readonly groupCount: number;
}

export interface CurrencyChart {
  readonly currency: string;
  readonly virtual: boolean;
  readonly buckets: readonly ChartBucket[];
  readonly stacks: readonly Stack[];
  /** Exact sum of every stack per bucket (the tooltip's total). */
  readonly bucketTotals: readonly string[];
  readonly total: string;
}

/** Stacks drawn per chart before the rest become "Others" (the palette has eight colours). */
export const MAX_STACKS = 7;

export const OTHERS_ID = '__others__';

export function chartsOf(groups: readonly ChartGroupInput[], maxStacks = MAX_STACKS): CurrencyChart[] {
  const first = groups[0];
  if (!first) return [];
  const buckets: ChartBucket[] = first.series.map((p) => ({ start: p.start, end: p.end, isFinal: true }));
  // currency → virtual?, then group → per-bucket sums
  const currencies = new Map<string, boolean>();
  const sums = new Map<string, Map<string, Big[]>>();
  for (const g of groups) {
    g.series.forEach((p, i) => {
      for (const [list, virtual] of [
        [p.totals, false],
        [p.virtualTotals, true],
      ] as const) {
        for (const m of list) {
          currencies.set(m.currency, virtual);
          let byGroup = sums.get(m.currency);
          if (!byGroup) sums.set(m.currency, (byGroup = new Map<string, Big[]>()));
          let values = byGroup.get(g.id);
          if (!values) byGroup.set(g.id, (values = buckets.map(() => new Big(0))));
          values[i] = values[i]!.plus(m.amount);
        }
      }
    });
  }
  const labels = new Map(groups.map((g) => [g.id, g.label]));
  const folded = new Map(groups.filter((g) => g.others).map((g) => [g.id, g.groupCount ?? 1]));
  const charts = [...currencies].map(([currency, virtual]) => {
    const ranked = [...sums.get(currency)!]
      .map(([id, values]) => ({ id, values, total: values.reduce((a, v) => a.plus(v), new Big(0)) }))
      .sort((a, b) => b.total.cmp(a.total) || (labels.get(a.id) ?? a.id).localeCompare(labels.get(b.id) ?? b.id));
    const plain = ranked.filter((r) => !folded.has(r.id));
    const kept = plain.length > maxStacks + 1 || plain.length < ranked.length ? plain.slice(0, maxStacks) : plain;
    const rest = ranked.filter((r) => !kept.includes(r));
    const stacks: Stack[] = kept.map((r) => stackOf(r.id, labels.get(r.id) ?? r.id, r.values, 1));
    if (rest.length) {
      const values = buckets.map((_, i) => rest.reduce((a, r) => a.plus(r.values[i]!), new Big(0)));
      const count = rest.reduce((n, r) => n + (folded.get(r.id) ?? 1), 0);
      stacks.push(stackOf(OTHERS_ID, `Others (${count})`, values, count));
    }
    // A bucket of this chart is final when every group with cost in this currency says so: Kill Bill's lag does
    // not hatch Civitai's Buzz.
    const counted = groups.filter((g) => sums.get(currency)!.has(g.id));
    const own = buckets.map((b, i) => ({ ...b, isFinal: counted.every((g) => g.series[i]?.isFinal !== false) }));
    const bucketTotals = buckets.map((_, i) => ranked.reduce((a, r) => a.plus(r.values[i]!), new Big(0)).toFixed());
    const total = ranked.reduce((a, r) => a.plus(r.total), new Big(0));
    return { currency, virtual, buckets: own, stacks, bucketTotals, total: total.toFixed(), sortKey: total };
  });
  return charts
    .sort(
      (a, b) =>
        Number(a.virtual) - Number(b.virtual) || b.sortKey.cmp(a.sortKey) || a.currency.localeCompare(b.currency),
    )
    .map(({ sortKey: _sortKey, ...chart }) => chart);
}

function stackOf(id: string, label: string, values: readonly Big[], groupCount: number): Stack {
  return {
    id,
    label,
    values: values.map((v) => {
      const exact = v.toFixed();
      return { exact, height: Number(exact) };
    }),
    total: values.reduce((a, v) => a.plus(v), new Big(0)).toFixed(),
    groupCount,
  };
}

/** Index of the bucket holding the instant `now`, or -1 when the window does not. */
export function bucketAt(buckets: readonly ChartBucket[], now: number): number {
  return buckets.findIndex((b) => Date.parse(b.start) <= now && now < Date.parse(b.end));
}
