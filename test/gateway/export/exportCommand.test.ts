/**
 * `billgraph export focus` as a user runs it (node --import tsx src/main.ts export focus …, what
 * `npm run export` runs) over the demo: the file is whole and named only once done, the summary
 * and progress go to standard error, and bad options exit 2 saying what to change.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EXPORT_USAGE } from '../../../src/export/focus/exportCommandLine.js';
import { killStarted, startProcess } from '../../helpers/process.js';

const dir = mkdtempSync(join(tmpdir(), 'billgraph-export-cli-'));
const billgraph = (args: readonly string[]) =>
  startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts', 'export', ...args]);

afterEach(() => killStarted());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('billgraph export focus', () => {
  it('writes the FOCUS rows of every demo source to --out, and says how many on standard error', async () => {
    const out = join(dir, 'focus.csv');
    const run = billgraph(['focus', '--start', '2026-11-01', '--end', '2026-11-03', '--out', out]);
    expect((await run.waitForExit(60_000)).code, run.stderr()).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(new Set(rows.map((r) => r.x_SourceId))).toEqual(new Set(['g8', 'kb', 'hs', 'civitai', 'theirstack']));
    expect(run.stderr()).toMatch(
      new RegExp(`export focus: ${rows.length} rows from 5 sources in [\\d.]+ s, \\d+ upstream calls; written to `),
    );
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(run.stdout()).toBe('');
  }, 90_000);

  it('writes JSON Lines to standard output when no --out is given', async () => {
    const run = billgraph([
      'focus',
      '--start',
      '2026-11-01',
      '--end',
      '2026-11-02',
      '--format',
      'jsonl',
      '--sources',
      'g8',
    ]);
    expect((await run.waitForExit(60_000)).code, run.stderr()).toBe(0);
    const rows = run
      .stdout()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string | null>);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.x_SourceId === 'g8' && r.BillingCurrency === 'EUR')).toBe(true);
  }, 90_000);

  it.each([
    [['focus', '--start', '2026-11-01'], 'end is required'],
    [
      ['focus', '--start', '2026-11-01', '--end', '2026-11-02', '--granularity', 'WEEK'],
      'granularity must be one of HOUR, DAY, MONTH',
    ],
    [['focus', '--start', '2026-11-01', '--end', '2026-11-02', '--sources', 'nope'], 'sources names "nope"'],
  ])(
    'exits 2 on %j, saying: %s',
    async (args, message) => {
      const run = billgraph(args);
      expect((await run.waitForExit(60_000)).code).toBe(2);
      expect(run.stderr()).toContain(message);
    },
    90_000,
  );

  it('knows only the focus export, and prints its usage otherwise', async () => {
    const run = billgraph(['invoices']);
    expect((await run.waitForExit(30_000)).code).toBe(2);
    expect(run.stderr()).toContain(EXPORT_USAGE);
  });
});
