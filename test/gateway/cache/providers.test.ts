/**
 * Every provider's loaders consult the cross-request cache: a final window's usage/cost calls
 * are made once across requests, an open window's every time (counted by the simulators).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeId } from '../../../src/lib/ids.js';
import { KILLBILL_ROUTES, type KillbillSimulator } from '../../../simulators/killbill/simulator.js';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';

const NOW = Date.parse('2026-10-15T12:00:00Z');
const CLOSED = { start: '2026-09-01T00:00:00Z', end: '2026-10-01T00:00:00Z' };
const OPEN = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

const CONSUMPTION = (provider: string) =>
  /* GraphQL */ `query($w: TimeWindow!) { accounts(provider: ${provider}) { edges { node { consumption(window: $w) { metric quantity isFinal } } } } }`;
const HS_COST = /* GraphQL */ `
  query ($w: TimeWindow!) {
    accounts(provider: HYPERSTACK) {
      edges {
        node {
          resources(types: [VIRTUAL_MACHINE]) {
            cost(window: $w) {
              amount
            }
          }
        }
      }
    }
  }
`;

describe('cross-request cache per provider', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness({ now: () => NOW });
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  /** Calls to `route` of simulator `sim` made by one query. */
  async function calls(
    sim: string,
    route: string,
    query: string,
    w: Record<string, string>,
  ): Promise<{ n: number; data: unknown }> {
    h.sims[sim]!.resetCounters();
    const res = await h.query(query, { w });
    expect(res.body.errors).toBeUndefined();
    return { n: h.sims[sim]!.count({ route }), data: res.body.data };
  }

  it.each([
    ['Civitai', 'civitai', 'consumer/consumption', 'CIVITAI'],
    ['TheirStack', 'theirstack', 'teams/credits_consumption', 'THEIRSTACK'],
  ])(
    '%s: a closed month is asked once across requests, the open one every time',
    async (_name, sim, route, provider) => {
      const first = await calls(sim, route, CONSUMPTION(provider), CLOSED);
      expect(first.n).toBe(1);
      const second = await calls(sim, route, CONSUMPTION(provider), CLOSED);
      expect(second.n).toBe(0);
      expect(second.data).toEqual(first.data);
      expect((await calls(sim, route, CONSUMPTION(provider), OPEN)).n).toBe(1);
      expect((await calls(sim, route, CONSUMPTION(provider), OPEN)).n).toBe(1);
    },
  );

  it('Hyperstack: the windowed list walk of a closed month is cached; discovery (this month so far) is not', async () => {
    const sim = h.sims.hs!;
    const windowed = () =>
      sim.requests.filter((r) => r.route === 'get_vm_billing_history' && r.query.start_date === '2026-09-01T00:00:00')
        .length;
    const discovery = () =>
      sim.requests.filter((r) => r.route === 'get_vm_billing_history' && r.query.start_date === undefined).length;
    sim.resetCounters();
    const first = await h.query(HS_COST, { w: CLOSED });
    expect(first.body.errors).toBeUndefined();
    expect([windowed(), discovery()]).toEqual([1, 1]);
    sim.resetCounters();
    const second = await h.query(HS_COST, { w: CLOSED });
    expect(second.body.data).toEqual(first.body.data);
    expect([windowed(), discovery()]).toEqual([0, 1]);
  });

  it('Kill Bill: usage of a closed month is asked once across requests, of the open month every time', async () => {
    const kb = h.sims.kb as KillbillSimulator;
    const id = encodeId('Subscription', 'kb', kb.data.subscriptions[0]!.subscriptionId);
    const query = /* GraphQL */ `
      query ($id: ID!, $w: TimeWindow!) {
        subscription(id: $id) {
          usage(window: $w) {
            metric
            quantity
          }
        }
      }
    `;
    const usageCalls = async (w: Record<string, string>) => {
      kb.resetCounters();
      const res = await h.query(query, { id, w });
      expect(res.body.errors).toBeUndefined();
      return kb.count({ route: KILLBILL_ROUTES.usage });
    };
    expect(await usageCalls(CLOSED)).toBe(1);
    expect(await usageCalls(CLOSED)).toBe(0);
    expect(await usageCalls(OPEN)).toBe(1);
    expect(await usageCalls(OPEN)).toBe(1);
  });
});
