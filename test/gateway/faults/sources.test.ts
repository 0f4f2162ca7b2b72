/**
 * Every source × every way a source can misbehave, over HTTP through the real gateway: the
 * answer arrives within the request deadline, the faulted source's fields carry the right
 * code, every other source's data is exactly what it is without faults, nothing secret leaks,
 * and the source's sockets go back to its idle keep-alive pool.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../../simulators/kit.js';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';
import {
  EVERY_SOURCE,
  expectNoSecrets,
  expectSocketsSettled,
  FAULT_LIMITS,
  FAULT_SOURCE,
  HEALTHY_SOURCE,
  MARGIN_MS,
  outcomeOf,
  SOURCE_IDS,
  WINDOW,
} from './helpers.js';

interface Case {
  name: string;
  fault: Fault;
  times?: number;
  code: string;
}

const CASES: Case[] = [
  {
    name: 'a 503 burst longer than the retries',
    fault: { kind: 'status', status: 503 },
    times: 50,
    code: 'UPSTREAM_UNAVAILABLE',
  },
  {
    name: 'a 429 with Retry-After: 1 on every call',
    fault: { kind: 'rateLimit', retryAfterSeconds: 1 },
    code: 'UPSTREAM_RATE_LIMITED',
  },
  { name: 'a connection reset before any answer', fault: { kind: 'reset' }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: 'a hang (no answer at all)', fault: { kind: 'timeout' }, code: 'UPSTREAM_TIMEOUT' },
  {
    name: 'a slow drip (headers, then 2 bytes every 100 ms)',
    fault: { kind: 'slowDrip', chunkBytes: 2, intervalMs: 100 },
    code: 'UPSTREAM_TIMEOUT',
  },
  { name: 'a malformed JSON body', fault: { kind: 'malformed' }, code: 'UPSTREAM_BAD_RESPONSE' },
  {
    name: 'a truncated body (Content-Length larger than the bytes sent)',
    fault: { kind: 'truncated' },
    code: 'UPSTREAM_UNAVAILABLE',
  },
  { name: 'a 10 MB body', fault: { kind: 'hugeBody' }, code: 'UPSTREAM_BAD_RESPONSE' },
  { name: 'an empty object {}', fault: { kind: 'status', status: 200, body: {} }, code: 'UPSTREAM_BAD_RESPONSE' },
];

/** Every source's account nodes without any fault, read once through a gateway where every source is healthy. */
const baseline = new Map<string, unknown[]>();

beforeAll(async () => {
  const healthy = await startFullHarness({
    limits: FAULT_LIMITS,
    sourceOverrides: Object.fromEntries(SOURCE_IDS.map((s) => [s, HEALTHY_SOURCE])),
  });
  try {
    const res = await healthy.query(EVERY_SOURCE, { w: WINDOW });
    expect(res.body.errors).toBeUndefined();
    for (const s of SOURCE_IDS) {
      const { codes, nodes } = outcomeOf(res, s);
      expect(codes).toEqual([]);
      expect(nodes.length).toBeGreaterThan(0);
      baseline.set(s, nodes);
    }
  } finally {
    await healthy.close();
  }
});

describe.each(SOURCE_IDS)('source %s misbehaving', (id) => {
  let h: FullHarness;
  beforeAll(async () => {
    // Only the faulted source gets the short attempt timeout.
    h = await startFullHarness({
      limits: FAULT_LIMITS,
      sourceOverrides: Object.fromEntries(SOURCE_IDS.map((s) => [s, s === id ? FAULT_SOURCE : HEALTHY_SOURCE])),
    });
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  it.each(CASES)(
    'answers $name with $code within the deadline, the other sources intact',
    async ({ fault, times, code }) => {
      h.sims[id]!.injectFault({ fault, ...(times !== undefined ? { times } : {}) });
      const started = Date.now();
      const res = await h.query(EVERY_SOURCE, { w: WINDOW });
      const elapsed = Date.now() - started;

      expect(res.status).toBe(200);
      expect(elapsed).toBeLessThan(FAULT_LIMITS.requestTimeoutMs + MARGIN_MS);
      const mine = outcomeOf(res, id);
      expect(mine.codes.length).toBeGreaterThan(0);
      expect(new Set(mine.codes)).toEqual(new Set([code]));
      for (const other of SOURCE_IDS.filter((o) => o !== id)) {
        const theirs = outcomeOf(res, other);
        expect(theirs.codes, `source ${other}`).toEqual([]);
        expect(theirs.nodes, `source ${other}`).toEqual(baseline.get(other));
      }
      expect(h.sims[id]!.count()).toBeGreaterThan(0);
      expectNoSecrets(h, res.text);
      h.sims[id]!.clearFaults();
      await expectSocketsSettled(h, id);
    },
  );
});
