import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/lib/ids.js';
import { SEED_MALFORMED_BODY } from '../../simulators/openvcloud/simulator.js';
import { startHarness, type GraphQLResponse, type Harness } from '../helpers/harness.js';

const SECRET = 'sk-live-7f3c9e21-SECRET-do-not-leak';
const WINDOW = { start: '2026-10-01T00:00:00Z', end: '2026-10-08T00:00:00Z' };

const CONSUMPTION = /* GraphQL */ `
  query ($w: TimeWindow!) {
    accounts {
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
          providerId
          consumption(window: $w) {
            metric
            quantity
          }
        }
      }
    }
  }
`;

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('errors', () => {
  let h: Harness;
  let deadUrl: string;
  const responses: GraphQLResponse[] = [];
  const query = async (q: string, v?: Record<string, unknown>) => {
    const res = await h.query(q, v);
    responses.push(res);
    return res;
  };

  beforeAll(async () => {
    deadUrl = `http://127.0.0.1:${await deadPort()}`;
    // Short enough for the timeout case to stay quick, long enough that a healthy call on a loaded
    // machine never times out (at 300 ms, one did: a cloudspace's machines came back null).
    h = await startHarness({ g8Token: SECRET, g8Source: { timeoutMs: 1500 } });
  });
  afterAll(async () => h?.close());
  beforeEach(() => {
    h.g8.clearFaults();
    h.g8.resetCounters();
  });

  const accountIndex = (res: GraphQLResponse, providerId: string) =>
    res.body.data!.accounts.edges.findIndex((e) => e.node.providerId === providerId);

  describe('bad input is BAD_USER_INPUT with a message that says what to change', () => {
    const expectBadInput = async (q: string, v: Record<string, unknown> | undefined, message: RegExp) => {
      const res = await query(q, v);
      expect(res.body.errors?.length, JSON.stringify(res.body)).toBeGreaterThan(0);
      const error = res.body.errors![0]!;
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(message);
      return res;
    };
    const consumptionOf = /* GraphQL */ `
      query ($w: TimeWindow!, $g: Granularity) {
        accounts(first: 1) {
          edges {
            node {
              consumption(window: $w, granularity: $g) {
                quantity
              }
            }
          }
        }
      }
    `;

    it('end before start', async () => {
      const res = await expectBadInput(
        consumptionOf,
        { w: { start: '2026-10-08T00:00:00Z', end: '2026-10-01T00:00:00Z' } },
        /Argument "window": end "2026-10-01T00:00:00Z" must be after start "2026-10-08T00:00:00Z"/,
      );
      expect(res.body.errors![0]!.extensions?.argumentName).toBe('window');
      // Windows are checked before execution: not even the accounts list is fetched.
      expect(res.status).toBe(400);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors![0]!.path).toBeUndefined();
      expect(h.g8.requests).toHaveLength(0);
    });

    it('an empty window (start = end)', async () => {
      await expectBadInput(consumptionOf, { w: { start: WINDOW.start, end: WINDOW.start } }, /must be after start/);
    });

    it('a DateTime that is not RFC 3339, as a variable', async () => {
      const res = await expectBadInput(
        consumptionOf,
        { w: { start: '2026-13-01T00:00:00Z', end: WINDOW.end } },
        /\$w.*start.*DateTime must be an RFC 3339 instant.*"2026-13-01T00:00:00Z"/,
      );
      expect(res.status).toBe(400);
    });

    it('a DateTime without an offset', async () => {
      await expectBadInput(consumptionOf, { w: { start: '2026-10-01T00:00:00', end: WINDOW.end } }, /with an offset/);
    });

    it('an impossible calendar date', async () => {
      await expectBadInput(
        consumptionOf,
        { w: { start: '2026-02-30T00:00:00Z', end: WINDOW.end } },
        /DateTime must be an RFC 3339 instant/,
      );
    });

    it('a bad DateTime literal in the query text', async () => {
      await expectBadInput(
        `{ accounts(first: 1) { edges { node { consumption(window: { start: "yesterday", end: "2026-10-08T00:00:00Z" }) { quantity } } } } }`,
        undefined,
        /DateTime must be an RFC 3339 instant.*"yesterday"/,
      );
    });

    it('an unknown time zone', async () => {
      await expectBadInput(
        consumptionOf,
        { w: { ...WINDOW, timeZone: 'Mars/Olympus_Mons' } },
        /"window.timeZone" must be an IANA time zone such as "Europe\/Madrid", got "Mars\/Olympus_Mons"/,
      );
    });

    it('a window longer than the cap', async () => {
      await expectBadInput(
        consumptionOf,
        { w: { start: '2025-01-01T00:00:00Z', end: '2026-03-01T00:00:00Z' } },
        /spans 424 days; the longest window is 366 days/,
      );
    });

    it('HOUR granularity over more than 31 days', async () => {
      await expectBadInput(
        consumptionOf,
        { w: { start: '2026-08-01T00:00:00Z', end: '2026-10-01T00:00:00Z' }, g: 'HOUR' },
        /HOUR granularity allows at most 31 days, so use DAY or a shorter window/,
      );
      expect(h.g8.count({ route: 'billing/calculate' })).toBe(0);
    });

    it('an id that was not handed out by the API', async () => {
      await expectBadInput(
        `{ node(id: "not an id!") { id } }`,
        undefined,
        /Argument "id" must be an id returned by this API, got "not an id!"/,
      );
    });

    it('an id of the wrong kind', async () => {
      const machineId = encodeId('Machine', 'g8', '1', '1', '1');
      await expectBadInput(
        `query($id: ID!) { account(id: $id) { id } }`,
        { id: machineId },
        /Argument "id" must be an Account id, got a Machine id/,
      );
    });

    it('a Cloudspace id where a Resource id belongs, refused before any upstream call', async () => {
      const before = h.g8.count();
      await expectBadInput(
        `query($id: ID!) { resource(id: $id) { id } }`,
        { id: encodeId('Cloudspace', 'g8', '1', '1') },
        /Argument "id" must be a Resource id, got a Cloudspace id/,
      );
      expect(h.g8.count()).toBe(before);
    });

    it('page size out of range and a forged cursor', async () => {
      await expectBadInput(
        `{ accounts(first: 1000) { totalCount } }`,
        undefined,
        /Argument "first" must be between 0 and 500, got 1000/,
      );
      await expectBadInput(
        `{ accounts(after: "bogus") { totalCount } }`,
        undefined,
        /Argument "after" must be a cursor returned by accounts/,
      );
      await expectBadInput(
        `{ accounts(source: "nope") { totalCount } }`,
        undefined,
        /Argument "source" must be a configured source id \("g8"\), got "nope"/,
      );
    });

    it('a Decimal sent as a float, or not a number', async () => {
      const mutation = `mutation($in: RecordUsageInput!) { recordUsage(input: $in) { trackingId } }`;
      const input = (amount: unknown) => ({
        subscriptionId: encodeId('Subscription', 'g8', 'x'),
        trackingId: 't-1',
        units: [{ unitType: 'api', records: [{ recordDate: WINDOW.start, amount }] }],
      });
      await expectBadInput(mutation, { in: input(0.1) }, /Decimal must be sent as a string to stay exact/);
      await expectBadInput(
        mutation,
        { in: input('12,5') },
        /Decimal must be a decimal number in a string, such as "12.5", got "12,5"/,
      );
      await expectBadInput(mutation, { in: input('-3') }, /amount" must not be negative, got "-3"/);
    });
  });

  it('unknown ids are null with NOT_FOUND', async () => {
    const res = await query(`query($a: ID!, $b: ID!) { a: account(id: $a) { id } b: node(id: $b) { id } }`, {
      a: encodeId('Account', 'g8', '999'),
      b: encodeId('Account', 'elsewhere', '1'),
    });
    expect(res.body.data).toEqual({ a: null, b: null });
    expect(res.body.errors!.map((e) => [e.path, e.extensions?.code]).sort()).toEqual([
      [['a'], 'NOT_FOUND'],
      [['b'], 'NOT_FOUND'],
    ]);
  });

  it('rejects queries deeper than the limit with QUERY_TOO_COMPLEX before any upstream call', async () => {
    const deep = `{ accounts { edges { node { cloudspaces { account { cloudspaces { account { cloudspaces { machines { cloudspace { account { cloudspaces { id } } } } } } } } } } } } }`;
    const res = await query(deep);
    expect(res.body.errors![0]!.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(res.body.errors![0]!.message).toBe(
      'The operation is 13 fields deep; the limit is 12. Split it into smaller queries.',
    );
    expect(h.g8.requests.length).toBe(0);
  });

  describe('a failing upstream nulls only its own part of the answer', () => {
    const cases = [
      {
        name: 'HTTP 500',
        fault: { kind: 'status', status: 500, body: 'Internal error' },
        code: 'UPSTREAM_UNAVAILABLE',
        retryable: true,
        upstreamStatus: 500,
      },
      {
        name: 'HTTP 503 during upgrade',
        fault: { kind: 'status', status: 503, body: 'Can not call API during upgrade' },
        code: 'UPSTREAM_UNAVAILABLE',
        retryable: true,
        upstreamStatus: 503,
      },
      {
        name: 'a timeout',
        fault: { kind: 'timeout' },
        code: 'UPSTREAM_TIMEOUT',
        retryable: true,
        upstreamStatus: undefined,
      },
      {
        name: 'malformed JSON (the G8 calculate example of docs/upstreams/openvcloud.md#sim-6, verbatim)',
        fault: { kind: 'malformed', body: SEED_MALFORMED_BODY },
        code: 'UPSTREAM_BAD_RESPONSE',
        retryable: false,
        upstreamStatus: 200,
      },
      {
        name: 'JSON of the wrong shape',
        fault: { kind: 'status', status: 200, body: { consumption: 'lots' } },
        code: 'UPSTREAM_BAD_RESPONSE',
        retryable: false,
        upstreamStatus: undefined,
      },
      {
        name: '429 with Retry-After',
        fault: { kind: 'rateLimit', retryAfterSeconds: 7 },
        code: 'UPSTREAM_RATE_LIMITED',
        retryable: true,
        upstreamStatus: 429,
      },
      {
        name: '403 (not in the billing group)',
        fault: { kind: 'status', status: 403, body: 'Forbidden' },
        code: 'UPSTREAM_AUTH_FAILED',
        retryable: false,
        upstreamStatus: 403,
      },
    ] as const;

    for (const c of cases) {
      it(`calculate for one account fails with ${c.name} → ${c.code}`, async () => {
        h.g8.injectFault({
          route: 'billing/calculate',
          match: { accountId: '2' },
          fault: c.fault as Parameters<typeof h.g8.injectFault>[0]['fault'],
        });
        const res = await query(CONSUMPTION, { w: WINDOW });
        expect(res.status).toBe(200);
        const failed = accountIndex(res, '2');
        const edges = res.body.data!.accounts.edges;
        expect(edges[failed].node.consumption).toBeNull();
        for (const [i, edge] of edges.entries())
          if (i !== failed) expect(edge.node.consumption.length).toBeGreaterThan(0);
        expect(res.body.errors).toHaveLength(1);
        const error = res.body.errors![0]!;
        expect(error.path).toEqual(['accounts', 'edges', failed, 'node', 'consumption']);
        expect(error.extensions).toMatchObject({
          code: c.code,
          provider: 'OPENVCLOUD',
          source: 'g8',
          retryable: c.retryable,
        });
        expect(error.extensions?.upstreamStatus).toBe(c.upstreamStatus);
        if (c.code === 'UPSTREAM_RATE_LIMITED') expect(error.extensions?.retryAfter).toBe(7);
        expect(error.message).toMatch(/^OpenvCloud source "g8" /);
      });
    }

    it("a failing machines/list nulls that cloudspace's machines only", async () => {
      const target = h.g8.data.cloudspaces.find((cs) => cs.deletionTime === null)!;
      h.g8.injectFault({
        route: 'machines/list',
        match: { cloudspaceId: String(target.id) },
        fault: { kind: 'status', status: 502 },
      });
      const res = await query(`{ accounts { edges { node { cloudspaces { providerId machines { id } } } } } }`);
      const spaces = res.body.data!.accounts.edges.flatMap((e) => e.node.cloudspaces);
      for (const cs of spaces) {
        if (cs.providerId === String(target.id)) expect(cs.machines).toBeNull();
        else expect(cs.machines.length).toBeGreaterThan(0);
      }
      expect(res.body.errors!.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    });

    it('a source whose account list fails is reported in accounts.errors and at the top level; the request still succeeds', async () => {
      h.g8.injectFault({ route: 'accounts/list', fault: { kind: 'status', status: 503 } });
      const res = await query(
        `{ accounts { totalCount edges { node { id } } errors { source { id provider } code message retryable } } }`,
      );
      expect(res.status).toBe(200);
      expect(res.body.errors).toMatchObject([
        {
          path: ['accounts'],
          message: 'Source "g8" is missing from this answer: OpenvCloud source "g8" failed "accounts/list" (HTTP 503).',
          extensions: { code: 'UPSTREAM_UNAVAILABLE', source: 'g8', provider: 'OPENVCLOUD', retryable: true },
        },
      ]);
      expect(res.body.data!.accounts).toEqual({
        totalCount: 0,
        edges: [],
        errors: [
          {
            source: { id: 'g8', provider: 'OPENVCLOUD' },
            code: 'UPSTREAM_UNAVAILABLE',
            message: 'OpenvCloud source "g8" failed "accounts/list" (HTTP 503).',
            retryable: true,
          },
        ],
      });
    });
  });

  it("a second source that cannot be reached does not hide the first one's accounts", async () => {
    const h2 = await startHarness({
      g8Token: SECRET,
      extraSources: [{ id: 'g8-down', provider: 'OPENVCLOUD', baseUrl: deadUrl, credentials: { token: SECRET } }],
    });
    try {
      const res = await h2.query(
        `query($w: TimeWindow!) { accounts { totalCount edges { node { source { id } } } errors { source { id } code retryable message } }
        usageReport(window: $w) { points { metric } errors { source { id } code } } }`,
        { w: WINDOW },
      );
      responses.push(res);
      expect(res.body.data!.accounts.totalCount).toBe(h2.g8.data.accounts.length);
      expect(new Set(res.body.data!.accounts.edges.map((e) => e.node.source.id))).toEqual(new Set(['g8']));
      expect(res.body.data!.accounts.errors).toEqual([
        {
          source: { id: 'g8-down' },
          code: 'UPSTREAM_UNAVAILABLE',
          retryable: true,
          message: 'OpenvCloud source "g8-down" could not be reached for "accounts/list" (connection refused).',
        },
      ]);
      expect(res.body.data!.usageReport.points.length).toBeGreaterThan(0);
      expect(res.body.data!.usageReport.errors).toEqual([{ source: { id: 'g8-down' }, code: 'UPSTREAM_UNAVAILABLE' }]);
    } finally {
      await h2.close();
    }
  });

  it('rejected credentials are UPSTREAM_AUTH_FAILED', async () => {
    const h3 = await startHarness({ g8Token: SECRET });
    try {
      // The simulator forgets every token: a revoked key.
      h3.g8.injectFault({ fault: { kind: 'status', status: 401, body: 'Invalid or expired JWT.' } });
      const res = await h3.query(`{ accounts { errors { code retryable } } }`);
      responses.push(res);
      expect(res.body.data!.accounts.errors).toEqual([{ code: 'UPSTREAM_AUTH_FAILED', retryable: false }]);
    } finally {
      await h3.close();
    }
  });

  it('no response ever carries the credential, an upstream URL or a stack trace', () => {
    expect(responses.length).toBeGreaterThan(20);
    const withErrors = responses.filter((r) => r.text.includes('"errors"'));
    expect(withErrors.length).toBeGreaterThan(15);
    for (const { text } of responses) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(h.g8.url);
      expect(text).not.toContain(deadUrl);
      expect(text).not.toMatch(/127\.0\.0\.1|localhost|restmachine|stacktrace|\bat .+\.(ts|js):\d+/i);
      expect(text).not.toMatch(/Did you mean/);
    }
  });
});

describe('usageReport input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('rejects an HOUR report longer than the cap before any upstream call', async () => {
    const res = await h.query(
      `query($w: TimeWindow!) { usageReport(window: $w, granularity: HOUR) { points { metric } } }`,
      { w: { start: '2026-08-01T00:00:00Z', end: '2026-10-01T00:00:00Z' } },
    );
    // Refused before execution: a request error, so no data at all.
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors![0]!.message).toMatch(/HOUR granularity allows at most 31 days/);
    expect(h.g8.requests.length).toBe(0);
  });

  it('answers an HOUR report from every source that reports hourly', async () => {
    h.g8.resetCounters();
    const res = await h.query(
      `query($w: TimeWindow!) { usageReport(window: $w, granularity: HOUR) { points { start metric } errors { code } } }`,
      { w: { start: '2026-10-01T00:00:00Z', end: '2026-10-01T02:00:00Z' } },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.usageReport.errors).toEqual([]);
    expect(new Set(res.body.data!.usageReport.points.map((p) => p.start))).toEqual(
      new Set(['2026-10-01T00:00:00Z', '2026-10-01T01:00:00Z']),
    );
    expect(h.g8.count({ route: 'billing/calculate' })).toBe(2 * h.g8.data.accounts.length);
  });
});

