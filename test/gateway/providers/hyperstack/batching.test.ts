import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Answer } from '../../../helpers/harness.js';
import type { HyperstackVirtualMachine } from '../../../../src/generated/resolvers.js';
import { encodeId } from '../../../../src/lib/ids.js';
import { HYPERSTACK_EXAMPLE_PRICE } from '../../../../simulators/hyperstack/seed.js';
import type { HyperstackSimulator } from '../../../../simulators/hyperstack/simulator.js';
import { startFullHarness, type FullHarness } from '../../../helpers/harness.js';
import { OCT, discovered, hsDate, hsOf } from './helpers.js';

const VM_COSTS = /* GraphQL */ `
  query ($w: TimeWindow!) {
    accounts(provider: HYPERSTACK) {
      edges {
        node {
          resources(types: [VIRTUAL_MACHINE]) {
            providerId
            cost(window: $w) {
              amount
              currency
            }
          }
        }
      }
    }
  }
`;

describe('Hyperstack batching and exact decimals', () => {
  let h: FullHarness;
  let sim: HyperstackSimulator;
  beforeAll(async () => {
    h = await startFullHarness();
    sim = hsOf(h);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  it('answers cost(window) of every VM from ONE billing-history list call for that window', async () => {
    const res = await h.query(VM_COSTS, { w: OCT });
    expect(res.body.errors).toBeUndefined();
    const vms = res.body.data!.accounts.edges[0].node.resources;
    const seeded = discovered(sim, 'VIRTUAL_MACHINE');
    expect(vms.length).toBe(seeded.length);
    expect(vms.length).toBeGreaterThanOrEqual(20);
    for (const [i, vm] of vms.entries()) {
      expect(vm).toEqual({
        providerId: String(seeded[i]!.infrahubId),
        cost: [{ amount: sim.expected.incurredBill(seeded[i]!.infrahubId, OCT.start, OCT.end), currency: 'USD' }],
      });
    }
    const windowed = sim.requests.filter(
      (r) => r.route === 'get_vm_billing_history' && r.query.start_date === hsDate(OCT.start),
    );
    expect(windowed).toHaveLength(1);
    expect(windowed[0]!.query).toEqual({
      start_date: '2026-10-01T00:00:00',
      end_date: '2026-11-01T00:00:00',
      per_page: '100',
      page: '1',
    });
    // Whole query: the org history (account), the VM list for discovery, the VM list for October. No per-id calls.
    expect(sim.requests.map((r) => r.route).sort()).toEqual([
      'get_user_billing_history',
      'get_vm_billing_history',
      'get_vm_billing_history',
    ]);
  });

  it('a second window costs exactly one more list call, and cost + billing + consumption(TOTAL) share it', async () => {
    const sep = { start: '2026-09-01T00:00:00Z', end: '2026-10-01T00:00:00Z' };
    type Amounts = { amount: string }[];
    type VM = {
      oct: Amounts;
      sep: Amounts;
      consumption: { quantity: string }[];
      billing: { incurredBill: { amount: string } };
    };
    const res = await h.query<{ accounts: { edges: { node: { resources: VM[] } }[] } }>(
      /* GraphQL */ `
        query ($a: TimeWindow!, $b: TimeWindow!) {
          accounts(provider: HYPERSTACK) {
            edges {
              node {
                resources(types: [VIRTUAL_MACHINE]) {
                  oct: cost(window: $a) {
                    amount
                  }
                  sep: cost(window: $b) {
                    amount
                  }
                  consumption(window: $a) {
                    quantity
                  }
                  ... on HyperstackVirtualMachine {
                    billing(window: $a) {
                      incurredBill {
                        amount
                      }
                    }
                  }
                }
              }
            }
          }
        }
      `,
      { a: OCT, b: sep },
    );
    expect(res.body.errors).toBeUndefined();
    for (const vm of res.body.data!.accounts.edges[0].node.resources) {
      expect(vm.consumption).toEqual([{ quantity: vm.oct[0].amount }]);
      expect(vm.billing.incurredBill.amount).toBe(vm.oct[0].amount);
    }
    expect(sim.count({ route: 'get_vm_billing_history' })).toBe(3);
    expect(sim.count({ route: 'get_vm_billing_details' })).toBe(0);
  });

  it('keeps every digit: 0.015774193694443002 comes out as sent, and long sums are not rounded to a float', async () => {
    const vm = sim.data.resources[sim.data.resources.findIndex((r) => r.kind === 'VIRTUAL_MACHINE')]!;
    // An hour the VM bills in (ACTIVE or SHUTOFF) inside October.
    const seg = vm.segments.find(
      (s) =>
        s.state !== 'HIBERNATED' &&
        s.to > Date.parse(OCT.start) / 3_600_000 &&
        s.from < Date.parse(OCT.end) / 3_600_000,
    )!;
    const hour = Math.max(seg.from, Date.parse(OCT.start) / 3_600_000);
    const oneHour = {
      start: new Date(hour * 3_600_000).toISOString(),
      end: new Date((hour + 1) * 3_600_000).toISOString(),
    };
    const res = await h.query<{ resource: Answer<HyperstackVirtualMachine> }>(
      /* GraphQL */ `
        query ($id: ID!, $h: TimeWindow!, $w: TimeWindow!) {
          resource(id: $id) {
            cost(window: $h) {
              amount
            }
            ... on HyperstackVirtualMachine {
              billing(window: $w) {
                pricePerHour {
                  amount
                }
                incurredBill {
                  amount
                }
              }
            }
          }
        }
      `,
      { id: encodeId('Resource', 'hs', 'VIRTUAL_MACHINE', String(vm.infrahubId)), h: oneHour, w: OCT },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.text).toContain('"0.015774193694443002"');
    expect(res.body.data!.resource.billing.pricePerHour.amount).toBe(HYPERSTACK_EXAMPLE_PRICE);
    expect(res.body.data!.resource.cost).toEqual([{ amount: HYPERSTACK_EXAMPLE_PRICE }]);
    const month = res.body.data!.resource.billing.incurredBill.amount;
    expect(month).toBe(sim.expected.incurredBill(vm.infrahubId, OCT.start, OCT.end));
    expect(month.replace(/\D/g, '').replace(/^0+/, '').length).toBeGreaterThan(17);
    expect(String(Number(month))).not.toBe(month);
  });
});
