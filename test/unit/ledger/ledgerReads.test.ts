import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { sumDecimals } from '../../../src/lib/decimal.js';
import { accountSpans, countSpans, lastSynced, sumIntoBuckets, syncedUntil } from '../../../src/ledger/ledgerReads.js';
import { writeRows, writeSpans, type LedgerRow } from '../../../src/ledger/ledgerStore.js';
import { openLedger, type Ledger } from '../../../src/ledger/openLedger.js';

/** Midnight UTC of a day of November 2026, in milliseconds and as RFC 3339. */
const DAY_MS = (d: number): number => Date.UTC(2026, 10, d);
const DAY = (d: number): string => new Date(DAY_MS(d)).toISOString();

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
const span = (accountId: string, resourceId: string, day: number) => ({
  accountId,
  resourceId,
  bucketStart: DAY(day),
  bucketEnd: DAY(day + 1),
});

let ledger: Ledger;
beforeAll(async () => {
  ledger = await openLedger({ kind: 'memory' });
});
afterAll(async () => {
  await ledger?.close();
});
beforeEach(async () => {
  await sql`delete from ledger_rows`.execute(ledger.db);
  await sql`delete from ledger_spans`.execute(ledger.db);
  await sql`delete from ledger_sync`.execute(ledger.db);
  await sql`delete from ledger_days`.execute(ledger.db);
  await sql`delete from ledger_source_days`.execute(ledger.db);
});

describe('countSpans', () => {
  it('counts the finest buckets each key holds inside the range, in key order, 0 for a key it never saw', async () => {
    await writeSpans(
      ledger.db,
      'g8',
      [1, 2, 3].map((d) => span('acc-1', '', d)).concat(span('acc-1', 'vm-1', 2)),
      DAY(9),
    );
    await writeSpans(ledger.db, 'other', [span('acc-2', '', 1)], DAY(9));
    const keys = [
      { accountId: 'acc-2', resourceId: '' },
      { accountId: 'acc-1', resourceId: 'vm-1' },
      { accountId: 'acc-1', resourceId: '' },
    ];
    expect(await countSpans(ledger.db, 'g8', keys, DAY_MS(1), DAY_MS(4))).toEqual([0, 1, 3]);
  });

  it('counts only the spans lying wholly inside [start, end)', async () => {
    await writeSpans(
      ledger.db,
      'g8',
      [1, 2, 3, 4].map((d) => span('acc-1', '', d)),
      DAY(9),
    );
    const key = [{ accountId: 'acc-1', resourceId: '' }];
    expect(await countSpans(ledger.db, 'g8', key, DAY_MS(2), DAY_MS(4))).toEqual([2]);
    expect(await countSpans(ledger.db, 'g8', key, DAY_MS(2) + 1, DAY_MS(4))).toEqual([1]);
  });

  it('answers no counts for no keys', async () => {
    expect(await countSpans(ledger.db, 'g8', [], DAY_MS(1), DAY_MS(4))).toEqual([]);
  });
});

