/**
 * The per-source circuit breaker, over HTTP: it opens on a dead source, then answers without
 * calling it (exact counts from the simulator), /readyz reports it, and after halfOpenAfter one
 * probe decides: a success closes it, a failure opens it again.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';
import { EVERY_SOURCE, HS_ONLY, outcomeOf, SOURCE_IDS, WINDOW } from './helpers.js';

// Long enough that a few refused queries on a loaded machine all fall inside the open window.
const HALF_OPEN_AFTER_MS = 3000;

interface Readiness {
  status: string;
  sources: { id: string; ready: boolean; breaker: string; code?: string; retryAt?: string }[];
}

let h: FullHarness;
let readyz: string;
/** Upstream calls one fault-free HS_ONLY query makes. */
let healthyCalls = 0;

const readiness = async (): Promise<{ status: number; body: Readiness }> => {
  const res = await fetch(readyz);
  return { status: res.status, body: (await res.json()) as Readiness };
};
const hsEntry = async () => (await readiness()).body.sources.find((s) => s.id === 'hs')!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  h = await startFullHarness({
    limits: { requestTimeoutMs: 6000 },
    // Hyperstack's timeout is short enough for hung calls to be quick and long enough for its
    // probe to succeed on a loaded machine; the other sources only need to stay ready.
    sourceOverrides: Object.fromEntries(
      // Every HS_ONLY query must reach the breaker: Hyperstack's cross-request cache is off.
      SOURCE_IDS.map((id) => [
        id,
        id === 'hs'
          ? {
              timeoutMs: 1500,
              breakerThreshold: 3,
              breakerHalfOpenAfterMs: HALF_OPEN_AFTER_MS,
              cache: { ttlSeconds: 0 },
            }
          : { timeoutMs: 5000 },
      ]),
    ),
  });
  readyz = h.url.replace(/\/graphql$/, '/readyz');
  h.sims.hs!.resetCounters();
  expect((await h.query(HS_ONLY, { w: WINDOW })).body.data!.accounts.errors).toEqual([]);
  healthyCalls = h.sims.hs!.count();
  expect(healthyCalls).toBeGreaterThan(0);
});
afterAll(async () => h?.close());
beforeEach(async () => {
  h.resetAll();
  // Every test starts from a closed breaker: wait out any open one and close it with a success.
  await expect
    .poll(async () => (await h.query(HS_ONLY, { w: WINDOW })).body.data!.accounts.errors.length, {
      timeout: 10_000,
      interval: 100,
    })
    .toBe(0);
  h.sims.hs!.resetCounters();
});

