import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { forgetSpans, writeSpans, type LedgerSpan } from '../../../src/ledger/ledgerStore.js';
import { openLedger, type Ledger } from '../../../src/ledger/openLedger.js';
import { describeLedgerStore } from '../../helpers/ledgerStoreSpec.js';

describeLedgerStore('the embedded engine (PGlite, in memory)', async () => ({
  ledger: await openLedger({ kind: 'memory' }),
  stop: async () => {},
}));

/** Midnight UTC of a day of November 2026. */
const nov = (d: number): number => Date.UTC(2026, 10, d);
const span = (accountId: string, resourceId: string, day: number): LedgerSpan => ({
  accountId,
  resourceId,
  bucketStart: new Date(nov(day)).toISOString(),
  bucketEnd: new Date(nov(day + 1)).toISOString(),
});

describe('the ledger spans', () => {
  let ledger: Ledger;
  beforeAll(async () => {
    ledger = await openLedger({ kind: 'memory' });
  });
  afterAll(async () => {
    await ledger?.close();
  });
  beforeEach(async () => {
    await sql`delete from ledger_spans`.execute(ledger.db);
  });
  const spans = async () =>
    (
      await sql<{ s: string; a: string; r: string; start: string; end: string; at: string }>`
        select source_id as s, account_id as a, resource_id as r,
          to_char(bucket_start at time zone 'UTC', 'MM-DD') as start,
          to_char(bucket_end at time zone 'UTC', 'MM-DD HH24:MI') as end,
          to_char(fetched_at at time zone 'UTC', 'MM-DD') as at
        from ledger_spans order by source_id, account_id, resource_id, bucket_start`.execute(ledger.db)
    ).rows.map((r) => `${r.s} ${r.a} '${r.r}' ${r.start}→${r.end} @${r.at}`);

  it('writes a span once per bucket: writing it again replaces its end and its fetch time', async () => {
    await writeSpans(ledger.db, 'g8', [span('acc-1', '', 1), span('acc-1', 'vm-1', 1)], '2026-11-05T00:00:00Z');
    await writeSpans(
      ledger.db,
      'g8',
      [{ ...span('acc-1', '', 1), bucketEnd: '2026-11-01T12:00:00Z' }, span('acc-1', '', 2)],
      '2026-11-06T00:00:00Z',
    );
    expect(await spans()).toEqual([
      "g8 acc-1 '' 11-01→11-01 12:00 @11-06",
      "g8 acc-1 '' 11-02→11-03 00:00 @11-06",
      "g8 acc-1 'vm-1' 11-01→11-02 00:00 @11-05",
    ]);
  });

  it('writes more spans than one INSERT takes', async () => {
    const many = Array.from({ length: 6000 }, (_, i) => span(`acc-${i}`, '', 1));
    await writeSpans(ledger.db, 'g8', many, '2026-11-05T00:00:00Z');
    const count = await sql<{ n: string }>`select count(*) as n from ledger_spans`.execute(ledger.db);
    expect(Number(count.rows[0]!.n)).toBe(6000);
  });

  it("forgets the spans of one account overlapping a range, every resource's too, and says how many", async () => {
    await writeSpans(
      ledger.db,
      'g8',
      [
        span('acc-1', '', 1),
        span('acc-1', '', 2),
        span('acc-1', '', 3),
        span('acc-1', 'vm-1', 2),
        span('acc-2', '', 2),
      ],
      '2026-11-05T00:00:00Z',
    );
    await writeSpans(ledger.db, 'kb', [span('acc-1', '', 2)], '2026-11-05T00:00:00Z');
    // One hour inside 2 November touches the day 2 bucket only.
    expect(await forgetSpans(ledger.db, 'g8', 'acc-1', nov(2) + 3_600_000, nov(2) + 7_200_000)).toBe(2);
    expect(await spans()).toEqual([
      "g8 acc-1 '' 11-01→11-02 00:00 @11-05",
      "g8 acc-1 '' 11-03→11-04 00:00 @11-05",
      "g8 acc-2 '' 11-02→11-03 00:00 @11-05",
      "kb acc-1 '' 11-02→11-03 00:00 @11-05",
    ]);
  });

  it('forgets no span that only touches the range at its edges', async () => {
    await writeSpans(ledger.db, 'g8', [span('acc-1', '', 1), span('acc-1', '', 3)], '2026-11-05T00:00:00Z');
    expect(await forgetSpans(ledger.db, 'g8', 'acc-1', nov(2), nov(3))).toBe(0);
    expect(await spans()).toHaveLength(2);
  });
});
