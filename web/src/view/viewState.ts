/**
 * Everything that decides what the dashboard shows, and its URL form (`?preset=last-month&step=WEEK&by=ACCOUNT…`),
 * so a view can be shared: the link opens the same view. Values the URL gets wrong fall back to the defaults
 * one by one, never to an error page.
 */
import { PRESET_IDS, type PresetId } from './presets.js';

export const STEPS = ['DAY', 'WEEK', 'MONTH'] as const;
export type Step = (typeof STEPS)[number];

/** What the chart stacks by: the report's groupBy dimension. */
export const STACKS = ['SOURCE', 'PROVIDER', 'ACCOUNT', 'METRIC'] as const;
export type Stack = (typeof STACKS)[number];

/** What the totals table lists at the top of the drill-down. */
export const TABLES = ['SOURCE', 'ACCOUNT'] as const;
export type TableBy = (typeof TABLES)[number];

/** Rows the totals table shows before folding the rest into "others"; 0 shows all. */
export const TOP_CHOICES = [5, 10, 25, 0] as const;

export interface ViewState {
  /** A relative preset, or 'custom' for `from`/`to`. */
  readonly preset: PresetId | 'custom';
  /** With preset 'custom': first day inside and first day after (YYYY-MM-DD, in `timeZone`). */
  readonly from: string;
  readonly to: string;
  /** IANA zone the days, weeks and months are cut in. */
  readonly timeZone: string;
  readonly step: Step;
  readonly stack: Stack;
  readonly table: TableBy;
  /** Rows of the totals table before "others"; 0 = all. */
  readonly top: number;
  /** The table's sort: 'name' or a currency code, and its direction. */
  readonly sort: string;
  readonly descending: boolean;
  /** Filters; empty = everything. */
  readonly providers: readonly string[];
  readonly sources: readonly string[];
  readonly accounts: readonly string[];
  /** Drill-down: a source's accounts, then an account's resources. */
  readonly drillSource: string | null;
  readonly drillAccount: string | null;
}

export const DEFAULT_VIEW: ViewState = {
  preset: 'last-30-days',
  from: '',
  to: '',
  timeZone: 'UTC',
  step: 'DAY',
  stack: 'SOURCE',
  table: 'SOURCE',
  top: 10,
  sort: '',
  descending: true,
  providers: [],
  sources: [],
  accounts: [],
  drillSource: null,
  drillAccount: null,
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const list = (value: string | null): string[] => (value ? value.split(',').filter(Boolean) : []);
const oneOf = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  allowed.find((a) => a === value) ?? fallback;

/** Whether the runtime knows the zone (Intl throws a RangeError for one it does not). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function viewFromSearch(search: string): ViewState {
  const p = new URLSearchParams(search);
  const from = p.get('from') ?? '';
  const to = p.get('to') ?? '';
  const customOk = DAY.test(from) && DAY.test(to) && from < to;
  const preset = p.get('preset');
  const zone = p.get('tz');
  const top = Number(p.get('top'));
  return {
    preset:
      customOk && (preset === null || preset === 'custom') ? 'custom' : oneOf(preset, PRESET_IDS, DEFAULT_VIEW.preset),
    from: customOk ? from : '',
    to: customOk ? to : '',
    timeZone: zone && isTimeZone(zone) ? zone : DEFAULT_VIEW.timeZone,
    step: oneOf(p.get('step'), STEPS, DEFAULT_VIEW.step),
    stack: oneOf(p.get('by'), STACKS, DEFAULT_VIEW.stack),
    table: oneOf(p.get('table'), TABLES, DEFAULT_VIEW.table),
    top: (TOP_CHOICES as readonly number[]).includes(top) && p.has('top') ? top : DEFAULT_VIEW.top,
    sort: p.get('sort') ?? DEFAULT_VIEW.sort,
    descending: p.get('dir') !== 'asc',
    providers: list(p.get('providers')),
    sources: list(p.get('sources')),
    accounts: list(p.get('accounts')),
    drillSource: p.get('source') || null,
    drillAccount: p.get('account') || null,
  };
}

/** The view as a query string, default values left out so links stay short. */
export function searchOfView(view: ViewState): string {
  const p = new URLSearchParams();
  if (view.preset === 'custom') {
    p.set('from', view.from);
    p.set('to', view.to);
  } else if (view.preset !== DEFAULT_VIEW.preset) p.set('preset', view.preset);
  if (view.timeZone !== DEFAULT_VIEW.timeZone) p.set('tz', view.timeZone);
  if (view.step !== DEFAULT_VIEW.step) p.set('step', view.step);
  if (view.stack !== DEFAULT_VIEW.stack) p.set('by', view.stack);
  if (view.table !== DEFAULT_VIEW.table) p.set('table', view.table);
  if (view.top !== DEFAULT_VIEW.top) p.set('top', String(view.top));
  if (view.sort) p.set('sort', view.sort);
  if (!view.descending) p.set('dir', 'asc');
  if (view.providers.length) p.set('providers', view.providers.join(','));
  if (view.sources.length) p.set('sources', view.sources.join(','));
  if (view.accounts.length) p.set('accounts', view.accounts.join(','));
  if (view.drillSource) p.set('source', view.drillSource);
  if (view.drillAccount) p.set('account', view.drillAccount);
  const s = p.toString();
  return s ? `?${s}` : '';
}
