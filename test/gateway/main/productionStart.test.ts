/**
 * The production start as the README gives it: `npm run build`, then
 * `NODE_ENV=production node --max-semi-space-size=64 dist/main.js --config FILE`. The build goes
 * into a temporary folder laid out as a deployment — the build output plus only what it reads at
 * run time (package.json, node_modules, schema/, web/dist) — so a file the built gateway needs
 * but the build does not produce or the README does not name fails here, not in production.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_MODULES } from '../../../src/providers/registry.js';
import type { ProviderModule } from '../../../src/providers/types.js';
import { startAllSimulators, type RunningSimulators } from '../../../simulators/registry.js';
import { postGraphQL } from '../../helpers/harness.js';
import { killStarted, probe, ROOT, RUNNING, startProcess } from '../../helpers/process.js';

let deploy: string;
let sims: RunningSimulators;

/** Files under `dir` (relative paths) that are not TypeScript: what the build must copy. */
function nonTypeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !/\.(?:[cm]?ts|tsx)$/.test(e.name))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

beforeAll(async () => {
  deploy = mkdtempSync(join(tmpdir(), 'billgraph-deploy-'));
  const build = startProcess('npm', ['run', 'build', '--', '--outDir', join(deploy, 'dist')]);
  const exit = await build.waitForExit(180_000);
  expect(exit.code, `${build.stdout()}\n${build.stderr()}`).toBe(0);
  // What the built output reads besides itself, as the README's Production start lists it.
  cpSync(join(ROOT, 'package.json'), join(deploy, 'package.json'));
  cpSync(join(ROOT, 'schema'), join(deploy, 'schema'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(deploy, 'node_modules'), 'dir');
  mkdirSync(join(deploy, 'web'));
  symlinkSync(join(ROOT, 'web', 'dist'), join(deploy, 'web', 'dist'), 'dir');
  sims = await startAllSimulators({ precision: true });
}, 240_000);
afterEach(() => killStarted());
afterAll(async () => {
  killStarted();
  await sims?.close();
  if (deploy) rmSync(deploy, { recursive: true, force: true });
});

describe('npm run build', () => {
  it('emits dist/main.js and copies every non-TypeScript file under src/ (SDL) to the same path', () => {
    expect(readdirSync(join(deploy, 'dist'))).toContain('main.js');
    const assets = nonTypeScriptFiles(join(ROOT, 'src'));
    // Each provider's SDL lives next to its code (src/providers/<name>/schema.graphql).
    const modules: readonly ProviderModule[] = Object.values(PROVIDER_MODULES);
    const sdl = modules.flatMap((m) => m.schema?.sdl ?? []);
    expect(sdl.length).toBeGreaterThan(0);
    for (const url of sdl) expect(assets).toContain(relative(join(ROOT, 'src'), fileURLToPath(url)));
    for (const file of assets)
      expect(readFileSync(join(deploy, 'dist', file)), file).toEqual(readFileSync(join(ROOT, 'src', file)));
    expect(
      readdirSync(join(deploy, 'dist'), { recursive: true }).filter((f) => /\.ts$/.test(String(f))),
      'TypeScript sources in the output',
    ).toEqual([]);
  });

  it('imports only production dependencies, so `npm ci --omit=dev` can run it', () => {
    const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const imported = new Set<string>();
    for (const file of readdirSync(join(deploy, 'dist'), { recursive: true }).map(String)) {
      if (!file.endsWith('.js')) continue;
      const code = readFileSync(join(deploy, 'dist', file), 'utf8');
      for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s*)'([^'./][^']*)'/gm)) {
        const name = m[1]!.startsWith('@') ? m[1]!.split('/').slice(0, 2).join('/') : m[1]!.split('/')[0]!;
        if (!name.startsWith('node:')) imported.add(name);
      }
    }
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].filter((name) => !Object.hasOwn(dependencies, name)).sort()).toEqual([]);
  });
});

