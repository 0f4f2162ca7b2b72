/**
 * The ledger's reads for answers: which finest buckets it holds for an account or resource, and
 * its rows summed into the buckets a query asked for — exact NUMERIC sums, in the database, so a
 * year of hourly rows comes back as a few hundred sums, not as the rows.
 */
import { sql, type Kysely } from 'kysely';
import type { LedgerDatabase } from './tables.js';
import { DAY_MS } from '../lib/durations.js';
import { formatDateTime } from '../lib/dateTime.js';
import { sumDecimals } from '../lib/decimal.js';

/** An account (resource '') or one resource of it, at one source. */
export interface LedgerKey {
  readonly accountId: string;
  readonly resourceId: string;
}

const keyTuples = (keys: readonly LedgerKey[]) => sql.join(keys.map((k) => sql`(${k.accountId}, ${k.resourceId})`));

/**
 * How many finest buckets inside [startMs, endMs) the ledger holds for each key (its spans),
 * in key order: a key holds the range whole when this is the number of finest buckets in it.
 */
export async function countSpans(
  db: Kysely<LedgerDatabase>,
  sourceId: string,
  keys: readonly LedgerKey[],
  startMs: number,
  endMs: number,
): Promise<number[]> {
  if (keys.length === 0) return [];
  const rows = await sql<{ account_id: string; resource_id: string; spans: string }>`
    select account_id, resource_id, count(*) as spans from ledger_spans
    where source_id = ${sourceId} and (account_id, resource_id) in (${keyTuples(keys)})
      and bucket_start >= ${new Date(startMs).toISOString()}::timestamptz
      and bucket_end <= ${new Date(endMs).toISOString()}::timestamptz
    group by account_id, resource_id`.execute(db);
  const counts = new Map(rows.rows.map((r) => [`${r.account_id}\u0000${r.resource_id}`, Number(r.spans)]));
  return keys.map((k) => counts.get(`${k.accountId}\u0000${k.resourceId}`) ?? 0);
}

/**
 * A NUMERIC sum as billgraph writes sums everywhere else (src/lib/decimal.ts): the database keeps
 * the largest scale of its terms ("1.50" + "2" = "3.50"), billgraph's sums drop trailing zeros
 * ("3.5"). One row is the upstream's own digits, kept as they were stated.
 */
const asSummed = (sum: string, terms: number, keepScale: boolean): string =>
  terms > 1 && !keepScale ? sumDecimals([sum]) : sum;

/** One metric of one key in one asked bucket: the exact sums of the ledger's rows inside it. */
export interface BucketSum {
  readonly accountId: string;
  readonly resourceId: string;
  readonly resourceKind: string;
  /** Index of the asked bucket. */
  readonly bucket: number;
  readonly metric: string;
  readonly unit: string;
  readonly quantity: string;
  /** Null when no row of it stated a cost. */
  readonly cost: string | null;
  readonly currency: string | null;
}

/** How sumIntoBuckets sums. */
export interface SumOptions {
  /** Keep the database's scale ("3.50"), as an upstream that sums itself writes it; else "3.5". */
  readonly keepScale?: boolean;
  /**
   * Sum the accounts together (only with keys null): one sum per bucket, metric, unit and
   * currency, with accountId ''. A report that neither shows points nor groups by account needs
   * only these, and they are a sixteenth of the rows to read back for G8's sixteen accounts.
   * Accounts whose rows stated no cost stay a sum of their own (cost null), as their points would.
   */
  readonly acrossAccounts?: boolean;
}

/**
 * The ledger's rows of `keys` (all accounts of the source when null, account-level rows only)
 * summed into buckets starting at `edges` (sorted; the last bucket ends at `endMs`), per metric,
 * unit and currency. Sorted by bucket, then the metric's position in the upstream's answer.
 */
