/**
 * Writing consumption rows into the ledger and summing them back, exactly: amounts go in and come
 * out as decimal strings, and every sum is the database's NUMERIC sum (no float anywhere). A
 * quantity is summed only with quantities of its metric and unit, a cost only with costs of its
 * currency.
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { LedgerDatabase } from './tables.js';
import { DAY_MS } from '../lib/durations.js';

/** One row as billgraph hands it to the ledger. Instants are RFC 3339 strings. */
export interface LedgerRow {
  readonly sourceId: string;
  readonly provider: string;
  readonly accountId: string;
  readonly subAccountId?: string;
  readonly resourceId?: string;
  readonly resourceKind?: string;
  readonly metric: string;
  readonly unit: string;
  readonly bucketStart: string;
  readonly bucketEnd: string;
  readonly quantity: string;
  readonly cost: { readonly amount: string; readonly currency: string } | null;
  readonly isFinal: boolean;
  readonly fetchedAt: string;
  /** Position of the metric among its bucket's points as the upstream answered; 0 when unknown. */
  readonly metricOrder?: number;
}

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement (15 columns × 1,000 = 15,000). */
export const WRITE_BATCH_ROWS = 1000;

/**
 * Writes rows, replacing what the ledger held for the same source, account, sub-account, resource,
 * metric and bucket (a later read is the upstream's later statement: corrections and restatements).
 */
export async function writeRows(db: Kysely<LedgerDatabase>, rows: readonly LedgerRow[]): Promise<number> {
  for (let i = 0; i < rows.length; i += WRITE_BATCH_ROWS) {
    const batch = rows.slice(i, i + WRITE_BATCH_ROWS).map((row) => ({
      source_id: row.sourceId,
      provider: row.provider,
      account_id: row.accountId,
      sub_account_id: row.subAccountId ?? '',
      resource_id: row.resourceId ?? '',
      resource_kind: row.resourceKind ?? '',
      metric: row.metric,
      unit: row.unit,
      bucket_start: row.bucketStart,
      bucket_end: row.bucketEnd,
      quantity: row.quantity,
      cost: row.cost?.amount ?? null,
      currency: row.cost?.currency ?? null,
      is_final: row.isFinal,
      fetched_at: row.fetchedAt,
      metric_order: row.metricOrder ?? 0,
      day_start: dayOf(row),
    }));
    await db
      .insertInto('ledger_rows')
      .values(batch)
      .onConflict((oc) =>
        oc
          .columns(['source_id', 'account_id', 'sub_account_id', 'resource_id', 'metric', 'bucket_start', 'bucket_end'])
          .doUpdateSet((eb) => ({
            provider: eb.ref('excluded.provider'),
            resource_kind: eb.ref('excluded.resource_kind'),
            unit: eb.ref('excluded.unit'),
            quantity: eb.ref('excluded.quantity'),
            cost: eb.ref('excluded.cost'),
            currency: eb.ref('excluded.currency'),
            is_final: eb.ref('excluded.is_final'),
            fetched_at: eb.ref('excluded.fetched_at'),
            metric_order: eb.ref('excluded.metric_order'),
            day_start: eb.ref('excluded.day_start'),
          })),
      )
      .execute();
  }
  await refreshDays(db, rows);
  return rows.length;
}

/** The UTC midnight starting the day `row`'s bucket lies in (RFC 3339); null when it lies in no single day. */
function dayOf(row: Pick<LedgerRow, 'bucketStart' | 'bucketEnd'>): string | null {
  const startMs = Date.parse(row.bucketStart);
  const day = Math.floor(startMs / DAY_MS) * DAY_MS;
  return Date.parse(row.bucketEnd) <= day + DAY_MS ? new Date(day).toISOString() : null;
}

/**
 * Brings the daily rollups (ledger_days, and ledger_source_days over it) of the UTC days `rows`
 * fall in back in line with ledger_rows: each such day of each source is summed again from its
 * rows that lie within it.
 */
