import { describe, expect, it } from 'vitest';
import { tableOf, tableRecords, type TableGroupInput } from '../../../../web/src/report/tableRows.js';

const group = (
  source: string,
  label: string,
  totals: [string, string][],
  extra: Partial<TableGroupInput> = {},
): TableGroupInput => ({
  key: [{ dimension: 'SOURCE', value: source, label }],
  complete: true,
  totals: totals.map(([amount, currency]) => ({ amount, currency })),
  virtualTotals: [],
  quantities: [],
  ...extra,
});

const groups = [
  group('g8', 'OpenvCloud', [['2783241.50', 'EUR']]),
  group('hs', 'Hyperstack', [['19314.33', 'USD']]),
  group('kb', 'Kill Bill', [['10948.385', 'USD']], {
    complete: false,
    quantities: [
      { metric: 'api-calls', unit: 'api-calls', quantity: '2857205' },
      { metric: 'egress-gb', unit: 'egress-gb', quantity: '7135.67' },
    ],
  }),
  group('civitai', 'Civitai', [], { virtualTotals: [{ amount: '84661.64', currency: 'BUZZ' }] }),
];
const options = {
  sort: '',
  descending: true,
  top: 0,
  unpricedMetrics: [{ source: { id: 'kb' }, metric: 'egress-gb' }],
};

describe('the totals table', () => {
  it('has a column per currency, billing ones first by size, virtual ones last', () => {
    expect(tableOf(groups, options).currencies).toEqual([
      { currency: 'EUR', virtual: false },
      { currency: 'USD', virtual: false },
      { currency: 'BUZZ', virtual: true },
    ]);
  });
  it('sorts by the largest currency by default, rows without it last in either direction', () => {
    expect(tableOf(groups, options).rows.map((r) => r.id)).toEqual(['g8', 'hs', 'kb', 'civitai']);
    const usdUp = tableOf(groups, { ...options, sort: 'USD', descending: false });
    expect(usdUp.rows.map((r) => r.id)).toEqual(['kb', 'hs', 'g8', 'civitai']);
    expect(tableOf(groups, { ...options, sort: 'name', descending: false }).rows.map((r) => r.label)).toEqual([
      'Civitai',
      'Hyperstack',
      'Kill Bill',
      'OpenvCloud',
    ]);
  });
  it('compares amounts as decimals, not as text or floats', () => {
    const rows = tableOf(
      [
        group('a', 'A', [['9.5', 'USD']]),
        group('b', 'B', [['10.25', 'USD']]),
        group('c', 'C', [['10.250000000000000001', 'USD']]),
      ],
      { ...options, sort: 'USD' },
    ).rows;
    expect(rows.map((r) => r.id)).toEqual(['c', 'b', 'a']);
  });
  it('keeps the top N and folds the rest into others with their exact sums', () => {
    const table = tableOf(
      [
        group('a', 'A', [['1.1', 'USD']]),
        group('b', 'B', [['2.2', 'USD']]),
        group('c', 'C', [['3.3', 'USD']]),
        group('d', 'D', [['0.4', 'USD']]),
      ],
      { ...options, top: 2 },
    );
    expect(table.rows.map((r) => r.id)).toEqual(['c', 'b']);
    expect(table.others).toMatchObject({ label: 'Others (2)', groupCount: 2 });
    expect(table.others!.amounts.get('USD')).toBe('1.5');
  });
  it('marks partial rows and the metrics without a price', () => {
    const kb = tableOf(groups, options).rows.find((r) => r.id === 'kb')!;
    expect(kb.partial).toBe(true);
    expect(kb.unpriced).toEqual(['egress-gb']);
  });
  it('writes CSV records with the exact amounts and the markers spelled out', () => {
    const records = tableRecords(tableOf(groups, options), ['Source']);
    expect(records[0]).toEqual(['Source', 'EUR', 'USD', 'BUZZ', 'notes']);
    expect(records).toContainEqual(['Kill Bill', '', '10948.385', '', 'partial; unpriced: egress-gb']);
  });
});