describe('sumIntoBuckets', () => {
  const ACC = [{ accountId: 'acc-1', resourceId: '' }];

  it('sums exactly into the asked buckets: 18 decimals and values past 2^53 lose no digit', async () => {
    await writeRows(ledger.db, [
      row({ day: 1, quantity: '9007199254740993' }),
      row({ day: 2, quantity: '0.000000000000000001' }),
      row({ day: 3, quantity: '0.1', cost: { amount: '0.1', currency: 'EUR' } }),
      row({ day: 4, quantity: '0.2', cost: { amount: '0.2', currency: 'EUR' } }),
    ]);
    const sums = await sumIntoBuckets(ledger.db, 'g8', ACC, [DAY_MS(1), DAY_MS(3)], DAY_MS(5));
    expect(sums.map((s) => [s.bucket, s.metric, s.quantity, s.cost, s.currency])).toEqual([
      [0, 'CU', '9007199254740993.000000000000000001', null, null],
      [1, 'CU', '0.3', '0.3', 'EUR'],
    ]);
  });

  it('ignores rows outside [first edge, end)', async () => {
    await writeRows(ledger.db, [
      row({ day: 1, quantity: '100' }),
      row({ day: 2, quantity: '2' }),
      row({ day: 3, quantity: '3' }),
      row({ day: 4, quantity: '400' }),
    ]);
    const sums = await sumIntoBuckets(ledger.db, 'g8', ACC, [DAY_MS(2)], DAY_MS(4));
    expect(sums.map((s) => [s.bucket, s.quantity])).toEqual([[0, '5']]);
  });

  it('keeps a null cost null, and sums each currency on its own', async () => {
    await writeRows(ledger.db, [
      row({ day: 1, quantity: '1', cost: { amount: '1.50', currency: 'EUR' } }),
      row({ day: 2, quantity: '2', cost: { amount: '2.25', currency: 'USD' } }),
      row({ day: 1, metric: 'SU', unit: 'SU-hours', quantity: '7' }),
    ]);
    const sums = await sumIntoBuckets(ledger.db, 'g8', ACC, [DAY_MS(1)], DAY_MS(3));
    expect(sums.map((s) => [s.metric, s.quantity, s.cost, s.currency])).toEqual([
      ['CU', '1', '1.50', 'EUR'],
      ['CU', '2', '2.25', 'USD'],
      ['SU', '7', null, null],
    ]);
  });

  it('orders by bucket, then by the position the upstream gave each metric (not by name)', async () => {
    await writeRows(ledger.db, [
      row({ day: 2, metric: 'CU', metricOrder: 1 }),
      row({ day: 2, metric: 'SU', unit: 'SU-hours', metricOrder: 0 }),
      row({ day: 1, metric: 'CU', metricOrder: 1 }),
      row({ day: 1, metric: 'SU', unit: 'SU-hours', metricOrder: 0 }),
    ]);
    const sums = await sumIntoBuckets(ledger.db, 'g8', ACC, [DAY_MS(1), DAY_MS(2)], DAY_MS(3));
    expect(sums.map((s) => `${s.bucket}:${s.metric}`)).toEqual(['0:SU', '0:CU', '1:SU', '1:CU']);
  });

  it('sums the asked keys apart, each with its resource kind', async () => {
    await writeRows(ledger.db, [
      row({ day: 1, quantity: '1' }),
      row({ day: 1, resourceId: 'vm-1', resourceKind: 'VirtualMachine', quantity: '4' }),
      row({ day: 1, accountId: 'acc-2', quantity: '9' }),
    ]);
    const keys = [...ACC, { accountId: 'acc-1', resourceId: 'vm-1' }];
    const sums = await sumIntoBuckets(ledger.db, 'g8', keys, [DAY_MS(1)], DAY_MS(2));
    expect(sums.map((s) => [s.accountId, s.resourceId, s.resourceKind, s.quantity])).toEqual([
      ['acc-1', '', '', '1'],
      ['acc-1', 'vm-1', 'VirtualMachine', '4'],
    ]);
  });

  it("sums every account's own rows, and no resource's, when no keys are given", async () => {
    await writeRows(ledger.db, [
      row({ day: 1, quantity: '1' }),
      row({ day: 1, resourceId: 'vm-1', quantity: '4' }),
      row({ day: 1, accountId: 'acc-2', quantity: '9' }),
      row({ day: 1, sourceId: 'other', quantity: '100' }),
    ]);
    const sums = await sumIntoBuckets(ledger.db, 'g8', null, [DAY_MS(1)], DAY_MS(2));
    expect(sums.map((s) => [s.accountId, s.resourceId, s.quantity])).toEqual([
      ['acc-1', '', '1'],
      ['acc-2', '', '9'],
    ]);
  });

  it('sums the accounts together when asked, keeping the accounts that stated no cost apart', async () => {
    const eur = (amount: string) => ({ amount, currency: 'EUR' });
    await writeRows(ledger.db, [
      row({ day: 1, quantity: '1.5', cost: eur('0.10') }),
      row({ day: 1, accountId: 'acc-2', quantity: '2.5', cost: eur('0.25') }),
      row({ day: 1, accountId: 'acc-3', quantity: '7' }),
      row({ day: 1, resourceId: 'vm-1', quantity: '4', cost: eur('9') }),
      row({ day: 2, accountId: 'acc-2', quantity: '99999999999999999.000000001', cost: eur('1') }),
      row({ day: 2, accountId: 'acc-3', quantity: '0.000000001', cost: eur('2') }),
    ]);
    const sums = await sumIntoBuckets(ledger.db, 'g8', null, [DAY_MS(1), DAY_MS(2)], DAY_MS(3), {
      acrossAccounts: true,
    });
    const expected = [
      ['', 0, '4', '0.35', 'EUR'],
      ['', 0, '7', null, null],
      ['', 1, '99999999999999999.000000002', '3', 'EUR'],
    ];
    // From the daily sums per source (edges on midnights)…
    expect(sums.map((s) => [s.accountId, s.bucket, s.quantity, s.cost, s.currency])).toEqual(expected);
    // …and from the accounts' sums when an edge is off midnight: the same digits.
    const shifted = await sumIntoBuckets(ledger.db, 'g8', null, [DAY_MS(1), DAY_MS(2) - 3_600_000], DAY_MS(3), {
      acrossAccounts: true,
    });
    expect(shifted.map((s) => [s.accountId, s.bucket, s.quantity, s.cost, s.currency])).toEqual(expected);
  });

  it('keeps the daily sums per source in line with a restated row', async () => {
    const eur = (amount: string) => ({ amount, currency: 'EUR' });
    await writeRows(ledger.db, [
      row({ day: 1, quantity: '1', cost: eur('1') }),
      row({ day: 1, accountId: 'acc-2', quantity: '2', cost: eur('2') }),
    ]);
    await writeRows(ledger.db, [row({ day: 1, accountId: 'acc-2', quantity: '20', cost: eur('2.5') })]);
    const sums = await sumIntoBuckets(ledger.db, 'g8', null, [DAY_MS(1)], DAY_MS(2), { acrossAccounts: true });
    expect(sums.map((s) => [s.quantity, s.cost])).toEqual([['21', '3.5']]);
  });

  it('answers nothing for no edges or no keys', async () => {
    await writeRows(ledger.db, [row({ day: 1 })]);
    expect(await sumIntoBuckets(ledger.db, 'g8', ACC, [], DAY_MS(2))).toEqual([]);
    expect(await sumIntoBuckets(ledger.db, 'g8', [], [DAY_MS(1)], DAY_MS(2))).toEqual([]);
  });
});

