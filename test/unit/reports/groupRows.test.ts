import { describe, expect, it } from 'vitest';
import { sumDecimals } from '../../../src/lib/decimal.js';
import type { SourceModel } from '../../../src/models.js';
import {
  groupRows,
  keyPartOf,
  keyString,
  quantitiesOf,
  UNALLOCATED,
  type BucketFinality,
} from '../../../src/reports/groupRows.js';
import type { ReportRow } from '../../../src/reports/reportRow.js';

const g8: SourceModel = { id: 'g8', provider: 'OPENVCLOUD' as SourceModel['provider'], name: 'G8 Madrid' };
const kb: SourceModel = { id: 'kb', provider: 'KILLBILL' as SourceModel['provider'], name: 'Billing' };
const buckets = [
  { start: '2026-10-01T00:00:00Z', end: '2026-10-05T00:00:00Z' },
  { start: '2026-10-05T00:00:00Z', end: '2026-10-12T00:00:00Z' },
];
/** Both sources in scope, and every bucket final to each: the finality tests below pass their own rules. */
const allFinal: BucketFinality = { sources: [g8, kb], isFinal: () => true };

const row = (over: Partial<ReportRow> & { costs?: ReportRow['costs'] }): ReportRow => ({
  start: buckets[0]!.start,
  end: buckets[0]!.end,
  metric: 'CU',
  unit: 'CU-hours',
  quantity: '1',
  costs: [],
  source: g8,
  account: { id: 'a1', name: 'Acme' },
  subAccount: { id: 'cs1', name: 'Space one' },
  resource: { id: 'm1', name: 'web', type: 'MACHINE' },
  ...over,
});

const eur = (amount: string) => [{ amount, currency: 'EUR' }];

describe('keyPartOf', () => {
  it('answers each dimension with its value and label, unallocated where no part explains a row', () => {
    const r = row({});
    expect(keyPartOf(r, 'PROVIDER')).toEqual({ dimension: 'PROVIDER', value: 'OPENVCLOUD', label: null });
    expect(keyPartOf(r, 'SOURCE')).toEqual({ dimension: 'SOURCE', value: 'g8', label: 'G8 Madrid' });
    expect(keyPartOf(r, 'ACCOUNT')).toEqual({ dimension: 'ACCOUNT', value: 'a1', label: 'Acme' });
    expect(keyPartOf(r, 'SUB_ACCOUNT')).toEqual({ dimension: 'SUB_ACCOUNT', value: 'cs1', label: 'Space one' });
    expect(keyPartOf(r, 'RESOURCE')).toEqual({ dimension: 'RESOURCE', value: 'm1', label: 'web' });
    expect(keyPartOf(r, 'RESOURCE_TYPE')).toEqual({ dimension: 'RESOURCE_TYPE', value: 'MACHINE', label: null });
    expect(keyPartOf(r, 'METRIC')).toEqual({ dimension: 'METRIC', value: 'CU', label: null });
    const loose = row({ subAccount: null, resource: null });
    for (const d of ['SUB_ACCOUNT', 'RESOURCE', 'RESOURCE_TYPE'] as const)
      expect(keyPartOf(loose, d)).toEqual({ dimension: d, value: UNALLOCATED, label: 'Unallocated' });
  });
});

describe('quantitiesOf', () => {
  it('sums exactly per metric and unit, sorted', () => {
    expect(
      quantitiesOf([
        { metric: 'SU', unit: 'SU-hours', quantity: '0.1' },
        { metric: 'CU', unit: 'CU-hours', quantity: '0.2' },
        { metric: 'SU', unit: 'SU-hours', quantity: '0.2' },
        { metric: 'CU', unit: 'vCPU', quantity: '1' },
      ]),
    ).toEqual([
      { metric: 'CU', unit: 'CU-hours', quantity: '0.2' },
      { metric: 'CU', unit: 'vCPU', quantity: '1' },
      { metric: 'SU', unit: 'SU-hours', quantity: '0.3' },
    ]);
  });
});

