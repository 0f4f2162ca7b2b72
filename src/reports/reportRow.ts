import { sumDecimals } from '../lib/decimal.js';
import { totalsByCurrency, type Money } from '../lib/money.js';
import type { ConsumptionPointModel, SourceModel } from '../models.js';

/** A value of a group key with what to show for it. */
export interface Labelled {
  readonly id: string;
  readonly name: string | null;
}

/** A resource as a report row names it: enough to group by it and by its type. */
export interface RowResource extends Labelled {
  readonly type: string;
}

/**
 * One measured amount of a report, with everything it can be grouped by. A point of a source
 * becomes one row; an account's consumption its resources (or sub-accounts) do not explain
 * becomes remainder rows whose resource and sub-account are null: __unallocated__.
 */
export interface ReportRow {
  readonly start: string;
  readonly end: string;
  readonly metric: string;
  readonly unit: string;
  /** Exact decimal string; negative only in a remainder, when the parts add up to more than their account. */
  readonly quantity: string;
  /** At most one per currency. */
  readonly costs: readonly Money[];
  readonly source: SourceModel;
  readonly account: Labelled;
  /** Null: consumption no sub-account explains (__unallocated__). */
  readonly subAccount: Labelled | null;
  /** Null: consumption no resource explains (__unallocated__). */
  readonly resource: RowResource | null;
}

/** What every row of one part of an account shares. */
export type RowOrigin = Pick<ReportRow, 'source' | 'account' | 'subAccount' | 'resource'>;

/** Points as rows of one origin (their costs read once, here). */
export const rowsOfPoints = (points: readonly ConsumptionPointModel[], origin: RowOrigin): ReportRow[] =>
  points.map((p) => {
    const cost = p.cost;
    return {
      ...origin,
      start: p.start,
      end: p.end,
      metric: p.metric,
      unit: p.unit,
      quantity: p.quantity,
      costs: cost ? [{ amount: cost.amount, currency: cost.currency }] : [],
    };
  });

const cellOf = (row: Pick<ReportRow, 'start' | 'end' | 'metric' | 'unit'>): string =>
  `${row.start}|${row.end}|${row.metric}|${row.unit}`;

const negate = (amount: string): string => (amount.startsWith('-') ? amount.slice(1) : `-${amount}`);

export const isZero = (amount: string): boolean => /^-?0(?:\.0+)?$/.test(amount);

/**
 * What an account's own rows hold beyond the sum of its parts' rows, per (bucket, metric, unit)
 * and currency, exactly: account − Σ parts. So parts + remainder add up to the account digit
 * for digit. Cells where nothing remains (quantity and every cost zero) are left out; a cell
 * only the parts have gives a negative remainder, never a dropped amount.
 */
export function remainderRows(
  accountRows: readonly ReportRow[],
  partRows: readonly ReportRow[],
  origin: RowOrigin,
): ReportRow[] {
  const cells = new Map<
    string,
    { start: string; end: string; metric: string; unit: string; quantities: string[]; costs: Money[] }
  >();
  const add = (row: ReportRow, sign: 1 | -1) => {
    const key = cellOf(row);
    let cell = cells.get(key);
    if (!cell) {
      cell = { start: row.start, end: row.end, metric: row.metric, unit: row.unit, quantities: [], costs: [] };
      cells.set(key, cell);
    }
    cell.quantities.push(sign === 1 ? row.quantity : negate(row.quantity));
    for (const c of row.costs) cell.costs.push(sign === 1 ? c : { amount: negate(c.amount), currency: c.currency });
  };
  for (const row of accountRows) add(row, 1);
  for (const row of partRows) add(row, -1);
  const out: ReportRow[] = [];
  for (const cell of cells.values()) {
    const quantity = sumDecimals(cell.quantities);
    const costs = totalsByCurrency(cell.costs).filter((m) => !isZero(m.amount));
    if (isZero(quantity) && costs.length === 0) continue;
    out.push({
      ...origin,
      start: cell.start,
      end: cell.end,
      metric: cell.metric,
      unit: cell.unit,
      quantity: isZero(quantity) ? '0' : quantity,
      costs,
    });
  }
  return out;
}
