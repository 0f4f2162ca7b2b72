/**
 * The request deadline bounds queued calls too: with a hung source and more concurrent calls
 * than its in-flight limit, every request answers within requestTimeoutMs (+ a margin), and a
 * full queue fails at once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';
import { HS_ONLY, MARGIN_MS, WINDOW } from './helpers.js';

const DEADLINE_MS = 1500;

describe('a hung source behind its in-flight limit', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness({
      limits: { requestTimeoutMs: DEADLINE_MS },
      sourceOverrides: { hs: { timeoutMs: 1000, maxInFlight: 2, maxQueue: 100 } },
    });
  });
  afterAll(async () => h?.close());

  it('answers every one of 12 concurrent requests within the deadline, queued or not', async () => {
    h.sims.hs!.injectFault({ fault: { kind: 'timeout' } });
    const answers = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const started = Date.now();
        const res = await h.query(HS_ONLY, { w: WINDOW });
        return {
          elapsed: Date.now() - started,
          codes: res.body.data!.accounts.errors.map((e: { code: string }) => e.code),
        };
      }),
    );
    // Without the deadline on the queue: 12 calls / 2 in flight × 1000 ms = 6 s for the last one.
    for (const { elapsed, codes } of answers) {
      expect(elapsed).toBeLessThan(DEADLINE_MS + MARGIN_MS);
      expect(codes).toEqual(['UPSTREAM_TIMEOUT']);
    }
    // Calls that waited past their deadline were never sent; timeouts are not retried.
    expect(h.sims.hs!.count()).toBeLessThan(12);
  });
});

describe('a full queue', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness({
      limits: { requestTimeoutMs: 4000 },
      sourceOverrides: { hs: { timeoutMs: 3000, maxInFlight: 1, maxQueue: 1 } },
    });
  });
  afterAll(async () => h?.close());
  afterEach(() => h.resetAll());

  it('fails a call that finds it full with UPSTREAM_UNAVAILABLE at once, naming maxQueue', async () => {
    const hs = h.sims.hs!;
    hs.injectFault({ fault: { kind: 'timeout' } });
    const runtime = h.gateway.sources.get('hs')!.runtime;
    const held = [h.query(HS_ONLY, { w: WINDOW }), h.query(HS_ONLY, { w: WINDOW })];
    // One call in flight (hung), one queued behind it.
    await expect
      .poll(() => ({ inFlight: runtime.resilience().inFlight, queued: runtime.resilience().queued }), { timeout: 3000 })
      .toEqual({ inFlight: 1, queued: 1 });
    const started = Date.now();
    const res = await h.query(HS_ONLY, { w: WINDOW });
    expect(Date.now() - started).toBeLessThan(1500);
    const [error] = res.body.data!.accounts.errors;
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(/has 1 calls queued already \(maxQueue\)/);
    expect(hs.count()).toBe(1);
    hs.clearFaults();
    await Promise.all(held);
  });
});
