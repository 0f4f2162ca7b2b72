/**
 * The totals table: one row per group, a column per currency (billing ones first, then virtual), sorted by a
 * column, the first N rows kept and the rest folded into one "others" row — every amount an exact decimal
 * string summed with big.js, rounded only when shown.
 */
import Big from 'big.js';
type Money = { readonly amount: string; readonly currency: string };
import { groupId, groupLabel, partLabel, partOf, type KeyPart } from './groupKey.js';

export interface TableGroupInput {
  readonly key: readonly KeyPart[];
  readonly complete: boolean;
  readonly totals: readonly Money[];
  readonly virtualTotals: readonly Money[];
  readonly quantities: readonly { metric: string; unit: string; quantity: string }[];
}

export interface TableRow {
  readonly id: string;
  readonly key: readonly KeyPart[];
  readonly label: string;
  /** The source the row belongs to (its SOURCE key part, or the drill-down's source), when known. */
  readonly sourceId: string | null;
  /** Exact amount per currency; absent = nothing in that currency. */
  readonly amounts: ReadonlyMap<string, string>;
  readonly quantities: TableGroupInput['quantities'];
  /** A source that could have fed the row failed: its part is missing. */
  readonly partial: boolean;
  /** Metrics of the row with a quantity but no price ("unpriced"): their cost is in no column. */
  readonly unpriced: readonly string[];
  /** Rows "others" stands for; 1 for a plain row. */
  readonly groupCount: number;
}

export interface Table {
  readonly currencies: readonly { currency: string; virtual: boolean }[];
  readonly rows: readonly TableRow[];
  readonly others: TableRow | null;
}

export interface TableOptions {
  /** 'name' or a currency code; the largest billing currency's column when empty or unknown. */
  readonly sort: string;
  readonly descending: boolean;
  /** Rows kept before "others"; 0 keeps all. */
  readonly top: number;
  /** Source of every row when the table is a drill-down into one source or account. */
  readonly sourceId?: string | null;
  readonly unpricedMetrics: readonly { source: { id: string }; metric: string }[];
}

export function tableOf(groups: readonly TableGroupInput[], options: TableOptions): Table {
  const currencyTotals = new Map<string, { virtual: boolean; total: Big }>();
  const unpricedBySource = new Map<string, Set<string>>();
  for (const u of options.unpricedMetrics) {
    const set = unpricedBySource.get(u.source.id) ?? new Set<string>();
    set.add(u.metric);
    unpricedBySource.set(u.source.id, set);
  }
  const rows: TableRow[] = groups.map((g) => {
    const amounts = new Map<string, string>();
    for (const [list, virtual] of [
      [g.totals, false],
      [g.virtualTotals, true],
    ] as const) {
      for (const m of list) {
        amounts.set(m.currency, m.amount);
        const c = currencyTotals.get(m.currency) ?? { virtual, total: new Big(0) };
        c.total = c.total.plus(m.amount);
        currencyTotals.set(m.currency, c);
      }
    }
    const sourceId = partOf(g.key, 'SOURCE')?.value ?? options.sourceId ?? null;
    const unpricedHere = sourceId ? unpricedBySource.get(sourceId) : undefined;
    return {
      id: groupId(g.key),
      key: g.key,
      label: groupLabel(g.key),
      sourceId,
      amounts,
      quantities: g.quantities,
      partial: !g.complete,
      unpriced: unpricedHere ? [...new Set(g.quantities.map((q) => q.metric).filter((m) => unpricedHere.has(m)))] : [],
      groupCount: 1,
    };
  });
  const currencies = [...currencyTotals]
    .sort(([a, x], [b, y]) => Number(x.virtual) - Number(y.virtual) || y.total.cmp(x.total) || a.localeCompare(b))
    .map(([currency, { virtual }]) => ({ currency, virtual }));
  const sortBy =
    options.sort === 'name' || currencies.some((c) => c.currency === options.sort)
      ? options.sort
      : (currencies[0]?.currency ?? 'name');
  const byName = (a: TableRow, b: TableRow) => a.label.localeCompare(b.label);
  const compare =
    sortBy === 'name'
      ? byName
      : (a: TableRow, b: TableRow) => {
          // Rows without the currency sort after every row with it, whatever the direction.
          const x = a.amounts.get(sortBy);
          const y = b.amounts.get(sortBy);
          if (x === undefined || y === undefined) return (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0);
          return new Big(x).cmp(y) * (options.descending ? -1 : 1) || byName(a, b);
        };
  const sorted = sortBy === 'name' && options.descending ? rows.sort(byName).reverse() : rows.sort(compare);
  const kept = options.top > 0 && sorted.length > options.top + 1 ? sorted.slice(0, options.top) : sorted;
  const rest = sorted.slice(kept.length);
  return { currencies, rows: kept, others: rest.length ? othersOf(rest) : null };
}

function othersOf(rest: readonly TableRow[]): TableRow {
  const sums = new Map<string, Big>();
  for (const r of rest)
    for (const [currency, amount] of r.amounts) sums.set(currency, (sums.get(currency) ?? new Big(0)).plus(amount));
  return {
    id: '__others__',
    key: [],
    label: `Others (${rest.length})`,
    sourceId: null,
    amounts: new Map([...sums].map(([c, v]) => [c, v.toFixed()])),
    quantities: [],
    partial: rest.some((r) => r.partial),
    unpriced: [...new Set(rest.flatMap((r) => r.unpriced))],
    groupCount: rest.length,
  };
}

/** The table as CSV records: exact amounts (not rounded), one column per currency, markers spelled out. */
export function tableRecords(table: Table, headings: readonly string[]): string[][] {
  const record = (r: TableRow): string[] => [
    ...headings.map((_, i) => (r.key[i] ? partLabel(r.key[i]) : i === 0 ? r.label : '')),
    ...table.currencies.map((c) => r.amounts.get(c.currency) ?? ''),
    [r.partial ? 'partial' : '', r.unpriced.length ? `unpriced: ${r.unpriced.join(' ')}` : '']
      .filter(Boolean)
      .join('; '),
  ];
  return [
    [...headings, ...table.currencies.map((c) => c.currency), 'notes'],
    ...table.rows.map(record),
    ...(table.others ? [record(table.others)] : []),
  ];
}
