import { describe, expect, it } from 'vitest';
import { formatDateTime, isValidDate, parseDateTime } from '../../../src/lib/dateTime.js';

describe('parseDateTime', () => {
  it('reads an instant in UTC as its epoch milliseconds', () => {
    expect(parseDateTime('2026-11-01T00:00:00Z')).toBe(Date.UTC(2026, 10, 1));
  });

  it('applies a numeric offset, so equal instants read equal', () => {
    expect(parseDateTime('2026-11-01T02:00:00+02:00')).toBe(Date.UTC(2026, 10, 1));
    expect(parseDateTime('2026-10-31T19:30:00-04:30')).toBe(Date.UTC(2026, 10, 1));
  });

  it('keeps a fraction of a second', () => {
    expect(parseDateTime('2026-11-01T00:00:00.250Z')).toBe(Date.UTC(2026, 10, 1) + 250);
  });

  it('accepts a lower-case "t" and "z" as RFC 3339 allows', () => {
    expect(parseDateTime('2026-11-01t00:00:00z')).toBe(Date.UTC(2026, 10, 1));
  });

  it('refuses an instant without an offset', () => {
    expect(parseDateTime('2026-11-01T00:00:00')).toBeNull();
  });

  it('refuses a date alone, a space for the "T" and trailing text', () => {
    expect(parseDateTime('2026-11-01')).toBeNull();
    expect(parseDateTime('2026-11-01 00:00:00Z')).toBeNull();
    expect(parseDateTime('2026-11-01T00:00:00Z ')).toBeNull();
  });

  it('refuses impossible calendar dates instead of rolling them over', () => {
    expect(parseDateTime('2026-02-29T00:00:00Z')).toBeNull();
    expect(parseDateTime('2026-04-31T00:00:00Z')).toBeNull();
    expect(parseDateTime('2026-13-01T00:00:00Z')).toBeNull();
    expect(parseDateTime('2026-00-10T00:00:00Z')).toBeNull();
    expect(parseDateTime('2026-01-00T00:00:00Z')).toBeNull();
  });

  it('accepts the 29th of February in a leap year', () => {
    expect(parseDateTime('2028-02-29T12:00:00Z')).toBe(Date.UTC(2028, 1, 29, 12));
  });

  it('refuses an hour, minute or second out of range (no leap second, no 24:00)', () => {
    expect(parseDateTime('2026-11-01T24:00:00Z')).toBeNull();
    expect(parseDateTime('2026-11-01T23:60:00Z')).toBeNull();
    expect(parseDateTime('2026-11-01T23:59:60Z')).toBeNull();
  });

  it('refuses an offset out of range', () => {
    expect(parseDateTime('2026-11-01T00:00:00+24:00')).toBeNull();
    expect(parseDateTime('2026-11-01T00:00:00+01:60')).toBeNull();
  });

  it('accepts the largest offsets in range', () => {
    expect(parseDateTime('2026-11-01T23:59:00+23:59')).toBe(Date.UTC(2026, 10, 1));
  });
});

describe('formatDateTime', () => {
  it('writes a whole second without milliseconds', () => {
    expect(formatDateTime(Date.UTC(2026, 10, 1))).toBe('2026-11-01T00:00:00Z');
  });

  it('writes milliseconds when there are some', () => {
    expect(formatDateTime(Date.UTC(2026, 10, 1) + 5)).toBe('2026-11-01T00:00:00.005Z');
  });

  it('round-trips what parseDateTime reads, normalised to UTC', () => {
    expect(formatDateTime(parseDateTime('2026-11-01T02:00:00.100+02:00')!)).toBe('2026-11-01T00:00:00.100Z');
  });
});

describe('isValidDate', () => {
  it('accepts a calendar date YYYY-MM-DD', () => {
    expect(isValidDate('2026-10-31')).toBe(true);
    expect(isValidDate('2028-02-29')).toBe(true);
  });

  it('refuses a date that does not exist', () => {
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2026-09-31')).toBe(false);
    expect(isValidDate('2026-13-01')).toBe(false);
  });

  it('refuses other shapes: an instant, single digits, a slash', () => {
    expect(isValidDate('2026-10-31T00:00:00Z')).toBe(false);
    expect(isValidDate('2026-1-01')).toBe(false);
    expect(isValidDate('2026/10/31')).toBe(false);
  });
});