export async function refreshDays(db: Kysely<LedgerDatabase>, rows: readonly LedgerRow[]): Promise<void> {
  const days = new Map<string, Set<number>>();
  for (const row of rows) {
    const dayStart = dayOf(row);
    if (dayStart === null) continue;
    const day = Date.parse(dayStart);
    let set = days.get(row.sourceId);
    if (!set) days.set(row.sourceId, (set = new Set()));
    set.add(day);
  }
  for (const [sourceId, set] of days) {
    const sorted = [...set].sort((a, b) => a - b);
    const starts = sorted.map((ms) => new Date(ms).toISOString());
    const list = `{${starts.join(',')}}`;
    // The range lets the bucket_start index find the rows; the list keeps only the days written.
    const from = starts[0]!;
    const to = new Date(sorted.at(-1)! + DAY_MS).toISOString();
    await sql`delete from ledger_days where source_id = ${sourceId} and day_start = any(${list}::timestamptz[])`.execute(
      db,
    );
    await sql`insert into ledger_days
      select source_id, account_id, resource_id, min(resource_kind), metric, unit, coalesce(currency, ''), day_start,
        sum(quantity), sum(cost), count(*), count(cost), min(metric_order)
      from ledger_rows
      where source_id = ${sourceId}
        and bucket_start >= ${from}::timestamptz and bucket_start < ${to}::timestamptz
        and day_start = any(${list}::timestamptz[])
      group by source_id, account_id, resource_id, metric, unit, currency, day_start`.execute(db);
    await sql`delete from ledger_source_days where source_id = ${sourceId} and day_start = any(${list}::timestamptz[])`.execute(
      db,
    );
    await sql`insert into ledger_source_days
      select source_id, metric, unit, currency, day_start, sum(quantity), sum(cost), sum(terms), sum(cost_terms),
        min(metric_order)
      from ledger_days
      where source_id = ${sourceId} and resource_id = '' and day_start = any(${list}::timestamptz[])
      group by source_id, metric, unit, currency, day_start`.execute(db);
  }
}

/** What a sum may be grouped by, and the column each reads. */
export const GROUP_COLUMNS = {
  SOURCE: 'source_id',
  PROVIDER: 'provider',
  ACCOUNT: 'account_id',
  SUB_ACCOUNT: 'sub_account_id',
  RESOURCE: 'resource_id',
  RESOURCE_TYPE: 'resource_kind',
} as const;
export type GroupBy = keyof typeof GROUP_COLUMNS;

export interface SumQuery {
  /** Rows whose bucket lies inside [start, end), RFC 3339. */
  readonly start: string;
  readonly end: string;
  readonly sources?: readonly string[];
  readonly groupBy?: readonly GroupBy[];
}

export interface LedgerGroup {
  /** The group's value of each groupBy dimension, in the order asked. */
  readonly key: Readonly<Partial<Record<GroupBy, string>>>;
  /** Per metric and unit, the exact sum of quantities. */
  readonly quantities: readonly { readonly metric: string; readonly unit: string; readonly quantity: string }[];
  /** Per currency, the exact sum of stated costs; a currency is never added to another. */
  readonly costs: readonly { readonly amount: string; readonly currency: string }[];
  /** Rows in the group that are not final yet. */
  readonly notFinal: number;
}

type LedgerRowsQuery = SelectQueryBuilder<LedgerDatabase, 'ledger_rows', object>;
type LedgerColumn = keyof LedgerDatabase['ledger_rows'];

/** Sorted by each column in turn (one orderBy call per column, as Kysely asks). */
const orderedBy = (query: LedgerRowsQuery, columns: readonly LedgerColumn[]): LedgerRowsQuery =>
  columns.reduce((q, column) => q.orderBy(column), query);

