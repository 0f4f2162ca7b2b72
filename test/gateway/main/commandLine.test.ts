/**
 * The gateway's command line as a user meets it (node --import tsx src/main.ts, what `npm start` runs): --help,
 * a mistyped flag, and a Node older than package.json's "engines" (faked by test/fixtures/oldNode.mjs), each
 * answered before anything starts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAIN_USAGE } from '../../../src/bootstrap.js';
import { killStarted, startProcess } from '../../helpers/process.js';

const gateway = (args: readonly string[], nodeFlags: readonly string[] = [], env: Record<string, string> = {}) =>
  startProcess(process.execPath, [...nodeFlags, '--import', 'tsx', 'src/main.ts', ...args], env);

afterEach(() => killStarted());

describe('billgraph command line', () => {
  it('--help prints the usage (every option, its unit and default) and exits 0 without starting', async () => {
    const gw = gateway(['--help']);
    expect((await gw.waitForExit(20_000)).code, gw.stderr()).toBe(0);
    expect(gw.stdout()).toBe(MAIN_USAGE);
    expect(gw.stdout()).toMatch(/^Usage: npm start/);
    expect(gw.stdout()).toContain('--config FILE');
    expect(gw.stdout()).not.toContain('billgraph is running');
    expect(gw.stderr()).toBe('');
  });

  it('a mistyped flag exits 2 with "unknown option --x" and the usage instead of starting the demo', async () => {
    const gw = gateway(['--confg', 'billgraph.json']);
    expect((await gw.waitForExit(20_000)).code).toBe(2);
    expect(gw.stderr()).toBe(`billgraph: unknown option --confg\n\n${MAIN_USAGE}`);
    expect(gw.stdout()).toBe('');
  });

  it('on a Node older than "engines" exits 2 with one line naming both versions, before loading undici', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'billgraph-old-node-'));
    const loadedFile = join(dir, 'loaded.txt');
    const gw = gateway(['--help'], ['--import', './test/fixtures/oldNode.mjs'], { LOADED_MODULES_FILE: loadedFile });
    const exit = await gw.waitForExit(20_000);
    const loaded = readFileSync(loadedFile, 'utf8').split('\n').filter(Boolean);
    rmSync(dir, { recursive: true, force: true });
    expect(exit.code).toBe(2);
    // Not vacuous: the hook saw the entry; and nothing of the gateway or its dependencies loaded after it.
    expect(loaded.some((url) => url.endsWith('/src/main.ts'))).toBe(true);
    expect(loaded.filter((url) => url.includes('/src/') && !/\/src\/(main|lib\/nodeVersion)\.ts$/.test(url))).toEqual(
      [],
    );
    expect(loaded.filter((url) => url.includes('/node_modules/undici/'))).toEqual([]);
    expect(gw.stderr()).toBe(
      'billgraph: needs Node >=24 (package.json "engines"), but this is Node 20.20.2: run it with a newer node ' +
        '(the npm scripts use the one npm ci installs, node_modules/.bin/node)\n',
    );
    expect(gw.stdout()).toBe('');
  });
});