describe('bucket budget', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ limits: { maxBucketsPerRequest: 100 } });
  });
  afterAll(async () => h?.close());

  it('refuses more time buckets per request than configured, and counts a repeated window once', async () => {
    const q = `query($a: TimeWindow!, $b: TimeWindow!) { accounts(first: 1) { edges { node {
      x: consumption(window: $a, granularity: HOUR) { metric } y: consumption(window: $a, granularity: HOUR) { metric }
      z: consumption(window: $b, granularity: HOUR) { metric } } } } }`;
    const a = { start: '2026-10-01T00:00:00Z', end: '2026-10-03T00:00:00Z' }; // 48 hours
    type Metrics = { metric: string }[] | null;
    type Answer = { accounts: { edges: { node: { x: Metrics; y: Metrics; z: Metrics } }[] } };
    const ok = await h.query<Answer>(q, { a, b: { start: '2026-10-05T00:00:00Z', end: '2026-10-07T00:00:00Z' } });
    expect(ok.body.errors).toBeUndefined();
    h.g8.resetCounters();
    const tooMany = await h.query<Answer>(q, { a, b: { start: '2026-10-05T00:00:00Z', end: '2026-10-08T00:00:00Z' } });
    const node = tooMany.body.data!.accounts.edges[0].node;
    expect(node.x!.length).toBeGreaterThan(0);
    expect(node.z).toBeNull();
    expect(tooMany.body.errors!.map((e) => [e.path!.at(-1), e.extensions?.code])).toEqual([['z', 'QUERY_TOO_COMPLEX']]);
    expect(tooMany.body.errors![0]!.message).toBe(
      'The query asks for 120 time buckets; the limit is 100 per request. Use a coarser granularity, a shorter window or fewer distinct windows.',
    );
  });
});
