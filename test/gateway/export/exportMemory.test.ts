/**
 * The FOCUS export streams: a year of daily rows over every simulator at --scale 4 (about 34,000
 * rows, 28,000 upstream calls) is exported by `billgraph export focus` in a child process whose
 * peak RSS grows by less than 150 MiB over the same process exporting one day. The child runs
 * under a 128 MiB V8 heap ceiling (--max-old-space-size), so an export that held its rows would
 * die of it instead of merely growing; without a ceiling V8 collects lazily and RSS says little
 * (docs/focus.md#memory has both figures).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv } from '../../helpers/process.js';

type Sims = Awaited<ReturnType<typeof import('../../../simulators/registry.js').startAllSimulators>>;

let sims: Sims;
let dir: string;
let config: string;

beforeAll(async () => {
  const { startAllSimulators } = await import('../../../simulators/registry.js');
  sims = await startAllSimulators({ scale: 4, precision: true });
  dir = mkdtempSync(join(tmpdir(), 'billgraph-export-memory-'));
  config = join(dir, 'billgraph.json');
  // No response cache: it is bounded by its own cache.maxBytes, and would be measured here.
  const sources = sims.config.sources.map((s) => ({ ...s, cache: { ttlSeconds: 0 } }));
  writeFileSync(config, JSON.stringify({ ...sims.config, sources, ledger: { enabled: false } }));
}, 60_000);

afterAll(async () => {
  await sims?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs an export to standard output (counted, not kept), sampling the child's RSS every 25 ms. */
function exportPeak(start: string, end: string) {
  return new Promise<{ code: number | null; peakBytes: number; bytes: number; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--max-old-space-size=128',
        '--import',
        'tsx',
        'src/main.ts',
        'export',
        'focus',
        '--config',
        config,
        '--start',
        start,
        '--end',
        end,
      ],
      { env: childEnv({ BILLGRAPH_DATA_DIR: dir }) },
    );
    let peakBytes = 0;
    let bytes = 0;
    let stderr = '';
    const sample = setInterval(() => {
      try {
        const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        if (kib) peakBytes = Math.max(peakBytes, Number(kib) * 1024);
      } catch {
        // Gone between two samples.
      }
    }, 25);
    child.stdout.on('data', (c: Buffer) => (bytes += c.length));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => {
      clearInterval(sample);
      resolve({ code, peakBytes, bytes, stderr });
    });
  });
}

describe('the FOCUS export’s memory', () => {
  it('exports a year of daily rows at --scale 4 with its RSS growing by less than 150 MiB over a one-day export', async () => {
    const day = await exportPeak('2026-11-01', '2026-11-02');
    expect(day.code, day.stderr).toBe(0);
    const year = await exportPeak('2025-12-01', '2026-12-01');
    expect(year.code, year.stderr).toBe(0);
    const rows = Number(/export focus: (\d+) rows/.exec(year.stderr)?.[1]);
    expect(rows).toBeGreaterThan(30_000);
    expect(year.bytes).toBeGreaterThan(15 * 2 ** 20);
    const growthMiB = (year.peakBytes - day.peakBytes) / 2 ** 20;
    console.info(
      `export memory: year ${rows} rows, ${(year.bytes / 2 ** 20).toFixed(1)} MiB written, peak RSS ${(year.peakBytes / 2 ** 20).toFixed(0)} MiB vs ${(day.peakBytes / 2 ** 20).toFixed(0)} MiB for a day (+${growthMiB.toFixed(0)} MiB)`,
    );
    expect(growthMiB).toBeLessThan(150);
  }, 180_000);
});
