import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { writeRows } from '../../../src/ledger/ledgerStore.js';
import { KNOWN_MIGRATIONS } from '../../../src/ledger/migrations.js';
import { LedgerVersionError, openLedger } from '../../../src/ledger/openLedger.js';

const dir = mkdtempSync(join(tmpdir(), 'billgraph-ledger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openLedger', () => {
  it('applies every migration to a new ledger, and reports them as its version', async () => {
    const ledger = await openLedger({ kind: 'memory' });
    try {
      expect(ledger.engine).toBe('pglite');
      expect(ledger.version).toEqual(KNOWN_MIGRATIONS);
      expect(KNOWN_MIGRATIONS[0]).toBe('0001_ledger_rows');
    } finally {
      await ledger.close();
    }
  });

  it('keeps an embedded ledger on disk: rows written before a restart are there after it', async () => {
    const dataDir = join(dir, 'persisted');
    const first = await openLedger({ kind: 'embedded', dataDir });
    await writeRows(first.db, [
      {
        sourceId: 'g8',
        provider: 'OPENVCLOUD',
        accountId: 'a',
        metric: 'CU',
        unit: 'CU-hours',
        bucketStart: '2026-11-01T00:00:00Z',
        bucketEnd: '2026-11-02T00:00:00Z',
        quantity: '12.500000000000000001',
        cost: null,
        isFinal: true,
        fetchedAt: '2026-12-01T00:00:00Z',
      },
    ]);
    await first.close();
    const second = await openLedger({ kind: 'embedded', dataDir });
    try {
      const rows = await sql<{ q: string }>`select quantity as q from ledger_rows`.execute(second.db);
      expect(rows.rows).toEqual([{ q: '12.500000000000000001' }]);
      expect(second.version).toEqual(KNOWN_MIGRATIONS);
    } finally {
      await second.close();
    }
  });

  it('refuses a ledger written by a newer billgraph, naming what it does not know, and leaves it untouched', async () => {
    const dataDir = join(dir, 'newer');
    const ledger = await openLedger({ kind: 'embedded', dataDir });
    await sql`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', '2027-01-01T00:00:00Z')`.execute(
      ledger.db,
    );
    await ledger.close();
    const refused = await openLedger({ kind: 'embedded', dataDir }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LedgerVersionError);
    expect((refused as Error).message).toBe(
      'The ledger has schema changes this billgraph does not know (9999_from_the_future): it was written by a newer ' +
        'billgraph. Run that version or a later one, or point ledger at another database; this one is left untouched.',
    );
  });
});
