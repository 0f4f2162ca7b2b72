/**
 * A 429's Retry-After is obeyed for reads: the retry arrives no earlier than it says, and a
 * Retry-After past the request's deadline or past maxRetryAfterMs is not waited for at all.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness, type GraphQLResponse } from '../../helpers/harness.js';
import { EVERY_SOURCE, MARGIN_MS, outcomeOf, WINDOW } from './helpers.js';

const DEADLINE_MS = 3000;
let h: FullHarness;

beforeAll(async () => {
  h = await startFullHarness({
    limits: { requestTimeoutMs: DEADLINE_MS },
    // Generous attempt timeouts: only the waits are measured here, never the machine's speed.
    sourceOverrides: { civitai: { timeoutMs: 1400 }, theirstack: { timeoutMs: 1400, maxRetryAfterMs: 500 } },
  });
});
afterAll(async () => h?.close());
beforeEach(() => h.resetAll());

const errorsOf = (res: GraphQLResponse, id: string) => {
  const edges = res.body.data!.accounts.edges as { node: { source: { id: string } } }[];
  const mine = new Set(edges.flatMap((e, i) => (e.node.source.id === id ? [i] : [])));
  return (res.body.errors ?? []).filter((e) => mine.has(Number(e.path?.[2])));
};

describe('Retry-After', () => {
  it('retries a read no earlier than Retry-After (1 s) after the 429, and answers with its data', async () => {
    const civitai = h.sims.civitai!;
    civitai.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 1 }, times: 1 });
    const res = await h.query(EVERY_SOURCE, { w: WINDOW });
    expect(outcomeOf(res, 'civitai').codes).toEqual([]);
    const [limited, retried, ...rest] = civitai.requests;
    expect(rest).toEqual([]);
    expect(retried!.route).toBe(limited!.route);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(1000);
  });

  it('does not wait for a Retry-After beyond the request deadline: UPSTREAM_RATE_LIMITED with retryAfter at once, one call', async () => {
    const civitai = h.sims.civitai!;
    civitai.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 3 } });
    // (3 s > maxRetryAfterMs would also refuse; raise nothing: 3000 < 5000 default cap, so the deadline decides.)
    const started = Date.now();
    const res = await h.query(EVERY_SOURCE, { w: WINDOW });
    // Waiting would have taken 3 s, past the 3 s deadline; not waiting takes a fraction of it.
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS);
    const errors = errorsOf(res, 'civitai');
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors)
      expect(e.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfter: 3, upstreamStatus: 429 });
    expect(civitai.count()).toBe(1);
  });

  it('does not wait for a Retry-After beyond maxRetryAfterMs (500 ms for theirstack), even with time left', async () => {
    const theirstack = h.sims.theirstack!;
    theirstack.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 1 } });
    const started = Date.now();
    const res = await h.query(EVERY_SOURCE, { w: WINDOW });
    expect(Date.now() - started).toBeLessThan(1000 + MARGIN_MS);
    const codes = outcomeOf(res, 'theirstack').codes;
    expect(new Set(codes)).toEqual(new Set(['UPSTREAM_RATE_LIMITED']));
    // Each theirstack call was made once: no retry after a 429 it will not wait for.
    const perRoute = new Map<string, number>();
    for (const r of theirstack.requests)
      perRoute.set(
        `${r.route} ${JSON.stringify(r.args)}`,
        (perRoute.get(`${r.route} ${JSON.stringify(r.args)}`) ?? 0) + 1,
      );
    expect([...perRoute.values()].every((n) => n === 1)).toBe(true);
  });
});
