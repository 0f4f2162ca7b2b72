/**
 * Opens the usage ledger and brings its schema to this build's version. Embedded by default
 * (PGlite: a folder on disk, or memory), shared when given a PostgreSQL URL (`pg`'s pool); both
 * through Kysely with the same migrations and queries.
 */
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { KNOWN_MIGRATIONS, migrationProvider } from './migrations.js';
import { pgliteDialect } from './pgliteDialect.js';
import type { LedgerDatabase } from './tables.js';
import { lockFolder } from './folderLock.js';

export type LedgerLocation =
  /** Embedded, persisted in this folder (created when missing). */
  | { readonly kind: 'embedded'; readonly dataDir: string }
  /** Embedded, in memory: gone when the process ends (tests). */
  | { readonly kind: 'memory' }
  /** Shared: a PostgreSQL database, e.g. postgres://billgraph@127.0.0.1:5432/billgraph. */
  | { readonly kind: 'postgres'; readonly url: string; readonly maxConnections?: number };

export interface Ledger {
  readonly db: Kysely<LedgerDatabase>;
  readonly engine: 'pglite' | 'postgres';
  /** The migrations applied, oldest first. */
  readonly version: readonly string[];
  close(): Promise<void>;
}

/** The ledger was written by a newer billgraph: this one does not know its schema and will not touch it. */
export class LedgerVersionError extends Error {
  constructor(readonly unknown: readonly string[]) {
    super(
      `The ledger has schema changes this billgraph does not know (${unknown.join(', ')}): it was written by a newer ` +
        `billgraph. Run that version or a later one, or point ledger at another database; this one is left untouched.`,
    );
    this.name = 'LedgerVersionError';
  }
}

function dialectFor(location: LedgerLocation) {
  switch (location.kind) {
    case 'embedded':
      return { engine: 'pglite' as const, dialect: pgliteDialect(new PGlite(location.dataDir)) };
    case 'memory':
      return { engine: 'pglite' as const, dialect: pgliteDialect(new PGlite()) };
    case 'postgres':
      return {
        engine: 'postgres' as const,
        dialect: new PostgresDialect({
          pool: new pg.Pool({ connectionString: location.url, max: location.maxConnections ?? 4 }),
        }),
      };
  }
}

/** Names of the migrations the database says were applied; none for a new database. */
async function appliedMigrations(db: Kysely<LedgerDatabase>): Promise<string[]> {
  const exists = await sql<{ present: boolean }>`select to_regclass('kysely_migration') is not null as present`.execute(
    db,
  );
  if (!exists.rows[0]?.present) return [];
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

export async function openLedger(location: LedgerLocation): Promise<Ledger> {
  const release = location.kind === 'embedded' ? lockFolder(location.dataDir) : () => undefined;
  let dialectAndEngine;
  try {
    dialectAndEngine = dialectFor(location);
  } catch (error) {
    release();
    throw error;
  }
  const { engine, dialect } = dialectAndEngine;
  const db = new Kysely<LedgerDatabase>({ dialect });
  try {
    const unknown = (await appliedMigrations(db)).filter((name) => !KNOWN_MIGRATIONS.includes(name));
    if (unknown.length > 0) throw new LedgerVersionError(unknown);
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error('The ledger migration failed.', { cause: error });
    const version = await appliedMigrations(db);
    return {
      db,
      engine,
      version,
      close: async () => {
        try {
          await db.destroy();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    await db.destroy();
    release();
    throw error;
  }
}
