import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, validateConfig } from '../../../src/bootstrap.js';
import { ConfigError } from '../../../src/config.js';
import { REGISTERED_PROVIDERS } from '../../../src/providers/registry.js';

const G8 = { id: 'g8', provider: 'OPENVCLOUD', baseUrl: 'http://127.0.0.1:9001', credentials: { token: 'secret' } };

/** The ConfigError thrown by `fn`; fails the test when `fn` does not throw one. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

const problemsOf = (raw: unknown, env: NodeJS.ProcessEnv = {}) =>
  configError(() => validateConfig(raw, 'test', env)).problems;

describe('validateConfig', () => {
  it('accepts a minimal config and applies the defaults', () => {
    const config = validateConfig({ sources: [G8] }, 'test', {});
    expect(config.port).toBeUndefined();
    expect(config.host).toBe('127.0.0.1');
    expect(config.introspection).toBe(true);
    // The shape may grow: check the documented defaults, not the exact set.
    expect(config.limits).toMatchObject({ maxWindowDays: 366, maxHourWindowDays: 31, maxDepth: 12 });
    expect(config.sources).toHaveLength(1);
    expect(config.sources[0]).toMatchObject({
      ...G8,
      timeoutMs: 5000,
      maxSockets: 256,
      transport: 'undici',
      prices: {},
      options: {},
    });
  });

  it("applies the resilience defaults, per source and per request, matching the policy's own", async () => {
    const { RESILIENCE_DEFAULTS } = await import('../../../src/providers/resilience.js');
    const config = validateConfig({ sources: [G8] }, 'test', {});
    expect(config.limits).toMatchObject({ requestTimeoutMs: 10_000, maxUpstreamCallsPerRequest: 2000 });
    // Partial limits still get them.
    expect(validateConfig({ limits: { maxDepth: 5 }, sources: [G8] }, 'test', {}).limits).toMatchObject({
      requestTimeoutMs: 10_000,
      maxUpstreamCallsPerRequest: 2000,
    });
    const { maxInFlight, maxResponseBytes, ...rest } = {
      maxInFlight: undefined,
      maxResponseBytes: undefined,
      ...config.sources[0]!,
    };
    // Both default per provider (Hyperstack's in-flight limit, each provider's body limit).
    expect(maxInFlight).toBeUndefined();
    expect(maxResponseBytes).toBeUndefined();
    const { maxResponseBytes: _policyFallback, ...policy } = RESILIENCE_DEFAULTS;
    expect(rest).toMatchObject(policy);
  });

  it('refuses resilience settings out of range, naming the key', () => {
    expect(
      problemsOf({ limits: { requestTimeoutMs: 0 }, sources: [{ ...G8, retryAttempts: 0, maxQueue: -1 }] }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^limits\.requestTimeoutMs: /),
        expect.stringMatching(/^sources\[0\]\.retryAttempts: /),
        expect.stringMatching(/^sources\[0\]\.maxQueue: /),
      ]),
    );
  });

  it('keeps explicit values over the defaults', () => {
    const config = validateConfig({ port: 4100, sources: [{ ...G8, timeoutMs: 1234, maxSockets: 4 }] }, 'test', {});
    expect(config.port).toBe(4100);
    expect(config.sources[0]!.timeoutMs).toBe(1234);
    expect(config.sources[0]!.maxSockets).toBe(4);
  });

  it('accepts OPENVCLOUD username/password instead of a token', () => {
    const config = validateConfig({ sources: [{ ...G8, credentials: { username: 'u', password: 'p' } }] }, 'test', {});
    expect(config.sources[0]!.credentials).toEqual({ username: 'u', password: 'p' });
  });

  it('replaces ${ENV} with the environment, several variables in one string too', () => {
    const config = validateConfig(
      { sources: [{ ...G8, baseUrl: 'http://${G8_HOST}:${G8_PORT}/api', credentials: { token: '${G8_TOKEN}' } }] },
      'test',
      { G8_HOST: 'g8.internal', G8_PORT: '9443', G8_TOKEN: 'tok-123' },
    );
    expect(config.sources[0]!.baseUrl).toBe('http://g8.internal:9443/api');
    expect(config.sources[0]!.credentials.token).toBe('tok-123');
  });

  it('leaves strings without ${...} and non-strings alone', () => {
    const config = validateConfig(
      { port: 4001, sources: [{ ...G8, credentials: { token: '$G8_TOKEN {x}' } }] },
      'test',
      {},
    );
    expect(config.port).toBe(4001);
    expect(config.sources[0]!.credentials.token).toBe('$G8_TOKEN {x}');
  });

  it('names a missing environment variable and where it is used', () => {
    const problems = problemsOf({ sources: [{ ...G8, credentials: { token: '${G8_TOKEN}' } }] });
    expect(problems).toContain('sources[0].credentials.token: environment variable "G8_TOKEN" is not set');
  });

  it('names each missing variable of one string', () => {
    const problems = problemsOf({ sources: [{ ...G8, baseUrl: 'http://${G8_HOST}:${G8_PORT}' }] }, { G8_PORT: '1' });
    expect(problems).toContain('sources[0].baseUrl: environment variable "G8_HOST" is not set');
    expect(problems.some((p) => p.includes('"G8_PORT"'))).toBe(false);
  });

  it('lists the valid providers for an unknown provider name', () => {
    const problems = problemsOf({ sources: [{ ...G8, provider: 'OPENCLOUD' }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^sources\[0\]\.provider: /);
    for (const name of REGISTERED_PROVIDERS) expect(problems[0]).toContain(name);
    expect(problems[0]).toContain('"OPENCLOUD"');
  });

  it.each([
    ['not http(s)', 'ftp://g8.example.com'],
    ['not a URL at all', 'g8.example.com'],
    ['with user:pass@', 'https://admin:hunter2@g8.example.com'],
    ['with a user only', 'https://admin@g8.example.com'],
  ])('rejects a baseUrl %s', (_label, baseUrl) => {
    const problems = problemsOf({ sources: [{ ...G8, baseUrl }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^sources\[0\]\.baseUrl: must be an http\(s\) URL/);
    // The rejected value may carry a password: it must not be echoed.
    expect(problems[0]).not.toContain('hunter2');
  });

  it('accepts https URLs with a path', () => {
    expect(
      validateConfig({ sources: [{ ...G8, baseUrl: 'https://g8.example.com/base' }] }, 'test', {}).sources[0]!.baseUrl,
    ).toBe('https://g8.example.com/base');
  });

  it('rejects duplicate source ids at the second occurrence', () => {
    const problems = problemsOf({ sources: [G8, { ...G8 }] });
    expect(problems).toEqual(['sources[1].id: duplicates the source id "g8"']);
  });

  it.each([
    ['no credentials', {}],
    ['an empty token', { token: '' }],
    ['a username without password', { username: 'u' }],
    ['a password without username', { password: 'p' }],
  ])('rejects OPENVCLOUD with %s', (_label, credentials) => {
    const problems = problemsOf({ sources: [{ ...G8, credentials }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^sources\[0\]\.credentials: /);
    expect(problems[0]).toContain('token');
    expect(problems[0]).toContain('username');
    expect(problems[0]).toContain('password');
  });

  it('rejects an unknown top-level key', () => {
    const problems = problemsOf({ sources: [G8], prot: 4000 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\(root\): /);
    expect(problems[0]).toContain('prot');
  });

  it('rejects an unknown key inside a source', () => {
    const problems = problemsOf({ sources: [{ ...G8, timeout: 10 }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^sources\[0\]: /);
    expect(problems[0]).toContain('timeout');
  });

  it('rejects a config without sources', () => {
    expect(problemsOf({ sources: [] })).toEqual(['sources: must name at least one source']);
    expect(problemsOf({})[0]).toMatch(/^sources: /);
  });

  it('reports several problems at once, one message each', () => {
    const error = configError(() =>
      validateConfig(
        {
          extra: true,
          sources: [
            { ...G8, credentials: { token: '${G8_TOKEN}' } },
            { id: 'kb', provider: 'KILBILL', baseUrl: 'http://127.0.0.1:9002', credentials: {} },
            { ...G8, id: 'g8b', baseUrl: 'ftp://x', timeoutMs: 0 },
          ],
        },
        'several.json',
        {},
      ),
    );
    expect(error.origin).toBe('several.json');
    expect(error.problems).toHaveLength(5);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        'sources[0].credentials.token: environment variable "G8_TOKEN" is not set',
        expect.stringMatching(/^sources\[1\]\.provider: must be one of /),
        expect.stringMatching(/^sources\[2\]\.baseUrl: /),
        expect.stringMatching(/^sources\[2\]\.timeoutMs: /),
        expect.stringMatching(/^\(root\): .*extra/),
      ]),
    );
    // The message is the CLI's output: a header, then one "  - " line per problem.
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('Invalid configuration (several.json):');
    expect(lines.slice(1)).toEqual(error.problems.map((p) => `  - ${p}`));
  });
});

describe('loadConfigFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'billgraph-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads, interpolates and validates a file', () => {
    const path = write(
      'ok.json',
      JSON.stringify({ port: 4321, sources: [{ ...G8, credentials: { token: '${G8_TOKEN}' } }] }),
    );
    const config = loadConfigFile(path, { G8_TOKEN: 'from-env' });
    expect(config.port).toBe(4321);
    expect(config.sources[0]!.credentials.token).toBe('from-env');
    expect(config.sources[0]!.timeoutMs).toBe(5000);
  });

  it('uses the file path as the origin of its problems', () => {
    const path = write('bad.json', JSON.stringify({ sources: [{ ...G8, provider: 'NOPE' }] }));
    const error = configError(() => loadConfigFile(path, {}));
    expect(error.origin).toBe(path);
    expect(error.message.startsWith(`Invalid configuration (${path}):`)).toBe(true);
    expect(error.problems[0]).toMatch(/^sources\[0\]\.provider: must be one of/);
  });

  it('says when the file does not exist', () => {
    const path = join(dir, 'missing.json');
    const error = configError(() => loadConfigFile(path, {}));
    expect(error.problems).toEqual([`file not found: ${path}`]);
  });

  it('says when the file is not JSON', () => {
    const path = write('broken.json', '{ "sources": [ ');
    const error = configError(() => loadConfigFile(path, {}));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^not valid JSON: /);
  });

  it('says when the path is a directory', () => {
    const error = configError(() => loadConfigFile(dir, {}));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(`cannot read ${dir}`);
  });
});

describe('metrics config', () => {
  it('serves /metrics on the gateway port by default', () => {
    expect(validateConfig({ sources: [G8] }, 'test', {}).metrics).toEqual({
      enabled: true,
      path: '/metrics',
      host: '127.0.0.1',
      operatorKeySha256: [],
    });
  });

  it('refuses an operator key that is also a tenant key, and a digest that is not 64 hex digits', () => {
    const digest = 'a'.repeat(64);
    const tenants = [{ name: 'finops', keySha256: digest, sources: ['g8'] }];
    expect(problemsOf({ sources: [G8], tenants, metrics: { operatorKeySha256: [digest] } }).join('\n')).toMatch(
      /tenants\[0\]\.keySha256: is also a metrics operator key/,
    );
    expect(problemsOf({ sources: [G8], metrics: { operatorKeySha256: ['not-hex'] } }).join('\n')).toMatch(
      /metrics\.operatorKeySha256\[0\]/,
    );
  });

  it('refuses a path the gateway serves already, or one that is not a path', () => {
    for (const path of ['/graphql', '/healthz', '/readyz', '/', '/dashboard/x', 'metrics', '/m?x=1'])
      expect(problemsOf({ sources: [G8], metrics: { path } }).join('\n')).toMatch(/metrics\.path/);
  });

  it('refuses a port out of range and unknown keys', () => {
    expect(problemsOf({ sources: [G8], metrics: { port: 70_000 } }).join('\n')).toMatch(/metrics\.port/);
    expect(problemsOf({ sources: [G8], metrics: { prefix: 'x' } }).join('\n')).toMatch(/metrics/);
  });
});
