/**
 * What the gateway logs and correlates, over HTTP: the request id (taken or generated, echoed,
 * in every error), one access line per GraphQL request, the real cause of an unexpected error
 * (in the log, never in the answer), a bounded log under a flood, and no credential in any line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureLogging, flushLogs } from '../../src/logger.js';
import type { Fault } from '../../simulators/kit.js';
import { startFullHarness, startHarness, type FullHarness, type Harness } from '../helpers/harness.js';
import { ANSWERED_FAULTS, EVERYTHING, WEEK } from '../helpers/everySource.js';
import { overEverySource, secretsOfEverySource } from '../helpers/providers.js';

/** A parsed log line: the fields these tests read, and whatever else it carries. */
type Line = { message: string; error: Record<string, unknown>; suppressed: number; [key: string]: unknown };

function captureLogs(options: { maxPerSecond?: number } = {}) {
  const raw: string[] = [];
  const restore = configureLogging({
    level: 'debug',
    maxPerSecond: options.maxPerSecond ?? 0,
    destination: { write: (s: string) => void raw.push(s) },
  });
  return {
    restore,
    clear: () => void raw.splice(0),
    get lines(): Line[] {
      return raw.map((s) => JSON.parse(s));
    },
    get text(): string {
      return raw.join('');
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  return {
    status: res.status,
    requestId: res.headers.get('x-request-id'),
    text,
    body: text.startsWith('{') ? JSON.parse(text) : undefined,
  };
}
const gql = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  JSON.stringify({ query, variables, operationName });

describe('request ids, access lines and unexpected errors (one source)', () => {
  let h: Harness;
  let logs: ReturnType<typeof captureLogs>;
  beforeAll(async () => {
    logs = captureLogs();
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
    logs?.restore();
  });

  const accessLines = () => logs.lines.filter((l) => l.message === 'graphql request');

  it('echoes a safe x-request-id and generates one otherwise, on every route', async () => {
    const given = await post(h.url, gql('{ sources { id } }'), { 'x-request-id': 'client-abc.123:x_y-z' });
    expect(given.status).toBe(200);
    expect(given.requestId).toBe('client-abc.123:x_y-z');
    expect((await post(h.url, gql('{ sources { id } }'))).requestId).toMatch(UUID);
    for (const unsafe of ['a'.repeat(129), 'has space', 'semi;colon', '"quoted"', 'nl%0Ainjected', 'ü']) {
      const res = await fetch(h.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-request-id': encodeURI(unsafe) === unsafe ? unsafe : encodeURI(unsafe),
        },
        body: gql('{ sources { id } }'),
      });
      expect(res.headers.get('x-request-id'), unsafe).toMatch(UUID);
    }
    const base = h.url.replace(/\/graphql$/, '');
    for (const path of ['/healthz', '/readyz', '/', '/nope']) {
      const res = await fetch(`${base}${path}`, { headers: { 'x-request-id': 'probe-1' } });
      expect(res.headers.get('x-request-id'), path).toBe('probe-1');
    }
  });

  it('puts the request id into every error, whichever layer answers', async () => {
    const cases = [
      // graphql-js validation
      await post(h.url, gql('{ sources { nope } }'), { 'x-request-id': 'r-validation' }),
      // a resolver's own error
      await post(h.url, gql('{ account(id: "bm9wZQ") { id } }'), { 'x-request-id': 'r-resolver' }),
      // parse error
      await post(h.url, gql('{ sources { id '), { 'x-request-id': 'r-parse' }),
      // Apollo's bad request (no query), before its pipeline
      await post(h.url, JSON.stringify({ variables: {} }), { 'x-request-id': 'r-bad-request' }),
      // the HTTP layer's own answers
      await post(h.url, '{ not json', { 'x-request-id': 'r-json' }),
      await post(h.url, 'x'.repeat(1_048_577), { 'x-request-id': 'r-413' }),
    ];
    expect(cases.map((c) => c.status)).toEqual([400, 200, 400, 400, 400, 413]);
    for (const c of cases) {
      expect(c.body.errors.length, c.text).toBeGreaterThan(0);
      for (const e of c.body.errors) expect(e.extensions.requestId, c.text).toBe(c.requestId);
      expect(c.requestId).toMatch(/^r-/);
    }
  });

  it('writes one access line per GraphQL request: operation, status, duration, codes, upstream calls, request id', async () => {
    logs.clear();
    h.g8.resetCounters();
    const ok = await post(
      h.url,
      gql('query Traversal { accounts { edges { node { name cloudspaces { machines { name } } } } } }'),
      { 'x-request-id': 'r-ok' },
    );
    const calls = h.g8.count();
    expect(calls).toBeGreaterThan(0);
    const bad = await post(h.url, gql('query Broken { sources { nope } }'), { 'x-request-id': 'r-bad' });
    const anon = await post(h.url, gql('{ account(id: "bm9wZQ") { id } }'), { 'x-request-id': 'r-anon' });
    const junk = await post(h.url, '{ not json', { 'x-request-id': 'r-junk' });
    expect([ok.status, bad.status, anon.status, junk.status]).toEqual([200, 400, 200, 400]);
    const lines = accessLines();
    expect(lines.map((l) => l.requestId)).toEqual(['r-ok', 'r-bad', 'r-anon', 'r-junk']);
    expect(lines[0]).toMatchObject({
      level: 'info',
      operation: 'Traversal',
      status: 200,
      errorCodes: [],
      upstreamCalls: calls,
      method: 'POST',
    });
    expect(lines[1]).toMatchObject({
      level: 'warn',
      operation: 'anonymous',
      status: 400,
      errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
      upstreamCalls: 0,
    });
    expect(lines[2]).toMatchObject({ level: 'warn', operation: 'anonymous', status: 200, upstreamCalls: 0 });
    expect(lines[2]!.errorCodes).toHaveLength(1);
    expect(lines[3]).toMatchObject({ level: 'warn', status: 400, errorCodes: ['BAD_REQUEST'], upstreamCalls: 0 });
    for (const l of lines) {
      expect(typeof l.durationMs).toBe('number');
      expect(l.durationMs).toBeGreaterThanOrEqual(0);
      // Never the query text.
      expect(JSON.stringify(l)).not.toMatch(/cloudspaces|nope/);
    }
  });

  it('access lines name the operation only, bounded, even for a huge document', async () => {
    logs.clear();
    const name = `Op${'x'.repeat(300)}`;
    await post(h.url, gql(`query ${name} { sources { id } }`), { 'x-request-id': 'r-long' });
    const [line] = accessLines();
    expect(line!.operation).toBe(name.slice(0, 100));
  });

  it("logs an unexpected error's real cause with the request id; the answer shows none of it", async () => {
    const list = await h.query('{ accounts { edges { node { id } } } }');
    const accountId = list.body.data!.accounts.edges[0].node.id as string;
    const runtime = h.gateway.sources.get('g8')!.runtime as { createApi: unknown };
    const original = runtime.createApi;
    class MappingBug extends TypeError {}
    runtime.createApi = () => {
      throw new MappingBug(
        `cannot read "units" of undefined (while calling ${h.g8.url}/cloudapi/accounts/get?token=abc123)`,
      );
    };
    logs.clear();
    try {
      const res = await post(h.url, gql(`query One { account(id: "${accountId}") { id } }`), {
        'x-request-id': 'r-boom',
      });
      expect(res.status).toBe(200);
      expect(res.body.errors).toEqual([
        {
          message: 'Unexpected error.',
          locations: expect.any(Array),
          path: ['account'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'r-boom' },
        },
      ]);
      expect(res.text).not.toMatch(/MappingBug|units|stack|127\.0\.0\.1|logging\.test/);
    } finally {
      runtime.createApi = original;
    }
    const unexpected = logs.lines.filter((l) => l.message === 'unexpected error');
    expect(unexpected).toHaveLength(1);
    expect(unexpected[0]).toMatchObject({ level: 'error', requestId: 'r-boom', operation: 'One', path: 'account' });
    expect(unexpected[0]!.error).toMatchObject({
      class: 'MappingBug',
      name: 'TypeError',
      message: 'cannot read "units" of undefined (while calling [url])',
    });
    expect(unexpected[0]!.error.stack).toContain('logging.test.ts');
    expect(logs.text).not.toContain(h.g8.url.replace('http://', ''));
    expect(logs.text).not.toContain('abc123');
    expect(accessLines()).toEqual([
      expect.objectContaining({ requestId: 'r-boom', errorCodes: ['INTERNAL_SERVER_ERROR'] }),
    ]);
  });
});

