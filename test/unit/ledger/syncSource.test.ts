import { describe, expect, it } from 'vitest';
import { syncRange } from '../../../src/ledger/syncSource.js';
import { PROVIDER_MODULES } from '../../../src/providers/registry.js';
import type { ProviderModule } from '../../../src/providers/types.js';

const HOUR = 3_600_000;
/** Midnight UTC of a day of November 2026. */
const nov = (d: number): number => Date.UTC(2026, 10, d);
/** A provider whose buckets are final once they have ended. */
const provider = (finestGranularity: ProviderModule['finestGranularity']) => ({
  module: {
    ...PROVIDER_MODULES.OPENVCLOUD,
    finestGranularity,
    isFinalBucket: (endMs: number, now: number) => endMs <= now,
  },
});

describe('syncRange', () => {
  it('rounds the start up and the end down to whole ledger buckets (hours for an hourly provider)', () => {
    expect(syncRange(provider('HOUR'), nov(1) + 90_000, nov(2) + HOUR + 1, nov(20))).toEqual({
      startMs: nov(1) + HOUR,
      endMs: nov(2) + HOUR,
    });
  });

  it('rounds to UTC days for a daily provider', () => {
    expect(syncRange(provider('DAY'), nov(1) + 1, nov(5) - 1, nov(20))).toEqual({ startMs: nov(2), endMs: nov(4) });
  });

  it('leaves out the buckets that are not final yet', () => {
    expect(syncRange(provider('DAY'), nov(1), nov(30), nov(10) + 5 * HOUR)).toEqual({
      startMs: nov(1),
      endMs: nov(10),
    });
    expect(syncRange(provider('HOUR'), nov(1), nov(30), nov(10) + 5 * HOUR + 59_000)).toEqual({
      startMs: nov(1),
      endMs: nov(10) + 5 * HOUR,
    });
  });

  it("follows the provider's own finality rule: a Kill Bill day is final a day after it ends", () => {
    expect(syncRange({ module: PROVIDER_MODULES.KILLBILL }, nov(1), nov(30), nov(10) + 5 * HOUR)).toEqual({
      startMs: nov(1),
      endMs: nov(9),
    });
  });

  it('is null when no whole final bucket is in the range', () => {
    expect(syncRange(provider('DAY'), nov(1) + 1, nov(2) + 1, nov(20))).toBeNull();
    expect(syncRange(provider('DAY'), nov(10), nov(12), nov(10) + HOUR)).toBeNull();
    expect(syncRange(provider('DAY'), nov(5), nov(5), nov(20))).toBeNull();
  });

  it('is null for a provider the ledger keeps no rows of (finest granularity neither HOUR nor DAY)', () => {
    expect(syncRange(provider('MONTH'), nov(1), nov(30), nov(30))).toBeNull();
    expect(syncRange(provider('TOTAL'), nov(1), nov(30), nov(30))).toBeNull();
  });
});
