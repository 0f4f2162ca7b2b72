/**
 * A 429's Retry-After pauses the whole source, not just the call that got it: while it runs no
 * call reaches the source (callers wait, when the wait fits under maxRetryAfterMs and their
 * deadline, or fail at once with UPSTREAM_RATE_LIMITED and retryAfter), and when it ends one
 * call goes first to learn whether the source still limits. Counts are the simulator's.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';
import { HS_ONLY, type HsAnswer, MARGIN_MS, WINDOW } from './helpers.js';

/** A Hyperstack account id, for a lookup whose failure is a field error. */
let accountId = '';

let h: FullHarness;
beforeAll(async () => {
  // Every query must reach the policy (no cross-request cache); retries as in production.
  h = await startFullHarness({
    sourceOverrides: { hs: { timeoutMs: 4000, cache: { ttlSeconds: 0 }, maxRateLimitPauseMs: 3_600_000 } },
  });
});
afterAll(async () => h?.close());
beforeEach(async () => {
  h.resetAll();
  // Wait out any pause an earlier case left: a fault-free query that reaches the source ends it.
  await expect
    .poll(async () => (await h.query<HsAnswer>(HS_ONLY, { w: WINDOW })).body.data!.accounts.errors, {
      timeout: 10_000,
      interval: 200,
    })
    .toEqual([]);
  accountId ||= (await h.query<HsAnswer>(HS_ONLY, { w: WINDOW })).body.data!.accounts.edges[0]!.node.id;
  h.resetAll();
});

describe('the per-source 429 pause', () => {
  it('under steady load, a source answering 429 with Retry-After: 1 gets the first burst and then one call per second, never one before its Retry-After', async () => {
    const hs = h.sims.hs!;
    hs.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 1 } });
    const CLIENTS = 8;
    const WINDOW_MS = 3000;
    const until = Date.now() + WINDOW_MS;
    const codes = new Set<string>();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (Date.now() < until) {
          const res = await h.query<HsAnswer>(HS_ONLY, { w: WINDOW });
          for (const e of res.body.data!.accounts.errors) codes.add(e.code);
        }
      }),
    );
    expect(codes).toEqual(new Set(['UPSTREAM_RATE_LIMITED']));
    const arrivals = hs.requests.map((r) => r.at).sort((a, b) => a - b);
    const first = arrivals[0]!;
    // Calls sent before the gateway had read the first 429: at most one per client.
    const burst = arrivals.filter((at) => at < first + 1000);
    expect(burst.length).toBeLessThanOrEqual(CLIENTS);
    // After it, each call comes at least Retry-After (1 s) after the one before: one probe per pause.
    const later = arrivals.slice(burst.length);
    later.forEach((at, i) => expect(at - arrivals[burst.length + i - 1]!).toBeGreaterThanOrEqual(1000));
    // Every query ends by its deadline (10 s) after the window; one call per second at most meanwhile.
    const span = arrivals.at(-1)! - first;
    expect(span).toBeLessThan(WINDOW_MS + 10_000);
    expect(later.length).toBeLessThanOrEqual(Math.floor(span / 1000));
    // Before the pause (main, same load) every query made 3 calls, a second apart: 8 clients, 3 s → ~36 calls.
    expect(arrivals.length).toBeLessThanOrEqual(CLIENTS + 9);
  });

  it('fails other requests at once with UPSTREAM_RATE_LIMITED and the seconds left while a Retry-After beyond maxRetryAfterMs runs, without calling the source', async () => {
    const hs = h.sims.hs!;
    // 8 s is past the default maxRetryAfterMs (5 s): nobody waits for it.
    hs.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 8 }, times: 1 });
    const first = await h.query<HsAnswer>(HS_ONLY, { w: WINDOW });
    expect(first.body.data!.accounts.errors).toEqual([
      expect.objectContaining({ code: 'UPSTREAM_RATE_LIMITED', message: expect.stringContaining('retry after 8 s') }),
    ]);
    expect(hs.count()).toBe(1);

    // The fault is spent, so a call would now succeed: only the pause keeps the source quiet.
    const started = Date.now();
    const second = await h.query<HsAnswer>(HS_ONLY, { w: WINDOW });
    expect(Date.now() - started).toBeLessThan(MARGIN_MS);
    const [error] = second.body.data!.accounts.errors;
    expect(error).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED' });
    const [, seconds] =
      /^Hyperstack source "hs" was not called for "[a-z_/]+": it asked for no calls until \d{4}-\d\d-\d\dT[\d:.]+Z \(429 Retry-After, in (\d) s\)\.$/.exec(
        error!.message,
      ) ?? [error!.message];
    expect(Number(seconds)).toBeGreaterThanOrEqual(6);
    expect(Number(seconds)).toBeLessThanOrEqual(8);

    // A field error carries the seconds left as extensions.retryAfter.
    const third = await h.query<{ account: unknown }>(`query ($id: ID!) { account(id: $id) { name } }`, {
      id: accountId,
    });
    expect(third.body.data?.account).toBeNull();
    const [fieldError] = third.body.errors!;
    expect(fieldError!.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', source: 'hs', retryable: true });
    expect(fieldError!.extensions!.retryAfter).toBeGreaterThanOrEqual(6);
    expect(fieldError!.extensions!.retryAfter).toBeLessThanOrEqual(8);
    expect(hs.count()).toBe(1);
  });
});
