/**
 * The command lines of `npm run bench` (bench/run.ts) and `npm run build` (scripts/build.mjs): --help prints every
 * option with its unit and default and exits 0; a mistyped option exits 2 naming it, before any work starts. Both
 * parse through src/lib/cli.ts (node:util parseArgs), as the gateway and the simulators do.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killStarted, startProcess } from '../helpers/process.js';

afterEach(() => killStarted());

const PROGRAMS = [
  {
    name: 'bench',
    args: ['--import', 'tsx', 'bench/run.ts'],
    usage: /^Usage: npm run bench -- /,
    options: [/--runs N .*\(default 3\)/, /--upstream-ms MS .*milliseconds \(default 20\)/, /--out DIR .*\(default /],
  },
  {
    name: 'build',
    args: ['scripts/build.mjs'],
    usage: /^Usage: npm run build /,
    options: [/--outDir DIR .*\(default dist\//],
  },
] as const;

describe.each(PROGRAMS)('npm run $name: command line', ({ name, args, usage, options }) => {
  it('--help prints the usage, every option with its unit and default, and exits 0', async () => {
    const run = startProcess(process.execPath, [...args, '--help']);
    expect((await run.waitForExit(20_000)).code, run.stderr()).toBe(0);
    expect(run.stdout()).toMatch(usage);
    for (const option of options) expect(run.stdout()).toMatch(option);
    expect(run.stderr()).toBe('');
  });

  it('a mistyped option exits 2 with "unknown option" and the usage, doing nothing', async () => {
    const run = startProcess(process.execPath, [...args, '--qiuck']);
    expect((await run.waitForExit(20_000)).code).toBe(2);
    expect(run.stderr()).toMatch(new RegExp(`^${name}: unknown option --qiuck\\n\\n${usage.source.slice(1)}`));
    expect(run.stdout()).toBe('');
  });
});

describe('npm run bench: option values', () => {
  it('a value it cannot use exits 2 in one line naming the option and its variable, no stack trace', async () => {
    const run = startProcess(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--gateway', 'docker']);
    expect((await run.waitForExit(20_000)).code).toBe(2);
    expect(run.stderr()).toMatch(/^bench: --gateway must be dist or tsx, got "docker"\n\nUsage: /);
    expect(run.stderr()).not.toMatch(/^\s+at /m);
  });
});