describe('a flood of broken requests', () => {
  let h: Harness;
  let logs: ReturnType<typeof captureLogs>;
  const LIMIT = 10;
  beforeAll(async () => {
    logs = captureLogs({ maxPerSecond: LIMIT });
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
    logs?.restore();
  });

  it('writes a bounded number of lines and says how many it suppressed', async () => {
    const N = 600;
    const started = Date.now();
    for (let i = 0; i < N; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => post(h.url, j % 2 ? '{ not json' : gql('{ sources { nope } }'))),
      );
    }
    const seconds = Math.ceil((Date.now() - started) / 1000);
    flushLogs();
    const lines = logs.lines;
    const written = lines.filter((l) => l.message === 'graphql request');
    const summaries = lines.filter((l) => /^suppressed \d+ similar lines$/.test(l.message));
    // At most LIMIT access lines per started second, plus one summary per second.
    expect(written.length).toBeLessThanOrEqual(LIMIT * (seconds + 1));
    expect(summaries.length).toBeLessThanOrEqual(seconds + 1);
    expect(lines.length).toBeLessThanOrEqual((LIMIT + 1) * (seconds + 1));
    const suppressed = summaries.reduce((sum, l) => sum + l.suppressed, 0);
    expect(written.length + suppressed).toBe(N);
    expect(summaries.every((l) => l.suppressedMessage === 'graphql request' && l.level === 'warn')).toBe(true);
    console.log(
      `flood: ${N} bad requests in ${seconds} s → ${lines.length} lines (${written.length} access lines, ${summaries.length} summaries, ${suppressed} suppressed)`,
    );
  }, 60_000);
});

