/**
 * What a SourceError says beyond its code, over HTTP: when billgraph refuses to call a source
 * whose circuit breaker is open, the entry names the upstream failure that opened it (causeCode,
 * upstreamStatus) and when the source is called again (retryAt), and the top-level error of the
 * partial answer carries the same keys. The upstream's own failure has no cause of its own.
 * Each case gets its own gateway, so each starts from a closed breaker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';
import { WINDOW } from './helpers.js';

const HALF_OPEN_AFTER_MS = 60_000;

/** Hyperstack's accounts listing with every field of its SourceError. */
const HS_ERRORS = /* GraphQL */ `
  query ($w: TimeWindow!) {
    accounts(source: "hs") {
      errors {
        source {
          id
        }
        code
        message
        retryable
        upstreamStatus
        causeCode
        retryAt
      }
      edges {
        node {
          consumption(window: $w) {
            quantity
          }
        }
      }
    }
  }
`;

interface SourceErrorAnswer {
  source: { id: string };
  code: string;
  message: string;
  retryable: boolean;
  upstreamStatus: number | null;
  causeCode: string | null;
  retryAt: string | null;
}

let h: FullHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A gateway whose Hyperstack source opens its breaker after `threshold` failures; its cache is off so every query reaches it. */
async function start(threshold: number, retryAttempts = 3): Promise<FullHarness> {
  h = await startFullHarness({
    sourceOverrides: {
      hs: {
        timeoutMs: 400,
        retryAttempts,
        breakerThreshold: threshold,
        breakerHalfOpenAfterMs: HALF_OPEN_AFTER_MS,
        cache: { ttlSeconds: 0 },
      },
    },
  });
  return h;
}

/** One query's Hyperstack SourceError and the top-level error of the same failure. */
async function hsFailure(harness: FullHarness) {
  const res = await harness.query<{ accounts: { errors: SourceErrorAnswer[] } }>(HS_ERRORS, { w: WINDOW });
  const errors = res.body.data!.accounts.errors;
  expect(errors).toHaveLength(1);
  const topLevel = (res.body.errors ?? []).filter((e) => e.extensions?.source === 'hs');
  expect(topLevel).toHaveLength(1);
  return { entry: errors[0]!, extensions: topLevel[0]!.extensions! };
}

/** The three new fields of an entry, as the top-level error's extensions must repeat them. */
const causeOf = (e: Pick<SourceErrorAnswer, 'upstreamStatus' | 'causeCode' | 'retryAt'>) => ({
  upstreamStatus: e.upstreamStatus,
  causeCode: e.causeCode,
  retryAt: e.retryAt,
});

describe('a SourceError’s cause and retry time', () => {
  it('names the 503s that opened the breaker and when it probes again, in the entry and the top-level error', async () => {
    const harness = await start(3);
    const hs = harness.sims.hs!;
    hs.injectFault({ fault: { kind: 'status', status: 503 } });
    // The listing is tried three times (retryAttempts): three 503s open the breaker.
    await hsFailure(harness);
    expect(harness.gateway.sources.get('hs')!.runtime.resilience().breaker).toBe('open');
    const calls = hs.count();
    const before = Date.now();
    const { entry, extensions } = await hsFailure(harness);
    expect(hs.count()).toBe(calls);
    expect(entry).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      causeCode: 'UPSTREAM_UNAVAILABLE',
      upstreamStatus: 503,
      retryable: true,
    });
    const retryAt = Date.parse(entry.retryAt!);
    expect(retryAt).toBeGreaterThan(before);
    expect(retryAt).toBeLessThanOrEqual(before + HALF_OPEN_AFTER_MS);
    expect(retryAt).toBe(harness.gateway.sources.get('hs')!.runtime.resilience().retryAt);
    expect(entry.message).toMatch(
      /^Hyperstack source "hs" was not called for "[a-z_]+": its circuit breaker opened after repeated failures \(last: HTTP 503, UPSTREAM_UNAVAILABLE\) and retries at \S+Z \(in \d+ s\)\.$/,
    );
    expect(extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', partial: true, ...causeOf(entry) });
  });

  it('names a timeout as the cause with no status: the upstream never answered', async () => {
    const harness = await start(2);
    harness.sims.hs!.injectFault({ fault: { kind: 'timeout' } });
    // Timeouts are not retried: one hung call per query, two open the breaker.
    await hsFailure(harness);
    await hsFailure(harness);
    const { entry, extensions } = await hsFailure(harness);
    expect(entry).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', causeCode: 'UPSTREAM_TIMEOUT', upstreamStatus: null });
    expect(entry.retryAt).not.toBeNull();
    expect(entry.message).toContain('(last: UPSTREAM_TIMEOUT)');
    expect(extensions).toMatchObject(causeOf(entry));
  });

  it('gives the upstream’s own 503, its breaker closed, its status and neither a cause nor a retry time', async () => {
    const harness = await start(1000);
    harness.sims.hs!.injectFault({ fault: { kind: 'status', status: 503 } });
    const { entry, extensions } = await hsFailure(harness);
    expect(entry).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503, causeCode: null, retryAt: null });
    expect(entry.message).toMatch(/\(HTTP 503\)\.$/);
    expect(extensions).toMatchObject({ upstreamStatus: 503, causeCode: null, retryAt: null });
  });
});