describe('NODE_ENV=production node --max-semi-space-size=64 dist/main.js --config FILE', () => {
  it('serves every source, GraphiQL and the dashboard from the built output, and exits 0 on SIGTERM', async () => {
    const config = join(deploy, 'billgraph.json');
    writeFileSync(config, JSON.stringify({ port: 0, sources: sims.config.sources }, null, 2));
    // Started from elsewhere: nothing may depend on the working directory.
    const gw = startProcess(
      process.execPath,
      ['--max-semi-space-size=64', join(deploy, 'dist', 'main.js'), '--config', config],
      { NODE_ENV: 'production' },
      tmpdir(),
    );
    const [, url, port] = await gw.waitForStdout(RUNNING);
    expect(gw.stdout()).toContain(`from ${config}`);
    expect(gw.stdout()).not.toContain('DEMO');
    const base = url!.replace(/\/graphql$/, '');
    // The banner says where the metrics are, and the built output serves them there.
    expect(gw.stdout()).toContain(`Metrics:   ${base}/metrics (Prometheus`);

    const res = await postGraphQL(url!, '{ sources { id provider } accounts { totalCount errors { code } } }');
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.sources.map((s: { id: string }) => s.id)).toEqual(sims.config.sources.map((s) => s.id));
    expect(res.body.data!.accounts.errors).toEqual([]);
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^billgraph_upstream_request_duration_seconds_count\{[^}]*source="g8"/m);
    expect(res.body.data!.accounts.totalCount).toBeGreaterThan(0);

    // GraphiQL 5 and the dashboard, both from the Vite build (web/dist).
    const page = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const scripts = [...html.matchAll(/src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.some((s) => /^\/dashboard\/assets\/graphiql-[\w-]+\.js$/.test(s))).toBe(true);
    for (const src of scripts) expect((await fetch(new URL(src, `${base}/`))).status, src).toBe(200);
    const css = [...html.matchAll(/href="([^"]+\.css[^"]*)"/g)].map((m) => m[1]!);
    expect(css.length).toBeGreaterThan(0);
    for (const href of css) expect((await fetch(new URL(href, `${base}/`))).status, href).toBe(200);
    const dashboard = await fetch(`${base}/dashboard/`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<div id="root">');

    expect(gw.child.kill('SIGTERM')).toBe(true);
    expect(await gw.waitForExit()).toMatchObject({ code: 0, signal: null });
    expect(gw.stderr()).toBe('');
    expect(await probe(`http://127.0.0.1:${port}/healthz`)).toEqual({ error: 'ECONNREFUSED' });
  });

  it('without a config file exits 2 and starts no demo', async () => {
    const gw = startProcess(process.execPath, [join(deploy, 'dist', 'main.js')], { NODE_ENV: 'production' }, tmpdir());
    const exit = await gw.waitForExit();
    expect(exit.code, gw.stderr()).toBe(2);
    expect(gw.stderr()).toMatch(/^billgraph: no configuration file: .*--config FILE.*BILLGRAPH_CONFIG=FILE\.\n$/);
    expect(gw.stdout()).toBe('');
  });

  it('on a Node older than package.json\'s "engines" exits 2 in one line naming both versions, no undici stack trace', async () => {
    // test/fixtures/oldNode.mjs makes process.versions.node say 20.20.2, as the machine's own Node might.
    const gw = startProcess(
      process.execPath,
      [
        '--import',
        join(ROOT, 'test', 'fixtures', 'oldNode.mjs'),
        join(deploy, 'dist', 'main.js'),
        '--config',
        'x.json',
      ],
      { NODE_ENV: 'production' },
      tmpdir(),
    );
    expect((await gw.waitForExit()).code).toBe(2);
    expect(gw.stderr()).toMatch(
      /^billgraph: needs Node >=24 \(package\.json "engines"\), but this is Node 20\.20\.2: [^\n]*\n$/,
    );
    expect(gw.stdout()).toBe('');
  });
});
