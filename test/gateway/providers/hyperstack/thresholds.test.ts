import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MutationAnswer } from '../../../helpers/harness.js';
import { encodeId } from '../../../../src/lib/ids.js';
import type { HyperstackSimulator } from '../../../../simulators/hyperstack/simulator.js';
import { startFullHarness, type FullHarness } from '../../../helpers/harness.js';
import { hsOf } from './helpers.js';

const THRESHOLDS = /* GraphQL */ `
  {
    accounts(provider: HYPERSTACK) {
      edges {
        node {
          id
          billingThresholds {
            id
            hoursBefore
            title
            subscribed
          }
        }
      }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateBillingThresholdInput!) {
    updateBillingThreshold(input: $input) {
      id
      hoursBefore
      title
      tooltip
      subscribed
    }
  }
`;

describe('Hyperstack billing thresholds', () => {
  let h: FullHarness;
  let sim: HyperstackSimulator;
  beforeAll(async () => {
    h = await startFullHarness();
    sim = hsOf(h);
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  const list = async () => (await h.query(THRESHOLDS)).body.data!.accounts.edges[0].node;

  it('unsubscribes and resubscribes with one PUT each, and the list reflects it', async () => {
    const { billingThresholds } = await list();
    const t48 = billingThresholds.find((t) => t.hoursBefore === 48)!;
    expect(t48.subscribed).toBe(true);
    sim.resetCounters();

    const off = await h.query<MutationAnswer>(UPDATE, { input: { id: t48.id, subscribe: false } });
    expect(off.body.errors).toBeUndefined();
    expect(off.body.data!.updateBillingThreshold).toEqual({
      id: t48.id,
      hoursBefore: 48,
      title: '48hs warning',
      tooltip: 'Credit limit warning 48 hours before your credit depletes',
      subscribed: false,
    });
    expect(sim.requests.map((r) => [r.route, r.method, r.path, r.rawBody, r.headers['content-type']])).toEqual([
      [
        'get_notification_threshold',
        'PUT',
        '/v1/billing/billing/threshold/2',
        '{"subscribe":false}',
        'application/json',
      ],
    ]);
    expect((await list()).billingThresholds.map((t) => t.subscribed)).toEqual([true, false, true]);
    expect(sim.data.thresholds[1]!.subscribed).toBe(false);

    const on = await h.query<MutationAnswer>(UPDATE, { input: { id: t48.id, subscribe: true } });
    expect(on.body.data!.updateBillingThreshold.subscribed).toBe(true);
    expect((await list()).billingThresholds.map((t) => t.subscribed)).toEqual([true, true, true]);
    expect(sim.count({ route: 'get_notification_threshold' })).toBe(2);
  });

  it('node(id) of a threshold resolves from the list', async () => {
    const { billingThresholds } = await list();
    const res = await h.query(
      /* GraphQL */ `
        query ($id: ID!) {
          node(id: $id) {
            ... on BillingThreshold {
              id
              hoursBefore
            }
          }
        }
      `,
      { id: billingThresholds[0].id },
    );
    expect(res.body.data!.node).toEqual({ id: billingThresholds[0].id, hoursBefore: 72 });
  });

  it.each([
    [
      'an id of another kind',
      () => encodeId('Account', 'hs', '31337'),
      /must be a BillingThreshold id, got an Account id/,
    ],
    [
      'a threshold id that is not an integer',
      () => encodeId('BillingThreshold', 'hs', 'abc'),
      /must be a BillingThreshold id returned by this API/,
    ],
    [
      'a threshold id with extra parts',
      () => encodeId('BillingThreshold', 'hs', '1', '2'),
      /must be a BillingThreshold id returned by this API/,
    ],
    ['an id that is not one of ours', () => 'not an id!', /must be an id returned by this API/],
    [
      'a threshold of a source without thresholds',
      () => encodeId('BillingThreshold', 'g8', '1'),
      /has no billing thresholds/,
    ],
  ])('rejects %s as BAD_USER_INPUT with no upstream call', async (_name, id, message) => {
    const res = await h.query<MutationAnswer>(UPDATE, { input: { id: id(), subscribe: false } });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toMatch(message);
    expect(sim.requests).toHaveLength(0);
  });

  it('rejects a missing or non-boolean subscribe before any upstream call', async () => {
    const { billingThresholds } = await list();
    sim.resetCounters();
    for (const input of [{ id: billingThresholds[0].id }, { id: billingThresholds[0].id, subscribe: 'yes' }]) {
      const res = await h.query<MutationAnswer>(UPDATE, { input });
      expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.data).toBeUndefined();
    }
    expect(sim.requests).toHaveLength(0);
  });

  it('an unknown threshold is NOT_FOUND after one PUT (upstream 404)', async () => {
    const res = await h.query<MutationAnswer>(UPDATE, {
      input: { id: encodeId('BillingThreshold', 'hs', '999'), subscribe: true },
    });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      provider: 'HYPERSTACK',
      source: 'hs',
      upstreamStatus: 404,
      upstreamErrorReason: 'not_found',
    });
    expect(sim.count({ route: 'get_notification_threshold' })).toBe(1);
  });
});
