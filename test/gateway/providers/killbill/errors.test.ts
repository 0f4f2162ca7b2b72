import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  KILLBILL_ROUTES,
  KILLBILL_SIM_CREDENTIALS,
  type KillbillSimulator,
} from '../../../../simulators/killbill/simulator.js';
import { startFullHarness, type FullHarness, type GraphQLResponse } from '../../../helpers/harness.js';

const WINDOW = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

const MIXED = /* GraphQL */ `
  query ($w: TimeWindow!) {
    accounts(first: 500) {
      errors {
        source {
          id
        }
        code
        message
        retryable
      }
      edges {
        node {
          provider
          providerId
          cloudspaces {
            providerId
          }
          subscriptions {
            providerId
            usage(window: $w) {
              metric
              quantity
            }
          }
        }
      }
    }
  }
`;

const nodesOf = (res: GraphQLResponse, provider: string) =>
  res.body.data!.accounts.edges.map((e) => e.node).filter((n) => n.provider === provider);

describe('Kill Bill failures null only Kill Bill fields', () => {
  let h: FullHarness;
  let kb: KillbillSimulator;
  beforeAll(async () => {
    h = await startFullHarness({ sourceOverrides: { kb: { timeoutMs: 500 } } });
    kb = h.sims.kb as KillbillSimulator;
  });
  afterAll(async () => h?.close());
  beforeEach(() => {
    h.resetAll();
    kb.setCredentials({ ...KILLBILL_SIM_CREDENTIALS });
  });

  const expectOpenvcloudIntact = (res: GraphQLResponse) => {
    const g8 = nodesOf(res, 'OPENVCLOUD');
    expect(g8.length).toBeGreaterThanOrEqual(3);
    for (const n of g8) expect(Array.isArray(n.cloudspaces)).toBe(true);
  };
  const noSecrets = (res: GraphQLResponse) => {
    for (const secret of [KILLBILL_SIM_CREDENTIALS.apiSecret, 'wrong-password', 'YWRtaW4', kb.url])
      expect(res.text).not.toContain(secret);
  };

  it('wrong Basic credentials (401 + WWW-Authenticate, no JSON) → UPSTREAM_AUTH_FAILED in accounts.errors', async () => {
    kb.setCredentials({ ...KILLBILL_SIM_CREDENTIALS, password: 'rotated' });
    const res = await h.query(MIXED, { w: WINDOW });
    expect(res.status).toBe(200);
    expect(res.body.data!.accounts.errors).toEqual([
      {
        source: { id: 'kb' },
        code: 'UPSTREAM_AUTH_FAILED',
        message: 'Kill Bill source "kb" rejected billgraph\'s credentials for "accounts/pagination" (HTTP 401).',
        retryable: false,
      },
    ]);
    expect(nodesOf(res, 'KILLBILL')).toEqual([]);
    expectOpenvcloudIntact(res);
    noSecrets(res);
    expect(kb.requests[0]!.route).toBe(KILLBILL_ROUTES.accountsPagination);
  });

  it('a wrong tenant (401 container page) → UPSTREAM_AUTH_FAILED', async () => {
    kb.setCredentials({ ...KILLBILL_SIM_CREDENTIALS, apiSecret: 'other-secret' });
    const res = await h.query(MIXED, { w: WINDOW });
    expect(res.body.data!.accounts.errors).toMatchObject([
      { source: { id: 'kb' }, code: 'UPSTREAM_AUTH_FAILED', retryable: false },
    ]);
    expectOpenvcloudIntact(res);
    noSecrets(res);
  });

  it('429 + Retry-After on bundles → UPSTREAM_RATE_LIMITED with retryAfter on each subscriptions field', async () => {
    h.sims.kb!.injectFault({ route: KILLBILL_ROUTES.bundles, fault: { kind: 'rateLimit', retryAfterSeconds: 7 } });
    const res = await h.query(MIXED, { w: WINDOW });
    const kbNodes = nodesOf(res, 'KILLBILL');
    expect(kbNodes.length).toBe(kb.data.accounts.length);
    for (const n of kbNodes) expect(n.subscriptions).toBeNull();
    const errors = res.body.errors!.filter((e) => e.extensions?.source === 'kb');
    expect(errors.length).toBe(kb.data.accounts.length);
    for (const e of errors) {
      expect(e.extensions).toMatchObject({
        code: 'UPSTREAM_RATE_LIMITED',
        retryAfter: 7,
        retryable: true,
        upstreamStatus: 429,
        provider: 'KILLBILL',
      });
      expect(e.path?.slice(-1)).toEqual(['subscriptions']);
      expect(e.message).toBe('Kill Bill source "kb" is rate limiting "accounts/bundles"; retry after 7 s.');
    }
    expect(res.body.data!.accounts.errors).toEqual([]);
    expectOpenvcloudIntact(res);
  });

  it('a 500 BillingExceptionJson on one usage call → UPSTREAM_UNAVAILABLE on that usage field only', async () => {
    const target = kb.data.subscriptions[0]!.subscriptionId;
    kb.injectFault({
      route: KILLBILL_ROUTES.usage,
      match: { subscriptionId: target },
      fault: {
        kind: 'status',
        status: 500,
        body: {
          className: 'java.lang.NullPointerException',
          code: null,
          message: 'boom',
          causeClassName: null,
          causeMessage: null,
          stackTrace: [],
        },
      },
    });
    const res = await h.query(MIXED, { w: WINDOW });
    const subs = nodesOf(res, 'KILLBILL').flatMap((n) => n.subscriptions);
    for (const s of subs) {
      if (s.providerId === target) expect(s.usage).toBeNull();
      else expect(Array.isArray(s.usage)).toBe(true);
    }
    const errors = res.body.errors!.filter((e) => e.extensions?.source === 'kb');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      upstreamStatus: 500,
      retryable: true,
      upstreamClassName: 'java.lang.NullPointerException',
    });
    expect(errors[0]!.message).not.toContain('boom');
    const index = res.body.data!.accounts.edges.findIndex(
      (e) => e.node.providerId === kb.data.subscriptions[0]!.accountId,
    );
    expect(errors[0]!.path).toEqual(['accounts', 'edges', index, 'node', 'subscriptions', 0, 'usage']);
    expectOpenvcloudIntact(res);
  });

  it('a 503 on the listing → UPSTREAM_UNAVAILABLE in accounts.errors', async () => {
    kb.injectFault({
      route: KILLBILL_ROUTES.accountsPagination,
      fault: { kind: 'status', status: 503, body: '<html>Service Unavailable</html>', contentType: 'text/html' },
    });
    const res = await h.query(MIXED, { w: WINDOW });
    expect(res.body.data!.accounts.errors).toMatchObject([
      { source: { id: 'kb' }, code: 'UPSTREAM_UNAVAILABLE', retryable: true },
    ]);
    expectOpenvcloudIntact(res);
  });

  it('a malformed usage body → UPSTREAM_BAD_RESPONSE', async () => {
    kb.injectFault({ route: KILLBILL_ROUTES.usage, fault: { kind: 'malformed' } });
    const res = await h.query(MIXED, { w: WINDOW });
    const errors = res.body.errors!.filter((e) => e.extensions?.source === 'kb');
    expect(errors.length).toBe(kb.data.subscriptions.length);
    for (const e of errors) expect(e.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', retryable: false });
    expect(errors[0]!.message).toBe('Kill Bill source "kb" answered "usages/get" with a body that is not valid JSON.');
    expectOpenvcloudIntact(res);
  });

  it('a body off contract (amount as a non-number) → UPSTREAM_BAD_RESPONSE naming the field', async () => {
    kb.injectFault({
      route: KILLBILL_ROUTES.usage,
      times: 1,
      fault: {
        kind: 'status',
        status: 200,
        body: {
          subscriptionId: kb.data.subscriptions[0]!.subscriptionId,
          rolledUpUnits: [{ unitType: 'x', amount: 'lots' }],
        },
      },
    });
    const res = await h.query(
      `query($id: ID!, $w: TimeWindow!) { subscription(id: $id) { usage(window: $w) { quantity } } }`,
      {
        id: (await import('../../../../src/lib/ids.js')).encodeId(
          'Subscription',
          'kb',
          kb.data.subscriptions[0]!.subscriptionId,
        ),
        w: WINDOW,
      },
    );
    expect(res.body.errors![0]!.extensions?.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(res.body.errors![0]!.message).toMatch(/rolledUpUnits\.0\.amount: a number/);
  });

  it('a usage call that never answers → UPSTREAM_TIMEOUT within the source timeout', async () => {
    kb.injectFault({ route: KILLBILL_ROUTES.usage, fault: { kind: 'timeout' } });
    const started = Date.now();
    const res = await h.query(
      `query($w: TimeWindow!) { accounts(provider: KILLBILL, first: 1) { edges { node { consumption(window: $w) { quantity } } } } }`,
      { w: WINDOW },
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', retryable: true });
    expect(res.body.errors![0]!.path).toEqual(['accounts', 'edges', 0, 'node', 'consumption']);
  });
});
