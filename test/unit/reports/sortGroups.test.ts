import { describe, expect, it } from 'vitest';
import { sumDecimals } from '../../../src/lib/decimal.js';
import { OTHERS, type ReportGroup } from '../../../src/reports/groupRows.js';
import { defaultSortCurrency, foldTop, sortGroups } from '../../../src/reports/sortGroups.js';

const group = (value: string, totals: ReportGroup['totals'], complete = true, isFinal = true): ReportGroup => ({
  key: [{ dimension: 'METRIC', value, label: null }],
  others: false,
  groupCount: 1,
  totals,
  quantities: [{ metric: value, unit: 'u', quantity: '1' }],
  series: [{ start: 's', end: 'e', totals, quantities: [{ metric: value, unit: 'u', quantity: '1' }], isFinal }],
  complete,
});
const money = (amount: string, currency = 'EUR') => ({ amount, currency });

describe('defaultSortCurrency', () => {
  it('is the currency pricing the most rows, ties by name, null when nothing is priced', () => {
    const rows = [{ costs: [money('1000', 'BUZZ')] }, { costs: [money('1')] }, { costs: [money('2')] }, { costs: [] }];
    expect(defaultSortCurrency(rows)).toBe('EUR');
    expect(defaultSortCurrency([{ costs: [money('1', 'USD')] }, { costs: [money('1', 'EUR')] }])).toBe('EUR');
    expect(defaultSortCurrency([{ costs: [] }])).toBeNull();
  });
});

describe('sortGroups', () => {
  it('sorts by amount in the currency, descending and exact, missing counts zero, ties by key', () => {
    const groups = [
      group('b', [money('0.10000000000000000001')]),
      group('a', [money('0.1')]),
      group('c', [money('5', 'USD')]),
      group('d', [money('0.1')]),
      group('e', [money('-1')]),
    ];
    expect(sortGroups(groups, 'EUR').map((g) => g.key[0]!.value)).toEqual(['b', 'a', 'd', 'c', 'e']);
    expect(sortGroups(groups, 'USD').map((g) => g.key[0]!.value)).toEqual(['c', 'a', 'b', 'd', 'e']);
    expect(sortGroups(groups, null).map((g) => g.key[0]!.value)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('foldTop', () => {
  const sorted = [
    group('a', [money('3')]),
    group('b', [money('2')]),
    group('c', [money('1.5'), money('1', 'USD')], false),
    group('d', [money('0.25')]),
  ];

  it('keeps the first N and folds the rest into one others group with exact sums', () => {
    const folded = foldTop(sorted, 2, ['METRIC']);
    expect(folded.map((g) => g.key[0]!.value)).toEqual(['a', 'b', OTHERS]);
    const others = folded[2]!;
    expect(others).toMatchObject({
      others: true,
      groupCount: 2,
      complete: false,
      totals: [money('1.75'), money('1', 'USD')],
      quantities: [
        { metric: 'c', unit: 'u', quantity: '1' },
        { metric: 'd', unit: 'u', quantity: '1' },
      ],
    });
    expect(others.key).toEqual([{ dimension: 'METRIC', value: OTHERS, label: '2 other groups' }]);
    expect(others.series[0]!.totals).toEqual([money('1.75'), money('1', 'USD')]);
    const eur = (gs: ReportGroup[]) =>
      sumDecimals(gs.flatMap((g) => g.totals.filter((t) => t.currency === 'EUR').map((t) => t.amount)));
    expect(eur(folded)).toBe(eur(sorted));
  });

  it('makes a bucket of the others group final only when the bucket of every folded group is', () => {
    const finalOf = (groups: ReportGroup[]) => foldTop(groups, 1, ['METRIC'])[1]!.series[0]!.isFinal;
    expect(finalOf([group('a', [money('3')], true, false), group('b', [money('2')]), group('c', [money('1')])])).toBe(
      true,
    );
    expect(finalOf([group('a', [money('3')]), group('b', [money('2')]), group('c', [money('1')], true, false)])).toBe(
      false,
    );
  });

  it('changes nothing when there are at most N groups', () => {
    expect(foldTop(sorted, 4, ['METRIC'])).toEqual(sorted);
    expect(foldTop(sorted, 10, ['METRIC'])).toEqual(sorted);
  });
});