const WINDOW = WEEK;
const FAULTS: (Fault | null)[] = [null, ...ANSWERED_FAULTS];

describe('every source, every fault: access lines count upstream calls and no line carries a credential', () => {
  let h: FullHarness;
  /** Only for the hang: its calls must give up quickly. */
  let hung: FullHarness;
  let logs: ReturnType<typeof captureLogs>;
  const withTimeout = (timeoutMs: number) => ({
    sourceOverrides: overEverySource({ timeoutMs }),
  });
  beforeAll(async () => {
    logs = captureLogs();
    // A generous timeout, so that on a loaded machine no call gives up before its simulator counted it.
    [h, hung] = await Promise.all([startFullHarness(withTimeout(10_000)), startFullHarness(withTimeout(500))]);
  });
  afterAll(async () => {
    await Promise.all([h?.close(), hung?.close()]);
    logs?.restore();
  });

  it('every simulator hanging: one access line, counting each attempt (the simulators saw at most as many)', async () => {
    for (const sim of Object.values(hung.sims)) sim.injectFault({ fault: { kind: 'timeout' } });
    const before = logs.lines.length;
    const res = await post(hung.url, gql(EVERYTHING, { w: WINDOW }), { 'x-request-id': 'faults-timeout' });
    expect(res.status).toBe(200);
    const access = logs.lines.slice(before).filter((l) => l.message === 'graphql request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ requestId: 'faults-timeout', operation: 'Everything', status: 200 });
    expect(Array.isArray(access[0]!.errorCodes)).toBe(true);
    const received = Object.values(hung.sims).reduce((sum, sim) => sum + sim.count(), 0);
    expect(received).toBeGreaterThan(0);
    expect(access[0]!.upstreamCalls).toBeGreaterThanOrEqual(received);
  });

  for (const fault of FAULTS) {
    it(`${fault ? `every simulator answering ${fault.kind}${'status' in fault ? ` ${fault.status}` : ''}` : 'no fault'}: one access line with the upstream calls made`, async () => {
      h.resetAll();
      if (fault) for (const sim of Object.values(h.sims)) sim.injectFault({ fault });
      const before = logs.lines.length;
      const res = await post(h.url, gql(EVERYTHING, { w: WINDOW }), {
        'x-request-id': `faults-${fault?.kind ?? 'none'}`,
      });
      expect(res.status).toBe(200);
      const access = logs.lines.slice(before).filter((l) => l.message === 'graphql request');
      expect(access).toHaveLength(1);
      const calls = Object.values(h.sims).reduce((sum, sim) => sum + sim.count(), 0);
      expect(calls).toBeGreaterThan(0);
      expect(access[0]).toMatchObject({
        requestId: res.requestId,
        operation: 'Everything',
        status: 200,
        upstreamCalls: calls,
      });
    });
  }

  it('and the log of the whole run contains no credential, upstream URL or simulator address', () => {
    const secrets = secretsOfEverySource(h);
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    const text = logs.text;
    expect(logs.lines.length).toBeGreaterThanOrEqual(FAULTS.length);
    for (const secret of secrets) expect(text).not.toContain(secret);
    for (const sim of [...Object.values(h.sims), ...Object.values(hung.sims)])
      expect(text).not.toContain(sim.url.replace('http://', ''));
    expect(text).not.toMatch(/https?:\/\/|127\.0\.0\.1|localhost/);
  });
});
