/**
 * Upstream calls and answers under steady load against one misbehaving source, in one process
 * (docs/resilience.md's numbers): 10 clients loop a Hyperstack-only query for `--seconds` while
 * the Hyperstack simulator answers every call 429 + Retry-After: 1 (`429`), a malformed body
 * (`garbage`), or answers in 250 ms of a 400 ms timeout while the event loop is blocked 600 ms of
 * every second (`lag`). Production resilience settings (breakerThreshold 5, the shared 429 pause on).
 *
 *   npx tsx bench/faultLoad.ts --scenario 429 --seconds 20
 */
import { parseArgs } from 'node:util';
import { startFullHarness } from '../test/helpers/harness.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: '429' },
    seconds: { type: 'string', default: '20' },
    clients: { type: 'string', default: '10' },
  },
});
const scenario = values.scenario;
if (scenario !== '429' && scenario !== 'garbage' && scenario !== 'lag')
  throw new Error(`--scenario must be 429, garbage or lag, got "${scenario}".`);
const seconds = Number(values.seconds);
const clients = Number(values.clients);

const HS_ONLY = `query ($w: TimeWindow!) { accounts(source: "hs") { errors { code } edges { node { consumption(window: $w) { quantity } } } } }`;
const WINDOW = { start: '2026-10-01T00:00:00Z', end: '2026-10-03T00:00:00Z' };

const h = await startFullHarness({
  sourceOverrides: {
    hs: {
      breakerThreshold: 5,
      maxRateLimitPauseMs: 3_600_000,
      cache: { ttlSeconds: 0 },
      ...(scenario === 'lag' ? { timeoutMs: 400 } : {}),
    },
  },
});
const sim = h.sims.hs!;
if (scenario === '429') sim.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 1 } });
if (scenario === 'garbage') sim.injectFault({ fault: { kind: 'malformed' } });
if (scenario === 'lag') sim.setLatency(250);

const end = Date.now() + seconds * 1000;
const answers = new Map<string, number>();
let notClosedSamples = 0;
// One tenant's CPU-heavy flood, simulated: the loop is blocked 600 ms of every second.
const blocker =
  scenario === 'lag'
    ? setInterval(() => {
        const until = Date.now() + 600;
        while (Date.now() < until);
      }, 1000)
    : undefined;
// Sampled every 100 ms, but the blocks delay the sampler too: a lower bound of the time not closed.
const sampler = setInterval(() => {
  if (h.gateway.sources.get('hs')!.runtime.resilience().breaker !== 'closed') notClosedSamples++;
}, 100);
await Promise.all(
  Array.from({ length: clients }, async () => {
    while (Date.now() < end) {
      const res = await h.query(HS_ONLY, { w: WINDOW });
      const errors = (res.body.data?.accounts.errors ?? []) as { code: string }[];
      const key = errors.length === 0 ? 'data' : errors.map((e) => e.code).join(',');
      answers.set(key, (answers.get(key) ?? 0) + 1);
    }
  }),
);
clearInterval(blocker);
clearInterval(sampler);
console.log(
  JSON.stringify({
    scenario,
    seconds,
    clients,
    upstreamCalls: sim.count(),
    answers: Object.fromEntries(answers),
    breakerNotClosedMsAtLeast: notClosedSamples * 100,
  }),
);
await h.close();
