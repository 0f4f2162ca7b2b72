import { describe, expect, it } from 'vitest';
import { bucketAt, chartsOf, OTHERS_ID, type ChartGroupInput } from '../../../../web/src/report/chartData.js';

const bucket = (day: string, totals: [string, string][], virtual: [string, string][] = [], isFinal = true) => ({
  start: `${day}T00:00:00Z`,
  end: `${day}T23:59:59Z`,
  isFinal,
  totals: totals.map(([amount, currency]) => ({ amount, currency })),
  virtualTotals: virtual.map(([amount, currency]) => ({ amount, currency })),
});

describe('the chart data', () => {
  it('makes one chart per currency, billing currencies before virtual ones, the larger first', () => {
    const groups: ChartGroupInput[] = [
      { id: 'g8', label: 'G8', series: [bucket('2026-11-01', [['10', 'EUR']]), bucket('2026-11-02', [['5', 'EUR']])] },
      {
        id: 'kb',
        label: 'Kill Bill',
        series: [bucket('2026-11-01', [['100', 'USD']]), bucket('2026-11-02', [], [['7', 'BUZZ']])],
      },
    ];
    const charts = chartsOf(groups);
    expect(charts.map((c) => [c.currency, c.virtual, c.total])).toEqual([
      ['USD', false, '100'],
      ['EUR', false, '15'],
      ['BUZZ', true, '7'],
    ]);
    const eur = charts[1]!;
    expect(eur.stacks.map((s) => s.id)).toEqual(['g8']);
    expect(eur.stacks[0]!.values.map((v) => v.exact)).toEqual(['10', '5']);
  });

  it('sums exactly: amounts a double would round keep every digit, and only the bar height is a float', () => {
    const digits = '71759274778.146402';
    const charts = chartsOf([
      { id: 'a', label: 'A', series: [bucket('2026-11-01', [[digits, 'EUR']])] },
      { id: 'b', label: 'B', series: [bucket('2026-11-01', [['0.000001', 'EUR']])] },
    ]);
    expect(charts[0]!.bucketTotals).toEqual(['71759274778.146403']);
    expect(charts[0]!.stacks[0]!.values[0]).toEqual({ exact: digits, height: 71759274778.14641 });
  });

  it('keeps the seven largest groups of each currency and folds the rest into Others, exactly', () => {
    const groups: ChartGroupInput[] = Array.from({ length: 10 }, (_, i) => ({
      id: `s${i}`,
      label: `Source ${i}`,
      series: [bucket('2026-11-01', [[`${i + 1}.1`, 'USD']])],
    }));
    const [usd] = chartsOf(groups);
    expect(usd!.stacks).toHaveLength(8);
    expect(usd!.stacks.slice(0, 7).map((s) => s.id)).toEqual(['s9', 's8', 's7', 's6', 's5', 's4', 's3']);
    expect(usd!.stacks[7]).toMatchObject({ id: OTHERS_ID, label: 'Others (3)', total: '6.3', groupCount: 3 });
  });

  it('marks a bucket final only when every group says so, and finds the bucket holding now', () => {
    const charts = chartsOf([
      { id: 'a', label: 'A', series: [bucket('2026-11-01', [['1', 'USD']]), bucket('2026-11-02', [['1', 'USD']])] },
      {
        id: 'b',
        label: 'B',
        series: [bucket('2026-11-01', [['1', 'USD']]), bucket('2026-11-02', [['1', 'USD']], [], false)],
      },
    ]);
    expect(charts[0]!.buckets.map((b) => b.isFinal)).toEqual([true, false]);
    expect(bucketAt(charts[0]!.buckets, Date.parse('2026-11-02T10:00:00Z'))).toBe(1);
    expect(bucketAt(charts[0]!.buckets, Date.parse('2026-12-02T10:00:00Z'))).toBe(-1);
  });
});

describe('the report’s own others group', () => {
  it('is folded into Others with the count of groups it stands for, never drawn as a group', () => {
    const charts = chartsOf([
      { id: 'a', label: 'A', series: [bucket('2026-11-01', [['5', 'USD']])] },
      {
        id: '__others__',
        label: 'Others',
        others: true,
        groupCount: 12,
        series: [bucket('2026-11-01', [['9', 'USD']])],
      },
    ]);
    expect(charts[0]!.stacks.map((s) => [s.id, s.label, s.total])).toEqual([
      ['a', 'A', '5'],
      [OTHERS_ID, 'Others (12)', '9'],
    ]);
  });
});

describe('finality per chart', () => {
  it('hatches a currency’s bucket only for the groups with cost in that currency', () => {
    const charts = chartsOf([
      { id: 'kb', label: 'KB', series: [bucket('2026-11-01', [['1', 'USD']], [], false)] },
      { id: 'civitai', label: 'Civitai', series: [bucket('2026-11-01', [], [['5', 'BUZZ']], true)] },
    ]);
    expect(charts.map((c) => [c.currency, c.buckets[0]!.isFinal])).toEqual([
      ['USD', false],
      ['BUZZ', true],
    ]);
  });
});
