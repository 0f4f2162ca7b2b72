/**
 * The logger (src/logger.ts) writing into a captured destination: redaction of every kind of
 * secret, the real cause of unexpected errors, level filtering and rate limiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError, UpstreamError } from '../../src/errors.js';
import { configureLogging, flushLogs, logger, registerSecrets } from '../../src/logger.js';

/** A parsed log line: the fields these tests read, and whatever else it carries. */
type Line = { message: string; error: Record<string, unknown>; suppressed: number; [key: string]: unknown };

/** Routes the process-wide logger into an array; returns the lines (parsed) and the raw text. */
function capture(options: Parameters<typeof configureLogging>[0] = {}) {
  const raw: string[] = [];
  const restore = configureLogging({
    level: 'debug',
    maxPerSecond: 0,
    ...options,
    destination: { write: (s: string) => void raw.push(s) },
  });
  restores.push(restore);
  return {
    get lines(): Line[] {
      return raw.map((s) => JSON.parse(s));
    },
    get text(): string {
      return raw.join('');
    },
  };
}
const restores: (() => void)[] = [];
afterEach(() => {
  while (restores.length) restores.pop()!();
});

describe('line format', () => {
  it('writes one JSON object per line with level, ISO time, message and the fields', () => {
    const out = capture();
    logger.info('hello', { source: 'g8', attempt: 2 });
    expect(out.text.endsWith('\n')).toBe(true);
    const [line] = out.lines;
    expect(line).toMatchObject({ level: 'info', message: 'hello', source: 'g8', attempt: 2 });
    expect(line!.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('child loggers add their bindings to every line and follow a later configureLogging', () => {
    const child = logger.child({ requestId: 'req-1' });
    const out = capture();
    child.warn('upstream failed', { source: 'hs' });
    expect(out.lines).toEqual([
      expect.objectContaining({ level: 'warn', requestId: 'req-1', source: 'hs', message: 'upstream failed' }),
    ]);
  });

  it('keeps the upstream-failure fields other modules log', () => {
    const out = capture();
    const fields = {
      requestId: 'r',
      source: 'g8',
      provider: 'OPENVCLOUD',
      operation: 'billing/calculate',
      code: 'UPSTREAM_UNAVAILABLE',
      status: 503,
      attempt: 1,
      durationMs: 12.5,
    };
    logger.warn('upstream call failed', fields);
    expect(out.lines[0]).toMatchObject(fields);
  });
});

describe('redaction', () => {
  const SECRET = 'Sup3r-Secret-Value-123';

  it.each([
    ['authorization header', { headers: { authorization: `Bearer ${SECRET}` } }],
    ['cookie header', { headers: { cookie: `session=${SECRET}` } }],
    ['set-cookie header', { headers: { 'set-cookie': `session=${SECRET}` } }],
    ['x-api-key header', { headers: { 'x-api-key': SECRET } }],
    ['api_key header', { headers: { api_key: SECRET } }],
    ['password', { password: SECRET }],
    ['token', { token: SECRET }],
    ['apiKey', { apiKey: SECRET }],
    ['apiSecret', { apiSecret: SECRET }],
    ['secret', { secret: SECRET }],
    ['keySha256', { tenant: { keySha256: SECRET } }],
    ['credentials object', { source: { id: 'g8', credentials: { token: SECRET, username: SECRET } } }],
    ['deeply nested password', { a: { b: { c: { d: { password: SECRET } } } } }],
    ['secret-suffixed key', { config: { clientSecret: SECRET, bearerToken: SECRET } }],
    ['array of headers', { attempts: [{ headers: { Authorization: SECRET } }, { headers: { 'X-Api-Key': SECRET } }] }],
  ])('%s is never written', (_kind, fields) => {
    const out = capture();
    logger.error('a line', fields as Record<string, unknown>);
    expect(out.lines).toHaveLength(1);
    expect(out.text).not.toContain(SECRET);
    expect(out.text).toContain('[Redacted]');
  });

  it('scrubs URLs (userinfo, query strings, any scheme) from messages, fields and error messages', () => {
    const out = capture();
    logger.warn(`fetch to https://user:${SECRET}@billing.example.com/v1 failed`, {
      url: `http://127.0.0.1:4010/billing?api_key=${SECRET}`,
      note: `see https://api.example.com/x?token=${SECRET}&page=2 and postgres://admin:${SECRET}@db:5432/x`,
      error: new TypeError(`request to https://api.example.com/usage?apiKey=${SECRET} failed, reason: socket hang up`),
      parsed: new URL(`https://u:${SECRET}@h.example.com/?q=1`),
    });
    expect(out.text).not.toContain(SECRET);
    expect(out.text).not.toMatch(/https?:\/\/|127\.0\.0\.1|example\.com|postgres:/);
    expect(out.lines[0]!.message).toBe('fetch to [url] failed');
  });

  it('scrubs secret query parameters and bearer tokens from relative paths and free text', () => {
    const out = capture();
    logger.info('called /billing/history?start=1&api_key=abc123def', {
      detail: `header was Bearer ${SECRET}`,
      path: `/x?password=${SECRET}`,
    });
    expect(out.text).not.toContain('abc123def');
    expect(out.text).not.toContain(SECRET);
    expect(out.lines[0]!.message).toBe('called /billing/history?start=1&api_key=[Redacted]');
  });

  it('scrubs registered credential values wherever they appear', () => {
    registerSecrets(['hs-sim-key-7f3a9c']);
    const out = capture();
    logger.error('upstream echoed hs-sim-key-7f3a9c back', {
      body: 'the key hs-sim-key-7f3a9c is invalid',
      error: new Error('bad key hs-sim-key-7f3a9c'),
    });
    expect(out.text).not.toContain('hs-sim-key-7f3a9c');
  });

  it('registers secrets only, never a short value or a word that would redact ordinary text', () => {
    registerSecrets(['admin', 'bob', 'password', 'billgraph', 'kb-pass-4f8e1c7a9b', 'QwErTyUiOpAsDfGhJk']);
    const out = capture();
    logger.info('billgraph: admin bob password', { detail: 'kb-pass-4f8e1c7a9b QwErTyUiOpAsDfGhJk' });
    expect(out.lines[0]!.message).toBe('billgraph: admin bob password');
    expect(out.lines[0]!.detail).toBe('[Redacted] [Redacted]');
  });

  it("logs billgraph's own errors by name, code and message only", () => {
    const out = capture();
    const error = new UpstreamError('Hyperstack source "hs" failed "get_usage" (HTTP 503).', 'UPSTREAM_UNAVAILABLE', {
      provider: 'HYPERSTACK',
      source: 'hs',
      retryable: true,
      upstreamStatus: 503,
    });
    logger.warn('source failed', { error });
    expect(out.lines[0]!.error).toEqual({ name: 'GatewayError', code: 'UPSTREAM_UNAVAILABLE', message: error.message });
  });

  it('logs an unexpected error with its class, message, stack and cause chain, all scrubbed', () => {
    const out = capture();
    class ParserBug extends Error {}
    const cause = new RangeError(`offset out of range at https://internal.example.com/?token=${SECRET}`);
    const error = new ParserBug('could not map row', { cause });
    logger.error('unexpected error', { error });
    const logged = out.lines[0]!.error;
    expect(logged).toMatchObject({ name: 'Error', class: 'ParserBug', message: 'could not map row' });
    expect(logged.stack).toContain('logger.test.ts');
    expect(logged.cause).toMatchObject({
      name: 'RangeError',
      class: 'RangeError',
      message: 'offset out of range at [url]',
    });
    expect(out.text).not.toContain(SECRET);
    expect(out.text).not.toContain('internal.example.com');
  });

  it('does not mistake token counts and similar fields for secrets', () => {
    const out = capture();
    logger.info('usage', { inputTokens: 12, output_tokens: 3, tokensUsed: 15 });
    expect(out.lines[0]).toMatchObject({ inputTokens: 12, output_tokens: 3, tokensUsed: 15 });
  });

  it('GatewayError subclasses stay short too', () => {
    const out = capture();
    logger.info('x', { error: new GatewayError('Too complex.', 'QUERY_TOO_COMPLEX') });
    expect(Object.keys(out.lines[0]!.error).sort()).toEqual(['code', 'message', 'name']);
  });
});

describe('levels', () => {
  it.each([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['silent', []],
  ] as const)('at %s, writes %j', (level, expected) => {
    const out = capture({ level });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(out.lines.map((l) => l.level)).toEqual(expected);
    expect(logger.isLevelEnabled('debug')).toBe(level === 'debug');
  });

  it('reads BILLGRAPH_LOG when no level is given, defaulting to info', () => {
    const saved = process.env.BILLGRAPH_LOG;
    try {
      process.env.BILLGRAPH_LOG = 'warn';
      let out = capture({ level: undefined });
      logger.info('i');
      logger.warn('w');
      expect(out.lines.map((l) => l.message)).toEqual(['w']);
      delete process.env.BILLGRAPH_LOG;
      out = capture({ level: undefined });
      logger.debug('d');
      logger.info('i');
      expect(out.lines.map((l) => l.message)).toEqual(['i']);
    } finally {
      process.env.BILLGRAPH_LOG = saved;
    }
  });
});

describe('rate limiting', () => {
  it('writes at most maxPerSecond lines per (level, message) per second, then one summary line', () => {
    let now = 1_000_000;
    const out = capture({ maxPerSecond: 5, now: () => now });
    for (let i = 0; i < 1000; i++) logger.warn('graphql request', { i });
    logger.error('graphql request', { other: 'level' }); // another key: its own budget
    logger.warn('something else');
    expect(out.lines).toHaveLength(7);
    now += 1000;
    logger.warn('graphql request', { i: 'next second' });
    const lines = out.lines;
    expect(lines).toHaveLength(9);
    expect(lines[7]).toMatchObject({
      level: 'warn',
      message: 'suppressed 995 similar lines',
      suppressed: 995,
      suppressedMessage: 'graphql request',
    });
    expect(lines[8]).toMatchObject({ message: 'graphql request', i: 'next second' });
  });

  it('reports the suppressed count even when the flood stops (timer or flush)', async () => {
    const out = capture({ maxPerSecond: 2 });
    for (let i = 0; i < 50; i++) logger.error('unexpected error', { i });
    expect(out.lines).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(out.lines.map((l) => l.message)).toEqual([
      'unexpected error',
      'unexpected error',
      'suppressed 48 similar lines',
    ]);
    for (let i = 0; i < 5; i++) logger.error('unexpected error', { i });
    flushLogs();
    expect(out.lines.at(-1)).toMatchObject({ message: 'suppressed 3 similar lines', suppressed: 3 });
  });

  it('maxPerSecond 0 turns it off', () => {
    const out = capture({ maxPerSecond: 0 });
    for (let i = 0; i < 500; i++) logger.info('same');
    expect(out.lines).toHaveLength(500);
  });
});
