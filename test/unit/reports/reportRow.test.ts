import { describe, expect, it } from 'vitest';
import { sumDecimals } from '../../../src/lib/decimal.js';
import type { ConsumptionPointModel, SourceModel } from '../../../src/models.js';
import { isZero, remainderRows, rowsOfPoints, type ReportRow, type RowOrigin } from '../../../src/reports/reportRow.js';

const source: SourceModel = { id: 'g8', provider: 'OPENVCLOUD' as SourceModel['provider'], name: 'G8' };
const account = { id: 'acc', name: 'Account' };
const accountOrigin: RowOrigin = { source, account, subAccount: null, resource: null };
const resourceOrigin = (id: string): RowOrigin => ({
  source,
  account,
  subAccount: account,
  resource: { id, name: id, type: 'MACHINE' },
});

const row = (origin: RowOrigin, metric: string, quantity: string, eur?: string, start = 'a', end = 'b'): ReportRow => ({
  ...origin,
  start,
  end,
  metric,
  unit: `${metric}-hours`,
  quantity,
  costs: eur === undefined ? [] : [{ amount: eur, currency: 'EUR' }],
});

describe('rowsOfPoints', () => {
  it('copies each point with its origin and reads its cost once', () => {
    let reads = 0;
    const point = {
      start: 's',
      end: 'e',
      metric: 'CU',
      unit: 'CU-hours',
      quantity: '1.5',
      get cost() {
        reads++;
        return { amount: '3.00', currency: 'EUR' };
      },
    } as unknown as ConsumptionPointModel;
    const free = {
      start: 's',
      end: 'e',
      metric: 'CU',
      unit: 'CU-hours',
      quantity: '1.5',
      cost: null,
    } as unknown as ConsumptionPointModel;
    const rows = rowsOfPoints([point, free], accountOrigin);
    expect(rows).toEqual([
      {
        ...accountOrigin,
        start: 's',
        end: 'e',
        metric: 'CU',
        unit: 'CU-hours',
        quantity: '1.5',
        costs: [{ amount: '3.00', currency: 'EUR' }],
      },
      { ...accountOrigin, start: 's', end: 'e', metric: 'CU', unit: 'CU-hours', quantity: '1.5', costs: [] },
    ]);
    expect(reads).toBe(1);
  });
});

describe('remainderRows', () => {
  it('is the account minus its parts per bucket, metric and currency, exactly', () => {
    const accountRows = [
      row(accountOrigin, 'CU', '10.000000000000000001', '20.1'),
      row(accountOrigin, 'SU', '5', '1'),
      row(accountOrigin, 'CU', '7', '7', 'b', 'c'),
    ];
    const parts = [
      row(resourceOrigin('m1'), 'CU', '3.000000000000000001', '0.1'),
      row(resourceOrigin('m2'), 'CU', '2', '5'),
      row(resourceOrigin('m1'), 'SU', '5', '1'),
      row(resourceOrigin('m1'), 'CU', '7', '7', 'b', 'c'),
    ];
    const rest = remainderRows(accountRows, parts, accountOrigin);
    // SU and the second bucket are fully explained: left out.
    expect(rest).toEqual([row(accountOrigin, 'CU', '5', '15')]);
    // Parts + remainder == account, digit for digit.
    const all = [...parts, ...rest];
    expect(sumDecimals(all.flatMap((r) => r.costs.map((c) => c.amount)))).toBe(
      sumDecimals(accountRows.flatMap((r) => r.costs.map((c) => c.amount))),
    );
  });

  it('keeps a negative remainder when the parts hold more than the account, and a cell only parts have', () => {
    const rest = remainderRows(
      [row(accountOrigin, 'CU', '1', '1')],
      [row(resourceOrigin('m1'), 'CU', '1.5', '2'), row(resourceOrigin('m1'), 'TU', '4')],
      accountOrigin,
    );
    expect(rest).toEqual([row(accountOrigin, 'CU', '-0.5', '-1'), row(accountOrigin, 'TU', '-4')]);
  });

  it('keeps a cell whose quantity is explained but whose cost is not, with quantity "0"', () => {
    const rest = remainderRows(
      [row(accountOrigin, 'CU', '2', '3')],
      [row(resourceOrigin('m'), 'CU', '2', '1')],
      accountOrigin,
    );
    expect(rest).toEqual([row(accountOrigin, 'CU', '0', '2')]);
  });

  it('never mixes currencies', () => {
    const usd = { ...row(accountOrigin, 'X', '1'), costs: [{ amount: '1', currency: 'USD' }] };
    const rest = remainderRows([usd], [row(resourceOrigin('m'), 'X', '1', '1')], accountOrigin);
    expect(rest[0]!.costs).toEqual([
      { amount: '-1', currency: 'EUR' },
      { amount: '1', currency: 'USD' },
    ]);
  });
});

describe('isZero', () => {
  it('knows every spelling of zero', () => {
    for (const z of ['0', '-0', '0.000', '-0.0']) expect(isZero(z)).toBe(true);
    for (const n of ['0.001', '-1', '10']) expect(isZero(n)).toBe(false);
  });
});
