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
