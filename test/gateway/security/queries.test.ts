/**
 * Queries that hurt (docs/limits.md): each attack is refused before any upstream call, with
 * QUERY_TOO_COMPLEX or BAD_USER_INPUT naming the limit, an HTTP 400 (never 500, never a stall),
 * and the gateway answers /healthz afterwards.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness, type GraphQLResponse } from '../../helpers/harness.js';
import { SOURCE_IDS } from '../../helpers/providers.js';

/** `fragment F0 on <type> { <body> }`, then F1…F<levels> each spreading the previous one ten times. */
const fragmentBomb = (levels: number, type: string, body: string, operation: (top: string) => string): string => {
  const fragments = [`fragment F0 on ${type} { ${body} }`];
  for (let i = 1; i <= levels; i++)
    fragments.push(`fragment F${i} on ${type} { ${Array.from({ length: 10 }, () => `...F${i - 1}`).join(' ')} }`);
  return `${operation(`...F${levels}`)}\n${fragments.join('\n')}`;
};

const hourlyReport = (alias: string, start: string, end: string) =>
  `${alias}: usageReport(window: { start: "${start}", end: "${end}" }, granularity: HOUR) { points { start metric quantity cost { amount currency } } }`;

describe('queries that hurt', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness();
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  const upstreamCalls = () => Object.values(h.sims).reduce((n, sim) => n + sim.count(), 0);

  /** Sends the attack, times it, and checks what every refusal must have in common. */
  const refused = async (
    query: string,
    code: 'QUERY_TOO_COMPLEX' | 'BAD_USER_INPUT',
    message: RegExp,
    variables?: Record<string, unknown>,
  ) => {
    const res: GraphQLResponse = await h.query(query, variables);
    expect(res.status, res.text.slice(0, 300)).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors![0]!.extensions?.code).toBe(code);
    expect(res.body.errors![0]!.message).toMatch(message);
    // Apollo's status hint is for Apollo; it must never reach the body.
    expect(res.text).not.toMatch(/"http"/);
    expect(upstreamCalls()).toBe(0);
    const health = await fetch(h.url.replace(/\/graphql$/, '/healthz'));
    expect(health.status).toBe(200);
    return { res };
  };

  it('refuses a fragment bomb of 10^5 expansions before any upstream call, counting aliases once per fragment', async () => {
    const query = fragmentBomb(5, 'Source', 'label: name', (top) => `{ sources { ${top} } }`);
    await refused(query, 'QUERY_TOO_COMPLEX', /^The operation uses more than 30 aliases; the limit is 30\./);
  });

  it('refuses a fragment bomb of 10^9 expansions the same way (expanding it could not finish within the test timeout)', async () => {
    const query = fragmentBomb(9, 'Source', 'label: name', (top) => `{ sources { ${top} } }`);
    await refused(query, 'QUERY_TOO_COMPLEX', /^The operation uses more than 30 aliases; the limit is 30\./);
  });

  it('refuses a fragment bomb without aliases by its estimated cost, each fragment estimated once', async () => {
    const query = fragmentBomb(9, 'Account', 'source { id }', (top) => `{ accounts { edges { node { ${top} } } } }`);
    const { res } = await refused(
      query,
      'QUERY_TOO_COMPLEX',
      /^The operation's estimated cost is \d+; the limit is 1000000 \(limits\.maxCost\)\./,
    );
    expect(res.body.errors![0]!.extensions?.cost).toBeGreaterThan(1e10);
  });

  it('answers a bomb of scalars only: it is validated and executed without expanding it', async () => {
    // Harmless by construction: execution collects a repeated spread once, so the answer is one id per source.
    const query = fragmentBomb(9, 'Source', 'id', (top) => `{ sources { ${top} } }`);
    const res = await h.query(query);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.sources.map((s: { id: string }) => s.id)).toEqual(SOURCE_IDS);
    expect(upstreamCalls()).toBe(0);
  });

  it('refuses the 164-byte cycle query, whose lists multiply, by its estimated cost', async () => {
    const cycle = `{ accounts(provider: OPENVCLOUD) { edges { node { resources { account { resources { account { resources { account { resources { account { id } } } } } } } } } } } }`;
    expect(cycle).toHaveLength(164);
    const { res } = await refused(
      cycle,
      'QUERY_TOO_COMPLEX',
      /^The operation's estimated cost is 4210531; the limit is 1000000 \(limits\.maxCost\)\. Ask for fewer or shorter lists/,
    );
    expect(res.body.errors![0]!.extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      cost: 4210531,
      maxCost: 1000000,
      requestId: expect.any(String),
    });
  });

  it('refuses three hourly reports of 1,968 buckets in all (under the bucket cap) by their estimated cost', async () => {
    const query = `{ ${hourlyReport('july', '2026-07-01T00:00:00Z', '2026-08-01T00:00:00Z')} ${hourlyReport('august', '2026-08-01T00:00:00Z', '2026-09-01T00:00:00Z')} ${hourlyReport('september', '2026-09-01T00:00:00Z', '2026-09-21T00:00:00Z')} }`;
    // 744 + 744 + 480 hours: the per-request bucket cap (2,000) alone let this make 9,722 calls.
    const { res } = await refused(
      query,
      'QUERY_TOO_COMPLEX',
      /^The operation's estimated cost is \d+; the limit is 1000000 \(limits\.maxCost\)\./,
    );
    expect(res.body.errors![0]!.extensions?.cost).toBeGreaterThan(1_000_000);
  });

  it('refuses a thousand aliases (by their tokens, with the default limits)', async () => {
    await refused(
      `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: sources { id }`).join(' ')} }`,
      'QUERY_TOO_COMPLEX',
      /^The document has more than 5000 tokens/,
    );
  });

  it('refuses a flood of tokens while parsing, naming the token limit', async () => {
    const query = `{ sources { ${'id '.repeat(300_000)} } }`;
    await refused(
      query,
      'QUERY_TOO_COMPLEX',
      /^The document has more than 5000 tokens; the limit is 5000 \(limits\.maxTokens\)\. Send a shorter query\.$/,
    );
  });

  it('refuses a field with 10,000 directives (by its tokens, with the default limits)', async () => {
    const query = `{ sources ${'@include(if: true) '.repeat(10_000)} { id } }`;
    await refused(query, 'QUERY_TOO_COMPLEX', /^The document has more than 5000 tokens; the limit is 5000/);
  });

  it('refuses a bad window deep inside a list before the list itself is fetched', async () => {
    await refused(
      `query($w: TimeWindow!) { accounts { edges { node { cloudspaces { machines { consumption(window: $w) { quantity } } } } } } }`,
      'BAD_USER_INPUT',
      /^Argument "window": end "2026-10-01T00:00:00Z" must be after start "2026-10-08T00:00:00Z"\.$/,
      { w: { start: '2026-10-08T00:00:00Z', end: '2026-10-01T00:00:00Z' } },
    );
    await refused(
      `{ accounts { edges { node { consumption(window: { start: "2026-08-01T00:00:00Z", end: "2026-10-01T00:00:00Z" }, granularity: HOUR) { quantity } } } } }`,
      'BAD_USER_INPUT',
      /^Argument "window" spans 61 days; HOUR granularity allows at most 31 days, so use DAY or a shorter window\.$/,
    );
  });
  it('answers an explicit null for a variable with a default in a non-null position as BAD_USER_INPUT, not a 500', async () => {
    await refused(
      'query($b: Boolean = true) { sources @skip(if: $b) { id } }',
      'BAD_USER_INPUT',
      /Argument "if" of non-null type "Boolean!" must not be null/,
      { b: null },
    );
    await refused(
      'query($w: TimeWindow = { start: "2026-10-01T00:00:00Z", end: "2026-11-01T00:00:00Z" }) { usageReport(window: $w) { totals { amount } } }',
      'BAD_USER_INPUT',
      /must not be null/,
      { w: null },
    );
  });
});

describe('the alias and directive limits, with the token limit out of the way', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness({ limits: { maxTokens: 1_000_000 } });
  });
  afterAll(async () => h?.close());

  const expectRefused = async (query: string, message: string) => {
    const res = await h.query(query);
    expect(res.status).toBe(400);
    expect(res.body.errors![0]!.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(res.body.errors![0]!.message).toBe(message);
    expect(Object.values(h.sims).reduce((n, sim) => n + sim.count(), 0)).toBe(0);
    expect((await fetch(h.url.replace(/\/graphql$/, '/healthz'))).status).toBe(200);
  };

  it('refuses a thousand aliases, before any upstream call', async () => {
    await expectRefused(
      `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: accounts { totalCount }`).join(' ')} }`,
      'The operation uses more than 30 aliases; the limit is 30. Split it into smaller queries.',
    );
  });

  it('refuses a field with 10,000 directives, before any upstream call', async () => {
    await expectRefused(
      `{ accounts { totalCount ${'@include(if: true) '.repeat(10_000)} } }`,
      'The operation uses more than 50 directives; the limit is 50. Remove repeated directives or split the query.',
    );
  });
});