describe('groupRows', () => {
  const rows = [
    row({ quantity: '0.1', costs: eur('0.1') }),
    row({ quantity: '0.2', costs: eur('0.2'), start: buckets[1]!.start, end: buckets[1]!.end }),
    row({ resource: { id: 'm2', name: 'db', type: 'MACHINE' }, quantity: '3', costs: eur('3') }),
    row({ resource: null, subAccount: null, quantity: '-0.05', costs: eur('-0.05') }),
    row({
      source: kb,
      account: { id: 'k1', name: 'K' },
      subAccount: null,
      resource: null,
      metric: 'calls',
      unit: 'calls',
      quantity: '7',
    }),
  ];

  it('one group with an empty key over everything when there are no dimensions, also without rows', () => {
    const [all] = groupRows(rows, [], buckets, [], allFinal);
    expect(all!.key).toEqual([]);
    expect(all!.totals).toEqual(eur('3.25'));
    expect(groupRows([], [], buckets, [], allFinal)).toEqual([
      {
        key: [],
        others: false,
        groupCount: 1,
        totals: [],
        quantities: [],
        series: buckets.map((b) => ({ ...b, totals: [], quantities: [], isFinal: true })),
        complete: true,
      },
    ]);
  });

  it('groups by the dimensions in order, and the groups add up to the rows exactly', () => {
    const groups = groupRows(rows, ['SOURCE', 'RESOURCE'], buckets, [], allFinal);
    expect(groups.map((g) => keyString(g.key))).toEqual([
      'g8\u0000m1',
      'g8\u0000m2',
      `g8\u0000${UNALLOCATED}`,
      `kb\u0000${UNALLOCATED}`,
    ]);
    expect(groups[0]!.totals).toEqual(eur('0.3'));
    expect(groups[0]!.quantities).toEqual([{ metric: 'CU', unit: 'CU-hours', quantity: '0.3' }]);
    expect(groups[0]!.series).toEqual([
      {
        ...buckets[0],
        totals: eur('0.1'),
        quantities: [{ metric: 'CU', unit: 'CU-hours', quantity: '0.1' }],
        isFinal: true,
      },
      {
        ...buckets[1],
        totals: eur('0.2'),
        quantities: [{ metric: 'CU', unit: 'CU-hours', quantity: '0.2' }],
        isFinal: true,
      },
    ]);
    expect(groups[3]!.totals).toEqual([]);
    expect(sumDecimals(groups.flatMap((g) => g.totals.map((t) => t.amount)))).toBe('3.25');
  });

  it('builds a group’s series when first read, once', () => {
    const [group] = groupRows(rows, ['SOURCE'], buckets, [], allFinal);
    expect(typeof Object.getOwnPropertyDescriptor(group, 'series')!.get).toBe('function');
    expect(group!.series).toBe(group!.series);
  });

  it('marks incomplete only the groups a failed source could have fed', () => {
    const complete = (dims: Parameters<typeof groupRows>[1]) =>
      groupRows(rows, dims, buckets, [kb], allFinal).map((g) => `${keyString(g.key)}=${g.complete}`);
    expect(complete(['SOURCE'])).toEqual(['g8=true', 'kb=false']);
    expect(complete(['PROVIDER'])).toEqual(['OPENVCLOUD=true', 'KILLBILL=false']);
    expect(complete(['ACCOUNT'])).toEqual(['a1=true', 'k1=false']);
    // A metric or resource type may come from any source.
    expect(complete(['METRIC'])).toEqual(['CU=false', 'calls=false']);
    expect(complete([])).toEqual(['=false']);
  });

  // The first bucket ends 2026-10-05, the second 2026-10-12. At "now" = 2026-10-08, g8 (finalised
  // a day after a bucket ends) has finalised the first only; kb (a month's restatement) neither.
  const now = Date.parse('2026-10-08T00:00:00Z');
  const lagOf: Record<string, number> = { g8: 86_400_000, kb: 31 * 86_400_000 };
  const byLag: BucketFinality = { sources: [g8, kb], isFinal: (s, endMs) => endMs + lagOf[s.id]! <= now };
  const finality = (dims: Parameters<typeof groupRows>[1], sources = byLag) =>
    groupRows(rows, dims, buckets, [], sources).map(
      (g) => `${keyString(g.key)}=${g.series.map((p) => String(p.isFinal)).join(',')}`,
    );

  it('calls a series bucket final once every source that could feed the group has finalised it', () => {
    expect(finality(['SOURCE'])).toEqual(['g8=true,false', 'kb=false,false']);
    expect(finality(['ACCOUNT'])).toEqual(['a1=true,false', 'k1=false,false']);
    // A metric may come from any source in scope: the slowest one decides.
    expect(finality(['METRIC'])).toEqual(['CU=false,false', 'calls=false,false']);
    expect(finality(['METRIC'], { ...byLag, sources: [g8] })).toEqual(['CU=true,false', 'calls=true,false']);
  });

  it('judges an empty bucket by the same rule as a full one: no rows is not final', () => {
    const [empty] = groupRows([], [], buckets, [], { ...byLag, sources: [g8] });
    expect(empty!.series.map((p) => [p.quantities.length, p.isFinal])).toEqual([
      [0, true],
      [0, false],
    ]);
  });
});
