/** RFC 3339 date-time with a mandatory offset ("Z" or ±hh:mm); fraction optional. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

function validCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Epoch milliseconds of an RFC 3339 instant, or null when it is not one (incl. impossible dates). */
export function parseDateTime(value: string): number | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!validCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const offset = m[8]!;
  if (offset !== 'Z' && offset !== 'z') {
    const [oh, om] = offset.slice(1).split(':').map(Number) as [number, number];
    if (oh > 23 || om > 59) return null;
  }
  const ms = Date.parse(value.toUpperCase());
  return Number.isFinite(ms) ? ms : null;
}

/** 2026-11-01T00:00:00Z — milliseconds only when they are not zero. */
export function formatDateTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

export function isValidDate(value: string): boolean {
  const m = DATE_ONLY.exec(value);
  return !!m && validCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}
