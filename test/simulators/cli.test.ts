/**
 * `npm run simulators` (simulators/cli.ts) as README and its usage give it: the config file it writes — by `--out`
 * or by redirecting `npm run -s` — is a billgraph config the gateway's loader accepts, and --help or a mistyped
 * option answers instead of starting the simulators.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/bootstrap.js';
import { childEnv, killStarted, ROOT, startProcess } from '../helpers/process.js';

let dir: string;
const groups: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'billgraph-sims-cli-'));
});
afterEach(() => {
  // `sh -c 'npm run …'` runs sh → npm → node: signal the whole process group.
  for (const child of groups.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  killStarted();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `command` run by sh in the project folder, as a user types it; resolves with its stderr once `ready` appears. */
function shell(command: string, ready: RegExp): Promise<string> {
  const child = spawn('sh', ['-c', command], {
    cwd: ROOT,
    env: childEnv({}),
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  groups.push(child);
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${String(ready)} within 60 s:\n${err}`)), 60_000);
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      if (ready.test(err)) {
        clearTimeout(timer);
        resolve(err);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited ${code} first:\n${err}`));
    });
  });
}

/** The file, read by the gateway's own config loader: throws a ConfigError (exit 2 in the gateway) when it is not one. */
function expectBillgraphConfig(file: string): void {
  const text = readFileSync(file, 'utf8');
  expect(text.startsWith('{'), text.slice(0, 200)).toBe(true);
  const config = loadConfigFile(file, {});
  expect(config.sources.map((s) => s.provider).sort()).toEqual(
    ['CIVITAI', 'HYPERSTACK', 'KILLBILL', 'OPENVCLOUD', 'THEIRSTACK'].sort(),
  );
  for (const source of config.sources) expect(source.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
}

describe('npm run simulators: the config file, as the docs say to make it', () => {
  it('npm run simulators -- --out sims.json writes a config the gateway loads, says where, and keeps running', async () => {
    const file = join(dir, 'out.json');
    const err = await shell(`npm run simulators -- --out ${file}`, /Ctrl-C to stop/);
    expect(err).toContain(`Config written to ${file}: npm start -- --config ${file}`);
    expectBillgraphConfig(file);
    expect(groups[0]!.exitCode, 'the simulators keep running after writing the file').toBeNull();
  });

  it('npm run -s simulators > sims.json writes a config the gateway loads (no npm banner in the file)', async () => {
    const file = join(dir, 'redirected.json');
    await shell(`npm run -s simulators > ${file}`, /Ctrl-C to stop/);
    expect(readFileSync(file, 'utf8')).not.toContain('> billgraph@');
    expectBillgraphConfig(file);
  });
});

describe('npm run simulators: command line', () => {
  const cli = (args: readonly string[]) =>
    startProcess(process.execPath, ['--import', 'tsx', 'simulators/cli.ts', ...args]);

  it('--help prints every option with its unit and default and exits 0 without starting anything', async () => {
    const sims = cli(['--help']);
    expect((await sims.waitForExit(20_000)).code, sims.stderr()).toBe(0);
    const usage = sims.stdout();
    expect(usage).toMatch(/^Usage: npm run simulators -- /);
    expect(usage).toMatch(/--out FILE /);
    expect(usage).toMatch(/--latency MS .*milliseconds \(default 0\)/);
    expect(usage).toMatch(/--scale N .*\(default 1,/s);
    expect(usage).toMatch(/--demo-precision\n.*\(default off,/s);
    expect(usage).toContain('npm run -s simulators > sims.json');
    expect(sims.stderr()).toBe('');
  });

  it('a mistyped option exits 2 with "unknown option" and the usage, starting no simulator', async () => {
    const sims = cli(['--latncy', '20']);
    expect((await sims.waitForExit(20_000)).code).toBe(2);
    expect(sims.stderr()).toMatch(/^simulators: unknown option --latncy\n\nUsage: npm run simulators -- /);
    expect(sims.stderr()).not.toContain('Simulators running');
    expect(sims.stdout()).toBe('');
  });

  it('a bad value exits 2 naming the option and what it takes', async () => {
    const sims = cli(['--scale', '0']);
    expect((await sims.waitForExit(20_000)).code).toBe(2);
    expect(sims.stderr()).toMatch(/^simulators: --scale needs an integer from 1 to 1000, got "0"\n/);
  });
});
