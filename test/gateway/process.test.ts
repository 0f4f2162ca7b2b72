/**
 * The real `npm start` process (node --import tsx src/main.ts): config errors, the embedded
 * default, --config against a simulator in this process, /readyz and graceful shutdown.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  OPENVCLOUD_ROUTES,
  OPENVCLOUD_SIM_TOKEN,
  startOpenvcloudSimulator,
  type OpenvcloudSimulator,
} from '../../simulators/openvcloud/simulator.js';
import { postGraphQL } from '../helpers/harness.js';
import { PROVIDERS, SOURCE_IDS, sourceIdOf } from '../helpers/providers.js';
import { freePort, killStarted, probe, startProcess, type TestProcess } from '../helpers/process.js';

/** The gateway from source, as `npm start` runs it: one node process with tsx's loader. */
const startGateway = (args: string[] = [], env: Record<string, string | undefined> = {}): TestProcess =>
  startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], env);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const RUNNING = /billgraph is running at (http:\/\/[^\s]+:(\d+)\/graphql)/;

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/\.[cm]?[tj]s:\d+/);
  expect(text).not.toContain('node_modules');
  expect(text).not.toMatch(/\bError: /);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'billgraph-process-'));
});
afterEach(() => killStarted());
afterAll(() => {
  killStarted();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name: string, config: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return path;
}

const g8Source = (baseUrl: string, extra: Record<string, unknown> = {}) => ({
  id: 'g8',
  provider: 'OPENVCLOUD',
  baseUrl,
  credentials: { token: OPENVCLOUD_SIM_TOKEN },
  ...extra,
});

describe('invalid configuration', () => {
  const cases = [
    {
      name: 'a missing environment variable',
      config: {
        sources: [{ ...g8Source('http://127.0.0.1:9'), credentials: { token: '${BILLGRAPH_TEST_UNSET_TOKEN}' } }],
      },
      expected: ['  - sources[0].credentials.token: environment variable "BILLGRAPH_TEST_UNSET_TOKEN" is not set'],
    },
    {
      name: 'a wrong provider name',
      config: { sources: [{ ...g8Source('http://127.0.0.1:9'), provider: 'OPENVCLOUDS' }] },
      expected: [`  - sources[0].provider: must be one of ${PROVIDERS.join(', ')}, got "OPENVCLOUDS"`],
    },
    {
      name: 'a bad URL',
      config: { sources: [g8Source('https://admin:hunter2@g8.example.com')] },
      expected: ['  - sources[0].baseUrl: must be an http(s) URL without credentials'],
    },
    {
      name: 'several problems',
      config: {
        port: 'x',
        sources: [g8Source('ftp://g8.example.com'), { ...g8Source('http://127.0.0.1:9'), provider: 'NOPE' }],
      },
      expected: [
        '  - port: ',
        '  - sources[0].baseUrl: ',
        '  - sources[1].provider: must be one of',
        '  - sources[1].id: duplicates the source id "g8"',
      ],
    },
  ];

  it.each(cases)(
    'exits 2 on $name with one line per problem and no stack trace',
    async ({ name, config, expected }) => {
      const path = writeConfig(`${name.replace(/\W+/g, '-')}.json`, config);
      const gw = startGateway(['--config', path], { PORT: '0' });
      const exit = await gw.waitForExit(10_000);
      expect(exit.code, gw.stderr()).toBe(2);
      const stderr = gw.stderr();
      const lines = stderr.trimEnd().split('\n');
      expect(lines[0]).toBe(`billgraph: Invalid configuration (${path}):`);
      expect(lines.slice(1).every((l) => l.startsWith('  - '))).toBe(true);
      for (const line of expected)
        expect(
          lines.some((l) => l.startsWith(line)),
          `no line starting with ${JSON.stringify(line)} in\n${stderr}`,
        ).toBe(true);
      if (expected.length > 1) expect(lines.length - 1).toBe(expected.length);
      expect(stderr).not.toContain('hunter2');
      expectNoStackTrace(stderr);
      expect(gw.stdout()).not.toContain('running at');
    },
  );

  it('reads BILLGRAPH_CONFIG the same way as --config', async () => {
    const path = writeConfig('env-path.json', {
      sources: [{ ...g8Source('http://127.0.0.1:9'), provider: 'OPENVCLOUDS' }],
    });
    const gw = startGateway([], { BILLGRAPH_CONFIG: path, PORT: '0' });
    const exit = await gw.waitForExit(10_000);
    expect(exit.code, gw.stderr()).toBe(2);
    expect(gw.stderr()).toContain(
      `billgraph: Invalid configuration (${path}):\n  - sources[0].provider: must be one of OPENVCLOUD,`,
    );
    expectNoStackTrace(gw.stderr());
    // And it really is the env var: without it the embedded default would have started.
    expect(gw.stdout()).not.toContain('built-in simulators');
  });

  it('exits 2 for a missing file and for a file that is not JSON', async () => {
    const missing = join(dir, 'does-not-exist.json');
    const broken = writeConfig('broken.json', '{ "sources": [');
    const a = startGateway([`--config=${missing}`], { PORT: '0' });
    const b = startGateway(['--config', broken], { PORT: '0' });
    const [ea, eb] = await Promise.all([a.waitForExit(10_000), b.waitForExit(10_000)]);
    expect(ea.code, a.stderr()).toBe(2);
    expect(a.stderr()).toContain(`  - file not found: ${missing}`);
    expect(eb.code, b.stderr()).toBe(2);
    expect(b.stderr()).toContain('  - not valid JSON: ');
    expectNoStackTrace(a.stderr());
    expectNoStackTrace(b.stderr());
  });
});

describe('embedded default', () => {
  it('starts the simulators, serves /healthz, /readyz and GraphQL (POST and GET), and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const gw = startGateway([], { PORT: String(port) });
    const [, url, shownPort] = await gw.waitForStdout(RUNNING);
    expect(Number(shownPort)).toBe(port);
    // Every registered provider's simulator, in registry order.
    expect(gw.stdout()).toMatch(
      new RegExp(
        `Sources: built-in simulators \\(${SOURCE_IDS.map((id) => `${escapeRegExp(id)} → http://127\\.0\\.0\\.1:\\d+`).join(', ')}\\)`,
      ),
    );
    const base = url!.replace(/\/graphql$/, '');

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    const readyBody = (await ready.json()) as { status: string; sources: { id: string; ready: boolean }[] };
    expect(readyBody.status).toBe('ready');
    expect(readyBody.sources.map((s) => s.id)).toEqual(SOURCE_IDS);
    expect(readyBody.sources.every((s) => s.ready === true)).toBe(true);

    const post = await postGraphQL(url!, '{ sources { id provider } }');
    expect(post.status).toBe(200);
    expect(post.body.errors).toBeUndefined();
    expect(post.body.data!.sources).toEqual(PROVIDERS.map((provider) => ({ id: sourceIdOf(provider), provider })));

    // CSRF prevention: a GET runs only with a header a cross-site page cannot send without a preflight.
    const bareGet = await fetch(`${url}?query=${encodeURIComponent('{sources{id}}')}`);
    expect(bareGet.status).toBe(400);
    const get = await fetch(`${url}?query=${encodeURIComponent('{sources{id}}')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(200);
    const getBody = (await get.json()) as { data?: { sources: { id: string }[] }; errors?: unknown };
    expect(getBody.errors).toBeUndefined();
    expect(getBody.data!.sources).toEqual(SOURCE_IDS.map((id) => ({ id })));

    // The embedded simulators answer real data through the gateway.
    const accounts = await postGraphQL(url!, '{ accounts { totalCount errors { code } } }');
    expect(accounts.body.errors).toBeUndefined();
    expect(accounts.body.data!.accounts.errors).toEqual([]);
    expect(accounts.body.data!.accounts.totalCount).toBeGreaterThan(0);

    expect(gw.child.kill('SIGTERM')).toBe(true);
    const exit = await gw.waitForExit(10_000);
    expect(exit.code, gw.stderr()).toBe(0);
    expect(exit.signal).toBeNull();
    expect(gw.stderr()).toBe('');
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'handles %s sent as soon as it announces itself (exit 0, not killed)',
    async (signal) => {
      // Several at once: the window between the announcement and the handlers is small.
      const gws = await Promise.all([1, 2, 3].map(async () => startGateway([], { PORT: '0' })));
      await Promise.all(
        gws.map(async (gw) => {
          await gw.waitForStdout(RUNNING);
          gw.child.kill(signal);
        }),
      );
      const exits = await Promise.all(gws.map((gw) => gw.waitForExit(10_000)));
      expect(exits.map((e) => ({ code: e.code, signal: e.signal }))).toEqual(
        gws.map(() => ({ code: 0, signal: null })),
      );
    },
    // Three gateways start at once, each loading and opening its embedded ledger (PGlite, WASM) on two cores.
    60_000,
  );
});

describe('--config against a simulator in the test process', () => {
  let g8: OpenvcloudSimulator;
  beforeAll(async () => {
    g8 = await startOpenvcloudSimulator();
  });
  afterAll(async () => g8?.close());

  async function startWithConfig(extra: Record<string, unknown> = {}, env: Record<string, string> = {}) {
    const path = writeConfig(`g8-${Math.random().toString(36).slice(2)}.json`, {
      sources: [{ ...g8Source(g8.url), credentials: { token: '${BILLGRAPH_TEST_G8_TOKEN}' }, timeoutMs: 5000 }],
      ...extra,
    });
    const gw = startGateway(['--config', path], { BILLGRAPH_TEST_G8_TOKEN: OPENVCLOUD_SIM_TOKEN, PORT: '0', ...env });
    const [, url, port] = await gw.waitForStdout(RUNNING);
    return { gw, path, url: url!, port: Number(port), base: url!.replace(/\/graphql$/, '') };
  }

  it('answers from the configured simulator and starts none of its own; config.port beats PORT', async () => {
    const configPort = await freePort();
    const envPort = await freePort();
    const { gw, path, url, port } = await startWithConfig({ port: configPort }, { PORT: String(envPort) });
    expect(port).toBe(configPort);
    expect(gw.stdout()).toContain(`Sources: g8 (OPENVCLOUD) from ${path}`);
    expect(gw.stdout()).not.toContain('built-in simulators');

    g8.resetCounters();
    const res = await postGraphQL(url, '{ accounts { totalCount edges { node { name } } } }');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.accounts.edges.map((e: { node: { name: string } }) => e.node.name).sort()).toEqual(
      g8.data.accounts.map((a) => a.name).sort(),
    );
    expect(g8.count({ route: OPENVCLOUD_ROUTES.listAccounts })).toBeGreaterThanOrEqual(1);
    // The ${BILLGRAPH_TEST_G8_TOKEN} of the file reached the upstream.
    expect(g8.requests.at(-1)!.headers.authorization).toBe(`bearer ${OPENVCLOUD_SIM_TOKEN}`);
  });

  it('/readyz is 503 naming the failing source and its code, without the upstream URL', async () => {
    const { base } = await startWithConfig();
    const ok = await fetch(`${base}/readyz`);
    expect(ok.status).toBe(200);

    g8.injectFault({ fault: { kind: 'status', status: 503 } });
    try {
      // /readyz reuses its checks for 1 s (so it cannot be used to flood the upstreams): wait that out.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const res = await fetch(`${base}/readyz`);
      const text = await res.text();
      expect(res.status).toBe(503);
      const body = JSON.parse(text) as { status: string; sources: Record<string, unknown>[] };
      expect(body.status).toBe('not ready');
      expect(body.sources).toEqual([
        { id: 'g8', provider: 'OPENVCLOUD', ready: false, code: 'UPSTREAM_UNAVAILABLE', breaker: 'closed' },
      ]);
      expect(text).not.toContain(g8.url);
      expect(text).not.toContain(String(g8.port));
      expect(text).not.toContain('restmachine');
    } finally {
      g8.clearFaults();
    }

    g8.injectFault({ fault: { kind: 'status', status: 401 } });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const res = await fetch(`${base}/readyz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { sources: { code: string }[] }).sources[0]!.code).toBe('UPSTREAM_AUTH_FAILED');
    } finally {
      g8.clearFaults();
    }

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const again = await fetch(`${base}/readyz`);
    expect(again.status).toBe(200);
  });

  it('/readyz is 503 when the upstream is down', async () => {
    const down = await startOpenvcloudSimulator();
    const downUrl = down.url;
    await down.close();
    const path = writeConfig('down.json', { sources: [g8Source(downUrl, { id: 'g8-down', timeoutMs: 2000 })] });
    const gw = startGateway(['--config', path], { PORT: '0' });
    const [, url] = await gw.waitForStdout(RUNNING);
    const res = await fetch(url!.replace(/\/graphql$/, '/readyz'));
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(JSON.parse(text).sources).toEqual([
      { id: 'g8-down', provider: 'OPENVCLOUD', ready: false, code: 'UPSTREAM_UNAVAILABLE', breaker: 'closed' },
    ]);
    expect(text).not.toContain(downUrl);
    expect(text).not.toContain('ECONNREFUSED');
    // Liveness does not depend on the upstream.
    expect((await fetch(url!.replace(/\/graphql$/, '/healthz'))).status).toBe(200);
  });

  it('on SIGTERM refuses new connections, finishes the in-flight query, then exits 0', async () => {
    const { gw, url, base } = await startWithConfig();
    g8.resetCounters();
    g8.setLatency(1500);
    try {
      const inFlight = postGraphQL(url, '{ accounts { totalCount edges { node { name } } } }').then((r) => ({
        ...r,
        at: performance.now(),
      }));
      // The query has reached the simulator, which now holds it for 1.5 s.
      await until(
        () => g8.count({ route: OPENVCLOUD_ROUTES.listAccounts }) >= 1,
        5000,
        'the query to reach the simulator',
      );
      await sleep(300);
      const sigtermAt = performance.now();
      expect(gw.child.kill('SIGTERM')).toBe(true);

      // New connections are refused while the query is still in flight.
      let refused: string | undefined;
      const deadline = Date.now() + 800;
      while (Date.now() < deadline) {
        const p = await probe(`${base}/healthz`, 500);
        // A connection accepted just before close() may be reset instead: keep probing.
        if ('error' in p && p.error === 'ECONNREFUSED') {
          refused = p.error;
          break;
        }
        await sleep(25);
      }
      expect(refused).toBe('ECONNREFUSED');
      // Still running: it must wait for the in-flight query.
      expect(gw.child.exitCode).toBeNull();

      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.accounts.totalCount).toBe(g8.data.accounts.length);
      expect(res.at - sigtermAt).toBeGreaterThan(600);

      const exit = await gw.waitForExit(10_000);
      expect(exit.code, gw.stderr()).toBe(0);
      expect(exit.at - sigtermAt).toBeGreaterThan(600);
    } finally {
      g8.setLatency(0);
    }
  });
});
