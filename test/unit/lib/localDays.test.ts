import { describe, expect, it } from 'vitest';
import {
  isLocalMidnight,
  localMidnightAtOrAfter,
  localWallClock,
  nextLocalMidnight,
  startOfLocalDay,
  withLocalOffset,
} from '../../../src/lib/localDays.js';

const BERLIN = 'Europe/Berlin';
const at = (iso: string): number => Date.parse(iso);

describe('local days in an IANA zone', () => {
  it('knows a local midnight from other instants', () => {
    expect(isLocalMidnight(at('2026-09-30T22:00:00Z'), BERLIN)).toBe(true);
    expect(isLocalMidnight(at('2026-10-01T00:00:00Z'), BERLIN)).toBe(false);
    expect(isLocalMidnight(at('2026-10-01T00:00:00Z'), 'UTC')).toBe(true);
  });

  it('finds the local midnight at or before an instant', () => {
    expect(startOfLocalDay(at('2026-10-01T12:34:56Z'), BERLIN)).toBe(at('2026-09-30T22:00:00Z'));
    expect(startOfLocalDay(at('2026-09-30T22:00:00Z'), BERLIN)).toBe(at('2026-09-30T22:00:00Z'));
  });

  it('finds the next local midnight, 25 hours on when the clocks go back', () => {
    // 2026-10-25: Berlin leaves summer time (CEST +02:00 → CET +01:00).
    const dayStart = at('2026-10-24T22:00:00Z');
    expect(nextLocalMidnight(dayStart, BERLIN)).toBe(at('2026-10-25T23:00:00Z'));
    expect(nextLocalMidnight(dayStart, BERLIN) - dayStart).toBe(25 * 3_600_000);
  });

  it('finds the next local midnight, 23 hours on when the clocks go forward', () => {
    // 2026-03-29: Berlin enters summer time.
    const dayStart = at('2026-03-28T23:00:00Z');
    expect(nextLocalMidnight(dayStart, BERLIN) - dayStart).toBe(23 * 3_600_000);
  });

  it('keeps a midnight as it is and moves any other instant to the next midnight', () => {
    expect(localMidnightAtOrAfter(at('2026-09-30T22:00:00Z'), BERLIN)).toBe(at('2026-09-30T22:00:00Z'));
    expect(localMidnightAtOrAfter(at('2026-09-30T22:00:00.001Z'), BERLIN)).toBe(at('2026-10-01T22:00:00Z'));
  });

  it('writes the wall-clock time there, without an offset', () => {
    expect(localWallClock(at('2026-10-25T22:59:59Z'), BERLIN)).toBe('2026-10-25T23:59:59');
  });

  it('writes an instant with the zone’s offset, and Z in UTC', () => {
    expect(withLocalOffset(at('2026-09-30T22:00:00Z'), BERLIN)).toBe('2026-10-01T00:00:00+02:00');
    expect(withLocalOffset(at('2026-11-30T23:00:00Z'), BERLIN)).toBe('2026-12-01T00:00:00+01:00');
    expect(withLocalOffset(at('2026-10-01T00:00:00Z'), 'UTC')).toBe('2026-10-01T00:00:00Z');
  });

  it('writes a negative offset as such', () => {
    expect(withLocalOffset(at('2026-10-01T04:00:00Z'), 'America/New_York')).toBe('2026-10-01T00:00:00-04:00');
  });
});
