/**
 * What error messages and log lines may carry (docs/security.md#messages): an input is quoted
 * cut to 80 characters wherever it is echoed, an engine error (a stack overflow) never becomes a
 * message, and only secrets are scrubbed from logs, never ordinary words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureLogging, logger } from '../../../src/logger.js';
import { startKillbillSimulator } from '../../../simulators/killbill/simulator.js';
import { postGraphQL, startHarness, type Harness } from '../../helpers/harness.js';

const BIG = 'A'.repeat(900_000);
const CUT = `${'A'.repeat(80)}…`;

/** The Kill Bill source's credentials: a username that is an everyday word, and real secrets. */
const KB_CREDENTIALS = {
  username: 'billgraph',
  password: 'kb-pass-4f8e1c7a9b',
  apiKey: 'tenant-key-31c9',
  apiSecret: 'tenant-secret-8d2e77',
};

describe('messages', () => {
  let h: Harness;
  let kb: Awaited<ReturnType<typeof startKillbillSimulator>>;
  beforeAll(async () => {
    kb = await startKillbillSimulator({ credentials: KB_CREDENTIALS });
    h = await startHarness({
      // A token limit that lets a document nest 50,000 levels: deep enough to overflow graphql-js's
      // recursive parser whatever the JIT made of its frames (at the default 5,000 it can go either way).
      limits: { maxTokens: 200_000 },
      extraSources: [
        { id: 'kb', provider: 'KILLBILL', baseUrl: kb.url, credentials: KB_CREDENTIALS, breakerThreshold: 1000 },
      ],
    });
  });
  afterAll(async () => {
    await h?.close();
    await kb?.close();
  });

  it('cuts a 900 KB input to 80 characters in every message that quotes it', async () => {
    const cases: [string, Record<string, unknown> | undefined, string][] = [
      [`query($n: Int) { accounts(first: $n) { totalCount } }`, { n: BIG }, `Variable "$n" got invalid value "${CUT}"`],
      [
        `query($p: Provider) { accounts(provider: $p) { totalCount } }`,
        { p: BIG },
        `Variable "$p" got invalid value "${CUT}"`,
      ],
      [
        `query($w: TimeWindow!) { usageReport(window: $w) { totals { amount } } }`,
        { w: { start: BIG, end: '2026-10-02T00:00:00Z' } },
        `DateTime must be an RFC 3339 instant with an offset, such as "2026-11-01T00:00:00Z", got "${CUT}"`,
      ],
      [
        `query($w: TimeWindow!) { usageReport(window: $w) { totals { amount } } }`,
        { w: BIG },
        `Variable "$w" got invalid value "${CUT}"`,
      ],
      [`query($s: ID) { accounts(source: $s) { totalCount } }`, { s: BIG }, `got "${CUT}"`],
      [`{ accounts(first: "${BIG.slice(0, 500_000)}") { totalCount } }`, undefined, `"${CUT}"`],
      [
        `{ usageReport(window: { start: ${'1'.repeat(500_000)}, end: "2026-10-02T00:00:00Z" }) { totals { amount } } }`,
        undefined,
        `DateTime must be given as a string, got ${'1'.repeat(80)}…`,
      ],
    ];
    for (const [query, variables, expected] of cases) {
      const res = await h.query(query, variables);
      expect(res.body.errors![0]!.message).toContain(expected);
      expect(res.text.length).toBeLessThan(3000);
    }
    expect(h.g8.count()).toBe(0);
  });

  it('cuts an unknown path to 80 characters in its 404', async () => {
    const response = await fetch(new URL(`/${'p'.repeat(10_000)}`, h.url));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: `No route /${'p'.repeat(79)}…; GraphQL is served at /graphql.` });
  });

  it('names a list sent for a DateTime instead of overflowing the stack on its 100,000 levels', async () => {
    const depth = 100_000;
    const nested = `${'['.repeat(depth)}"2026-10-01T00:00:00Z"${']'.repeat(depth)}`;
    const query = JSON.stringify(`query($w: TimeWindow!) { usageReport(window: $w) { totals { amount } } }`);
    const response = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"query":${query},"variables":{"w":{"start":${nested},"end":"2026-10-02T00:00:00Z"}}}`,
    });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).not.toMatch(/call stack/i);
    const body = JSON.parse(text) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0]!.message).toContain('DateTime must be an RFC 3339 instant with an offset');
    expect(body.errors[0]!.message).toContain('got a list');
  });

  it('refuses a document nested too deeply to parse as QUERY_TOO_COMPLEX, not as an engine error', async () => {
    for (const query of [
      `{ usageReport(window: { start: ${'['.repeat(50_000)}"x"${']'.repeat(50_000)}, end: "y" }) { totals { amount } } }`,
      `{ ${'sources { '.repeat(50_000)} id ${'}'.repeat(50_000)} }`,
    ]) {
      const res = await postGraphQL(h.url, query);
      expect(res.status).toBe(400);
      expect(res.text).not.toMatch(/call stack/i);
      expect(res.body.errors![0]!.extensions?.code).toBe('QUERY_TOO_COMPLEX');
      expect(res.body.errors![0]!.message).toMatch(/^The document nests lists, input objects or selections too deeply/);
    }
    expect(h.g8.count()).toBe(0);
  });

  it('scrubs the Kill Bill password and tenant secret from log lines, never the username "billgraph"', () => {
    const raw: string[] = [];
    const restore = configureLogging({
      level: 'debug',
      maxPerSecond: 0,
      destination: { write: (s) => void raw.push(s) },
    });
    try {
      logger.warn('billgraph could not reach kb', {
        detail: `login billgraph:${KB_CREDENTIALS.password} secret ${KB_CREDENTIALS.apiSecret}`,
      });
    } finally {
      restore();
    }
    const line = JSON.parse(raw.join('')) as { message: string; detail: string };
    expect(line.message).toBe('billgraph could not reach kb');
    expect(line.detail).toBe('login billgraph:[Redacted] secret [Redacted]');
  });
});
