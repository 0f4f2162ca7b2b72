import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HyperstackVirtualMachine } from '../../../../src/generated/resolvers.js';
import type { Answer } from '../../../helpers/harness.js';
import { sumDecimals } from '../../../../src/lib/decimal.js';
import { encodeId } from '../../../../src/lib/ids.js';
import { HYPERSTACK_MAX_IN_FLIGHT } from '../../../../src/providers/hyperstack/index.js';
import { Bulkhead } from '../../../../src/providers/resilience.js';
import { MAX_LIST_PAGES } from '../../../../src/providers/hyperstack/loaders.js';
import type { HyperstackSimulator } from '../../../../simulators/hyperstack/simulator.js';
import { startFullHarness, type FullHarness } from '../../../helpers/harness.js';
import { OCT, daily, discovered, hsOf } from './helpers.js';

const CONSUMPTION = /* GraphQL */ `
  query ($id: ID!, $w: TimeWindow!, $g: Granularity!) {
    resource(id: $id) {
      ... on HyperstackVirtualMachine {
        consumption(window: $w, granularity: $g) {
          start
          end
          quantity
        }
        subResourceConsumption(window: $w, granularity: $g) {
          start
          end
          metric
          quantity
        }
      }
    }
  }
`;
const CONSUMPTION_ONLY = /* GraphQL */ `
  query ($id: ID!, $w: TimeWindow!, $g: Granularity!) {
    resource(id: $id) {
      ... on HyperstackVirtualMachine {
        consumption(window: $w, granularity: $g) {
          start
          end
          quantity
        }
      }
    }
  }
`;

