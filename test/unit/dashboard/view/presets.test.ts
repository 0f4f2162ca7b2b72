import { describe, expect, it } from 'vitest';
import { daysIn, presetRange, timeWindowOf, todayIn, upToToday } from '../../../../web/src/view/presets.js';

describe('the relative presets', () => {
  const today = '2026-11-15';
  it('cut this month and last month at the calendar month', () => {
    expect(presetRange('this-month', today)).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    expect(presetRange('last-month', today)).toEqual({ from: '2026-10-01', to: '2026-11-01' });
    expect(presetRange('last-month', '2027-01-03')).toEqual({ from: '2026-12-01', to: '2027-01-01' });
  });
  it('make the last 30 days end with today included', () => {
    const range = presetRange('last-30-days', today);
    expect(range).toEqual({ from: '2026-10-17', to: '2026-11-16' });
    expect(daysIn(range)).toBe(30);
  });
  it('cut this quarter at calendar quarters', () => {
    expect(presetRange('this-quarter', today)).toEqual({ from: '2026-10-01', to: '2027-01-01' });
    expect(presetRange('this-quarter', '2026-03-31')).toEqual({ from: '2026-01-01', to: '2026-04-01' });
  });
  it('make the last 12 months twelve calendar months ending with this one, within the 366-day window limit', () => {
    const range = presetRange('last-12-months', '2028-02-29');
    expect(range).toEqual({ from: '2027-03-01', to: '2028-03-01' });
    expect(daysIn(range)).toBeLessThanOrEqual(366);
  });
});

describe('today and the window in a time zone', () => {
  // 2026-11-15T23:30Z is already the 16th in Tokyo and still the 15th in New York.
  const now = Date.parse('2026-11-15T23:30:00Z');
  it('reads today in the view’s zone', () => {
    expect(todayIn('UTC', now)).toBe('2026-11-15');
    expect(todayIn('Asia/Tokyo', now)).toBe('2026-11-16');
    expect(todayIn('America/New_York', now)).toBe('2026-11-15');
  });
  it('sends local midnights with their offset, across a DST change', () => {
    expect(timeWindowOf({ from: '2026-10-01', to: '2026-11-01' }, 'Europe/Madrid')).toEqual({
      start: '2026-10-01T00:00:00+02:00',
      end: '2026-11-01T00:00:00+01:00',
      timeZone: 'Europe/Madrid',
    });
    expect(timeWindowOf({ from: '2026-10-01', to: '2026-11-01' }, 'UTC').start).toBe('2026-10-01T00:00:00Z');
  });
});

describe('a range up to today', () => {
  it('ends after today when it runs into the future, and is left alone otherwise', () => {
    expect(upToToday({ from: '2026-11-01', to: '2026-12-01' }, '2026-11-20')).toEqual({
      from: '2026-11-01',
      to: '2026-11-21',
    });
    expect(upToToday({ from: '2026-10-01', to: '2026-11-01' }, '2026-11-20')).toEqual({
      from: '2026-10-01',
      to: '2026-11-01',
    });
    expect(upToToday({ from: '2027-01-01', to: '2027-02-01' }, '2026-11-20')).toEqual({
      from: '2027-01-01',
      to: '2027-02-01',
    });
  });
});