const checkpoint = (sourceId: string, from: number, to: number, doneUntil: number, updatedAt = DAY(20)) =>
  ledger.db
    .insertInto('ledger_sync')
    .values({
      source_id: sourceId,
      range_start: DAY(from),
      range_end: DAY(to),
      done_until: DAY(doneUntil),
      rows: 0,
      updated_at: updatedAt,
    })
    .execute();

describe('syncedUntil', () => {
  it('chains adjacent and overlapping synced runs from the start, and stops at a gap', async () => {
    await checkpoint('g8', 1, 5, 3);
    await checkpoint('g8', 3, 10, 7);
    await checkpoint('g8', 6, 9, 9);
    await checkpoint('g8', 11, 15, 15);
    await checkpoint('other', 9, 12, 12);
    expect(await syncedUntil(ledger.db, 'g8', DAY_MS(1))).toBe(DAY_MS(9));
    expect(await syncedUntil(ledger.db, 'g8', DAY_MS(2))).toBe(DAY_MS(9));
    expect(await syncedUntil(ledger.db, 'g8', DAY_MS(11))).toBe(DAY_MS(15));
  });

  it('answers the start itself when no synced run covers it', async () => {
    await checkpoint('g8', 2, 5, 5);
    expect(await syncedUntil(ledger.db, 'g8', DAY_MS(1))).toBe(DAY_MS(1));
    expect(await syncedUntil(ledger.db, 'g8', DAY_MS(5))).toBe(DAY_MS(5));
    expect(await syncedUntil(ledger.db, 'other', DAY_MS(3))).toBe(DAY_MS(3));
  });
});

describe('lastSynced', () => {
  it("answers each source's latest checkpoint time, or only the one asked", async () => {
    await checkpoint('g8', 1, 5, 5, '2026-11-20T10:00:00Z');
    await checkpoint('g8', 5, 9, 9, '2026-11-21T08:30:00Z');
    await checkpoint('kb', 1, 5, 5, '2026-11-19T00:00:00Z');
    expect(await lastSynced(ledger.db)).toEqual(
      new Map([
        ['g8', '2026-11-21T08:30:00Z'],
        ['kb', '2026-11-19T00:00:00Z'],
      ]),
    );
    expect(await lastSynced(ledger.db, 'kb')).toEqual(new Map([['kb', '2026-11-19T00:00:00Z']]));
    expect(await lastSynced(ledger.db, 'nowhere')).toEqual(new Map());
  });
});

