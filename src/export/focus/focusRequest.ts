/**
 * The FOCUS export's parameters, from the query string of GET /export/focus or the options of
 * `billgraph export focus` (same names): checked here, each refusal saying what to change.
 */
import { parseDateTime, formatDateTime } from '../../lib/dateTime.js';
import { DAY_MS } from '../../lib/durations.js';
import { FOCUS_VERSIONS, type FocusVersion } from './focusColumns.js';
import {
  FOCUS_FORMATS,
  FOCUS_GRANULARITIES,
  FocusExportError,
  type FocusExportRequest,
  type FocusFormat,
  type FocusGranularity,
} from './focusExport.js';

/** Longest export, in days: a year and a day, as the GraphQL windows (limits.maxWindowDays' default). */
export const MAX_EXPORT_DAYS = 366;

type Params = Readonly<Record<string, string | undefined>>;

const refuse = (message: string): never => {
  throw new FocusExportError(message, 'request');
};

function oneOf<T extends string>(params: Params, name: string, allowed: readonly T[], fallback: T): T {
  const value = params[name];
  if (value === undefined || value === '') return fallback;
  const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  return found ?? refuse(`${name} must be one of ${allowed.join(', ')}, got "${value.slice(0, 40)}".`);
}

function instant(params: Params, name: 'start' | 'end'): number {
  const value = params[name];
  if (!value) return refuse(`${name} is required: an RFC 3339 instant or a date, e.g. ${name}=2026-11-01.`);
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? parseDateTime(`${value}T00:00:00Z`) : parseDateTime(value);
  return (
    ms ??
    refuse(`${name} must be an RFC 3339 instant such as 2026-11-01T00:00:00Z or a date, got "${value.slice(0, 40)}".`)
  );
}

/** Whether `ms` is a bucket edge of the granularity in UTC. */
function onEdge(ms: number, granularity: FocusGranularity): boolean {
  if (granularity === 'HOUR') return ms % 3_600_000 === 0;
  if (granularity === 'DAY') return ms % DAY_MS === 0;
  const d = new Date(ms);
  return d.getUTCDate() === 1 && ms % DAY_MS === 0;
}

/** Parses and checks an export's parameters; throws FocusExportError ('request') with what to change. */
export function focusRequestOf(params: Params): FocusExportRequest {
  const granularity = oneOf(params, 'granularity', FOCUS_GRANULARITIES, 'DAY');
  const startMs = instant(params, 'start');
  const endMs = instant(params, 'end');
  if (startMs >= endMs) refuse(`start must be before end (got ${formatDateTime(startMs)} → ${formatDateTime(endMs)}).`);
  for (const [name, ms] of [
    ['start', startMs],
    ['end', endMs],
  ] as const)
    if (!onEdge(ms, granularity))
      refuse(
        `${name} ${formatDateTime(ms)} is not on a ${granularity} edge in UTC: FOCUS charge periods are whole buckets, so give ${granularity === 'HOUR' ? 'a whole hour' : granularity === 'DAY' ? 'a UTC midnight (a date)' : 'the first day of a month'}.`,
      );
  if (endMs - startMs > MAX_EXPORT_DAYS * DAY_MS)
    refuse(`The export spans more than ${MAX_EXPORT_DAYS} days; export a year or less at a time.`);
  const version = oneOf<FocusVersion>(params, 'version', FOCUS_VERSIONS, '1.3');
  const format = oneOf<FocusFormat>(params, 'format', FOCUS_FORMATS, 'csv');
  const sources = params.sources
    ? params.sources
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
  return {
    startMs,
    endMs,
    granularity,
    format,
    version,
    sources: sources && sources.length > 0 ? sources : null,
    virtual: oneOf(params, 'virtual', ['refuse', 'skip'] as const, 'refuse'),
    unpriced: oneOf(params, 'unpriced', ['refuse', 'skip'] as const, 'refuse'),
  };
}