export async function sumIntoBuckets(
  db: Kysely<LedgerDatabase>,
  sourceId: string,
  keys: readonly LedgerKey[] | null,
  edges: readonly number[],
  endMs: number,
  options: SumOptions = {},
): Promise<BucketSum[]> {
  if (edges.length === 0 || (keys && keys.length === 0)) return [];
  const startMs = edges[0]!;
  const edgeArray = `{${edges.map((ms) => new Date(ms).toISOString()).join(',')}}`;
  const scope = keys ? sql`(account_id, resource_id) in (${keyTuples(keys)})` : sql`resource_id = ''`;
  const from = new Date(startMs).toISOString();
  const to = new Date(endMs).toISOString();
  // Buckets on UTC midnights read the rows that lie within one day from their daily sums (ledger_days).
  const byDays = [...edges, endMs].every((ms) => ms % DAY_MS === 0);
  const source = byDays
    ? sql`(select account_id, resource_id, resource_kind, day_start as bucket_start, metric, unit, quantity, cost,
          nullif(currency, '') as currency, metric_order, terms, cost_terms
        from ledger_days
        where source_id = ${sourceId} and ${scope} and day_start >= ${from}::timestamptz and day_start < ${to}::timestamptz
        union all
        select account_id, resource_id, resource_kind, bucket_start, metric, unit, quantity, cost, currency, metric_order,
          1 as terms, (cost is not null)::int as cost_terms
        from ledger_rows
        where source_id = ${sourceId} and ${scope} and bucket_start >= ${from}::timestamptz
          and bucket_end <= ${to}::timestamptz and day_start is null) as t`
    : sql`(select account_id, resource_id, resource_kind, bucket_start, metric, unit, quantity, cost, currency,
          metric_order, 1 as terms, (cost is not null)::int as cost_terms
        from ledger_rows
        where source_id = ${sourceId} and ${scope} and bucket_start >= ${from}::timestamptz
          and bucket_end <= ${to}::timestamptz) as t`;
  if (options.acrossAccounts && !keys && byDays)
    return sumSourceDays(db, sourceId, edgeArray, from, to, options.keepScale ?? false);
  const perKey = sql`
    select account_id, resource_id, min(resource_kind) as resource_kind,
      width_bucket(bucket_start, ${edgeArray}::timestamptz[]) as bucket,
      metric, unit, sum(quantity) as quantity, sum(cost) as cost, currency, min(metric_order) as metric_order,
      sum(terms) as rows, sum(cost_terms) as costs
    from ${source}
    group by account_id, resource_id, bucket, metric, unit, currency`;
  const query =
    options.acrossAccounts && !keys
      ? sql`select '' as account_id, '' as resource_id, min(resource_kind) as resource_kind, bucket, metric, unit,
            sum(quantity)::text as quantity, sum(cost)::text as cost, currency, min(metric_order) as metric_order,
            sum(rows) as rows, sum(costs) as costs
          from (${perKey}) as k
          group by bucket, metric, unit, currency
          order by bucket, metric_order, metric, currency`
      : sql`select account_id, resource_id, resource_kind, bucket, metric, unit, quantity::text as quantity,
            cost::text as cost, currency, metric_order, rows, costs
          from (${perKey}) as k
          order by account_id, resource_id, bucket, metric_order, metric`;
  const rows = await sql<SumRow>`${query}`.execute(db);
  return rows.rows.map((r) => bucketSumOf(r, options.keepScale ?? false));
}

/** One sum as the database answers it: NUMERIC as text, counts as text (bigint). */
interface SumRow {
  readonly account_id: string;
  readonly resource_id: string;
  readonly resource_kind: string;
  readonly bucket: number;
  readonly metric: string;
  readonly unit: string;
  readonly quantity: string;
  readonly cost: string | null;
  readonly currency: string | null;
  readonly rows: string;
  readonly costs: string;
}

const bucketSumOf = (r: SumRow, keepScale: boolean): BucketSum => ({
  accountId: r.account_id,
  resourceId: r.resource_id,
  resourceKind: r.resource_kind,
  bucket: Number(r.bucket) - 1,
  metric: r.metric,
  unit: r.unit,
  quantity: asSummed(r.quantity, Number(r.rows), keepScale),
  cost: r.cost === null ? null : asSummed(r.cost, Number(r.costs), keepScale),
  currency: r.currency,
});

