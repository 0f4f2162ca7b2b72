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
};

/** The migrations this build knows, newest last. */
export const KNOWN_MIGRATIONS: readonly string[] = Object.keys(LEDGER_MIGRATIONS).sort();

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => LEDGER_MIGRATIONS as Record<string, Migration>,
};
