/**
 * The ledger's tables as Kysely sees them. Amounts are NUMERIC in the database and decimal strings
 * here: both engines (PGlite, PostgreSQL) store and sum them exactly and hand them back as text.
 */
import type { ColumnType, Generated } from 'kysely';

/** One consumption row at its source's finest bucket. */
export interface LedgerRowTable {
  source_id: string;
  provider: string;
  account_id: string;
  /** The cloudspace, subscription or bucket under the account; '' when the source has none. */
  sub_account_id: Generated<string>;
  /** The resource the row is about; '' for an account-level row. */
  resource_id: Generated<string>;
  resource_kind: Generated<string>;
  metric: string;
  unit: string;
  bucket_start: ColumnType<Date, string, string>;
  bucket_end: ColumnType<Date, string, string>;
  /** Exact decimal, as the upstream stated it. */
  quantity: string;
  /** The cost the upstream states, exact; null when it states none. */
  cost: string | null;
  /** ISO 4217 code or the source's own unit of account (BUZZ, CREDITS); null with a null cost. */
  currency: string | null;
  is_final: boolean;
  fetched_at: ColumnType<Date, string, string>;
  /** Position of the metric in its bucket's answer, so a read lists metrics as the upstream did. */
  metric_order: Generated<number>;
  /** The UTC day the bucket lies in (its daily sum is in ledger_days); null when it lies in none. */
  day_start: ColumnType<Date | null, string | null | undefined, string | null>;
}

/** A finest bucket read whole for an account ('' resource) or one resource, with or without rows. */
export interface LedgerSpanTable {
  source_id: string;
  account_id: string;
  resource_id: Generated<string>;
  bucket_start: ColumnType<Date, string, string>;
  bucket_end: ColumnType<Date, string, string>;
  fetched_at: ColumnType<Date, string, string>;
}

/** How far `billgraph sync` got in one source and asked range. */
export interface LedgerSyncTable {
  source_id: string;
  range_start: ColumnType<Date, string, string>;
  range_end: ColumnType<Date, string, string>;
  done_until: ColumnType<Date, string, string>;
  rows: ColumnType<string, number, number>;
  updated_at: ColumnType<Date, string, string>;
}

/** The rows that lie within one UTC day, summed per day (kept by every write). */
export interface LedgerDayTable {
  source_id: string;
  account_id: string;
  resource_id: string;
  resource_kind: string;
  metric: string;
  unit: string;
  /** '' for rows without a cost. */
  currency: string;
  day_start: ColumnType<Date, string, string>;
  quantity: string;
  cost: string | null;
  /** Rows summed, and rows with a cost summed. */
  terms: number;
  cost_terms: number;
  metric_order: number;
}

/** The account-level daily sums of a source, summed over its accounts (kept by every write). */
export type LedgerSourceDayTable = Omit<LedgerDayTable, 'account_id' | 'resource_id' | 'resource_kind'>;

export interface LedgerDatabase {
  ledger_rows: LedgerRowTable;
  ledger_days: LedgerDayTable;
  ledger_source_days: LedgerSourceDayTable;
  ledger_spans: LedgerSpanTable;
  ledger_sync: LedgerSyncTable;
}