describe('sums written like the live graph writes them', () => {
  const ACC = [{ accountId: 'acc-1', resourceId: '' }];

  it('drops the trailing zeros of a sum of several rows, as billgraph sums, and keeps one row as stated', async () => {
    await writeRows(ledger.db, [
      row({ day: 1, quantity: '1.50', cost: { amount: '0.10', currency: 'EUR' } }),
      row({ day: 2, quantity: '2.50', cost: { amount: '0.20', currency: 'EUR' } }),
      row({ day: 3, quantity: '7.250' }),
    ]);
    const sums = await sumIntoBuckets(ledger.db, 'g8', ACC, [DAY_MS(1), DAY_MS(3)], DAY_MS(4));
    expect(sums.map((s) => [s.quantity, s.cost])).toEqual([
      ['4', '0.3'],
      ['7.250', null],
    ]);
  });

  it('keeps the database scale for an upstream that totals windows itself (upstreamSums)', async () => {
    await writeRows(ledger.db, [row({ day: 1, quantity: '1.500000' }), row({ day: 2, quantity: '2.500000' })]);
    const sums = await sumIntoBuckets(ledger.db, 'g8', ACC, [DAY_MS(1)], DAY_MS(3), { keepScale: true });
    expect(sums.map((s) => s.quantity)).toEqual(['4.000000']);
  });
});

describe('accountSpans', () => {
  it('counts the accounts with account-level spans, and says whether each holds every bucket', async () => {
    await writeSpans(
      ledger.db,
      'g8',
      [span('a', '', 1), span('a', '', 2), span('b', '', 1), span('b', '', 2), span('b', 'vm-1', 1)],
      '2026-12-01T00:00:00.000Z',
    );
    expect(await accountSpans(ledger.db, 'g8', DAY_MS(1), DAY_MS(3), 2)).toEqual({ accounts: 2, whole: true });
    await writeSpans(ledger.db, 'g8', [span('c', '', 1)], '2026-12-01T00:00:00.000Z');
    expect(await accountSpans(ledger.db, 'g8', DAY_MS(1), DAY_MS(3), 2)).toEqual({ accounts: 3, whole: false });
    expect(await accountSpans(ledger.db, 'kb', DAY_MS(1), DAY_MS(3), 2)).toEqual({ accounts: 0, whole: true });
  });
});

describe('the daily rollup of the rows that lie within one UTC day', () => {
  const ACC = [{ accountId: 'acc-1', resourceId: '' }];
  const HOUR = 3_600_000;
  const hour = (day: number, h: number, quantity: string, cost?: string): LedgerRow =>
    row({
      day,
      bucketStart: new Date(DAY_MS(day) + h * HOUR).toISOString(),
      bucketEnd: new Date(DAY_MS(day) + (h + 1) * HOUR).toISOString(),
      quantity,
      cost: cost === undefined ? null : { amount: cost, currency: 'EUR' },
    });

  it('answers midnight-aligned buckets from daily sums, equal to the hours summed one by one', async () => {
    const hours = Array.from({ length: 48 }, (_, i) => hour(1 + Math.floor(i / 24), i % 24, `0.${i + 1}0`, `0.00${i}`));
    await writeRows(ledger.db, [...hours, row({ day: 3, quantity: '5' })]);
    const days = await ledger.db
      .selectFrom('ledger_days')
      .select(['day_start', 'quantity', 'terms'])
      .orderBy('day_start')
      .execute();
    expect(days.map((d) => [new Date(d.day_start).toISOString(), d.terms])).toEqual([
      [DAY(1), 24],
      [DAY(2), 24],
      [DAY(3), 1],
    ]);
    // By days (the rollup, and the whole-day row of day 3 beside it) and by a 1-hour-shifted edge (the rows).
    const byDays = await sumIntoBuckets(ledger.db, 'g8', ACC, [DAY_MS(1), DAY_MS(2), DAY_MS(3)], DAY_MS(4));
    const q = (from: number, to: number) => sumDecimals(hours.slice(from, to).map((h) => h.quantity));
    const c = (from: number, to: number) => sumDecimals(hours.slice(from, to).map((h) => h.cost!.amount));
    expect(byDays.map((s) => [s.bucket, s.quantity, s.cost])).toEqual([
      [0, q(0, 24), c(0, 24)],
      [1, q(24, 48), c(24, 48)],
      [2, '5', null],
    ]);
    // The rows themselves when an edge is off midnight: the same digits.
    const byHours = await sumIntoBuckets(ledger.db, 'g8', ACC, [DAY_MS(1), DAY_MS(2) + HOUR], DAY_MS(3));
    expect(byHours.map((s) => s.quantity)).toEqual([q(0, 25), q(25, 48)]);
  });

  it('follows a restated hour: the day is summed again from its rows', async () => {
    await writeRows(ledger.db, [hour(5, 0, '1'), hour(5, 1, '2')]);
    await writeRows(ledger.db, [hour(5, 1, '20')]);
    const sums = await sumIntoBuckets(ledger.db, 'g8', ACC, [DAY_MS(5)], DAY_MS(6));
    expect(sums.map((s) => s.quantity)).toEqual(['21']);
  });
});
