/**
 * "A provider is one folder, one registry line and one `npm run codegen`" (docs/adding-a-provider.md),
 * proved on a copy of the repository: a throwaway sixth provider (test/fixtures/addProvider/, an
 * OpenMeter-style usage source with a required option, priced by sources[].prices) goes into
 * src/providers/openmeter/ and its simulator into simulators/openmeter/, its line into the registry,
 * then `npm run codegen` runs once. After that the generated files are current, the project
 * typechecks, the provider contract suite passes for all six providers, and git lists exactly
 * which paths changed outside the two new folders.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = join(ROOT, 'test/fixtures/addProvider');

/** Everything outside the provider's two folders that adding it may change: its registry line and these generated files. */
const REGISTRY = 'src/providers/registry.ts';
const GENERATED = [
  'billgraph.schema.json',
  'generated/introspection.json',
  'generated/schema.graphql',
  'src/generated/providers.ts',
] as const;

/** The fixture files, path in the repository → content (their `.txt` keeps them out of this build). */
function fixtureFiles(dir = FIXTURES, prefix = ''): [string, string][] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): [string, string][] => {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory()) return fixtureFiles(join(dir, entry.name), `${path}/`);
    if (!entry.name.endsWith('.ts.txt')) return [];
    return [[path.replace(/\.txt$/, ''), readFileSync(join(dir, entry.name), 'utf8')]];
  });
}

/** The registry with OPENMETER added: its import after the last provider's, its entry last. */
function withRegistryLine(registry: string): string {
  const imports = [...registry.matchAll(/^import \{ \w+ \} from '\.\/\w+\/index\.js';$/gm)];
  const last = imports.at(-1);
  const close = registry.indexOf('} as const satisfies ProviderRegistry;');
  if (!last || close === -1) throw new Error(`${REGISTRY} no longer has the shape this test edits.`);
  const at = last.index + last[0].length;
  return `${registry.slice(0, at)}\nimport { openmeter } from './openmeter/index.js';${registry.slice(at, close)}  OPENMETER: openmeter,\n${registry.slice(close)}`;
}

describe('adding a provider', () => {
  let copy: string;
  const git = (...args: string[]) =>
    run('git', ['-c', 'user.name=billgraph', '-c', 'user.email=test@billgraph.invalid', ...args], { cwd: copy });
  const npx = (...args: string[]) =>
    run('npx', args, { cwd: copy, env: { ...process.env, BILLGRAPH_LOG: 'silent' }, maxBuffer: 16 * 1024 * 1024 });

  beforeAll(async () => {
    copy = mkdtempSync(join(tmpdir(), 'billgraph-add-provider-'));
    const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
    });
    for (const path of stdout.split('\0').filter(Boolean)) {
      const to = join(copy, path);
      mkdirSync(dirname(to), { recursive: true });
      try {
        copyFileSync(join(ROOT, path), to);
      } catch {
        // Listed but deleted in this working tree.
      }
    }
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(copy, 'node_modules'));
    await git('init', '-q');
    await git('add', '-A');
    await git('commit', '-q', '--no-verify', '--no-gpg-sign', '-m', 'before the sixth provider');
  }, 60_000);

  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('takes its two folders, one registry line and one npm run codegen; typechecks and passes the contract suite', async () => {
    for (const [path, content] of fixtureFiles()) {
      mkdirSync(dirname(join(copy, path)), { recursive: true });
      writeFileSync(join(copy, path), content);
    }
    writeFileSync(join(copy, REGISTRY), withRegistryLine(readFileSync(join(copy, REGISTRY), 'utf8')));

    // One run, nothing stale after it.
    await run('npm', ['run', 'codegen'], { cwd: copy });
    await expect(run('npm', ['run', 'codegen', '--', '--check'], { cwd: copy })).resolves.toMatchObject({
      stdout: expect.stringContaining('Generated files are current.'),
    });

    const { stdout: status } = await git('status', '--porcelain', '--untracked-files=normal');
    expect(status.split('\n').filter(Boolean).sort()).toEqual(
      [
        ...[REGISTRY, ...GENERATED].map((path) => ` M ${path}`),
        '?? simulators/openmeter/',
        '?? src/providers/openmeter/',
      ].sort(),
    );

    const [typecheck, contract] = await Promise.allSettled([
      npx('tsc', '-p', 'tsconfig.json', '--noEmit'),
      npx('vitest', 'run', '--project', 'contract', 'test/contract/contract.test.ts', '--reporter=verbose'),
    ]);
    const failure = (result: PromiseSettledResult<{ stdout: string }>) =>
      result.status === 'rejected' ? String((result.reason as { stdout?: string }).stdout ?? result.reason) : '';
    expect(failure(typecheck), 'tsc --noEmit in the copy').toBe('');
    expect(failure(contract), 'the contract suite in the copy').toBe('');
    const { stdout } = (contract as PromiseFulfilledResult<{ stdout: string }>).value;
    // The suite ran for the sixth provider too, its required option and its prices included.
    expect(stdout).toContain('provider contract: OPENMETER');
    expect(stdout).not.toMatch(/\bskipped\b/);
  }, 240_000);
});