describe('the Hyperstack api', () => {
  let h: FullHarness;
  let sim: HyperstackSimulator;
  let vmInfrahubId: number;
  let vmId: string;
  beforeAll(async () => {
    h = await startFullHarness();
    sim = hsOf(h);
    vmInfrahubId = discovered(sim, 'VIRTUAL_MACHINE')[0]!.infrahubId;
    vmId = encodeId('Resource', 'hs', 'VIRTUAL_MACHINE', String(vmInfrahubId));
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());
  afterEach(() => sim.setQuirks({}));

  /** The simulator's hourly points summed over each returned bucket [start, end). */
  const hourlyIn = (start: string, end: string, w: { start: string; end: string }): string => {
    const [s, e] = [Date.parse(start), Date.parse(end)];
    return sumDecimals(
      sim.expected
        .hourly(vmInfrahubId, w.start, w.end)
        .filter(([at]) => s <= Date.parse(at) && Date.parse(at) < e)
        .map(([, v]) => v),
    );
  };

  describe('graph granularity', () => {
    it('the simulator can answer a daily graph (granularity 86400, points at UTC midnight)', async () => {
      sim.setQuirks({ graphGranularity: 86400 });
      const r = await fetch(
        `${sim.baseUrl}/billing/billing/history/virtual-machine/${vmInfrahubId}/graph?start_date=2026-10-01T00:00:00&end_date=2026-10-03T00:00:00`,
        { headers: { api_key: 'hs-sim-key' } },
      );
      const text = await r.text();
      expect(text).toContain('"granularity":86400');
      expect([...text.matchAll(/"datetime":"([^"]+)"/g)].map((m) => m[1])).toEqual([
        '2026-10-01T00:00:00Z',
        '2026-10-02T00:00:00Z',
      ]);
    });

    it('a daily graph asked for HOUR buckets is BAD_USER_INPUT naming DAY in UTC; nothing is split', async () => {
      sim.setQuirks({ graphGranularity: 86400 });
      const w = { start: '2026-10-01T00:00:00Z', end: '2026-10-03T00:00:00Z' };
      const res = await h.query(CONSUMPTION_ONLY, { id: vmId, w, g: 'HOUR' });
      expect(res.body.data!.resource.consumption).toBeNull();
      expect(res.body.errors).toHaveLength(1);
      const error = res.body.errors![0]!;
      expect(error.path).toEqual(['resource', 'consumption']);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'granularity' });
      expect(error.message).toMatch(/86400-second graph points/);
      expect(error.message).toMatch(/DAY\/WEEK\/MONTH\/TOTAL with timeZone "UTC"/);
      expect(sim.count({ route: 'get_vm_billing_graph' })).toBe(1);
    });

    it('a daily graph asked for DAY buckets in UTC is exact, also from a window starting mid-day', async () => {
      sim.setQuirks({ graphGranularity: 86400 });
      const res = await h.query(CONSUMPTION_ONLY, { id: vmId, w: OCT, g: 'DAY' });
      expect(res.body.errors).toBeUndefined();
      const days = daily(sim.expected.hourly(vmInfrahubId, OCT.start, OCT.end));
      expect(res.body.data!.resource.consumption).toHaveLength(31);
      for (const p of res.body.data!.resource.consumption)
        expect(sumDecimals([p.quantity])).toBe(days.get(p.start) ?? '0');

      // The first day's point covers only the hours inside the window asked, so it fits the partial first bucket.
      const mid = { start: '2026-10-01T05:00:00Z', end: '2026-10-03T00:00:00Z' };
      const part = await h.query(CONSUMPTION_ONLY, { id: vmId, w: mid, g: 'DAY' });
      expect(part.body.errors).toBeUndefined();
      expect(part.body.data!.resource.consumption.map((p) => [p.start, p.end])).toEqual([
        ['2026-10-01T05:00:00Z', '2026-10-02T00:00:00Z'],
        ['2026-10-02T00:00:00Z', '2026-10-03T00:00:00Z'],
      ]);
      for (const p of part.body.data!.resource.consumption)
        expect(sumDecimals([p.quantity])).toBe(hourlyIn(p.start, p.end, mid));
    });

    it('daily and hourly graphs give the same DAY series in UTC, sub-resources included', async () => {
      const w = { start: '2026-10-05T00:00:00Z', end: '2026-10-12T00:00:00Z' };
      const hourly = await h.query<{ resource: Answer<HyperstackVirtualMachine> }>(CONSUMPTION, {
        id: vmId,
        w,
        g: 'DAY',
      });
      sim.setQuirks({ graphGranularity: 86400 });
      const dailyRes = await h.query<{ resource: Answer<HyperstackVirtualMachine> }>(CONSUMPTION, {
        id: vmId,
        w,
        g: 'DAY',
      });
      expect(hourly.body.errors).toBeUndefined();
      expect(dailyRes.body.errors).toBeUndefined();
      expect(dailyRes.body.data).toEqual(hourly.body.data);
      expect(dailyRes.body.data!.resource.subResourceConsumption).toHaveLength(6 * 7);
    });

    it('a daily graph asked for DAY buckets in Europe/Madrid is BAD_USER_INPUT suggesting UTC', async () => {
      sim.setQuirks({ graphGranularity: 86400 });
      const w = { start: '2026-10-20T22:00:00Z', end: '2026-10-23T22:00:00Z', timeZone: 'Europe/Madrid' };
      const res = await h.query(CONSUMPTION_ONLY, { id: vmId, w, g: 'DAY' });
      expect(res.body.data!.resource.consumption).toBeNull();
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors![0]!.message).toMatch(/DAY in time zone Europe\/Madrid/);
      expect(res.body.errors![0]!.message).toMatch(/timeZone "UTC"/);
    });

    it('an hourly graph asked for DAY buckets in Europe/Madrid sums exact local days (the 25-hour DST day too)', async () => {
      // 21–27 Oct 2026 in Madrid; summer time ends on the 25th.
      const w = { start: '2026-10-20T22:00:00Z', end: '2026-10-27T23:00:00Z', timeZone: 'Europe/Madrid' };
      const res = await h.query(CONSUMPTION_ONLY, { id: vmId, w, g: 'DAY' });
      expect(res.body.errors).toBeUndefined();
      const points = res.body.data!.resource.consumption;
      expect(points.map((p) => p.start)).toEqual([
        '2026-10-20T22:00:00Z',
        '2026-10-21T22:00:00Z',
        '2026-10-22T22:00:00Z',
        '2026-10-23T22:00:00Z',
        '2026-10-24T22:00:00Z',
        '2026-10-25T23:00:00Z',
        '2026-10-26T23:00:00Z',
      ]);
      for (const p of points) expect(sumDecimals([p.quantity])).toBe(hourlyIn(p.start, p.end, w));
      expect(sumDecimals(points.map((p) => p.quantity))).toBe(
        sumDecimals([sim.expected.incurredBill(vmInfrahubId, w.start, w.end)]),
      );
    });
  });

  describe('resource kinds from forged ids', () => {
    it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
      'kind "%s" is null with no upstream call',
      async (kind) => {
        const res = await h.query(
          /* GraphQL */ `
            query ($id: ID!) {
              node(id: $id) {
                id
              }
            }
          `,
          { id: encodeId('Resource', 'hs', kind, '1') },
        );
        expect(res.body.data!.node).toBeNull();
        for (const e of res.body.errors ?? []) expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(e.extensions?.code);
        expect(sim.requests.filter((r) => /undefined/.test(r.path))).toEqual([]);
        expect(sim.requests).toHaveLength(0);
      },
    );
  });

  describe('list page walk', () => {
    it(`a list claiming more than ${MAX_LIST_PAGES} pages is UPSTREAM_BAD_RESPONSE after one call`, async () => {
      sim.setQuirks({ listPages: 1_000_000 });
      const res = await h.query(/* GraphQL */ `
        {
          accounts(provider: HYPERSTACK) {
            edges {
              node {
                resources(types: [VIRTUAL_MACHINE]) {
                  id
                }
              }
            }
          }
        }
      `);
      expect(res.body.data!.accounts.edges[0].node.resources).toBeNull();
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_BAD_RESPONSE']);
      expect(res.body.errors![0]!.message).toMatch(/pagination\.pages 1000000: the list is larger than the 100 pages/);
      expect(sim.count({ route: 'get_vm_billing_history' })).toBe(1);
    });

    it(`exactly ${MAX_LIST_PAGES} pages are still walked`, async () => {
      sim.setQuirks({ listPages: MAX_LIST_PAGES });
      const res = await h.query(/* GraphQL */ `
        {
          accounts(provider: HYPERSTACK) {
            edges {
              node {
                resources(types: [VIRTUAL_MACHINE]) {
                  providerId
                }
              }
            }
          }
        }
      `);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.accounts.edges[0].node.resources.map((r) => r.providerId)).toContain(String(vmInfrahubId));
      expect(sim.count({ route: 'get_vm_billing_history' })).toBe(MAX_LIST_PAGES);
    });
  });
});

