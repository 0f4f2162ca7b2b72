/**
 * Reads are retried with backoff: a short burst of 5xx or a reset is absorbed, and a write is
 * never retried by the policy.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';
import { EVERY_SOURCE, HEALTHY_SOURCE, outcomeOf, SOURCE_IDS, WINDOW } from './helpers.js';

let h: FullHarness;
const baseline = new Map<string, unknown[]>();

beforeAll(async () => {
  h = await startFullHarness({ sourceOverrides: Object.fromEntries(SOURCE_IDS.map((s) => [s, HEALTHY_SOURCE])) });
  const res = await h.query(EVERY_SOURCE, { w: WINDOW });
  expect(res.body.errors).toBeUndefined();
  for (const s of SOURCE_IDS) baseline.set(s, outcomeOf(res, s).nodes);
});
afterAll(async () => h?.close());
beforeEach(() => h.resetAll());

describe.each(SOURCE_IDS)('reads of source %s', (id) => {
  it.each([
    { name: 'two 503s in a row', fault: { kind: 'status', status: 503 } as const, times: 2 },
    { name: 'a connection reset', fault: { kind: 'reset' } as const, times: 1 },
  ])('absorb $name with retries: the same data as without faults', async ({ fault, times }) => {
    h.sims[id]!.injectFault({ fault, times });
    const res = await h.query(EVERY_SOURCE, { w: WINDOW });
    expect(res.body.errors, res.text.slice(0, 400)).toBeUndefined();
    expect(outcomeOf(res, id)).toEqual({ codes: [], nodes: baseline.get(id) });
    // The faulted call was made 1 + times: the retries, and nothing more.
    const first = h.sims[id]!.requests[0]!;
    expect(
      h.sims[id]!.requests.filter(
        (r) => r.route === first.route && JSON.stringify(r.args) === JSON.stringify(first.args),
      ),
    ).toHaveLength(1 + times);
  });
});

describe('writes', () => {
  it('are never retried by the policy: a 503 on updateBillingThreshold is answered after one call', async () => {
    const hs = h.sims.hs!;
    const list = await h.query(`{ accounts(source: "hs") { edges { node { billingThresholds { id } } } } }`);
    const id = list.body.data!.accounts.edges[0].node.billingThresholds[0].id as string;
    hs.resetCounters();
    hs.injectFault({ method: 'PUT', fault: { kind: 'status', status: 503 } });
    const res = await h.query(
      `mutation($id: ID!) { updateBillingThreshold(input: { id: $id, subscribe: true }) { __typename } }`,
      { id },
    );
    expect(res.body.errors?.[0]?.extensions?.code, res.text.slice(0, 400)).toBe('UPSTREAM_UNAVAILABLE');
    expect(hs.count({ method: 'PUT' })).toBe(1);
  });

  it('a write whose answer is lost after it was sent says its outcome is UNKNOWN (it may have been applied)', async () => {
    const hs = h.sims.hs!;
    const list = await h.query(`{ accounts(source: "hs") { edges { node { billingThresholds { id } } } } }`);
    const id = list.body.data!.accounts.edges[0].node.billingThresholds[0].id as string;
    hs.resetCounters();
    // The simulator applies the PUT, then drops the connection without answering.
    hs.injectFault({ method: 'PUT', fault: { kind: 'dropResponse' } });
    const res = await h.query(
      `mutation($id: ID!) { updateBillingThreshold(input: { id: $id, subscribe: true }) { __typename } }`,
      { id },
    );
    const error = res.body.errors?.[0];
    expect(error?.extensions, res.text.slice(0, 400)).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      outcome: 'UNKNOWN',
      retryable: true,
    });
    expect(error?.message).toBe(
      'Hyperstack source "hs" lost the connection before answering "get_notification_threshold" after it was sent: the change may or may not have been applied.',
    );
    expect(hs.count({ method: 'PUT' })).toBe(1);
  });
});
