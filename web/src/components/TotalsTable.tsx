import type { Table, TableRow } from '../report/tableRows';
import { partLabel } from '../report/groupKey';
import { formatDecimal, formatQuantity } from '../format';
import { TOP_CHOICES } from '../view/viewState';

interface Props {
  table: Table;
  /** Column headings of the key parts, outermost first (e.g. Source, Account). */
  headings: readonly string[];
  sort: string;
  descending: boolean;
  top: number;
  /** Report-wide totals per currency, for the footer. */
  totals: ReadonlyMap<string, string>;
  onSort: (column: string) => void;
  onTop: (top: number) => void;
  /** Drill into a row; absent when the rows are the last level. */
  onDrill?: (row: TableRow) => void;
}

function Markers({ row }: { row: TableRow }) {
  return (
    <>
      {row.partial ? (
        <span className="marker partial" title="A source that feeds this row failed: its part is missing">
          partial
        </span>
      ) : null}
      {row.unpriced.length ? (
        <span
          className="marker unpriced"
          title={`No price configured for ${row.unpriced.join(', ')}: that usage is in no cost column (sources[].prices)`}
        >
          unpriced: {row.unpriced.join(', ')}
        </span>
      ) : null}
    </>
  );
}

function Usage({ row }: { row: TableRow }) {
  const shown = row.quantities.slice(0, 3);
  return (
    <>
      {shown.map((q) => (
        <span key={`${q.metric}:${q.unit}`} className="chip" title={`${q.quantity} ${q.unit}`}>
          <b>{q.metric}</b> {formatQuantity(q.quantity)} {q.unit}
        </span>
      ))}
      {row.quantities.length > shown.length ? (
        <span className="muted"> +{row.quantities.length - shown.length} more</span>
      ) : null}
    </>
  );
}

/** Totals per source, account or resource: sortable by name or any currency, top N with "others", drillable rows. */
export function TotalsTable({ table, headings, sort, descending, top, totals, onSort, onTop, onDrill }: Props) {
  const sortedBy =
    sort === 'name' || table.currencies.some((c) => c.currency === sort)
      ? sort
      : (table.currencies[0]?.currency ?? 'name');
  const ariaSort = (column: string) =>
    sortedBy === column ? (descending ? 'descending' : 'ascending') : ('none' as const);
  const SortButton = ({ column, label }: { column: string; label: string }) => (
    <button type="button" className="sort" onClick={() => onSort(column)} data-column={column}>
      {label}
      <span aria-hidden="true">{sortedBy === column ? (descending ? ' ▼' : ' ▲') : ''}</span>
    </button>
  );
  const cells = (row: TableRow) =>
    table.currencies.map((c) => {
      const amount = row.amounts.get(c.currency);
      return (
        <td key={c.currency} className="num" data-currency={c.currency} data-exact={amount ?? ''}>
          {amount === undefined ? <span className="muted">—</span> : formatDecimal(amount)}
        </td>
      );
    });
  return (
    <div className="totals">
      <div className="table-tools">
        <label>
          Show{' '}
          <select value={top} onChange={(e) => onTop(Number(e.target.value))} name="top">
            {TOP_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n === 0 ? 'all rows' : `top ${n}`}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="table-scroll">
        <table className="totals-table">
          <thead>
            <tr>
              {headings.map((h, i) => (
                <th key={h} scope="col" aria-sort={i === headings.length - 1 ? ariaSort('name') : undefined}>
                  {i === headings.length - 1 ? <SortButton column="name" label={h} /> : h}
                </th>
              ))}
              {table.currencies.map((c) => (
                <th key={c.currency} scope="col" className="num" aria-sort={ariaSort(c.currency)}>
                  <SortButton column={c.currency} label={c.virtual ? `${c.currency} (virtual)` : c.currency} />
                </th>
              ))}
              <th scope="col">Usage</th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.id} data-row={row.id}>
                {headings.map((h, i) => {
                  const part = row.key[i];
                  const text = part ? partLabel(part) : row.label;
                  const last = i === headings.length - 1;
                  return (
                    <td key={h} className="name">
                      {last && onDrill ? (
                        <button
                          type="button"
                          className="drill"
                          onClick={() => onDrill(row)}
                          aria-label={`Show what is behind ${text}`}
                        >
                          {text}
                        </button>
                      ) : (
                        text
                      )}
                      {last ? <Markers row={row} /> : null}
                    </td>
                  );
                })}
                {cells(row)}
                <td className="usage">
                  <Usage row={row} />
                </td>
              </tr>
            ))}
            {table.others ? (
              <tr className="others" data-row="__others__">
                <td className="name" colSpan={headings.length}>
                  {table.others.label} <Markers row={table.others} />
                </td>
                {cells(table.others)}
                <td />
              </tr>
            ) : null}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={headings.length}>
                Total
              </th>
              {table.currencies.map((c) => (
                <td key={c.currency} className="num" data-currency={c.currency}>
                  {formatDecimal(totals.get(c.currency) ?? '0')}
                </td>
              ))}
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}
