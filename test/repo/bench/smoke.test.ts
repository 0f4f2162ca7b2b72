// The bench harness, once, on a tiny load, so it cannot rot: every process is really started
// (simulators, gateway on tsx, baseline), autocannon really drives them, and the results are
// really written. Only structure and counts are asserted, never speed.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench, type BenchResult } from '../../../bench/harness.js';
import { generateHyperstackData } from '../../../simulators/hyperstack/seed.js';
import { generateKillbillData } from '../../../simulators/killbill/seed.js';
import { generateOpenvcloudData } from '../../../simulators/openvcloud/seed.js';

const out = mkdtempSync(join(os.tmpdir(), 'billgraph-bench-smoke-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The exact minimum for the traversal over one bucket, from the seeded world itself. */
function minimum() {
  const data = generateOpenvcloudData();
  const listed = data.cloudspaces.filter((cs) => cs.status !== 'DELETED');
  const accountsWithMachines = data.accounts.filter((a) =>
    listed.some(
      (cs) => cs.accountId === a.id && data.machines.some((m) => m.cloudspaceId === cs.id && m.deletionTime === null),
    ),
  );
  return {
    listed: listed.length,
    calculate: accountsWithMachines.length,
    total: 2 + listed.length + accountsWithMachines.length,
  };
}

describe('npm run bench (smoke: 1 scenario, a couple of requests, scale 1)', () => {
  let result: BenchResult;

  it('runs the harness end to end and writes latest.json and latest.md', async () => {
    result = await runBench({
      scenarios: ['traversal', 'traversal-repeat'],
      runs: 1,
      warmup: 1,
      latencyRequests: 3,
      throughputClients: [2],
      rounds: 2,
      seconds: 30,
      cpuClients: 2,
      gateway: 'tsx',
      build: false,
      outDir: out,
      log: () => {},
    });
    expect(existsSync(join(out, 'latest.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'))).toMatchObject({
      meta: { runs: 1 },
      scenarios: [{ id: 'traversal' }, { id: 'traversal-repeat' }],
    });
    const md = readFileSync(join(out, 'latest.md'), 'utf8');
    expect(md).toContain('| G8 traversal, TOTAL, 1 month | billgraph |');
    expect(md).toContain('| baseline |');
    expect(md).toMatch(/Machine: \d+ cores .*Node v\d+/);
  }, 120_000);

  it('makes exactly the minimum of upstream calls, gateway and baseline alike', () => {
    const [traversal] = result.scenarios;
    const min = minimum();
    expect(traversal!.minimumUpstream).toBe(min.total);
    expect(traversal!.gateway.upstreamPerQuery).toBe(min.total);
    expect(traversal!.baseline!.upstreamPerQuery).toBe(min.total);
    expect(traversal!.upstreamByRoute).toEqual({
      'g8 accounts/list': 1,
      'g8 cloudspaces/list': 1,
      'g8 machines/list': min.listed,
      'g8 billing/calculate': min.calculate,
    });
  });

  it('repeats the closed window on the gateway with the cache on: every calculate from the cache, only listings upstream', () => {
    const repeat = result.scenarios.find((s) => s.id === 'traversal-repeat')!;
    const min = minimum();
    expect(repeat.minimumUpstream).toBe(min.total - min.calculate);
    expect(repeat.gateway.upstreamPerQuery).toBe(min.total - min.calculate);
    expect(repeat.upstreamByRoute['g8 billing/calculate']).toBeUndefined();
    // The baseline caches nothing: the same walk, calculate included.
    expect(repeat.baseline!.upstreamPerQuery).toBe(min.total);
    expect(repeat.sameAnswer).toBe(true);
  });

  it('answers the same data from the gateway and the baseline, cleanly, with sensible figures', () => {
    const [t] = result.scenarios;
    expect(t!.sameAnswer).toBe(true);
    for (const f of [t!.gateway, t!.baseline!]) {
      expect(f.badAnswers).toBe(0);
      expect(f.capped).toBe(0);
      expect(f.throughput['2']).toBeGreaterThan(0);
      expect(f.p50).toBeGreaterThan(0);
      expect(f.p95).toBeGreaterThanOrEqual(f.p50);
      expect(f.p99).toBeGreaterThanOrEqual(f.p95);
      expect(Number.isFinite(f.cpuMsPerQuery) && f.cpuMsPerQuery >= 0).toBe(true);
      expect(f.peakRssMb).toBeGreaterThan(10);
      expect(Object.keys(f.throughput)).toEqual(['2']);
    }
    expect(t!.ratio).toMatchObject({
      cpuMsPerQuery: { gateway: t!.gateway.cpuMsPerQuery, baseline: t!.baseline!.cpuMsPerQuery },
    });
    expect(result.meta.machine.cores).toBeGreaterThan(0);
    expect(result.scale).toEqual([]);
    expect(result.hung).toEqual([]);
    expect(result.huge).toEqual([]);
  });
});

describe('bench helpers', () => {
  it('the simulators scale deterministically, and scale 1 is the pinned world', () => {
    expect(generateOpenvcloudData(undefined, 1)).toEqual(generateOpenvcloudData());
    const x4 = generateOpenvcloudData(undefined, 4);
    expect(x4).toEqual(generateOpenvcloudData(undefined, 4));
    expect(x4.accounts).toHaveLength(16);
    expect(new Set(x4.machines.map((m) => m.id)).size).toBe(x4.machines.length);
    expect(x4.accounts.slice(0, 4)).toEqual(generateOpenvcloudData().accounts);
    expect(generateKillbillData(undefined, 1)).toEqual(generateKillbillData());
    expect(generateKillbillData(undefined, 4).accounts).toHaveLength(16);
    expect(generateHyperstackData(undefined, 1)).toEqual(generateHyperstackData());
    expect(generateHyperstackData(undefined, 2).resources.length).toBe(
      generateHyperstackData().resources.length + 24 + 8,
    );
  });
});
