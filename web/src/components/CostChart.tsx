import { useEffect, useRef, useState } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { loadECharts } from '../chart/loadECharts';
import { OTHERS_COLOUR, PALETTE } from '../chart/palette';
import { axisLabel, bucketTitle } from '../chart/bucketLabels';
import { bucketAt, OTHERS_ID, type CurrencyChart } from '../report/chartData';
import { formatDecimal } from '../format';
import type { Stack as StackBy, Step } from '../view/viewState';

const STEP_WORDS: Record<Step, string> = { DAY: 'day', WEEK: 'week', MONTH: 'month' };
const STACK_WORDS: Record<StackBy, string> = {
  SOURCE: 'source',
  PROVIDER: 'provider',
  ACCOUNT: 'account',
  METRIC: 'metric',
};

/** Axis ticks only: amounts the chart computed itself, shown short (12K, 1.5M); the data's own digits never go through here. */
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

interface Props {
  chart: CurrencyChart;
  step: Step;
  stack: StackBy;
  timeZone: string;
  /** The page's clock (epoch ms): where the "today" line goes. */
  now: number;
  /** A bar or a legend entry was chosen: drill into that stack (not called for Others). */
  onSelect?: (stackId: string) => void;
  /** Called each time the chart has drawn its data. */
  onDrawn?: (currency: string) => void;
}

type ECharts = ReturnType<Awaited<ReturnType<typeof loadECharts>>['echarts']['init']>;

/** One stacked bar chart of one currency's cost per bucket. */
export function CostChart({ chart, step, stack, timeZone, now, onSelect, onDrawn }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const instance = useRef<ECharts | null>(null);
  const [ready, setReady] = useState(false);
  const select = useRef(onSelect);
  select.current = onSelect;

  useEffect(() => {
    const el = host.current!;
    let resize: ResizeObserver | undefined;
    let gone = false;
    void loadECharts().then(({ echarts }) => {
      if (gone) return;
      const c = echarts.init(el, null, { renderer: 'svg' });
      instance.current = c;
      // ResizeObserver reports the size it starts with too: redrawing for that would draw every chart twice.
      let size = `${el.clientWidth}x${el.clientHeight}`;
      resize = new ResizeObserver(() => {
        const now = `${el.clientWidth}x${el.clientHeight}`;
        if (now === size) return;
        size = now;
        c.resize();
      });
      resize.observe(el);
      setReady(true);
    });
    return () => {
      gone = true;
      resize?.disconnect();
      instance.current?.dispose();
      instance.current = null;
    };
  }, []);

  useEffect(() => {
    const c = instance.current;
    if (!ready || !c) return;
    c.off('click');
    c.on('click', (p: { seriesIndex?: number }) => {
      const id = p.seriesIndex === undefined ? undefined : chart.stacks[p.seriesIndex]?.id;
      if (id && id !== OTHERS_ID) select.current?.(id);
    });
    c.setOption(optionOf(chart, step, stack, timeZone, now), { notMerge: true });
    onDrawn?.(chart.currency);
  }, [ready, chart, step, stack, timeZone, now]);

  const today = bucketAt(chart.buckets, now);
  const notFinal = chart.buckets.filter((b) => !b.isFinal).length;
  return (
    <figure className="cost-chart" data-currency={chart.currency} data-virtual={chart.virtual || undefined}>
      <figcaption>
        <span className="chart-title">
          {chart.virtual ? 'Virtual currency ' : ''}
          {chart.currency}
        </span>{' '}
        <span className="chart-total" data-exact={chart.total}>
          {formatDecimal(chart.total)} {chart.currency}
        </span>
        {notFinal ? (
          <span className="muted chart-note">
            {' '}
            · hatched: {notFinal} {STEP_WORDS[step]}
            {notFinal > 1 ? 's' : ''} not final yet
          </span>
        ) : null}
      </figcaption>
      <div
        ref={host}
        className="chart-canvas"
        data-buckets={chart.buckets.length}
        data-stacks={chart.stacks.length}
        data-today={today}
        data-drawn={ready || undefined}
      />
    </figure>
  );
}