describe('Hyperstack in-flight limit (the shared bulkhead, 8 by default for Hyperstack)', () => {
  it('hands a freed slot to the oldest waiter, so a newcomer cannot push past 8 in flight', async () => {
    const bulkhead = new Bulkhead(HYPERSTACK_MAX_IN_FLIGHT, 100);
    const never = () => new Error('unexpected');
    const limited = async <T>(run: () => Promise<T>): Promise<T> => {
      await bulkhead.acquire(Number.POSITIVE_INFINITY, never, never);
      try {
        return await run();
      } finally {
        bulkhead.release();
      }
    };
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    // run() hands back a plain pending promise, so a release resumes the limiter in one microtask.
    const task = () =>
      limited(() => {
        running++;
        peak = Math.max(peak, running);
        return new Promise<void>((resolve) =>
          gates.push(() => {
            running--;
            resolve();
          }),
        );
      });
    const all = Array.from({ length: 9 }, task); // 8 run, 1 waits
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toBe(8);
    // Free one slot and, in the same turn, queue a newcomer: its microtask runs between the
    // release and the waiter's wake-up, which is where a naive limiter lets it in as a 9th.
    gates.shift()!();
    const late = Promise.resolve().then(task);
    await new Promise((resolve) => setImmediate(resolve));
    expect(peak).toBe(8);
    while (gates.length) {
      gates.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([...all, late]);
    expect(peak).toBe(8);
  });
});
