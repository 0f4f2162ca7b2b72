/**
 * Tenants queue apart at each source (the bulkhead's fair queue): one tenant's call-heavy query
 * fills the g8 queue, and another tenant's one-call query is served after at most one of the
 * first tenant's calls, not after its whole backlog. Counted with the simulator's counters, so
 * nothing here depends on the machine's speed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySha256 } from '../../../src/security/tenantAuth.js';
import { postGraphQL, startHarness, type Harness } from '../../helpers/harness.js';

const NOISY_KEY = 'noisy-tenant-key-0123456789';
const QUIET_KEY = 'quiet-tenant-key-9876543210';
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** 4 accounts × 30 days: 120 billing/calculate calls after the account list. */
const HEAVY = /* GraphQL */ `
  query Heavy($w: TimeWindow!) {
    accounts(first: 50) {
      edges {
        node {
          name
          consumption(window: $w, granularity: DAY) {
            quantity
          }
        }
      }
    }
  }
`;
const MONTH = { start: '2026-09-01T00:00:00Z', end: '2026-10-01T00:00:00Z' };
/** One accounts/list call. */
const LIGHT = '{ accounts(first: 1) { edges { node { name } } } }';

describe('two tenants behind one source with a single in-flight slot', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      g8Source: { maxInFlight: 1, timeoutMs: 5000 },
      limits: { requestTimeoutMs: 60_000 },
      config: {
        tenants: [
          { name: 'noisy', keySha256: keySha256(NOISY_KEY), sources: ['g8'] },
          { name: 'quiet', keySha256: keySha256(QUIET_KEY), sources: ['g8'] },
        ],
      },
    });
  });
  afterAll(async () => h?.close());

  const queued = () => h.gateway.sources.get('g8')!.runtime.resilience().queued;

  it("serves the quiet tenant's call after at most one of the noisy tenant's queued calls", async () => {
    h.g8.resetCounters();
    h.g8.setLatency(20);
    const heavy = postGraphQL(h.url, HEAVY, { w: MONTH }, bearer(NOISY_KEY));
    while (queued() < 50) await new Promise((resolve) => setTimeout(resolve, 5));
    const before = h.g8.count();
    const light = await postGraphQL(h.url, LIGHT, undefined, bearer(QUIET_KEY));
    const during = h.g8.count() - before;
    const stillQueued = queued();
    expect(light.status).toBe(200);
    expect(light.body.errors).toBeUndefined();
    // The call in flight when it queued, one of the noisy tenant's, then its own (FIFO: 50 or more).
    expect(during).toBeLessThanOrEqual(3);
    expect(stillQueued).toBeGreaterThanOrEqual(40);
    const answer = await heavy;
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(h.g8.count({ route: 'billing/calculate' })).toBe(120);
    h.g8.setLatency(0);
  });
});