function optionOf(chart: CurrencyChart, step: Step, stack: StackBy, timeZone: string, now: number): EChartsCoreOption {
  const today = bucketAt(chart.buckets, now);
  const hatch = {
    symbol: 'rect',
    rotation: Math.PI / 4,
    dashArrayX: [1, 0],
    dashArrayY: [3, 3],
    color: 'rgba(255,255,255,0.7)',
  };
  const series = chart.stacks.map((s, si) => ({
    type: 'bar',
    id: s.id,
    name: s.label,
    stack: 'cost',
    barMaxWidth: 48,
    emphasis: { focus: 'series' },
    itemStyle: { color: s.id === OTHERS_ID ? OTHERS_COLOUR : PALETTE[si % PALETTE.length] },
    data: s.values.map((v, i) =>
      chart.buckets[i]!.isFinal ? v.height : { value: v.height, itemStyle: { decal: hatch, opacity: 0.7 } },
    ),
    ...(si === 0 && today >= 0
      ? {
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { color: '#b42318', type: 'dashed', width: 1.5 },
            label: { formatter: 'today', position: 'insideEndTop', color: '#b42318' },
            data: [{ xAxis: today }],
          },
        }
      : {}),
  }));
  return {
    animation: false,
    aria: {
      enabled: true,
      label: {
        description: `${chart.virtual ? 'Virtual currency ' : ''}${chart.currency} cost per ${STEP_WORDS[step]}, stacked by ${STACK_WORDS[stack]}: ${chart.stacks
          .map((s) => `${s.label} ${formatDecimal(s.total)}`)
          .join(', ')}; total ${formatDecimal(chart.total)} ${chart.currency}.`,
      },
    },
    grid: { left: 8, right: 16, top: 48, bottom: 8, containLabel: true },
    legend: { type: 'scroll', top: 0, left: 0, right: 0, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 12 } },
    tooltip: {
      trigger: 'axis',
      confine: true,
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) =>
        tooltipOf(chart, params as { dataIndex: number; seriesIndex: number; color?: unknown }[], step, timeZone),
    },
    xAxis: {
      type: 'category',
      data: chart.buckets.map((b) => b.start),
      axisTick: { alignWithLabel: true },
      axisLabel: {
        fontSize: 12,
        lineHeight: 14,
        hideOverlap: true,
        formatter: (value: string, index: number) => axisLabel(value, index, step, timeZone),
      },
    },
    yAxis: {
      type: 'value',
      name: chart.currency,
      nameTextStyle: { fontSize: 12, align: 'left' },
      axisLabel: { fontSize: 12, formatter: (v: number) => compact.format(v) },
      splitLine: { show: true, lineStyle: { color: '#e5e7eb' } },
    },
    series,
  };
}

/**
 * The tooltip as DOM nodes, not an HTML string: the page's CSP allows no inline style attribute (ECharts'
 * default marker is one), while styles set through the DOM are allowed; and a label from an upstream is
 * text, never markup.
 */
function tooltipOf(
  chart: CurrencyChart,
  params: readonly { dataIndex: number; seriesIndex: number; color?: unknown }[],
  step: Step,
  timeZone: string,
): HTMLElement {
  const i = params[0]?.dataIndex ?? 0;
  const bucket = chart.buckets[i]!;
  const root = document.createElement('div');
  root.className = 'chart-tooltip';
  const line = (...children: (Node | string)[]) => {
    const div = document.createElement('div');
    div.append(...children);
    root.append(div);
    return div;
  };
  const bold = (text: string) => {
    const b = document.createElement('b');
    b.textContent = text;
    return b;
  };
  line(bold(bucketTitle(bucket.start, step, timeZone)), bucket.isFinal ? '' : ' (not final)');
  for (const p of params) {
    const s = chart.stacks[p.seriesIndex]!;
    const v = s.values[i]!;
    if (v.exact === '0') continue;
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.backgroundColor = typeof p.color === 'string' ? p.color : OTHERS_COLOUR;
    line(swatch, `${s.label} `, bold(formatDecimal(v.exact)));
  }
  line('Total ', bold(`${formatDecimal(chart.bucketTotals[i]!)} ${chart.currency}`)).className = 'total';
  return root;
}