/**
 * sumIntoBuckets across accounts with edges on UTC midnights: the source's daily sums
 * (ledger_source_days) and its account-level rows that lie in no single day, per bucket, metric,
 * unit and currency. Rows without a cost keep a sum of their own (currency null), as an account's do.
 */
async function sumSourceDays(
  db: Kysely<LedgerDatabase>,
  sourceId: string,
  edgeArray: string,
  from: string,
  to: string,
  keepScale: boolean,
): Promise<BucketSum[]> {
  const rows = await sql<SumRow>`
    select '' as account_id, '' as resource_id, '' as resource_kind,
      width_bucket(bucket_start, ${edgeArray}::timestamptz[]) as bucket, metric, unit,
      sum(quantity)::text as quantity, sum(cost)::text as cost, currency, min(metric_order) as metric_order,
      sum(terms) as rows, sum(cost_terms) as costs
    from (select day_start as bucket_start, metric, unit, quantity, cost, nullif(currency, '') as currency,
          metric_order, terms, cost_terms
        from ledger_source_days
        where source_id = ${sourceId} and day_start >= ${from}::timestamptz and day_start < ${to}::timestamptz
        union all
        select bucket_start, metric, unit, quantity, cost, currency, metric_order, 1 as terms,
          (cost is not null)::int as cost_terms
        from ledger_rows
        where source_id = ${sourceId} and resource_id = '' and bucket_start >= ${from}::timestamptz
          and bucket_end <= ${to}::timestamptz and day_start is null) as t
    group by bucket, metric, unit, currency
    order by bucket, metric_order, metric, currency`.execute(db);
  return rows.rows.map((r) => bucketSumOf(r, keepScale));
}

/**
 * The part of [startMs, endMs) that `billgraph sync` has read whole for the source (every account
 * it listed then): the end of the synced run that starts at or before `startMs`, or `startMs`
 * when none does.
 */
export async function syncedUntil(db: Kysely<LedgerDatabase>, sourceId: string, startMs: number): Promise<number> {
  const ranges = await db
    .selectFrom('ledger_sync')
    .select(['range_start', 'done_until'])
    .where('source_id', '=', sourceId)
    .where('done_until', '>', new Date(startMs))
    .orderBy('range_start')
    .execute();
  let reached = startMs;
  for (const r of ranges) {
    const from = new Date(r.range_start).getTime();
    if (from > reached) break;
    reached = Math.max(reached, new Date(r.done_until).getTime());
  }
  return reached;
}

/** When `billgraph sync` last finished work for each source (or only `sourceId`). */
export async function lastSynced(db: Kysely<LedgerDatabase>, sourceId?: string): Promise<Map<string, string>> {
  let query = db
    .selectFrom('ledger_sync')
    .select('source_id')
    .select((eb) => eb.fn.max('updated_at').as('at'))
    .groupBy('source_id');
  if (sourceId !== undefined) query = query.where('source_id', '=', sourceId);
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.source_id, formatDateTime(new Date(r.at as unknown as string).getTime())]));
}

/**
 * The accounts the ledger holds account-level spans for inside [startMs, endMs), and whether each
 * holds every one of the `expected` finest buckets: a write upstream (recordUsage) forgets the
 * spans of the days it touched, so a whole-source read must not answer them from old rows.
 */
export async function accountSpans(
  db: Kysely<LedgerDatabase>,
  sourceId: string,
  startMs: number,
  endMs: number,
  expected: number,
): Promise<{ readonly accounts: number; readonly whole: boolean }> {
  const rows = await sql<{ spans: string }>`
    select count(*) as spans from ledger_spans
    where source_id = ${sourceId} and resource_id = ''
      and bucket_start >= ${new Date(startMs).toISOString()}::timestamptz
      and bucket_end <= ${new Date(endMs).toISOString()}::timestamptz
    group by account_id`.execute(db);
  return { accounts: rows.rows.length, whole: rows.rows.every((r) => Number(r.spans) === expected) };
}
