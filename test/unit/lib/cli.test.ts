import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src/lib/cli.js';

const OPTIONS = { latency: { type: 'string' }, quick: { type: 'boolean' } } as const;
const USAGE = 'Usage: demo [--latency MS] [--quick]\n  --latency MS  delay (default 0)\n';

describe('parseCommandLine (node:util parseArgs, strict, plus --help)', () => {
  it('returns the values given, none for the options left out', () => {
    expect(parseCommandLine('demo', ['--latency', '5', '--quick'], OPTIONS, USAGE)).toEqual({
      kind: 'run',
      values: { latency: '5', quick: true },
    });
    expect(parseCommandLine('demo', ['--latency=7'], OPTIONS, USAGE)).toEqual({
      kind: 'run',
      values: { latency: '7' },
    });
    expect(parseCommandLine('demo', [], OPTIONS, USAGE)).toEqual({ kind: 'run', values: {} });
  });

  it('answers --help and -h with the usage on stdout, exit 0', () => {
    for (const argv of [['--help'], ['-h'], ['--quick', '--help']])
      expect(parseCommandLine('demo', argv, OPTIONS, USAGE)).toEqual({
        kind: 'exit',
        code: 0,
        stream: 'stdout',
        text: USAGE,
      });
  });

  it('names a mistake in one line, then the usage, on stderr, exit 2', () => {
    const exit = (line: string) => ({ kind: 'exit', code: 2, stream: 'stderr', text: `demo: ${line}\n\n${USAGE}` });
    expect(parseCommandLine('demo', ['--x'], OPTIONS, USAGE)).toEqual(exit('unknown option --x'));
    expect(parseCommandLine('demo', ['--latncy', '5'], OPTIONS, USAGE)).toEqual(exit('unknown option --latncy'));
    expect(parseCommandLine('demo', ['-z'], OPTIONS, USAGE)).toEqual(exit('unknown option -z'));
    expect(parseCommandLine('demo', ['--latency'], OPTIONS, USAGE)).toEqual(
      exit('option --latency needs a value (--latency VALUE or --latency=VALUE)'),
    );
    expect(parseCommandLine('demo', ['--quick=1'], OPTIONS, USAGE)).toEqual(exit('option --quick takes no value'));
    expect(parseCommandLine('demo', ['stray'], OPTIONS, USAGE)).toEqual(
      exit('unexpected argument stray (every option starts with --)'),
    );
  });

  it('adds the newline a usage text lacks', () => {
    expect(parseCommandLine('demo', ['-h'], OPTIONS, 'Usage: demo')).toMatchObject({ text: 'Usage: demo\n' });
  });
});
