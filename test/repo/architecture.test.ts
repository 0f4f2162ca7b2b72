/**
 * The import rules of docs/architecture.md, checked by the same dependency-cruiser run as
 * `npm run lint:deps`: no production module imports a simulator or seed (src/start.ts only
 * through a dynamic import()), no provider imports another one. Also checked: the rules
 * bite on a seeded violation, and --config mode holds no simulator: neither in start.ts's
 * static import graph nor among the modules a real `--config` process loads.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ICruiseResult, IModule } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTERED_PROVIDERS } from '../../src/providers/registry.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The CLI as its package.json's "bin" names it (the file name changed between majors).
const CRUISER = join(ROOT, 'node_modules/dependency-cruiser');
const DEPCRUISE = join(
  CRUISER,
  (JSON.parse(readFileSync(join(CRUISER, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin.depcruise!,
);
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
/** Each registered provider's folder, under src/providers/ and simulators/: its id lower-cased. */
const PROVIDER_FOLDERS = REGISTERED_PROVIDERS.map((p) => p.toLowerCase());

function depcruise(
  cwd: string,
  extraArgs: readonly string[],
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [DEPCRUISE, 'src', '--config', CONFIG, ...extraArgs],
      { cwd, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ exitCode: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/**
 * The report as JSON (whose run always exits 0) plus the exit code of the run `npm run lint:deps`
 * makes, which is what fails a build.
 */
async function cruise(cwd: string): Promise<{ exitCode: number; result: ICruiseResult }> {
  const [json, lint] = await Promise.all([depcruise(cwd, ['--output-type', 'json']), depcruise(cwd, [])]);
  try {
    return { exitCode: lint.exitCode, result: JSON.parse(json.stdout) as ICruiseResult };
  } catch {
    throw new Error(`depcruise gave no JSON report:\n${json.stderr}`);
  }
}

const violationsOf = (result: ICruiseResult, severity: string) =>
  result.summary.violations
    .filter((v) => v.rule.severity === severity)
    .map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);

describe('import rules (.dependency-cruiser.cjs) over src/', () => {
  let exitCode: number;
  let modules: Map<string, IModule>;
  let result: ICruiseResult;

  beforeAll(async () => {
    ({ exitCode, result } = await cruise(ROOT));
    modules = new Map(result.modules.map((m) => [m.source, m]));
  }, 60_000);

  it('has no errors, so `npm run lint:deps` passes', () => {
    expect(violationsOf(result, 'error')).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('has no warnings either', () => {
    expect(violationsOf(result, 'warn')).toEqual([]);
  });

  it('keeps the core schema from naming a provider: their parts reach it through src/gatewaySchema.ts', () => {
    const schemaToProviders = result.modules
      .filter((m) => m.source.startsWith('src/schema/'))
      .flatMap((m) => m.dependencies.map((d) => d.resolved))
      .filter((to) => /^src\/providers\/[^/]+\//.test(to));
    expect(schemaToProviders).toEqual([]);
    expect(modules.get('src/gatewaySchema.ts')?.dependencies.map((d) => d.resolved)).toContain(
      'src/providers/registry.ts',
    );
  });

  it('resolves the .js specifiers to the .ts sources (otherwise every rule would pass vacuously)', () => {
    const hyperstackClient = modules.get('src/providers/hyperstack/client.ts');
    expect(hyperstackClient?.dependencies.map((d) => d.resolved)).toContain('src/providers/hyperstack/kinds.ts');
    expect(result.summary.totalCruised).toBeGreaterThan(100);
  });

  it('never reaches simulators/ from production code, not even by a dynamic import() (src/start.ts computes its specifier)', () => {
    const edges = result.modules
      .filter((m) => m.source.startsWith('src/'))
      .flatMap((m) =>
        m.dependencies
          .filter((d) => d.resolved.startsWith('simulators/'))
          .map((d) => ({ from: m.source, to: d.resolved, types: d.dependencyTypes })),
      );
    expect(edges).toEqual([]);
    // Not vacuous: the cruise sees the gateway program's edges (src/main.ts, the entry, loads src/start.ts).
    expect(modules.get('src/start.ts')?.dependencies.map((d) => d.resolved)).toContain('src/bootstrap.ts');
    expect(modules.get('src/main.ts')?.dependencies.map((d) => d.resolved)).toContain('src/start.ts');
  });

  it('--config mode: the static import graph of src/start.ts holds no simulator, seed or kit', () => {
    // Every edge but dynamic import() counts, type-only ones too: the graph a reader sees.
    const reached = new Set<string>();
    const walk = (source: string) => {
      if (reached.has(source)) return;
      reached.add(source);
      for (const d of modules.get(source)?.dependencies ?? []) {
        if (!d.dependencyTypes.includes('dynamic-import') && d.resolved.startsWith('src/')) walk(d.resolved);
      }
    };
    walk('src/start.ts');
    expect([...reached].filter((s) => s.startsWith('simulators/'))).toEqual([]);
    // Not vacuous: the walk does reach every registered provider and the shared transport.
    for (const provider of PROVIDER_FOLDERS) expect(reached).toContain(`src/providers/${provider}/index.ts`);
    expect(reached).toContain('src/providers/transport/undiciTransport.ts');
  });
});

describe('import rules on a seeded violation', () => {
  let dir: string;
  let result: ICruiseResult;
  let exitCode: number;

  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
    }),
    'src/main.ts': "await import('../simulators/registry.js');\n",
    'src/server.ts': "import type { Kit } from '../simulators/kit.js';\nexport type K = Kit;\n",
    'simulators/kit.ts': 'export type Kit = string;\n',
    'simulators/registry.ts': "import { a } from '../src/providers/a/index.js';\nexport const r = a;\n",
    'src/providers/shared.ts': 'export const shared = 1;\n',
    'src/providers/transport/transport.ts': 'export const transport = 1;\n',
    'src/providers/a/index.ts':
      "import { shared } from '../shared.js';\nimport { transport } from '../transport/transport.js';\nimport { b } from '../b/index.js';\nexport const a = shared + transport + b;\n",
    'src/providers/b/index.ts': "import { missing } from './missing.js';\nexport const b = missing;\n",
    'src/schema/Query.ts': "import { a } from '../providers/a/index.js';\nexport const q = a;\n",
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'billgraph-depcruise-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    ({ exitCode, result } = await cruise(dir));
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails, naming each broken rule and nothing that is allowed', () => {
    expect(exitCode).not.toBe(0);
    expect(violationsOf(result, 'error').sort()).toEqual([
      'no-production-to-simulators: src/main.ts → simulators/registry.ts',
      'no-production-to-simulators: src/server.ts → simulators/kit.ts',
      'no-provider-to-other-provider: src/providers/a/index.ts → src/providers/b/index.ts',
      'no-unresolvable: src/providers/b/index.ts → ./missing.js',
      'schema-not-to-provider-folders: src/schema/Query.ts → src/providers/a/index.ts',
    ]);
    expect(violationsOf(result, 'warn')).toEqual([]);
  });
});

