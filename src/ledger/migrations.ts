/**
 * The ledger's schema, versioned: one migration per change, applied in order at start by Kysely's
 * Migrator (which takes a lock, so replicas sharing a PostgreSQL ledger migrate one at a time).
 * A name is never edited once released: a new change is a new entry.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

export const LEDGER_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_ledger_rows': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('ledger_rows')
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('sub_account_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('resource_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('resource_kind', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('bucket_start', 'timestamptz', (c) => c.notNull())
        .addColumn('bucket_end', 'timestamptz', (c) => c.notNull())
        // NUMERIC without a precision: every digit the upstream sent, summed exactly.
        .addColumn('quantity', 'numeric', (c) => c.notNull())
        .addColumn('cost', 'numeric')
        .addColumn('currency', 'text')
        .addColumn('is_final', 'boolean', (c) => c.notNull())
        .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('ledger_rows_pk', [
          'source_id',
          'account_id',
          'sub_account_id',
          'resource_id',
          'metric',
          'bucket_start',
          'bucket_end',
        ])
        .addCheckConstraint('ledger_rows_bucket', sql`bucket_end > bucket_start`)
        .addCheckConstraint('ledger_rows_cost_currency', sql`(cost is null) = (currency is null)`)
        .execute();
      // Reports read a time range, often of a few sources.
      await db.schema.createIndex('ledger_rows_by_time').on('ledger_rows').columns(['bucket_start']).execute();
    },
  },
  '0002_spans_and_sync': {
    async up(db: Kysely<unknown>) {
      // The order the upstream listed a bucket's metrics in, so an answer read back lists them alike.
      await db.schema
        .alterTable('ledger_rows')
        .addColumn('metric_order', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // Which finest buckets were read whole, per account (resource_id '') or resource: a bucket
      // the upstream answered without consumption has a span and no rows, so "nothing" is known.
      await db.schema
        .createTable('ledger_spans')
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('bucket_start', 'timestamptz', (c) => c.notNull())
        .addColumn('bucket_end', 'timestamptz', (c) => c.notNull())
        .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('ledger_spans_pk', ['source_id', 'account_id', 'resource_id', 'bucket_start'])
        .addCheckConstraint('ledger_spans_bucket', sql`bucket_end > bucket_start`)
        .execute();
      // Where `billgraph sync` got to, per source and asked range: a run that stops resumes here.
      await db.schema
        .createTable('ledger_sync')
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('range_start', 'timestamptz', (c) => c.notNull())
        .addColumn('range_end', 'timestamptz', (c) => c.notNull())
        .addColumn('done_until', 'timestamptz', (c) => c.notNull())
        .addColumn('rows', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('ledger_sync_pk', ['source_id', 'range_start', 'range_end'])
        .execute();
    },
  },
  '0003_daily_rollup': {
    async up(db: Kysely<unknown>) {
      // The UTC day a row lies in, null when it does not lie in one (then it is read as it is).
      await db.schema.alterTable('ledger_rows').addColumn('day_start', 'timestamptz').execute();
      await sql`update ledger_rows set day_start = date_bin('1 day', bucket_start, timestamptz '2000-01-01 00:00:00+00')
        where date_bin('1 day', bucket_start, timestamptz '2000-01-01 00:00:00+00')
          = date_bin('1 day', bucket_end - interval '1 microsecond', timestamptz '2000-01-01 00:00:00+00')`.execute(db);
      await sql`create index ledger_rows_not_in_a_day on ledger_rows (source_id, bucket_start) where day_start is null`.execute(
        db,
      );
      // The rows that lie within one UTC day (G8's, Hyperstack's and Civitai's hours, daily rows)
      // summed per day, kept by every write (ledgerStore.ts): a year by day reads 24 times fewer rows. `terms` and
      // `cost_terms` count the rows summed, so a sum reads back as the live graph writes it.
      await db.schema
        .createTable('ledger_days')
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('resource_kind', 'text', (c) => c.notNull())
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        /** '' for rows without a cost. */
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('day_start', 'timestamptz', (c) => c.notNull())
        .addColumn('quantity', 'numeric', (c) => c.notNull())
        .addColumn('cost', 'numeric')
        .addColumn('terms', 'integer', (c) => c.notNull())
        .addColumn('cost_terms', 'integer', (c) => c.notNull())
        .addColumn('metric_order', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('ledger_days_pk', [
          'source_id',
          'day_start',
          'account_id',
          'resource_id',
          'metric',
          'unit',
          'currency',
        ])
        .execute();
      // A ledger written before this migration: its rows that lie within one day, summed once now.
      await sql`insert into ledger_days
        select source_id, account_id, resource_id, min(resource_kind), metric, unit, coalesce(currency, ''), day_start,
          sum(quantity), sum(cost), count(*), count(cost), min(metric_order)
        from ledger_rows where day_start is not null
        group by source_id, account_id, resource_id, metric, unit, currency, day_start`.execute(db);
    },
  },
  '0004_source_days': {
    async up(db: Kysely<unknown>) {
      // The accounts' daily sums (ledger_days, account-level) summed once more over the source's
      // accounts, kept by every write: a report that neither shows points nor groups or filters by
      // account reads one sum per day and metric, not one per account (G8 at --scale 4: 16×
      // fewer). `terms` and `cost_terms` still count the rows, so a sum reads back as the live graph writes it.
      await db.schema
        .createTable('ledger_source_days')
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        /** '' for rows without a cost. */
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('day_start', 'timestamptz', (c) => c.notNull())
        .addColumn('quantity', 'numeric', (c) => c.notNull())
        .addColumn('cost', 'numeric')
        .addColumn('terms', 'integer', (c) => c.notNull())
        .addColumn('cost_terms', 'integer', (c) => c.notNull())
        .addColumn('metric_order', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('ledger_source_days_pk', ['source_id', 'day_start', 'metric', 'unit', 'currency'])
        .execute();
      await sql`insert into ledger_source_days
        select source_id, metric, unit, currency, day_start, sum(quantity), sum(cost), sum(terms), sum(cost_terms),
          min(metric_order)
        from ledger_days where resource_id = ''
        group by source_id, metric, unit, currency, day_start`.execute(db);
    },
  },
};

/** The migrations this build knows, newest last. */
export const KNOWN_MIGRATIONS: readonly string[] = Object.keys(LEDGER_MIGRATIONS).sort();

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => LEDGER_MIGRATIONS as Record<string, Migration>,
};
