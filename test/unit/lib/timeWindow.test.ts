import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, canonicalZoneCount, validateWindow } from '../../../src/lib/timeWindow.js';

const limits = { maxWindowDays: 366, maxHourWindowDays: 31 };

describe('canonicalTimeZone', () => {
  it('gives the IANA name for any case spelling and for aliases', () => {
    expect(canonicalTimeZone('eUROPE/mADRID')).toBe('Europe/Madrid');
    expect(canonicalTimeZone('europe/madrid')).toBe('Europe/Madrid');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('Etc/UTC')).toBe('UTC');
    expect(canonicalTimeZone('US/Eastern')).toBe('America/New_York');
  });

  it('refuses offsets, unknown names, empty and overlong strings', () => {
    for (const zone of ['+01:00', '-0530', 'Mars/Olympus_Mons', '', 'Europe/'.repeat(20)])
      expect(canonicalTimeZone(zone)).toBeNull();
  });

  it('remembers canonical names only, however many spellings it is given', () => {
    canonicalTimeZone('Asia/Kolkata');
    const before = canonicalZoneCount();
    for (const zone of ['asia/kolkata', 'ASIA/KOLKATA', 'aSIA/kOLKATA', 'Asia/kolkata']) canonicalTimeZone(zone);
    expect(canonicalZoneCount()).toBe(before);
  });

  it('hands the canonical name to everything after validation', () => {
    const window = validateWindow(
      { start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z', timeZone: 'aMERICA/nEW_yORK' },
      limits,
    );
    expect(window.timeZone).toBe('America/New_York');
  });
});
