/**
 * What counts for a source's circuit breaker, beyond 5xx and hangs (breaker.test.ts): bodies it
 * cannot read or that break its contract count like a 5xx; 429s without a wait count, 429s with
 * one do not (the per-source pause handles those); and a timeout whose timer fired late because
 * billgraph's own event loop was blocked does not count, while a truly hung source still trips it.
 * Each case gets its own gateway, so each starts from a closed breaker. Counts are the simulator's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';
import { HS_ONLY, type HsAnswer, WINDOW } from './helpers.js';

const THRESHOLD = 2;

let h: FullHarness;
beforeEach(async () => {
  h = await startFullHarness({
    sourceOverrides: {
      // 400 ms per attempt is plenty for the simulator on a loaded machine; its cache is off so
      // every query reaches the policy; a long open window so no probe interferes.
      hs: {
        timeoutMs: 400,
        breakerThreshold: THRESHOLD,
        breakerHalfOpenAfterMs: 60_000,
        cache: { ttlSeconds: 0 },
        maxRateLimitPauseMs: 3_600_000,
      },
    },
  });
});
afterEach(async () => h?.close());

const hsQuery = async () => (await h.query<HsAnswer>(HS_ONLY, { w: WINDOW })).body.data!.accounts;
const breaker = () => h.gateway.sources.get('hs')!.runtime.resilience().breaker;

/** Runs `queries` HS_ONLY queries one after another; returns the error codes of each. */
async function run(queries: number): Promise<string[][]> {
  const codes: string[][] = [];
  for (let i = 0; i < queries; i++) codes.push((await hsQuery()).errors.map((e) => e.code));
  return codes;
}

describe('what trips a source breaker', () => {
  it('a source answering unparseable 200s is cut off after breakerThreshold answers, like one answering 503', async () => {
    const hs = h.sims.hs!;
    hs.injectFault({ fault: { kind: 'malformed' } });
    const codes = await run(6);
    expect(codes.slice(0, THRESHOLD).flat()).toEqual(Array(THRESHOLD).fill('UPSTREAM_BAD_RESPONSE'));
    expect(codes.slice(THRESHOLD).flat()).toEqual(Array(6 - THRESHOLD).fill('UPSTREAM_UNAVAILABLE'));
    expect(breaker()).toBe('open');
    // Bad bodies are not retried: one call per query until the breaker opened, none after.
    expect(hs.count()).toBe(THRESHOLD);
  });

  it('a source answering 200s that break their contract ({}) is cut off the same way', async () => {
    const hs = h.sims.hs!;
    hs.injectFault({ fault: { kind: 'status', status: 200, body: {} } });
    await run(5);
    expect(breaker()).toBe('open');
    expect(hs.count()).toBe(THRESHOLD);
  });

  it('good answers between bad ones reset the count: alternating garbage and data never opens the breaker', async () => {
    const hs = h.sims.hs!;
    for (let i = 0; i < 4; i++) {
      hs.injectFault({ fault: { kind: 'malformed' }, times: 1 });
      expect((await hsQuery()).errors.map((e) => e.code)).toEqual(['UPSTREAM_BAD_RESPONSE']);
      expect((await hsQuery()).errors).toEqual([]);
    }
    expect(breaker()).toBe('closed');
  });

  it('429s without Retry-After count (an overload with no wait given), so the breaker opens', async () => {
    const hs = h.sims.hs!;
    hs.injectFault({ fault: { kind: 'status', status: 429 } });
    const codes = await run(4);
    expect(codes.slice(0, THRESHOLD).flat()).toEqual(Array(THRESHOLD).fill('UPSTREAM_RATE_LIMITED'));
    expect(codes.slice(THRESHOLD).flat()).toEqual(Array(4 - THRESHOLD).fill('UPSTREAM_UNAVAILABLE'));
    // Not retried without a wait to obey: one call per query until the breaker opened.
    expect(hs.count()).toBe(THRESHOLD);
  });

  it('429s with Retry-After do not count: three in a row leave the breaker closed', async () => {
    const hs = h.sims.hs!;
    hs.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 1 } });
    // One query: three attempts, each after the source's 1 s pause.
    expect((await hsQuery()).errors.map((e) => e.code)).toEqual(['UPSTREAM_RATE_LIMITED']);
    expect(hs.count()).toBe(3);
    expect(breaker()).toBe('closed');
  });

  it('a healthy source whose attempts time out only because the event loop was blocked keeps its breaker closed', async () => {
    const hs = h.sims.hs!;
    // The block starts the moment a call reaches the simulator (a filter that never matches,
    // run on arrival), so it always covers the attempt's 400 ms timer: the timer fires about
    // 1.1 s late. The answer then takes another 250 ms, so the late timer always wins.
    hs.setLatency(250);
    hs.injectFault({
      fault: { kind: 'status', status: 500 },
      where: () => {
        const blockedUntil = Date.now() + 1500;
        while (Date.now() < blockedUntil); // busy-wait: nothing else runs in this process meanwhile
        return false;
      },
    });
    for (let i = 0; i < THRESHOLD + 1; i++) {
      const { errors } = await hsQuery();
      // The caller is told it timed out, and that the source is not blamed.
      expect(errors.map((e) => e.code)).toEqual(['UPSTREAM_TIMEOUT']);
      expect(errors[0]!.message).toMatch(/within 400 ms \(billgraph was busy and noticed \d+ ms late/);
    }
    expect(hs.count()).toBe(THRESHOLD + 1);
    expect(breaker()).toBe('closed');
    h.resetAll();
    expect((await hsQuery()).errors).toEqual([]);
    expect(hs.count()).toBeGreaterThan(0);
  });

  it('a truly hung source still opens the breaker: its timers fire on time', async () => {
    const hs = h.sims.hs!;
    hs.injectFault({ fault: { kind: 'timeout' } });
    const codes = await run(4);
    expect(codes.slice(0, THRESHOLD).flat()).toEqual(Array(THRESHOLD).fill('UPSTREAM_TIMEOUT'));
    expect(codes.slice(THRESHOLD).flat()).toEqual(Array(4 - THRESHOLD).fill('UPSTREAM_UNAVAILABLE'));
    expect(breaker()).toBe('open');
    expect(hs.count()).toBe(THRESHOLD);
  });
});
