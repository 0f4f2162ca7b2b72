import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeId } from '../../../src/lib/ids.js';
import type { KillbillSimulator } from '../../../simulators/killbill/simulator.js';
import { postGraphQL, startFullHarness, startHarness, type FullHarness } from '../../helpers/harness.js';

describe('hostile input', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness();
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  it('hides "Did you mean" schema hints, in variable errors too', async () => {
    const res = await h.query(`query($p: Provider) { accounts(provider: $p) { totalCount } }`, { p: 'OPENCLOUD' });
    expect(res.body.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors![0]!.message).toMatch(/Variable "\$p" got invalid value "OPENCLOUD"/);
    expect(res.text).not.toMatch(/Did you mean|OPENVCLOUD/);
  });

  it('refuses a Decimal sent as a JSON number: it went through a double before billgraph saw it', async () => {
    const kb = h.sims.kb as KillbillSimulator;
    const sub = kb.data.subscriptions[0]!;
    const res = await h.query(`mutation($in: RecordUsageInput!) { recordUsage(input: $in) { trackingId } }`, {
      in: {
        subscriptionId: encodeId('Subscription', 'kb', sub.subscriptionId),
        trackingId: 'json-number',
        units: [{ unitType: 'api-calls', records: [{ recordDate: '2026-10-14T00:00:00Z', amount: 1 }] }],
      },
    });
    expect(res.body.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors![0]!.message).toMatch(/Decimal must be sent as a string to stay exact, e\.g\. "1"/);
    expect(kb.count({ method: 'POST' })).toBe(0);
  });

  it('refuses a recordUsage reason or comment that cannot travel as a header, with zero POSTs', async () => {
    const kb = h.sims.kb as KillbillSimulator;
    const sub = kb.data.subscriptions[0]!;
    for (const [field, value] of [
      ['reason', 'price €5'],
      ['comment', 'two\nlines'],
      ['reason', 'x'.repeat(256)],
    ] as const) {
      const res = await h.query(`mutation($in: RecordUsageInput!) { recordUsage(input: $in) { trackingId } }`, {
        in: {
          subscriptionId: encodeId('Subscription', 'kb', sub.subscriptionId),
          trackingId: `audit-${field}`,
          [field]: value,
          units: [{ unitType: 'api-calls', records: [{ recordDate: '2026-10-14T00:00:00Z', amount: '1' }] }],
        },
      });
      expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: `input.${field}` });
      expect(res.body.errors![0]!.message).toMatch(
        new RegExp(`Argument "input.${field}" must be at most 255 printable Latin-1 characters`),
      );
    }
    expect(kb.count({ method: 'POST' })).toBe(0);
  });

  it('never turns a forged id into an upstream path', async () => {
    const res = await h.query(`query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }`, {
      a: encodeId('Subscription', 'kb', '..'),
      b: encodeId('Account', 'kb', '../subscriptions'),
    });
    expect(res.body.data).toEqual({ a: null, b: null });
    expect(res.body.errors!.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(h.sims.kb!.requests.filter((r) => r.route !== 'accounts/pagination')).toEqual([]);
  });

  it('limits introspection depth separately, and lets the standard introspection query through', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const ok = await h.query(getIntrospectionQuery());
    expect(ok.body.errors).toBeUndefined();
    let nested = 'name';
    for (let i = 0; i < 20; i++) nested = `ofType { ${nested} }`;
    const deep = await h.query(`{ __type(name: "Account") { fields { type { ${nested} } } } }`);
    expect(deep.body.errors![0]!.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(deep.body.errors![0]!.message).toBe(
      'The operation is 24 fields deep; the limit is 20. Split it into smaller queries.',
    );
  });

  it('refuses an upstream body past the size cap as UPSTREAM_BAD_RESPONSE', async () => {
    h.sims.civitai!.injectFault({
      fault: {
        kind: 'status',
        status: 200,
        // Past Civitai's own limit (64 KiB: its answers are a few hundred bytes), far under the old 16 MiB.
        body: `{"images": 1, "pad": "${'x'.repeat(1024 * 1024)}"}`,
        contentType: 'application/json',
      },
    });
    const res = await h.query(
      `query($w: TimeWindow!) { accounts(provider: CIVITAI) { edges { node { consumption(window: $w) { quantity } } } } }`,
      { w: { start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z' } },
    );
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'civitai' });
    expect(res.body.errors![0]!.message).toMatch(/a body larger than 65536 bytes/);
  });
});

