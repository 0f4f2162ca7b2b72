/** Axis and tooltip labels of a report's buckets, in the view's time zone (the buckets are cut there too). */
import type { Step } from '../view/viewState.js';

const formats = new Map<string, Intl.DateTimeFormat>();
function format(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat('en-GB', { timeZone, ...options })));
  return f;
}

/** "3 Nov"; the first label and each 1 January carry the year on a second line ("1 Jan\n2027"); months "Nov 2026". */
export function axisLabel(start: string, index: number, step: Step, timeZone: string): string {
  const at = new Date(start);
  if (step === 'MONTH') return format(timeZone, { month: 'short', year: 'numeric' }).format(at);
  const day = format(timeZone, { day: 'numeric', month: 'short' }).format(at);
  const parts = format(timeZone, { day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value;
  const newYear = Number(get('day')) === 1 && Number(get('month')) === 1;
  return index === 0 || newYear ? `${day}\n${get('year')}` : day;
}

/** The tooltip's heading: "Tue 3 Nov 2026", "Week of 2 Nov 2026", "November 2026". */
export function bucketTitle(start: string, step: Step, timeZone: string): string {
  const at = new Date(start);
  if (step === 'MONTH') return format(timeZone, { month: 'long', year: 'numeric' }).format(at);
  const day = format(timeZone, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(at);
  return step === 'WEEK' ? `Week of ${day}` : day;
}
