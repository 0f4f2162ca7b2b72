import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configOrDemo,
  configSourceFrom,
  DEMO_PRECISION_LEDGER,
  embeddedConfigOf,
  MAIN_USAGE,
} from '../../src/bootstrap.js';

describe('configSourceFrom', () => {
  it('takes --config PATH', () => {
    expect(configSourceFrom(['--config', 'a.json'], {})).toEqual({ kind: 'file', path: 'a.json' });
  });

  it('takes --config=PATH', () => {
    expect(configSourceFrom(['--config=b.json'], {})).toEqual({ kind: 'file', path: 'b.json' });
  });

  it('prefers --config over BILLGRAPH_CONFIG', () => {
    expect(configSourceFrom(['--config', 'arg.json'], { BILLGRAPH_CONFIG: 'env.json' })).toEqual({
      kind: 'file',
      path: 'arg.json',
    });
    expect(configSourceFrom(['--config=arg.json'], { BILLGRAPH_CONFIG: 'env.json' })).toEqual({
      kind: 'file',
      path: 'arg.json',
    });
  });

  it('falls back to BILLGRAPH_CONFIG', () => {
    expect(configSourceFrom([], { BILLGRAPH_CONFIG: 'env.json' })).toEqual({ kind: 'file', path: 'env.json' });
  });

  it('falls back to the embedded default', () => {
    expect(configSourceFrom([], {})).toEqual({ kind: 'embedded' });
    expect(configSourceFrom([], { BILLGRAPH_CONFIG: '' })).toEqual({ kind: 'embedded' });
  });

  it('under NODE_ENV=production refuses the embedded demo, naming --config and BILLGRAPH_CONFIG', () => {
    expect(() => configSourceFrom([], { NODE_ENV: 'production' })).toThrow(
      /^no configuration file: .*--config FILE.* or BILLGRAPH_CONFIG=FILE\.$/,
    );
    expect(configSourceFrom([], { NODE_ENV: 'production', BILLGRAPH_CONFIG: 'env.json' })).toEqual({
      kind: 'file',
      path: 'env.json',
    });
    expect(configSourceFrom(['--config', 'a.json'], { NODE_ENV: 'production' })).toEqual({
      kind: 'file',
      path: 'a.json',
    });
    expect(configSourceFrom([], { NODE_ENV: 'development' })).toEqual({ kind: 'embedded' });
  });

  it('rejects --config without a path', () => {
    expect(() => configSourceFrom(['--config='], {})).toThrow(/--config needs a file path/);
    for (const argv of [['--config'], ['--config', '--other']])
      expect(configSourceFrom(argv, {})).toEqual({
        kind: 'exit',
        code: 2,
        stream: 'stderr',
        text: `billgraph: option --config needs a value (--config VALUE or --config=VALUE)\n\n${MAIN_USAGE}`,
      });
  });

  it('answers --help and -h with the usage, before looking for a config (even under NODE_ENV=production)', () => {
    for (const argv of [['--help'], ['-h'], ['--config', 'a.json', '--help']])
      expect(configSourceFrom(argv, { NODE_ENV: 'production' })).toEqual({
        kind: 'exit',
        code: 0,
        stream: 'stdout',
        text: MAIN_USAGE,
      });
    expect(MAIN_USAGE).toMatch(/--config FILE .*Default: /);
    expect(MAIN_USAGE).toMatch(/PORT=N .*\(default 4000\)/);
  });

  it('refuses an unknown option or a stray argument instead of starting the demo', () => {
    expect(configSourceFrom(['--confg', 'a.json'], {})).toEqual({
      kind: 'exit',
      code: 2,
      stream: 'stderr',
      text: `billgraph: unknown option --confg\n\n${MAIN_USAGE}`,
    });
    expect(configSourceFrom(['a.json'], {})).toMatchObject({
      kind: 'exit',
      code: 2,
      text: expect.stringMatching(/^billgraph: unexpected argument a\.json/) as unknown,
    });
  });

  it('takes --demo-precision for the demo only: the values beyond a double, off without it', () => {
    expect(configSourceFrom(['--demo-precision'], {})).toEqual({ kind: 'embedded', precision: true });
    expect(configSourceFrom([], {})).not.toHaveProperty('precision');
    expect(configSourceFrom(['--demo-precision=yes'], {})).toMatchObject({
      kind: 'exit',
      code: 2,
      text: expect.stringMatching(/^billgraph: option --demo-precision takes no value/) as unknown,
    });
    expect(() => configSourceFrom(['--demo-precision', '--config', 'a.json'], {})).toThrow(
      /--demo-precision applies to the built-in demo only, not to the sources of a\.json/,
    );
    expect(() => configSourceFrom(['--demo-precision'], { BILLGRAPH_CONFIG: 'env.json' })).toThrow(
      /--demo-precision applies to the built-in demo only, not to the sources of env\.json/,
    );
    // Production refuses the demo, with the switch or without.
    expect(() => configSourceFrom(['--demo-precision'], { NODE_ENV: 'production' })).toThrow(
      /does not start its built-in demo simulators/,
    );
    expect(MAIN_USAGE).toMatch(/--demo-precision\n\s+the demo only: .*\n[^]*Default: off/);
  });
});

describe('embeddedConfigOf', () => {
  const raw = { sources: [], currencies: {} };
  it('leaves the demo config as the simulators give it, and gives --demo-precision a ledger of its own', () => {
    expect(embeddedConfigOf(raw, false, {})).toBe(raw);
    expect(embeddedConfigOf(raw, true, {})).toEqual({
      ...raw,
      ledger: { dataDir: join('.billgraph', DEMO_PRECISION_LEDGER) },
    });
    expect(embeddedConfigOf(raw, true, { BILLGRAPH_DATA_DIR: '/data' })).toEqual({
      ...raw,
      ledger: { dataDir: join('/data', DEMO_PRECISION_LEDGER) },
    });
  });
});

describe('configOrDemo', () => {
  it('reads the file --config names, with no demo to close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'billgraph-config-'));
    try {
      const path = join(dir, 'billgraph.json');
      writeFileSync(
        path,
        JSON.stringify({
          sources: [{ id: 'g8', provider: 'OPENVCLOUD', baseUrl: 'https://g8.example', credentials: { token: 't' } }],
          ledger: { enabled: false },
        }),
      );
      const { config, demo } = await configOrDemo(path, {});
      expect(demo).toBeNull();
      expect(config.sources.map((s) => s.id)).toEqual(['g8']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
