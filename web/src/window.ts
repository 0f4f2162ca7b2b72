import type { TimeWindow } from './gql/graphql';

/** A window the user picked: whole UTC days, end exclusive. */
export interface DayWindow {
  /** First day inside, YYYY-MM-DD. */
  readonly from: string;
  /** First day after, YYYY-MM-DD. */
  readonly to: string;
}

export const PRESETS: readonly { label: string; window: DayWindow }[] = [
  { label: 'October 2026', window: { from: '2026-10-01', to: '2026-11-01' } },
  { label: 'November 2026', window: { from: '2026-11-01', to: '2026-12-01' } },
  { label: 'Last week of October', window: { from: '2026-10-25', to: '2026-11-01' } },
];

export const DEFAULT_WINDOW: DayWindow = PRESETS[0]!.window;

export function toTimeWindow(w: DayWindow): TimeWindow {
  return { start: `${w.from}T00:00:00Z`, end: `${w.to}T00:00:00Z`, timeZone: 'UTC' };
}

/** A message when the window cannot be sent, else null. */
export function windowProblem(w: DayWindow): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(w.from) || !/^\d{4}-\d{2}-\d{2}$/.test(w.to)) return 'Pick both dates.';
  if (w.from >= w.to) return 'The end date must be after the start date.';
  return null;
}

/** The window as the URL's ?from=&to=, so a view can be shared. */
export function windowFromLocation(search: string): DayWindow {
  const params = new URLSearchParams(search);
  const from = params.get('from');
  const to = params.get('to');
  const w = from && to ? { from, to } : DEFAULT_WINDOW;
  return windowProblem(w) ? DEFAULT_WINDOW : w;
}
