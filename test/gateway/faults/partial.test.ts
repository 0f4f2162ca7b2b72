/**
 * No answer is silently partial: whenever a listing or a report is answered without one
 * source's part, the response carries a top-level error with the field's path that names the
 * source — also when the client selected only data fields. Each case selects no `errors`
 * field on purpose.
 */
import type { GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFullHarness, type FullHarness, type GraphQLResponse } from '../../helpers/harness.js';

const OCTOBER = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };
const WEEK = { start: '2026-10-05T00:00:00Z', end: '2026-10-12T00:00:00Z' };

let h: FullHarness;

beforeAll(async () => {
  // A fixed "now" after the windows asked, so every bucket is final and the answers do not move.
  h = await startFullHarness({ now: () => Date.parse('2026-11-20T00:00:00Z') });
});
afterAll(async () => h?.close());
beforeEach(() => h.resetAll());

/** The top-level errors that name `source`. */
const naming = (errors: readonly GraphQLFormattedError[] | undefined, source: string): GraphQLFormattedError[] =>
  (errors ?? []).filter((e) => e.extensions?.source === source);

interface Totals {
  usageReport: {
    totals: { amount: string; currency: string }[];
    virtualTotals: { amount: string; currency: string }[];
  };
}

const TOTALS = /* GraphQL */ `
  query ($w: TimeWindow!, $g: Granularity) {
    usageReport(window: $w, granularity: $g) {
      totals {
        amount
        currency
      }
      virtualTotals {
        amount
        currency
      }
    }
  }
`;

