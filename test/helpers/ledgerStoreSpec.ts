/** The ledger store's checks, run on each engine: embedded (test/unit/ledger) and shared PostgreSQL (test/gateway/ledger). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { sumRows, writeRows, type LedgerRow } from '../../src/ledger/ledgerStore.js';
import type { Ledger } from '../../src/ledger/openLedger.js';

const DAY = (d: number) => `2026-11-${String(d).padStart(2, '0')}T00:00:00.000Z`;
const row = (over: Partial<LedgerRow> & { day: number }): LedgerRow => ({
  sourceId: 'g8',
  provider: 'OPENVCLOUD',
  accountId: 'acc-1',
  metric: 'CU',
  unit: 'CU-hours',
  bucketStart: DAY(over.day),
  bucketEnd: DAY(over.day + 1),
  quantity: '1',
  cost: null,
  isFinal: true,
  fetchedAt: '2026-12-01T00:00:00.000Z',
  ...over,
});

export function describeLedgerStore(
  engine: string,
  open: () => Promise<{ ledger: Ledger; stop: () => Promise<void> }>,
) {
  describe(`the ledger store on ${engine}`, () => {
    let ledger: Ledger;
    let stop: () => Promise<void>;
    beforeAll(async () => {
      ({ ledger, stop } = await open());
    }, 120_000);
    afterAll(async () => {
      await ledger?.close();
      await stop?.();
    });
    beforeEach(async () => {
      await sql`delete from ledger_rows`.execute(ledger.db);
    });

    it('keeps every digit and sums exactly: 17+ significant digits, 18 decimals, values past 2^53', async () => {
      await writeRows(ledger.db, [
        row({ day: 1, quantity: '123456789012345678901234.123456789012345678' }),
        row({ day: 2, quantity: '0.000000000000000001' }),
        row({ day: 3, quantity: '9007199254740993' }),
        row({ day: 4, quantity: '0.1', cost: { amount: '0.1', currency: 'EUR' } }),
        row({ day: 5, quantity: '0.2', cost: { amount: '0.2', currency: 'EUR' } }),
      ]);
      const [total] = await sumRows(ledger.db, { start: DAY(1), end: DAY(30) });
      expect(total!.quantities).toEqual([
        { metric: 'CU', unit: 'CU-hours', quantity: '123456798019544933642227.423456789012345679' },
      ]);
      expect(total!.costs).toEqual([{ amount: '0.3', currency: 'EUR' }]);
      const stored = await sql<{ q: string }>`select quantity as q from ledger_rows order by bucket_start`.execute(
        ledger.db,
      );
      expect(stored.rows.map((r) => r.q)).toEqual([
        '123456789012345678901234.123456789012345678',
        '0.000000000000000001',
        '9007199254740993',
        '0.1',
        '0.2',
      ]);
    });

    it('never adds one currency to another, nor one metric to another', async () => {
      await writeRows(ledger.db, [
        row({ day: 1, quantity: '2', cost: { amount: '1.50', currency: 'EUR' } }),
        row({ day: 2, quantity: '3', cost: { amount: '2.25', currency: 'USD' } }),
        row({ day: 1, metric: 'SU', unit: 'SU-hours', quantity: '7' }),
      ]);
      const [total] = await sumRows(ledger.db, { start: DAY(1), end: DAY(30) });
      expect(total!.quantities).toEqual([
        { metric: 'CU', unit: 'CU-hours', quantity: '5' },
        { metric: 'SU', unit: 'SU-hours', quantity: '7' },
      ]);
      expect(total!.costs).toEqual([
        { amount: '1.50', currency: 'EUR' },
        { amount: '2.25', currency: 'USD' },
      ]);
    });

    it('replaces a row written again for the same bucket: the later statement wins', async () => {
      await writeRows(ledger.db, [row({ day: 1, quantity: '1', isFinal: false })]);
      await writeRows(ledger.db, [row({ day: 1, quantity: '1.25', isFinal: true })]);
      const [total] = await sumRows(ledger.db, { start: DAY(1), end: DAY(2) });
      expect(total!.quantities[0]!.quantity).toBe('1.25');
      expect(total!.notFinal).toBe(0);
    });

    it('groups by source and account, reads only the window and the sources asked, and counts rows not final', async () => {
      await writeRows(ledger.db, [
        row({ day: 1, quantity: '1' }),
        row({ day: 2, quantity: '2', accountId: 'acc-2', isFinal: false }),
        row({ day: 3, quantity: '4', sourceId: 'kb', provider: 'KILLBILL', metric: 'api-calls', unit: 'calls' }),
        row({ day: 10, quantity: '100' }),
      ]);
      const groups = await sumRows(ledger.db, { start: DAY(1), end: DAY(5), groupBy: ['SOURCE', 'ACCOUNT'] });
      expect(groups).toEqual([
        {
          key: { SOURCE: 'g8', ACCOUNT: 'acc-1' },
          quantities: [{ metric: 'CU', unit: 'CU-hours', quantity: '1' }],
          costs: [],
          notFinal: 0,
        },
        {
          key: { SOURCE: 'g8', ACCOUNT: 'acc-2' },
          quantities: [{ metric: 'CU', unit: 'CU-hours', quantity: '2' }],
          costs: [],
          notFinal: 1,
        },
        {
          key: { SOURCE: 'kb', ACCOUNT: 'acc-1' },
          quantities: [{ metric: 'api-calls', unit: 'calls', quantity: '4' }],
          costs: [],
          notFinal: 0,
        },
      ]);
      const onlyKb = await sumRows(ledger.db, { start: DAY(1), end: DAY(5), sources: ['kb'] });
      expect(onlyKb.map((g) => g.quantities)).toEqual([[{ metric: 'api-calls', unit: 'calls', quantity: '4' }]]);
      expect(await sumRows(ledger.db, { start: DAY(1), end: DAY(5), sources: [] })).toEqual([]);
    });

    it('refuses a cost without its currency, and a bucket that ends before it starts', async () => {
      await expect(
        sql`insert into ledger_rows (source_id, provider, account_id, metric, unit, bucket_start, bucket_end, quantity, cost, is_final, fetched_at)
          values ('g8', 'OPENVCLOUD', 'a', 'CU', 'h', now(), now() + interval '1 day', 1, 1, true, now())`.execute(
          ledger.db,
        ),
      ).rejects.toThrow(/ledger_rows_cost_currency/);
      await expect(writeRows(ledger.db, [row({ day: 2, bucketEnd: DAY(1) })])).rejects.toThrow(/ledger_rows_bucket/);
    });

    it('writes in batches: 2,500 rows in one call arrive whole', async () => {
      const rows = Array.from({ length: 2500 }, (_, i) => row({ day: 1, resourceId: `vm-${i}`, quantity: `${i}.5` }));
      expect(await writeRows(ledger.db, rows)).toBe(2500);
      const [total] = await sumRows(ledger.db, { start: DAY(1), end: DAY(2) });
      // Σ (i + 0.5) for i < 2500 = 2500 × 2499 / 2 + 1250
      expect(total!.quantities[0]!.quantity).toBe('3125000.0');
    });
  });
}