describe('per-source concurrency', () => {
  it('queues calls beyond maxSockets without counting the queue against the per-attempt timeout (only against the request deadline)', async () => {
    const h = await startHarness({ g8Source: { maxSockets: 2, timeoutMs: 400 } });
    try {
      h.g8.setLatency(120);
      // 14 daily calculate calls through 2 slots: ~7 rounds × 120 ms, well past 400 ms in total.
      const res = await h.query(
        `query($w: TimeWindow!) { accounts(first: 1) { edges { node { consumption(window: $w, granularity: DAY) { start } } } } }`,
        {
          w: { start: '2026-10-01T00:00:00Z', end: '2026-10-15T00:00:00Z' },
        },
      );
      expect(res.body.errors).toBeUndefined();
      expect(
        new Set(res.body.data!.accounts.edges[0].node.consumption.map((p: { start: string }) => p.start)).size,
      ).toBe(14);
      const calc = h.g8.requests.filter((r) => r.route === 'billing/calculate');
      expect(calc).toHaveLength(14);
      // Never more than 2 in flight: each request arrived at least ~one latency after the one two places before it.
      for (let i = 2; i < calc.length; i++) expect(calc[i]!.at - calc[i - 2]!.at).toBeGreaterThanOrEqual(100);
    } finally {
      await h.close();
    }
  });
});

describe('request body limit', () => {
  it('answers 413 to an oversized POST and still shuts down promptly', async () => {
    const h = await startHarness();
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ sources { id } }`, pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0]!.message).toBe(
      'Request body is larger than 1048576 bytes.',
    );
    // The server still answers normally afterwards.
    expect((await postGraphQL(h.url, '{ sources { id } }')).body.data!.sources).toEqual([{ id: 'g8' }]);
    const started = Date.now();
    await h.close();
    expect(Date.now() - started).toBeLessThan(800);
  });
});

describe('alias limit', () => {
  it('counts aliases through every fragment spread and refuses past the limit before any upstream call', async () => {
    const h = await startHarness({ limits: { maxAliases: 4 } });
    try {
      const ok = await h.query(
        `{ a: sources { id } b: sources { id } ...F } fragment F on Query { c: sources { id } d: sources { id } }`,
      );
      expect(ok.body.errors).toBeUndefined();
      h.g8.resetCounters();
      const bomb = await h.query(
        `query($w: TimeWindow!) { accounts { edges { node { ...W } } } x: accounts { edges { node { ...W } } } }
        fragment W on Account { c1: consumption(window: $w) { quantity } c2: consumption(window: $w) { quantity } }`,
        { w: { start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z' } },
      );
      expect(bomb.body.data).toBeUndefined();
      expect(bomb.body.errors![0]!.extensions?.code).toBe('QUERY_TOO_COMPLEX');
      expect(bomb.body.errors![0]!.message).toBe(
        'The operation uses more than 4 aliases; the limit is 4. Split it into smaller queries.',
      );
      expect(h.g8.requests).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});

describe('connection resets', () => {
  it('retries a read when the connection is reset before any answer, up to retryAttempts (3) in all', async () => {
    const h = await startHarness();
    try {
      const q = `query($w: TimeWindow!) { accounts { edges { node { consumption(window: $w) { metric } } } } }`;
      const w = { start: '2026-10-01T00:00:00Z', end: '2026-10-02T00:00:00Z' };
      h.g8.injectFault({
        route: 'billing/calculate',
        match: { accountId: '1' },
        fault: { kind: 'dropResponse' },
        times: 1,
      });
      const ok = await h.query(q, { w });
      expect(ok.body.errors).toBeUndefined();
      expect(h.g8.count({ route: 'billing/calculate' })).toBe(h.g8.data.accounts.length + 1);
      // Three in a row is an outage, not a stale socket: retryAttempts (default 3) caps the attempts.
      h.g8.resetCounters();
      h.g8.injectFault({
        route: 'billing/calculate',
        match: { accountId: '1' },
        fault: { kind: 'dropResponse' },
        times: 3,
      });
      const res = await h.query(q, { w: { ...w, end: '2026-10-03T00:00:00Z' } });
      expect(res.body.errors!.map((e) => [e.extensions?.code, e.message])).toEqual([
        [
          'UPSTREAM_UNAVAILABLE',
          'OpenvCloud source "g8" could not be reached for "billing/calculate" (connection reset).',
        ],
      ]);
      expect(h.g8.count({ route: 'billing/calculate', where: (r) => r.args.accountId === '1' })).toBe(3);
    } finally {
      await h.close();
    }
  });
});