/**
 * Every module URL a `node --import tsx src/main.ts …` process resolves, recorded by a module
 * resolve hook (node:module register) chained in front of tsx's, until the gateway announces
 * itself; then the process is stopped.
 */
async function modulesLoadedByMain(args: readonly string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'billgraph-modules-'));
  try {
    const log = join(dir, 'modules.log');
    writeFileSync(
      join(dir, 'hooks.mjs'),
      [
        "import { appendFileSync } from 'node:fs';",
        'let log;',
        'export function initialize(data) { log = data.log; }',
        'export async function resolve(specifier, context, next) {',
        '  const result = await next(specifier, context);',
        "  appendFileSync(log, result.url + '\\n');",
        '  return result;',
        '}',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)}, { data: { log: ${JSON.stringify(log)} } });\n`,
    );
    const env: NodeJS.ProcessEnv = { ...process.env, BILLGRAPH_LOG: 'silent', PORT: '0' };
    delete env.BILLGRAPH_CONFIG;
    delete env.NODE_OPTIONS; // vitest's own loader flags must not reach the child
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', join(dir, 'register.mjs'), 'src/main.ts', ...args],
      {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`main.ts did not start within 20 s:\n${out}\n${err}`)), 20_000);
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          if (out.includes('billgraph is running at')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`main.ts exited ${code} before starting:\n${out}\n${err}`));
        });
      });
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('modules a real main.ts process loads', () => {
  const simulatorModules = (urls: readonly string[]) =>
    [
      ...new Set(urls.filter((u) => u.includes('/simulators/')).map((u) => u.slice(u.lastIndexOf('/simulators/') + 1))),
    ].sort();

  it('--config loads no simulator, seed or kit (the upstream need not even be up)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'billgraph-config-'));
    try {
      const config = join(dir, 'billgraph.json');
      writeFileSync(
        config,
        JSON.stringify({
          sources: [{ id: 'g8', provider: 'OPENVCLOUD', baseUrl: 'http://127.0.0.1:9', credentials: { token: 't' } }],
        }),
      );
      const urls = await modulesLoadedByMain(['--config', config]);
      // Not vacuous: the hook saw the gateway's own modules, every registered provider included.
      expect(urls.some((u) => u.endsWith('/src/providers/hyperstack/client.ts'))).toBe(true);
      for (const provider of PROVIDER_FOLDERS)
        expect(
          urls.some((u) => u.endsWith(`/src/providers/${provider}/index.ts`)),
          provider,
        ).toBe(true);
      expect(simulatorModules(urls)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);

  it('the embedded default loads the simulator registry, which brings in every simulator', async () => {
    const loaded = simulatorModules(await modulesLoadedByMain([]));
    expect(loaded).toContain('simulators/registry.ts');
    for (const provider of PROVIDER_FOLDERS) expect(loaded).toContain(`simulators/${provider}/simulator.ts`);
  }, 40_000);
});
