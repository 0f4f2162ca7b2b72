import { describe, expect, it } from 'vitest';
import { KNOWN_MIGRATIONS, LEDGER_MIGRATIONS, migrationProvider } from '../../../src/ledger/migrations.js';

describe('the ledger migrations', () => {
  it('are named by a four-digit sequence without gaps, so their order is their name order', () => {
    expect(KNOWN_MIGRATIONS.length).toBeGreaterThan(0);
    KNOWN_MIGRATIONS.forEach((name, i) =>
      expect(name).toMatch(new RegExp(`^${String(i + 1).padStart(4, '0')}_[a-z_]+$`)),
    );
  });

  it('are what the migrator is given, each with an up step', async () => {
    const given = await migrationProvider.getMigrations();
    expect(Object.keys(given).sort()).toEqual(KNOWN_MIGRATIONS);
    for (const name of KNOWN_MIGRATIONS) expect(typeof LEDGER_MIGRATIONS[name]!.up).toBe('function');
  });
});

describe('0004_source_days on a ledger written before it', () => {
  it("sums the accounts' existing daily sums per source, day, metric and currency, leaving resources out", async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { Kysely, sql } = await import('kysely');
    const { Migrator } = await import('kysely/migration');
    const { pgliteDialect } = await import('../../../src/ledger/pgliteDialect.js');
    const db = new Kysely<unknown>({ dialect: pgliteDialect(new PGlite()) });
    try {
      const migrator = new Migrator({ db, provider: migrationProvider });
      expect((await migrator.migrateTo('0003_daily_rollup')).error).toBeUndefined();
      await sql`insert into ledger_days values
        ('g8', 'acc-1', '', '', 'CU', 'CU-hours', 'EUR', '2026-10-05T00:00:00Z', '1.50', '0.10', 24, 24, 0),
        ('g8', 'acc-2', '', '', 'CU', 'CU-hours', 'EUR', '2026-10-05T00:00:00Z', '2.50', '0.25', 24, 24, 0),
        ('g8', 'acc-2', 'vm-1', 'VirtualMachine', 'CU', 'CU-hours', 'EUR', '2026-10-05T00:00:00Z', '9', '9', 24, 24, 0),
        ('g8', 'acc-3', '', '', 'CU', 'CU-hours', '', '2026-10-05T00:00:00Z', '7', null, 24, 0, 0),
        ('g8', 'acc-1', '', '', 'CU', 'CU-hours', 'EUR', '2026-10-06T00:00:00Z', '1', '1', 24, 24, 0)`.execute(db);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const rows = await sql<Record<string, unknown>>`
        select to_char(day_start at time zone 'UTC', 'YYYY-MM-DD') as day, currency, quantity::text, cost::text, terms, cost_terms
        from ledger_source_days order by day_start, currency`.execute(db);
      expect(rows.rows).toEqual([
        { day: '2026-10-05', currency: '', quantity: '7', cost: null, terms: 24, cost_terms: 0 },
        { day: '2026-10-05', currency: 'EUR', quantity: '4.00', cost: '0.35', terms: 48, cost_terms: 48 },
        { day: '2026-10-06', currency: 'EUR', quantity: '1', cost: '1', terms: 24, cost_terms: 24 },
      ]);
    } finally {
      await db.destroy();
    }
  });
});