describe('a report that lacks a source', () => {
  it('names the failing source at the top level when only totals are selected, and loses its part of the totals', async () => {
    const healthy = await h.query<Totals>(TOTALS, { w: OCTOBER });
    expect(healthy.body.errors).toBeUndefined();
    const usd = healthy.body.data!.usageReport.totals.find((t) => t.currency === 'USD');
    expect(usd, 'Hyperstack bills in USD').toBeDefined();

    h.resetAll();
    h.sims.hs!.injectFault({ fault: { kind: 'status', status: 503 } });
    const res = await h.query<Totals>(TOTALS, { w: OCTOBER });
    expect(res.status).toBe(200);
    const named = naming(res.body.errors, 'hs');
    expect(named).toHaveLength(1);
    expect(named[0]).toMatchObject({
      path: ['usageReport'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'hs', provider: 'HYPERSTACK', retryable: true },
    });
    expect(named[0]!.extensions?.requestId).toEqual(expect.any(String));
    // The demo prices Kill Bill in USD too: the total is there, without Hyperstack's part.
    expect(res.body.data!.usageReport.totals.find((t) => t.currency === 'USD')?.amount).not.toBe(usd!.amount);
    // Only the failing source is named.
    expect(res.body.errors!.every((e) => e.extensions?.source === 'hs')).toBe(true);
  });

  it('says complete: false and names the source once per field, not once per bucket', async () => {
    h.sims.hs!.injectFault({ fault: { kind: 'status', status: 503 } });
    const res = await h.query<{ usageReport: { complete: boolean; errors: { source: { id: string } }[] } }>(
      /* GraphQL */ `
        query ($w: TimeWindow!) {
          usageReport(window: $w, granularity: DAY) {
            complete
            errors {
              source {
                id
              }
            }
          }
        }
      `,
      { w: WEEK },
    );
    expect(res.body.data!.usageReport.complete).toBe(false);
    // The structured entries say the same as the top-level errors.
    expect(res.body.data!.usageReport.errors.map((e) => e.source.id)).toEqual(['hs']);
    expect(naming(res.body.errors, 'hs')).toHaveLength(1);
  });

  it('says complete: true with no top-level error when every source answered', async () => {
    const res = await h.query<{ usageReport: { complete: boolean } }>(
      `query ($w: TimeWindow!) { usageReport(window: $w) { complete } }`,
      { w: OCTOBER },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.usageReport.complete).toBe(true);
  });

  it('names a source cut short by the upstream-call ceiling instead of answering zero points for it', async () => {
    await h.close();
    h = await startFullHarness({
      now: () => Date.parse('2026-11-20T00:00:00Z'),
      limits: { maxUpstreamCallsPerRequest: 40 },
    });
    const res = await h.query<{ usageReport: { complete: boolean; points: { provider: string }[] } }>(
      `query ($w: TimeWindow!) { usageReport(window: $w, granularity: DAY) { complete points { provider } } }`,
      { w: OCTOBER },
    );
    const cut = (res.body.errors ?? []).filter((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX');
    expect(cut.length).toBeGreaterThan(0);
    for (const e of cut) {
      expect(e.path).toEqual(['usageReport']);
      expect(e.extensions?.source).toEqual(expect.any(String));
      expect(e.message).toMatch(/limits\.maxUpstreamCallsPerRequest/);
    }
    expect(res.body.data!.usageReport.complete).toBe(false);
    await h.close();
    h = await startFullHarness({ now: () => Date.parse('2026-11-20T00:00:00Z') });
  });

  it.each([
    ['HOUR granularity', { w: { start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z' }, g: 'HOUR' }],
    ['a window ending at noon', { w: { start: '2026-10-01T00:00:00Z', end: '2026-10-02T12:00:00Z' }, g: 'TOTAL' }],
    ['a UTC-midnight window aligned to Asia/Kolkata', { w: { ...OCTOBER, timeZone: 'Asia/Kolkata' }, g: 'DAY' }],
  ])('names TheirStack when it cannot answer %s', async (_name, variables) => {
    const res = await h.query<Totals>(TOTALS, variables);
    expect(res.status).toBe(200);
    const named = naming(res.body.errors, 'theirstack');
    expect(named).toHaveLength(1);
    expect(named[0]).toMatchObject({
      path: ['usageReport'],
      extensions: { code: 'BAD_USER_INPUT', provider: 'THEIRSTACK', retryable: false },
    });
    expect(res.body.data!.usageReport.virtualTotals.find((t) => t.currency === 'CREDITS')).toBeUndefined();
    expect(res.body.data!.usageReport.virtualTotals.find((t) => t.currency === 'BUZZ')).toBeDefined();
  });
});

interface Page {
  accounts: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: { id: string; source: { id: string } } }[];
  };
}

const PAGE = /* GraphQL */ `
  query ($first: Int, $after: String) {
    accounts(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          source {
            id
          }
        }
      }
    }
  }
`;

/** Every page of `accounts(first: size)`, following endCursor; `before(n)` runs before page n. */
async function walk(size: number, before: (page: number) => void = () => undefined): Promise<Page['accounts'][]> {
  const pages: Page['accounts'][] = [];
  let after: string | null = null;
  for (let n = 0; n < 50; n++) {
    before(n);
    const res: GraphQLResponse<Page> = await h.query<Page>(PAGE, { first: size, after });
    pages.push(res.body.data!.accounts);
    (pages.at(-1) as Page['accounts'] & { errors?: unknown }).errors = res.body.errors;
    if (!res.body.data!.accounts.pageInfo.hasNextPage) break;
    after = res.body.data!.accounts.pageInfo.endCursor;
  }
  return pages;
}

describe('a listing that lacks a source', () => {
  it('names the failing source at the top level when only edges and totalCount are selected', async () => {
    const healthy = await h.query<Page>(PAGE, { first: 500 });
    const all = healthy.body.data!.accounts;
    const killbill = all.edges.filter((e) => e.node.source.id === 'kb').length;
    expect(killbill).toBeGreaterThan(0);

    h.resetAll();
    h.sims.kb!.injectFault({ fault: { kind: 'status', status: 503 } });
    const res = await h.query<Page>(PAGE, { first: 500 });
    expect(res.body.data!.accounts.totalCount).toBe(all.totalCount - killbill);
    const named = naming(res.body.errors, 'kb');
    expect(named).toHaveLength(1);
    expect(named[0]).toMatchObject({
      path: ['accounts'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: 'KILLBILL' },
    });
  });

  it('names a source whose breaker is open, which answers no edges at all', async () => {
    await h.close();
    h = await startFullHarness({
      now: () => Date.parse('2026-11-20T00:00:00Z'),
      sourceOverrides: { kb: { breakerThreshold: 1, retryAttempts: 1 } },
    });
    h.sims.kb!.injectFault({ fault: { kind: 'status', status: 503 } });
    await h.query<Page>(PAGE, { first: 500 });
    h.sims.kb!.clearFaults();
    h.sims.kb!.resetCounters();
    const res = await h.query<Page>(`{ accounts(source: "kb") { edges { node { id } } } }`);
    expect(h.sims.kb!.count(), 'the open breaker sends nothing').toBe(0);
    expect(res.body.data!.accounts.edges).toEqual([]);
    expect(naming(res.body.errors, 'kb')).toMatchObject([
      { path: ['accounts'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } },
    ]);
    await h.close();
    h = await startFullHarness({ now: () => Date.parse('2026-11-20T00:00:00Z') });
  });

  it('pages every other source exactly once across a transient failure, and names the one that failed', async () => {
    const healthy = (await walk(2)).flatMap((p) => p.edges.map((e) => e.node.id));
    expect(new Set(healthy).size).toBe(healthy.length);

    h.resetAll();
    // Kill Bill fails to list once, on the third page.
    const pages = await walk(2, (n) => {
      if (n === 2) h.sims.kb!.injectFault({ fault: { kind: 'status', status: 503 }, times: 3 });
      else h.sims.kb!.clearFaults();
    });
    const seen = pages.flatMap((p) => p.edges.map((e) => e.node));
    const ids = seen.map((n) => n.id);
    expect(new Set(ids).size, 'no account is repeated').toBe(ids.length);
    const missing = healthy.filter((id) => !ids.includes(id));
    const failedPage = pages[2] as Page['accounts'] & { errors?: GraphQLFormattedError[] };
    expect(naming(failedPage.errors, 'kb')).toMatchObject([{ path: ['accounts'] }]);
    // What is missing is Kill Bill's alone (named above); every other source's account is there.
    const bySource = new Map(
      (await walk(500)).flatMap((p) => p.edges.map((e) => [e.node.id, e.node.source.id] as const)),
    );
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((id) => bySource.get(id) === 'kb')).toBe(true);
    expect(healthy.filter((id) => bySource.get(id) !== 'kb').every((id) => ids.includes(id))).toBe(true);
  });

  it('refuses a cursor of a source the query does not list, saying what to pass', async () => {
    const first = await h.query<Page>(PAGE, { first: 1 });
    const cursor = first.body.data!.accounts.pageInfo.endCursor;
    const res = await h.query<Page>(`query ($a: String) { accounts(source: "kb", after: $a) { totalCount } }`, {
      a: cursor,
    });
    expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
    expect(res.body.errors?.[0]?.message).toMatch(/same "provider" and "source" arguments/);
  });
});
