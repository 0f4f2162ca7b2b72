/**
 * The per-source 429 pause on its own, with explicit clocks: no call while it runs, one probe
 * after it, the others waiting for the probe's answer, and a cap on how long one Retry-After holds.
 */
import { describe, expect, it } from 'vitest';
import { RateLimitPause } from '../../../src/providers/rateLimitPause.js';

const T = 1_000_000;

describe('RateLimitPause', () => {
  it('lets every call go while no 429 has been seen', () => {
    expect(new RateLimitPause(3_600_000).check(true, T)).toEqual({ go: true, probe: false });
  });

  it('holds calls for the Retry-After, and a shorter later one does not shorten it', () => {
    const pause = new RateLimitPause(3_600_000);
    pause.extend(3, T);
    pause.extend(1, T + 500);
    expect(pause.check(true, T + 1000)).toEqual({ go: false, waitMs: 2000, until: T + 3000 });
  });

  it('after the pause lets exactly one call go as the probe; the others wait for its answer, then all go', async () => {
    const pause = new RateLimitPause(3_600_000);
    pause.extend(1, T);
    // A caller still queueing for a slot is not made the probe.
    expect(pause.check(false, T + 1000)).toEqual({ go: true, probe: false });
    expect(pause.check(true, T + 1000)).toEqual({ go: true, probe: true });
    const waiting = pause.check(true, T + 1001);
    expect(waiting).toMatchObject({ go: false });
    if (waiting.go || !('answered' in waiting)) throw new Error('expected to wait for the probe');
    pause.probeDone(T + 1100);
    await waiting.answered;
    expect(pause.check(true, T + 1101)).toEqual({ go: true, probe: false });
  });

  it('a probe answered with another 429 starts a new pause instead of ending it', () => {
    const pause = new RateLimitPause(3_600_000);
    pause.extend(1, T);
    expect(pause.check(true, T + 1000)).toEqual({ go: true, probe: true });
    pause.extend(2, T + 1050);
    pause.probeDone(T + 1050);
    expect(pause.check(true, T + 1060)).toEqual({ go: false, waitMs: 1990, until: T + 3050 });
  });

  it('caps one Retry-After at maxPauseMs, and 0 turns the pause off', () => {
    const capped = new RateLimitPause(60_000);
    capped.extend(86_400, T);
    expect(capped.check(true, T)).toEqual({ go: false, waitMs: 60_000, until: T + 60_000 });
    const off = new RateLimitPause(0);
    off.extend(5, T);
    expect(off.check(true, T)).toEqual({ go: true, probe: false });
  });
});
