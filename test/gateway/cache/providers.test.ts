/**
 * Every provider's loaders consult the cross-request cache: a final window's usage/cost calls
 * are made once across requests, an open window's every time (counted by the simulators). Which
 * query, which calls and how many are each provider's own declaration
 * (simulators/<name>/expectations.ts, crossRequestCache).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestWindow } from '../../../simulators/expectations.js';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';
import { providersUnderTest } from '../../helpers/providers.js';

const NOW = Date.parse('2026-10-15T12:00:00Z');
const CLOSED = { start: '2026-09-01T00:00:00Z', end: '2026-10-01T00:00:00Z' };
const OPEN = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

const PROVIDERS = await providersUnderTest();

describe('cross-request cache per provider', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness({ now: () => NOW });
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  it.each(PROVIDERS)(
    '$displayName: a closed month is asked once across requests, the open one every time',
    async ({ sourceId, expectations: { crossRequestCache: cache } }) => {
      const sim = h.sims[sourceId]!;
      const variables = cache.variables?.(sim, sourceId) ?? {};
      /** The cached and the uncached calls one run of the query makes for `w`, and its answer. */
      const run = async (w: TestWindow) => {
        sim.resetCounters();
        const res = await h.query(cache.query, { ...variables, w });
        expect(res.body.errors).toBeUndefined();
        return {
          cached: sim.count(cache.cached(w)),
          uncached: cache.uncached ? sim.count(cache.uncached.filter) : 0,
          data: res.body.data,
        };
      };
      const calls = cache.calls(sim);
      const uncached = cache.uncached?.calls ?? 0;
      expect(calls).toBeGreaterThan(0);

      const first = await run(CLOSED);
      expect([first.cached, first.uncached]).toEqual([calls, uncached]);
      const second = await run(CLOSED);
      expect([second.cached, second.uncached]).toEqual([0, uncached]);
      expect(second.data).toEqual(first.data);

      for (let i = 0; i < 2; i++) {
        const open = await run(OPEN);
        expect([open.cached, open.uncached]).toEqual([calls, uncached]);
      }
    },
  );
});