describe('the circuit breaker of a source', () => {
  it('opens after breakerThreshold consecutive failures, then answers UPSTREAM_UNAVAILABLE without calling the source', async () => {
    const hs = h.sims.hs!;
    hs.injectFault({ fault: { kind: 'status', status: 503 } });
    // The first listing call is tried retryAttempts (3) times: three consecutive failures open the breaker.
    const first = await h.query(HS_ONLY, { w: WINDOW });
    expect(first.body.data!.accounts.errors.map((e: { code: string }) => e.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(hs.count()).toBe(3);
    expect((await hsEntry()).breaker).toBe('open');

    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const res = await h.query(HS_ONLY, { w: WINDOW });
      expect(Date.now() - started).toBeLessThan(HALF_OPEN_AFTER_MS);
      const [error] = res.body.data!.accounts.errors;
      expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(error.message).toMatch(
        /^Hyperstack source "hs" was not called for "[a-z_]+": its circuit breaker opened after repeated failures \(last: HTTP 503, UPSTREAM_UNAVAILABLE\) and retries at \d{4}-\d\d-\d\dT[\d:.]+Z \(in \d+ s\)\.$/,
      );
    }
    // Five more requests, zero more calls.
    expect(hs.count()).toBe(3);
  });

  it('makes an open breaker not ready in /readyz without calling the source, and the other sources stay ready', async () => {
    const hs = h.sims.hs!;
    hs.injectFault({ fault: { kind: 'timeout' } });
    await h.query(HS_ONLY, { w: WINDOW });
    // Timeouts are not retried: three requests, three hung calls, and the breaker opens.
    await h.query(HS_ONLY, { w: WINDOW });
    await h.query(HS_ONLY, { w: WINDOW });
    expect(hs.count()).toBe(3);
    const { status, body } = await readiness();
    expect(status).toBe(503);
    const entry = body.sources.find((s) => s.id === 'hs')!;
    expect(entry).toMatchObject({ ready: false, breaker: 'open', code: 'UPSTREAM_UNAVAILABLE' });
    expect(Date.parse(entry.retryAt!)).toBeGreaterThan(Date.now());
    expect(hs.count()).toBe(3);
    for (const other of body.sources.filter((s) => s.id !== 'hs'))
      expect(other).toMatchObject({ ready: true, breaker: 'closed' });
  });

  it('lets one probe through after halfOpenAfter: a success closes the breaker and answers as before', async () => {
    const hs = h.sims.hs!;
    hs.injectFault({ fault: { kind: 'status', status: 503 } });
    await h.query(HS_ONLY, { w: WINDOW });
    expect((await hsEntry()).breaker).toBe('open');
    hs.clearFaults();
    hs.resetCounters();
    // Still open before halfOpenAfter: no call.
    await h.query(HS_ONLY, { w: WINDOW });
    expect(hs.count()).toBe(0);
    await sleep(HALF_OPEN_AFTER_MS + 100);
    const res = await h.query(HS_ONLY, { w: WINDOW });
    expect(res.body.data!.accounts.errors).toEqual([]);
    expect(hs.count()).toBe(healthyCalls);
    expect(await hsEntry()).toMatchObject({ ready: true, breaker: 'closed' });
  });

  it('opens again when the probe fails, after exactly one call', async () => {
    const hs = h.sims.hs!;
    hs.injectFault({ fault: { kind: 'status', status: 503 } });
    await h.query(HS_ONLY, { w: WINDOW });
    hs.resetCounters();
    await sleep(HALF_OPEN_AFTER_MS + 100);
    const res = await h.query(HS_ONLY, { w: WINDOW });
    expect(res.body.data!.accounts.errors.map((e: { code: string }) => e.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    // The probe failed with a 503; its retry found the breaker open again.
    expect(hs.count()).toBe(1);
    expect((await hsEntry()).breaker).toBe('open');
  });

  it('is not opened by answers that say nothing about availability (401, 404)', async () => {
    const hs = h.sims.hs!;
    for (const status of [401, 404]) {
      hs.injectFault({ fault: { kind: 'status', status } });
      for (let i = 0; i < 4; i++) await h.query(HS_ONLY, { w: WINDOW });
      hs.clearFaults();
    }
    // Eight failed requests, each called once (4xx are not retried), and the breaker never opened.
    expect(hs.count()).toBe(8);
    expect((await hsEntry()).breaker).toBe('closed');
    const res = await h.query(EVERY_SOURCE, { w: WINDOW });
    expect(outcomeOf(res, 'hs').codes).toEqual([]);
  });
});

describe('a timeout cut short by the request deadline', () => {
  it('does not count against the source’s breaker: one caller running out of time cannot open it for everyone', async () => {
    const { startHarness } = await import('../../helpers/harness.js');
    const g = await startHarness({
      limits: { requestTimeoutMs: 400 },
      g8Source: { timeoutMs: 5000, breakerThreshold: 2 },
    });
    try {
      g.g8.setLatency(1000);
      for (let i = 0; i < 4; i++) {
        const res = await g.query('{ accounts { totalCount errors { code } } }');
        expect(res.body.data!.accounts.errors.map((e: { code: string }) => e.code)).toEqual(['UPSTREAM_TIMEOUT']);
      }
      g.g8.setLatency(0);
      const after = await g.query('{ accounts { totalCount errors { code } } }');
      expect(after.body.data!.accounts.errors).toEqual([]);
      expect(after.body.data!.accounts.totalCount).toBeGreaterThan(0);
    } finally {
      await g.close();
    }
  });
});