/** Exact sums of the ledger's rows in a window, by the dimensions asked (one group when none). */
export async function sumRows(db: Kysely<LedgerDatabase>, query: SumQuery): Promise<LedgerGroup[]> {
  const dims = [...new Set(query.groupBy ?? [])];
  const columns = dims.map((d) => GROUP_COLUMNS[d]);
  let base = db
    .selectFrom('ledger_rows')
    .where('bucket_start', '>=', new Date(query.start))
    .where('bucket_end', '<=', new Date(query.end));
  if (query.sources) base = base.where('source_id', 'in', query.sources.length ? [...query.sources] : ['']);

  const quantities = await orderedBy(base, [...columns, 'metric', 'unit'])
    .select(columns)
    .select(['metric', 'unit'])
    .select((eb) => [
      eb.fn.sum<string>('quantity').as('quantity'),
      eb.fn.countAll<string>().filterWhere('is_final', '=', false).as('not_final'),
    ])
    .groupBy([...columns, 'metric', 'unit'])
    .execute();
  const costs = await orderedBy(base, [...columns, 'currency'])
    .select(columns)
    .select('currency')
    .select((eb) => eb.fn.sum<string>('cost').as('amount'))
    .where('currency', 'is not', null)
    .groupBy([...columns, 'currency'])
    .execute();

  // Built here, handed out read-only.
  type Building = {
    key: Partial<Record<GroupBy, string>>;
    quantities: { metric: string; unit: string; quantity: string }[];
    costs: { amount: string; currency: string }[];
    notFinal: number;
  };
  const groups = new Map<string, Building>();
  const groupOf = (row: Record<string, unknown>): Building => {
    const values = dims.map((d) => String(row[GROUP_COLUMNS[d]]));
    const id = JSON.stringify(values);
    let group = groups.get(id);
    if (!group) {
      group = { key: Object.fromEntries(dims.map((d, i) => [d, values[i]])), quantities: [], costs: [], notFinal: 0 };
      groups.set(id, group);
    }
    return group;
  };
  for (const row of quantities) {
    const group = groupOf(row);
    group.quantities.push({ metric: row.metric, unit: row.unit, quantity: String(row.quantity) });
    group.notFinal += Number(row.not_final);
  }
  for (const row of costs) groupOf(row).costs.push({ amount: String(row.amount), currency: String(row.currency) });
  return [...groups.values()];
}

/** A finest bucket read whole for an account (resource '') or one resource. Instants are RFC 3339. */
export interface LedgerSpan {
  readonly accountId: string;
  readonly resourceId: string;
  readonly bucketStart: string;
  readonly bucketEnd: string;
}

/** Spans per INSERT (6 columns each). */
const SPAN_BATCH = 5000;

/** Records that the ledger holds these buckets whole (rows or none), as of `fetchedAt`. */
export async function writeSpans(
  db: Kysely<LedgerDatabase>,
  sourceId: string,
  spans: readonly LedgerSpan[],
  fetchedAt: string,
): Promise<void> {
  for (let i = 0; i < spans.length; i += SPAN_BATCH) {
    await db
      .insertInto('ledger_spans')
      .values(
        spans.slice(i, i + SPAN_BATCH).map((s) => ({
          source_id: sourceId,
          account_id: s.accountId,
          resource_id: s.resourceId,
          bucket_start: s.bucketStart,
          bucket_end: s.bucketEnd,
          fetched_at: fetchedAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['source_id', 'account_id', 'resource_id', 'bucket_start']).doUpdateSet((eb) => ({
          bucket_end: eb.ref('excluded.bucket_end'),
          fetched_at: eb.ref('excluded.fetched_at'),
        })),
      )
      .execute();
  }
}

/**
 * Forgets that the ledger holds an account's buckets (every resource of it too) overlapping
 * [startMs, endMs): a write upstream (recordUsage) changed them, so the next answer asks the
 * upstream and the next sync reads them again. Rows stay until that read replaces them. The
 * source's sync checkpoints are cut back to `startMs` too: a whole-source read (reports) no longer
 * claims what follows, and the same `billgraph sync` run resumes there.
 */
export async function forgetSpans(
  db: Kysely<LedgerDatabase>,
  sourceId: string,
  accountId: string,
  startMs: number,
  endMs: number,
): Promise<number> {
  const result = await db
    .deleteFrom('ledger_spans')
    .where('source_id', '=', sourceId)
    .where('account_id', '=', accountId)
    .where('bucket_end', '>', new Date(startMs))
    .where('bucket_start', '<', new Date(endMs))
    .executeTakeFirst();
  await sql`update ledger_sync set done_until = greatest(range_start, ${new Date(startMs).toISOString()}::timestamptz)
    where source_id = ${sourceId} and done_until > ${new Date(startMs).toISOString()}::timestamptz`.execute(db);
  return Number(result.numDeletedRows);
}
