import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HyperstackVirtualMachine } from '../../../../src/generated/resolvers.js';
import type { Answer, QueryAnswer } from '../../../helpers/harness.js';
import { encodeId } from '../../../../src/lib/ids.js';
import type { HyperstackSimulator } from '../../../../simulators/hyperstack/simulator.js';
import { startFullHarness, type FullHarness } from '../../../helpers/harness.js';
import { OCT, discovered, hsOf } from './helpers.js';

const DETAILS = /* GraphQL */ `
  query ($id: ID!, $w: TimeWindow!) {
    g8: accounts(provider: OPENVCLOUD) {
      totalCount
      edges {
        node {
          providerId
        }
      }
    }
    vm: resource(id: $id) {
      id
      ... on HyperstackVirtualMachine {
        billing(window: $w) {
          incurredBill {
            amount
          }
        }
        billingDetails(window: $w) {
          incurredBill {
            amount
          }
        }
      }
    }
  }
`;
/** DETAILS's answer: its two root fields under aliases. */
type DetailsAnswer = { g8: QueryAnswer['accounts']; vm: Answer<HyperstackVirtualMachine> };

describe('Hyperstack errors map to the codes of docs/errors.md, with partial data', () => {
  let h: FullHarness;
  let sim: HyperstackSimulator;
  let vmId: string;
  beforeAll(async () => {
    h = await startFullHarness();
    sim = hsOf(h);
    vmId = encodeId('Resource', 'hs', 'VIRTUAL_MACHINE', String(discovered(sim, 'VIRTUAL_MACHINE')[0]!.infrahubId));
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  it.each([
    [400, 'UPSTREAM_BAD_RESPONSE', false, 'bad_request'],
    [401, 'UPSTREAM_AUTH_FAILED', false, 'unauthorized'],
    [403, 'UPSTREAM_AUTH_FAILED', false, 'forbidden'],
    [404, 'NOT_FOUND', false, 'not_found'],
    [429, 'UPSTREAM_RATE_LIMITED', true, 'too_many_requests'],
    [500, 'UPSTREAM_UNAVAILABLE', true, undefined],
  ] as const)('HTTP %i on the VM details → %s on that field only', async (status, code, retryable, reason) => {
    sim.injectFault({ route: 'get_vm_billing_details', fault: { kind: 'status', status } });
    const res = await h.query<DetailsAnswer>(DETAILS, { id: vmId, w: OCT });
    // The rest of the answer stands: OpenvCloud accounts and the VM's list-based billing.
    expect(res.body.data!.g8.totalCount).toBeGreaterThan(0);
    expect(res.body.data!.vm.billing.incurredBill.amount).toBe(
      sim.expected.incurredBill(Number(Buffer.from(vmId, 'base64url').toString().split(':')[3]), OCT.start, OCT.end),
    );
    expect(res.body.data!.vm.billingDetails).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    const error = res.body.errors![0]!;
    expect(error.path).toEqual(['vm', 'billingDetails']);
    expect(error.extensions).toMatchObject({
      code,
      provider: 'HYPERSTACK',
      source: 'hs',
      retryable,
      upstreamStatus: status,
    });
    expect(error.extensions?.upstreamErrorReason).toBe(reason);
    expect(error.message).toMatch(/^Hyperstack source "hs" /);
    expect(error.message).not.toMatch(/http|127\.0\.0\.1|hs-sim-key|billing\/billing/);
    // 5xx reads are retried by the shared policy, retryAttempts (default 3) in all (details fail
    // intermittently upstream: docs/upstreams/hyperstack.md#s5); a 429 without Retry-After and 4xx are not retried.
    expect(sim.count({ route: 'get_vm_billing_details' })).toBe(status >= 500 ? 3 : 1);
  });

  it('one intermittent 500 is retried once and the answer is complete', async () => {
    sim.injectFault({ route: 'get_vm_billing_details', fault: { kind: 'status', status: 500 }, times: 1 });
    const res = await h.query<DetailsAnswer>(DETAILS, { id: vmId, w: OCT });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.vm.billingDetails.incurredBill.amount).toBe(res.body.data!.vm.billing.incurredBill.amount);
    expect(sim.count({ route: 'get_vm_billing_details' })).toBe(2);
  });

  it('account consumption at HOUR over a month is BAD_USER_INPUT before any upstream call', async () => {
    const res = await h.query(
      /* GraphQL */ `
        query ($w: TimeWindow!) {
          accounts(provider: HYPERSTACK) {
            edges {
              node {
                consumption(window: $w, granularity: HOUR) {
                  quantity
                }
              }
            }
          }
        }
      `,
      { w: OCT },
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toMatch(/would need 744 Hyperstack organization-history calls/);
    expect(sim.requests.map((r) => r.route)).toEqual(['get_user_billing_history']);
    expect(sim.requests[0]!.query).toEqual({});
  });

  it('the simulator renders the error bodies of docs/upstreams/hyperstack.md#s5 for those statuses', async () => {
    const bodies: unknown[] = [];
    for (const status of [400, 401, 403, 404, 500]) {
      sim.injectFault({ route: 'get_last_day_cost', fault: { kind: 'status', status }, times: 1 });
      const r = await fetch(`${sim.baseUrl}/billing/billing/last-day-cost`, { headers: { api_key: 'hs-sim-key' } });
      bodies.push([r.status, await r.json()]);
    }
    expect(bodies).toEqual([
      [400, { status: false, message: 'Simulated HTTP 400.', error_reason: 'bad_request' }],
      [401, { status: false, message: 'Simulated HTTP 401.', error_reason: 'unauthorized' }],
      [403, { status: false, message: 'Simulated HTTP 403.', error_reason: 'forbidden' }],
      [404, { status: false, message: 'Simulated HTTP 404.', error_reason: 'not_found' }],
      [500, { message: 'Internal Server Error' }],
    ]);
  });

  it('an unknown resource id is null with NOT_FOUND from the real 404 of its details', async () => {
    const res = await h.query<DetailsAnswer>(DETAILS, {
      id: encodeId('Resource', 'hs', 'VIRTUAL_MACHINE', '999999'),
      w: OCT,
    });
    expect(res.body.data!.vm).toBeNull();
    expect(res.body.data!.g8.totalCount).toBeGreaterThan(0);
    expect(res.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['vm'], 'NOT_FOUND']]);
    expect(sim.requests.filter((r) => r.route === 'get_vm_billing_details').map((r) => r.path)).toEqual([
      '/v1/billing/billing/history/virtual-machine/999999',
    ]);
  });

  it("a failing list nulls only the Hyperstack account's resources; OpenvCloud machines still answer in the same query", async () => {
    sim.injectFault({ route: 'get_vm_billing_history', fault: { kind: 'status', status: 500 } });
    const res = await h.query(/* GraphQL */ `
      {
        accounts {
          edges {
            node {
              provider
              resources(types: [VIRTUAL_MACHINE, MACHINE]) {
                id
              }
            }
          }
        }
      }
    `);
    const edges = res.body.data!.accounts.edges;
    const hsIndex = edges.findIndex((e) => e.node.provider === 'HYPERSTACK');
    expect(edges[hsIndex].node.resources).toBeNull();
    expect(edges.filter((e) => e.node.provider === 'OPENVCLOUD').every((e) => Array.isArray(e.node.resources))).toBe(
      true,
    );
    expect(
      edges.filter((e) => e.node.provider === 'OPENVCLOUD').flatMap((e) => e.node.resources).length,
    ).toBeGreaterThan(0);
    expect(res.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['accounts', 'edges', hsIndex, 'node', 'resources'], 'UPSTREAM_UNAVAILABLE'],
    ]);
  });

  it('a 401 on every route leaves the Hyperstack account out with a SourceError and a top-level error; other accounts are listed', async () => {
    sim.injectFault({ fault: { kind: 'status', status: 401 } });
    const res = await h.query(/* GraphQL */ `
      {
        accounts {
          errors {
            source {
              id
            }
            code
            retryable
          }
          edges {
            node {
              provider
            }
          }
        }
      }
    `);
    expect(res.body.errors).toMatchObject([
      { path: ['accounts'], extensions: { code: 'UPSTREAM_AUTH_FAILED', source: 'hs', partial: true } },
    ]);
    expect(res.body.data!.accounts.errors).toEqual([
      { source: { id: 'hs' }, code: 'UPSTREAM_AUTH_FAILED', retryable: false },
    ]);
    const providers = new Set(res.body.data!.accounts.edges.map((e) => e.node.provider));
    expect(providers.has('HYPERSTACK')).toBe(false);
    expect(providers.has('OPENVCLOUD')).toBe(true);
  });

  it('a 200 with status false, or a body off the contract, is UPSTREAM_BAD_RESPONSE', async () => {
    sim.injectFault({
      route: 'get_last_day_cost',
      fault: { kind: 'status', status: 200, body: { status: false, message: 'Failed' } },
      times: 1,
    });
    sim.injectFault({
      route: 'get_usage',
      fault: {
        kind: 'status',
        status: 200,
        body: { status: true, message: 'ok', data: [{ resource_id: 'x', total_bill: 'lots' }] },
      },
      times: 1,
    });
    const res = await h.query(/* GraphQL */ `
      {
        accounts(provider: HYPERSTACK) {
          edges {
            node {
              providerId
              hyperstackLastDayCost {
                totalCost {
                  amount
                }
              }
              hyperstackUsage {
                resourceId
              }
            }
          }
        }
      }
    `);
    const node = res.body.data!.accounts.edges[0].node;
    expect(node.providerId).toBe(String(sim.data.orgId));
    expect(node.hyperstackLastDayCost).toBeNull();
    expect(node.hyperstackUsage).toBeNull();
    expect(res.body.errors?.map((e) => [e.path?.at(-1), e.extensions?.code]).sort()).toEqual([
      ['hyperstackLastDayCost', 'UPSTREAM_BAD_RESPONSE'],
      ['hyperstackUsage', 'UPSTREAM_BAD_RESPONSE'],
    ]);
  });

  it('Hyperstack-only account fields are null (no error) on other providers', async () => {
    const res = await h.query(
      /* GraphQL */ `
        query ($w: TimeWindow!) {
          accounts(provider: OPENVCLOUD, first: 1) {
            edges {
              node {
                hyperstackLastDayCost {
                  totalCost {
                    amount
                  }
                }
                hyperstackUsage {
                  resourceId
                }
                hyperstackBillingHistory(window: $w) {
                  incurredBill {
                    amount
                  }
                }
                hyperstackBillingSummaries(window: $w) {
                  type
                }
                billingThresholds {
                  id
                }
              }
            }
          }
        }
      `,
      { w: OCT },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.accounts.edges[0].node).toEqual({
      hyperstackLastDayCost: null,
      hyperstackUsage: null,
      hyperstackBillingHistory: null,
      hyperstackBillingSummaries: null,
      billingThresholds: [],
    });
    expect(sim.requests).toHaveLength(0);
  });
});

describe('Hyperstack with a rejected api_key', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness({ sourceOverrides: { hs: { credentials: { apiKey: 'hs-wrong-key-SECRET' } } } });
  });
  afterAll(async () => h?.close());

  it('is UPSTREAM_AUTH_FAILED from the real 401, without leaking the key', async () => {
    const res = await h.query(/* GraphQL */ `
      {
        accounts {
          errors {
            source {
              id
            }
            code
            message
          }
          edges {
            node {
              provider
            }
          }
        }
      }
    `);
    expect(res.body.data!.accounts.errors.map((e) => [e.source.id, e.code])).toEqual([['hs', 'UPSTREAM_AUTH_FAILED']]);
    expect(res.body.data!.accounts.edges.some((e) => e.node.provider === 'OPENVCLOUD')).toBe(true);
    expect(res.text).not.toContain('SECRET');
    expect(h.sims.hs!.requests.map((r) => r.headers.api_key)).toEqual(['hs-wrong-key-SECRET']);
  });
});
