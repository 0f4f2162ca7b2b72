/**
 * The ledger under the graph, over HTTP with every simulator: what a live answer fetches at the
 * ledger's bucket size is kept, and the next answer takes those buckets from the ledger with no
 * upstream call, digit for digit the live answer, at any coarser granularity and zone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/bootstrap.js';
import { createGateway, type Gateway } from '../../../src/server.js';
import { postGraphQL, type QueryAnswer } from '../../helpers/harness.js';
import { PROVIDER_MODULES } from '../../../src/providers/registry.js';

type Sims = Awaited<ReturnType<typeof import('../../../simulators/registry.js').startAllSimulators>>;

let sims: Sims;
let withLedger: Gateway;
let liveOnly: Gateway;
let ledgerUrl: string;
let liveUrl: string;

const DAY_WINDOW = { start: '2026-10-14T00:00:00Z', end: '2026-10-15T00:00:00Z' };
const upstreamCalls = (): number => sims.started.reduce((n, s) => n + s.handle.count(), 0);
const resetCounters = (): void => sims.started.forEach((s) => s.handle.resetCounters());

beforeAll(async () => {
  const { startAllSimulators } = await import('../../../simulators/registry.js');
  sims = await startAllSimulators({ precision: true });
  // No cross-request cache: a second answer without upstream calls can only come from the ledger.
  const sources = sims.config.sources.map((s) => ({ ...s, cache: { ttlSeconds: 0 } }));
  withLedger = createGateway({
    config: validateConfig({ sources, ledger: { memory: true, syncIntervalSeconds: 0 } }, 'ledger test', process.env),
    stopGracePeriodMs: 500,
  });
  liveOnly = createGateway({
    config: validateConfig({ sources, ledger: { enabled: false } }, 'live test', process.env),
    stopGracePeriodMs: 500,
  });
  [ledgerUrl, liveUrl] = await Promise.all([withLedger.listen(0, '127.0.0.1'), liveOnly.listen(0, '127.0.0.1')]);
  await withLedger.ledger.ready();
}, 60_000);

afterAll(async () => {
  await Promise.all([withLedger?.stop(), liveOnly?.stop()]);
  await sims?.close();
});

const CONSUMPTION = `query C($w: TimeWindow!, $g: Granularity, $p: Provider) {
  accounts(first: 500, provider: $p) { edges { node { id
    consumption(window: $w, granularity: $g) { start end metric quantity unit cost { amount currency } isFinal }
  } } }
}`;

async function ask(url: string, variables: Record<string, unknown>) {
  const res = await postGraphQL<QueryAnswer>(url, CONSUMPTION, variables);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!;
}

describe('read-through', () => {
  it.each(Object.values(PROVIDER_MODULES).map((m) => [m.provider, m.finestGranularity] as const))(
    'keeps what a live %s answer at its bucket size (%s) fetched, and answers it again from the ledger, identical',
    async (provider, granularity) => {
      const finest = { w: DAY_WINDOW, g: granularity, p: provider };
      resetCounters();
      const first = await ask(ledgerUrl, finest);
      const firstCalls = upstreamCalls();
      await withLedger.ledger.settled();

      resetCounters();
      const again = await ask(ledgerUrl, finest);
      const againCalls = upstreamCalls();
      expect(again).toEqual(first);
      expect(again).toEqual(await ask(liveUrl, finest));
      // Only the account listing is asked again (none for a one-account source): every bucket comes from the ledger.
      resetCounters();
      await postGraphQL(
        ledgerUrl,
        'query L($p: Provider) { accounts(first: 500, provider: $p) { edges { node { id } } } }',
        {
          p: provider,
        },
      );
      expect(againCalls).toBe(upstreamCalls());
      expect(firstCalls).toBeGreaterThan(againCalls);
    },
    60_000,
  );

  it('answers a coarser granularity in another zone from the same hours, digit for digit the live answer', async () => {
    const day = { w: DAY_WINDOW, g: 'TOTAL' };
    resetCounters();
    const fromLedger = await ask(ledgerUrl, day);
    const callsFromLedger = upstreamCalls();
    resetCounters();
    const live = await ask(liveUrl, day);
    const callsLive = upstreamCalls();
    expect(fromLedger).toEqual(live);
    expect(callsFromLedger).toBeLessThan(callsLive);
  }, 60_000);
});
