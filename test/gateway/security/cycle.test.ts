/**
 * One small query cannot hold the event loop (docs/limits.md#at-run-time): a cycle through
 * Hyperstack usage → resource → account multiplies its lists, and the run-time ceilings stop it
 * with one request error, the object ceiling by count and the deadline by time (building the
 * answer spends the same deadline as waiting for sources).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';

/** 183 bytes; about 40 usage rows per level with the built-in simulator: 65,000 objects uncut. */
const CYCLE = `{ accounts(provider: HYPERSTACK) { edges { node { hyperstackUsage { resource { account { hyperstackUsage { resource { account { hyperstackUsage { resource { id } } } } } } } } } } } }`;
/** One level more: 2.6 million objects uncut, far past any deadline. */
const DEEPER = CYCLE.replace(
  'hyperstackUsage { resource { id } }',
  'hyperstackUsage { resource { account { hyperstackUsage { resource { id } } } } }',
);

/** The same cycle selecting every field of the innermost usage rows: 18 values a row. */
const WIDE = CYCLE.replace(
  'hyperstackUsage { resource { id } }',
  'hyperstackUsage { resourceId resourceType name organizationId createdAt terminatedAt totalUpTimeMinutes active excludeBilling billPerMinute { amount currency } totalBill { amount currency } resource { id provider providerId type name } }',
);

describe('a cycle query', () => {
  let h: FullHarness;
  let slow: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness();
    // Ceilings a deployment might raise. The deadline (1 s, upstream calls included) comes first:
    // a quiet machine completes about 700,000 objects a second, so it cannot reach the object
    // ceiling (1,000,000) before; at 300,000 and 1.5 s it did, and the deadline was never checked.
    // Both may cut (the deadline does not stop a list that already arrived); the first is reported first.
    slow = await startFullHarness({
      limits: {
        maxDepth: 15,
        maxCost: 100_000_000,
        maxObjectsPerRequest: 1_000_000,
        maxAnswerBytes: 1024 ** 3,
        requestTimeoutMs: 1000,
      },
    });
  });
  afterAll(async () => Promise.all([h?.close(), slow?.close()]));

  it('is cut at the object ceiling with one request error and one upstream usage call', async () => {
    const res = await h.query(CYCLE);
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([
      {
        message:
          'The answer grew past 20000 objects, the limit per request (limits.maxObjectsPerRequest); the data already resolved is kept. Ask for fewer or smaller lists, or split the query.',
        path: expect.arrayContaining(['accounts', 'edges', 'node']),
        extensions: { code: 'QUERY_TOO_COMPLEX', requestId: expect.any(String) },
      },
    ]);
    // Uncut it was 3.7 MB; 20,000 objects of a resource id each are about 1.2 MB.
    expect(res.text.length).toBeLessThan(2_000_000);
    // Every level reads the same usage list: one call for the request, however deep the cycle.
    expect(h.sims.hs!.count({ route: 'get_usage' })).toBe(1);
  });

  it('is cut at the estimated answer size when its rows are wide, before the object ceiling', async () => {
    h.resetAll();
    const res = await h.query(WIDE);
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([
      {
        message:
          'The answer grew past 8388608 bytes (estimated), the limit per request (limits.maxAnswerBytes); the data already resolved is kept. Select fewer fields of long lists, ask for fewer or smaller lists, or split the query.',
        path: expect.arrayContaining(['accounts', 'edges', 'node']),
        extensions: { code: 'QUERY_TOO_COMPLEX', requestId: expect.any(String) },
      },
    ]);
    // 18 values a row at 40 bytes each is an estimate of 736 bytes a row: about 11,000 rows fit.
    expect(res.text.length).toBeLessThan(8 * 1024 * 1024);
    expect(h.sims.hs!.count({ route: 'get_usage' })).toBe(1);
  });

  it('is cut at the deadline when the object ceiling is raised, CPU time counting against it', async () => {
    const res = await slow.query(DEEPER);
    expect(res.status).toBe(200);
    // The deadline's error first; at most the object ceiling's after it.
    expect(res.body.errors!.slice(1).map((e) => e.message)).toEqual(
      res.body.errors!.length > 1 ? [expect.stringMatching(/limits\.maxObjectsPerRequest/)] : [],
    );
    expect(res.body.errors![0]).toEqual({
      message:
        'The request ran past its deadline of 1000 ms (limits.requestTimeoutMs), upstream calls and building the answer together; the data already resolved is kept. Ask for fewer or smaller lists, shorter windows, or split the query.',
      path: expect.arrayContaining(['accounts', 'edges', 'node']),
      extensions: { code: 'QUERY_TOO_COMPLEX', requestId: expect.any(String) },
    });
    expect(slow.sims.hs!.count({ route: 'get_usage' })).toBe(1);
    // What resolved before the deadline is still sent: on a machine shared with other work that can take seconds.
  }, 60_000);
});
