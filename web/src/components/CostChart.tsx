import Big from 'big.js';
import type { CostPerDayQuery } from '../gql/graphql';
import { formatDecimal, formatMoney } from '../format';

type Point = CostPerDayQuery['usageReport']['points'][number];

export interface DaySeries {
  readonly currency: string;
  /** One entry per day of the window, in order (days without cost are 0): `exact` labels, `amount` draws. */
  readonly days: { day: string; amount: number; exact: string }[];
}

/** Sums point costs per day (the point's start date, UTC) and currency, exactly; floats only for drawing. */
export function costPerDay(points: readonly Point[], from: string, to: string): DaySeries[] {
  const days: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d < new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1))
    days.push(d.toISOString().slice(0, 10));
  const sums = new Map<string, Map<string, Big>>();
  for (const p of points) {
    if (!p.cost) continue;
    const byDay = sums.get(p.cost.currency) ?? new Map<string, Big>();
    sums.set(p.cost.currency, byDay);
    const day = p.start.slice(0, 10);
    byDay.set(day, (byDay.get(day) ?? new Big(0)).plus(p.cost.amount));
  }
  return [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, byDay]) => ({
      currency,
      days: days.map((day) => {
        const exact = (byDay.get(day) ?? new Big(0)).toFixed();
        return { day, amount: Number(exact), exact };
      }),
    }));
}

const W = 720;
const H = 200;
const PAD = { left: 64, right: 12, top: 12, bottom: 28 };

function BarChart({ series }: { series: DaySeries }) {
  const top = series.days.reduce<DaySeries['days'][number] | null>((a, d) => (!a || d.amount > a.amount ? d : a), null);
  const max = Math.max(top?.amount ?? 0, 0);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / Math.max(series.days.length, 1);
  const barW = Math.max(step * 0.7, 1);
  const y = (v: number) => PAD.top + innerH - (max > 0 ? (v / max) * innerH : 0);
  const labelEvery = Math.ceil(series.days.length / 8);
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Cost per day in ${series.currency}`}
      data-currency={series.currency}
    >
      <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + innerH} y2={PAD.top + innerH} className="axis" />
      <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + innerH} className="axis" />
      <text x={PAD.left - 6} y={PAD.top + 4} className="tick" textAnchor="end">
        {formatDecimal(max > 0 && top ? top.exact : '0')}
      </text>
      <text x={PAD.left - 6} y={PAD.top + innerH} className="tick" textAnchor="end">
        0
      </text>
      {series.days.map((d, i) => (
        <g key={d.day}>
          <rect
            x={PAD.left + i * step + (step - barW) / 2}
            y={y(d.amount)}
            width={barW}
            height={PAD.top + innerH - y(d.amount)}
            className="bar"
          >
            <title>{`${d.day}: ${formatDecimal(d.exact)} ${series.currency}`}</title>
          </rect>
          {i % labelEvery === 0 ? (
            <text x={PAD.left + i * step + step / 2} y={H - 8} className="tick" textAnchor="middle">
              {d.day.slice(5)}
            </text>
          ) : null}
        </g>
      ))}
    </svg>
  );
}

export function CostChart({
  report,
  from,
  to,
}: {
  report: CostPerDayQuery['usageReport'] | undefined;
  from: string;
  to: string;
}) {
  if (!report) return null;
  const series = costPerDay(report.points, from, to);
  return (
    <div className="cost-chart">
      {series.length === 0 ? <p className="muted">No priced consumption in this window.</p> : null}
      {series.map((s) => (
        <figure key={s.currency}>
          <figcaption>
            Cost per day, {s.currency} — total{' '}
            {[...report.totals, ...report.virtualTotals]
              .filter((t) => t.currency === s.currency)
              .map(formatMoney)
              .join(', ')}
          </figcaption>
          <BarChart series={s} />
        </figure>
      ))}
    </div>
  );
}
