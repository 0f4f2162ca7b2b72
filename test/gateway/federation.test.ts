import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FederatedAccount } from '../../simulators/expectations.js';
import { startFullHarness, type FullHarness } from '../helpers/harness.js';
import { providersUnderTest, SOURCE_IDS, sourceIdOf } from '../helpers/providers.js';

const WINDOW = { start: '2026-10-01T00:00:00Z', end: '2026-10-08T00:00:00Z' };

const FEDERATED = /* GraphQL */ `
  query Federated($w: TimeWindow!) {
    accounts(first: 500) {
      errors {
        source {
          id
        }
        code
      }
      edges {
        node {
          provider
          providerId
          source {
            id
          }
          consumption(window: $w) {
            metric
            quantity
            unit
            cost {
              amount
              currency
            }
          }
          cost(window: $w) {
            amount
            currency
          }
          cloudspaces {
            machines {
              providerId
              consumption(window: $w) {
                metric
                quantity
              }
            }
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

/** One account as FEDERATED answers it. */
type Node = FederatedAccount & { provider: string; source: { id: string } };
const byMetric = (points: readonly { metric: string; quantity: string }[]) =>
  Object.fromEntries(points.map((p) => [p.metric, p.quantity]));
/** [metric, quantity] of each point, sorted: one point per metric compares equal to a declared byMetric. */
const pairs = (points: readonly { metric: string; quantity: string }[]) =>
  points.map((p) => [p.metric, p.quantity]).sort();

const PROVIDERS = await providersUnderTest();

describe('one query across every source', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness();
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  it("returns every source's numbers exactly, with the documented upstream calls per simulator", async () => {
    const res = await h.query<{ accounts: { errors: unknown[]; edges: { node: Node }[] } }>(FEDERATED, { w: WINDOW });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.accounts.errors).toEqual([]);
    const nodes = res.body.data!.accounts.edges.map((e) => e.node);
    expect(new Set(nodes.map((n) => n.source.id))).toEqual(new Set(SOURCE_IDS));

    // Each provider's own declaration (simulators/<name>/expectations.ts): its exact figures and calls.
    for (const { provider, sourceId, expectations } of PROVIDERS) {
      const { federation } = expectations;
      const sim = h.sims[sourceId]!;
      const accounts = nodes.filter((n) => n.source.id === sourceId);
      expect(accounts.length, sourceId).toBeGreaterThan(0);
      for (const account of accounts) {
        const at = `${sourceId} account ${account.providerId}`;
        expect(account.provider, at).toBe(provider);
        const figures = federation.figures(sim, account, WINDOW);
        expect(pairs(account.consumption), at).toEqual(Object.entries(figures.consumption).sort());
        if (figures.cost) expect(account.cost, at).toEqual(figures.cost);
        if (figures.pointCurrency)
          expect(
            account.consumption.map((p) => p.cost?.currency),
            at,
          ).toEqual(account.consumption.map(() => figures.pointCurrency));
        if (figures.machines)
          expect(
            Object.fromEntries(
              account.cloudspaces.flatMap((cs) => cs.machines).map((m) => [m.providerId, byMetric(m.consumption)]),
            ),
            at,
          ).toEqual(figures.machines);
        if (figures.subscriptions)
          expect(Object.fromEntries(account.subscriptions.map((s) => [s.providerId, byMetric(s.usage)])), at).toEqual(
            figures.subscriptions,
          );
      }
      const machines = accounts.flatMap((a) => a.cloudspaces.flatMap((cs) => cs.machines)).length;
      const subscriptions = accounts.flatMap((a) => a.subscriptions).length;
      expect(machines, `${sourceId} machines`).toBeGreaterThanOrEqual(federation.atLeast?.machines ?? 0);
      expect(subscriptions, `${sourceId} subscriptions`).toBeGreaterThanOrEqual(federation.atLeast?.subscriptions ?? 0);

      // Upstream calls, per simulator.
      const calls = federation.calls(sim, accounts);
      expect(Object.keys(calls).length, sourceId).toBeGreaterThan(0);
      for (const [route, n] of Object.entries(calls)) expect(sim.count({ route }), `${sourceId} ${route}`).toBe(n);
      if (federation.totalCalls)
        expect(sim.requests, `${sourceId} calls`).toHaveLength(federation.totalCalls(sim, accounts));
    }
  });

  it('a failing source nulls only its own fields; every other source still answers', async () => {
    // Civitai failing outright and Kill Bill's usage rate-limited: two ways a source fails.
    h.sims.civitai!.injectFault({ fault: { kind: 'status', status: 500 } });
    h.sims.kb!.injectFault({ route: 'usages/get', fault: { kind: 'rateLimit', retryAfterSeconds: 30 } });
    const res = await h.query(FEDERATED, { w: WINDOW });
    const nodes = res.body.data!.accounts.edges.map((e) => e.node);
    const civitaiAccount = nodes.find((n) => n.source.id === 'civitai')!;
    expect(civitaiAccount.consumption).toBeNull();
    expect(civitaiAccount.cost).toBeNull();
    for (const kbAccount of nodes.filter((n) => n.source.id === 'kb')) {
      expect(kbAccount.consumption).toBeNull();
      for (const sub of kbAccount.subscriptions) expect(sub.usage).toBeNull();
    }
    const failing = [sourceIdOf('CIVITAI'), sourceIdOf('KILLBILL')];
    const others = nodes.filter((n) => !failing.includes(n.source.id));
    expect(new Set(others.map((n) => n.source.id))).toEqual(new Set(SOURCE_IDS.filter((id) => !failing.includes(id))));
    for (const n of others) expect(n.consumption.length, n.source.id).toBeGreaterThan(0);
    const codes = new Set(res.body.errors!.map((e) => `${String(e.extensions?.source)}:${String(e.extensions?.code)}`));
    expect(codes).toEqual(new Set(['civitai:UPSTREAM_UNAVAILABLE', 'kb:UPSTREAM_RATE_LIMITED']));
    expect(
      res.body.errors!.filter((e) => e.extensions?.source === 'kb').every((e) => e.extensions?.retryAfter === 30),
    ).toBe(true);
  });
});
