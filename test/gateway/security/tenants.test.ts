import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MutationAnswer, QueryAnswer } from '../../helpers/harness.js';
import { keySha256 } from '../../../src/security/tenantAuth.js';
import { postGraphQL, startFullHarness, type FullHarness } from '../../helpers/harness.js';
import { providerOfSource, providersUnderTest, SOURCE_IDS, sourceIdOf } from '../../helpers/providers.js';

const FINOPS_KEY = 'finops-key-0123456789';
const PLATFORM_KEY = 'platform-key-9876543210';
const WRITER_KEY = 'writer-key-5555555555';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const totalCalls = (h: FullHarness) => Object.values(h.sims).reduce((n, sim) => n + sim.count(), 0);

/**
 * The platform tenants see Kill Bill (whose subscriptions they look up) and Hyperstack (whose
 * billing thresholds they change); finops sees every other source, in registry order.
 */
const KB = sourceIdOf('KILLBILL');
const HS = sourceIdOf('HYPERSTACK');
const PLATFORM_SOURCES = [KB, HS];
const FINOPS_SOURCES = SOURCE_IDS.filter((id) => !PLATFORM_SOURCES.includes(id));
/** Calls made to the sources finops cannot see. */
const hiddenFromFinops = (h: FullHarness) => PLATFORM_SOURCES.reduce((n, id) => n + h.sims[id]!.count(), 0);
const quoted = (ids: readonly string[]) => ids.map((id) => `"${id}"`).join(', ');
/** Upstream calls one readiness round makes, each provider's own declaration. */
const READINESS_CALLS = (await providersUnderTest()).reduce((n, p) => n + p.expectations.readinessCalls, 0);

describe('tenants', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness({
      config: {
        tenants: [
          { name: 'finops', keySha256: keySha256(FINOPS_KEY), sources: FINOPS_SOURCES, scopes: ['read'] },
          { name: 'platform', keySha256: keySha256(PLATFORM_KEY), sources: PLATFORM_SOURCES, scopes: ['read'] },
          { name: 'writer', keySha256: keySha256(WRITER_KEY), sources: PLATFORM_SOURCES, scopes: ['read', 'write'] },
        ],
      },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => h.resetAll());

  const as = <T = QueryAnswer>(key: string, query: string, variables?: Record<string, unknown>) =>
    postGraphQL<T>(h.url, query, variables, bearer(key));

  it('answers 401 UNAUTHENTICATED without a key, with no schema detail and no upstream call', async () => {
    const res = await postGraphQL(h.url, '{ sources { id } }');
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.data).toBeUndefined();
    expect(res.text).not.toMatch(/sources|Query|Did you mean/);
    expect(totalCalls(h)).toBe(0);
  });

  it('answers 401 for a wrong key, a key of another scheme and an over-long header', async () => {
    for (const authorization of [
      'Bearer not-a-key',
      `Basic ${Buffer.from(`x:${FINOPS_KEY}`).toString('base64')}`,
      `Bearer ${'x'.repeat(5000)}`,
      FINOPS_KEY,
    ]) {
      const res = await postGraphQL(h.url, '{ sources { id } }', undefined, { authorization });
      expect(res.status, authorization.slice(0, 20)).toBe(401);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('shows a tenant only its own sources', async () => {
    const finops = await as(
      FINOPS_KEY,
      '{ sources { id } accounts(first: 500) { totalCount edges { node { source { id } } } } }',
    );
    expect(finops.body.errors).toBeUndefined();
    expect(finops.body.data!.sources.map((s: { id: string }) => s.id)).toEqual(FINOPS_SOURCES);
    const seen = new Set(
      finops.body.data!.accounts.edges.map((e: { node: { source: { id: string } } }) => e.node.source.id),
    );
    expect([...seen].sort()).toEqual([...FINOPS_SOURCES].sort());
    expect(hiddenFromFinops(h)).toBe(0);
  });

  it('reports usage of the tenant’s sources only', async () => {
    const res = await as(
      FINOPS_KEY,
      '{ usageReport(window: { start: "2026-10-01T00:00:00Z", end: "2026-10-02T00:00:00Z" }) { points { provider } errors { source { id } } } }',
    );
    expect(res.body.errors).toBeUndefined();
    const providers = new Set(res.body.data!.usageReport.points.map((p: { provider: string }) => p.provider));
    expect(providers.size).toBeGreaterThan(0);
    const visible: string[] = FINOPS_SOURCES.map(providerOfSource);
    expect([...providers].every((p) => visible.includes(p))).toBe(true);
    expect(hiddenFromFinops(h)).toBe(0);
  });

  it('treats another tenant’s ids as unknown: NOT_FOUND with zero upstream calls', async () => {
    const listed = await as(
      PLATFORM_KEY,
      `{ accounts(source: "${KB}", first: 1) { edges { node { id subscriptions { id } } } } }`,
    );
    const accountId = listed.body.data!.accounts.edges[0].node.id as string;
    const subscriptionId = listed.body.data!.accounts.edges[0].node.subscriptions[0].id as string;
    h.resetAll();
    const res = await as(
      FINOPS_KEY,
      'query($a: ID!, $s: ID!) { node(id: $a) { id } account(id: $a) { id } subscription(id: $s) { id } }',
      { a: accountId, s: subscriptionId },
    );
    expect(res.body.data).toEqual({ node: null, account: null, subscription: null });
    expect(res.body.errors!.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    expect(res.text).not.toContain(`"${KB}"`);
    expect(totalCalls(h)).toBe(0);
  });

  it('refuses accounts(source:) naming a source the tenant cannot see, listing only its own', async () => {
    const res = await as(FINOPS_KEY, `{ accounts(source: "${KB}") { totalCount } }`);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toContain(quoted(FINOPS_SOURCES));
    for (const hidden of PLATFORM_SOURCES.filter((id) => id !== KB))
      expect(res.body.errors?.[0]?.message).not.toContain(`"${hidden}"`);
    expect(totalCalls(h)).toBe(0);
  });

  it('answers FORBIDDEN (HTTP 403) to a read-only tenant’s mutation, before any upstream call', async () => {
    const listed = await as(
      PLATFORM_KEY,
      `{ accounts(source: "${HS}") { edges { node { billingThresholds { id } } } } }`,
    );
    const thresholdId = listed.body.data!.accounts.edges[0].node.billingThresholds[0].id as string;
    h.resetAll();
    const res = await as(
      PLATFORM_KEY,
      'mutation($id: ID!) { updateBillingThreshold(input: { id: $id, subscribe: true }) { id subscribed } }',
      { id: thresholdId },
    );
    expect(res.status).toBe(403);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.body.errors?.[0]?.extensions).not.toHaveProperty('http');
    expect(totalCalls(h)).toBe(0);

    const written = await as<MutationAnswer>(
      WRITER_KEY,
      'mutation($id: ID!) { updateBillingThreshold(input: { id: $id, subscribe: true }) { id subscribed } }',
      { id: thresholdId },
    );
    expect(written.body.errors).toBeUndefined();
    expect(written.body.data!.updateBillingThreshold).toEqual({ id: thresholdId, subscribed: true });
  });

  it('answers a flood of anonymous /readyz from one round of checks, not one upstream call per hit', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100)); // let earlier checks expire
    h.resetAll();
    await Promise.all(Array.from({ length: 20 }, () => fetch(h.url.replace(/\/graphql$/, '/readyz'))));
    // One ping per source, of the calls each provider declares (simulators/<name>/expectations.ts).
    expect(totalCalls(h)).toBeLessThanOrEqual(READINESS_CALLS);
  });

  it('hides which sources exist from /readyz without a key, and shows the tenant’s own with one', async () => {
    const anonymous = (await (await fetch(h.url.replace(/\/graphql$/, '/readyz'))).json()) as Record<string, unknown>;
    expect(anonymous).toEqual({ status: 'ready' });
    const finops = (await (
      await fetch(h.url.replace(/\/graphql$/, '/readyz'), { headers: bearer(FINOPS_KEY) })
    ).json()) as { sources: { id: string }[] };
    expect(finops.sources.map((s) => s.id)).toEqual(FINOPS_SOURCES);
  });
});

