/**
 * The import rules of docs/architecture.md, checked by the same dependency-cruiser run as
 * `npm run lint:deps`: no production module imports a simulator or seed (src/main.ts only
 * through a dynamic import()), no provider imports another one. Also checked: the rules
 * bite on a seeded violation, and --config mode's static import graph holds no simulator.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ICruiseResult, IModule } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

function depcruise(cwd: string, extraArgs: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [DEPCRUISE, 'src', '--config', CONFIG, ...extraArgs], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ exitCode: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
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
  result.summary.violations.filter((v) => v.rule.severity === severity).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);

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

  it('warns only about the schema modules issue 11 has yet to cut off from providers/hyperstack', () => {
    expect(violationsOf(result, 'warn').sort()).toEqual([
      'schema-not-to-provider-folders: src/schema/AccountHyperstack.ts → src/providers/hyperstack/api.ts',
      'schema-not-to-provider-folders: src/schema/HyperstackResourceFields.ts → src/providers/hyperstack/api.ts',
    ]);
  });

  it('resolves the .js specifiers to the .ts sources (otherwise every rule would pass vacuously)', () => {
    const hyperstackClient = modules.get('src/providers/hyperstack/client.ts');
    expect(hyperstackClient?.dependencies.map((d) => d.resolved)).toContain('src/providers/hyperstack/kinds.ts');
    expect(result.summary.totalCruised).toBeGreaterThan(100);
  });

  it('reaches src/simulators/ from production code only by the dynamic import() in src/main.ts', () => {
    const edges = result.modules
      .filter((m) => m.source.startsWith('src/') && !m.source.startsWith('src/simulators/'))
      .flatMap((m) => m.dependencies.filter((d) => d.resolved.startsWith('src/simulators/')).map((d) => ({ from: m.source, to: d.resolved, types: d.dependencyTypes })));
    expect(edges).toEqual([{ from: 'src/main.ts', to: 'src/simulators/registry.ts', types: ['local', 'dynamic-import'] }]);
  });

  it('--config mode: the static import graph of src/main.ts holds no simulator, seed or kit', () => {
    // Every edge but dynamic import() counts, type-only ones too: the graph a reader sees.
    const reached = new Set<string>();
    const walk = (source: string) => {
      if (reached.has(source)) return;
      reached.add(source);
      for (const d of modules.get(source)?.dependencies ?? []) {
        if (!d.dependencyTypes.includes('dynamic-import') && d.resolved.startsWith('src/')) walk(d.resolved);
      }
    };
    walk('src/main.ts');
    expect([...reached].filter((s) => s.startsWith('src/simulators/'))).toEqual([]);
    // Not vacuous: the walk does reach every provider and the shared transport.
    for (const provider of ['openvcloud', 'killbill', 'hyperstack', 'civitai', 'theirstack']) expect(reached).toContain(`src/providers/${provider}/index.ts`);
    expect(reached).toContain('src/providers/transport/undiciTransport.ts');
  });
});

describe('import rules on a seeded violation', () => {
  let dir: string;
  let result: ICruiseResult;
  let exitCode: number;

  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
    'src/main.ts': "import './simulators/registry.js';\nawait import('./simulators/registry.js');\n",
    'src/server.ts': "import type { Kit } from './simulators/kit.js';\nexport type K = Kit;\n",
    'src/simulators/kit.ts': 'export type Kit = string;\n',
    'src/simulators/registry.ts': "import { a } from '../providers/a/index.js';\nexport const r = a;\n",
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
      'main-loads-simulators-dynamically: src/main.ts → src/simulators/registry.ts',
      'no-production-to-simulators: src/server.ts → src/simulators/kit.ts',
      'no-provider-to-other-provider: src/providers/a/index.ts → src/providers/b/index.ts',
      'no-unresolvable: src/providers/b/index.ts → ./missing.js',
    ]);
    expect(violationsOf(result, 'warn')).toEqual(['schema-not-to-provider-folders: src/schema/Query.ts → src/providers/a/index.ts']);
  });
});
