/**
 * An upstream's unit in FOCUS's UnitFormat (a SHOULD of FOCUS 1.3, e.g. "GB-Hours", "Requests",
 * "1000 Tokens"): words title-cased and joined by spaces, data sizes in capitals, and a trailing
 * time word as "-<plural>" ("CU-hours" → "CU-Hours", "storage-gb-day" → "Storage GB-Days",
 * "api-calls" → "Api Calls"). The export keeps the upstream's own spelling in x_Unit.
 */
const SIZE_SPELLING: Record<string, string> = {
  b: 'B',
  kb: 'KB',
  mb: 'MB',
  gb: 'GB',
  tb: 'TB',
  pb: 'PB',
  eb: 'EB',
  kib: 'KiB',
  mib: 'MiB',
  gib: 'GiB',
  tib: 'TiB',
  pib: 'PiB',
  eib: 'EiB',
};
const TIMES: Record<string, string> = {
  year: 'Years',
  years: 'Years',
  month: 'Months',
  months: 'Months',
  day: 'Days',
  days: 'Days',
  hour: 'Hours',
  hours: 'Hours',
  minute: 'Minutes',
  minutes: 'Minutes',
  second: 'Seconds',
  seconds: 'Seconds',
};

const word = (w: string): string => {
  const lower = w.toLowerCase();
  const size = SIZE_SPELLING[lower];
  if (size) return size;
  // An acronym stays as the upstream wrote it ("CU"); anything else is title-cased.
  if (w === w.toUpperCase() && /[A-Z]/.test(w)) return w;
  return lower.charAt(0).toUpperCase() + lower.slice(1);
};

export function focusUnitOf(unit: string): string {
  const words = unit.split(/[-_\s]+/).filter((w) => /^[A-Za-z0-9]+$/.test(w));
  if (words.length === 0) return 'Units';
  const last = words.at(-1)!.toLowerCase();
  const time = TIMES[last];
  if (time && words.length > 1) return `${words.slice(0, -1).map(word).join(' ')}-${time}`;
  if (time) return time;
  return words.map(word).join(' ');
}