describe('tenant rate limit', () => {
  /** The estimated cost of `{ sources { id } }` for a tenant that sees every source. */
  const SOURCES_COST = SOURCE_IDS.length;
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness({
      config: {
        tenants: [
          { name: 'small', keySha256: keySha256(FINOPS_KEY), sources: SOURCE_IDS },
          { name: 'other', keySha256: keySha256(PLATFORM_KEY), sources: SOURCE_IDS },
        ],
        // `{ sources { id } }` is estimated at one per visible source (5 for five): two fit in
        // 2 × 5 + 2 = 12, the third does not; it fits under maxCost, a listing of accounts does not.
        rateLimit: { costPerWindow: 2 * SOURCES_COST + 2, windowSeconds: 60 },
        limits: { maxCost: SOURCES_COST + 3 },
      },
    });
  });
  afterAll(() => h.close());

  it('answers HTTP 429 with Retry-After once a tenant has spent its budget, without charging other tenants', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await postGraphQL(h.url, '{ sources { id } }', undefined, bearer(FINOPS_KEY))).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(FINOPS_KEY) },
      body: JSON.stringify({ query: '{ sources { id } }' }),
    });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await limited.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions.code).toBe('RATE_LIMITED');
    expect(body.errors[0]!.extensions.retryAfter).toBe(retryAfter);
    expect(body.errors[0]!.message).toContain('"small"');
    expect((await postGraphQL(h.url, '{ sources { id } }', undefined, bearer(PLATFORM_KEY))).status).toBe(200);
  });

  it('charges nothing for an operation refused by limits.maxCost, since nothing ran', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await postGraphQL(h.url, '{ accounts { edges { node { id } } } }', undefined, bearer(PLATFORM_KEY));
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
      expect(res.body.errors?.[0]?.message).toMatch(/limits\.maxCost/);
    }
    // "other" has spent SOURCES_COST of its budget on the earlier test's query; one more still fits.
    expect((await postGraphQL(h.url, '{ sources { id } }', undefined, bearer(PLATFORM_KEY))).status).toBe(200);
  });
});
