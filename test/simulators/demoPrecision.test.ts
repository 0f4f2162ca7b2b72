/**
 * The embedded demo with `--demo-precision` (and the full harness, built like it) runs the
 * simulators with the values beyond a double (startAllSimulators's `precision`), so the README's
 * precision example comes out as printed; plain `npm start` leaves them out, so its figures look
 * like an ordinary fleet's; each simulator on its own stays at the published form.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIVITAI_SIM_API_KEY } from '../../simulators/civitai/simulator.js';
import {
  decimalToNanos,
  KILLBILL_BIG_AMOUNT,
  KILLBILL_BIG_AMOUNT_DAY,
  isoDay,
} from '../../simulators/killbill/seed.js';
import type { KillbillSimulator } from '../../simulators/killbill/simulator.js';
import { ARCHIVE_STORAGE_GB, OPENVCLOUD_ARCHIVE_MACHINE_NAME } from '../../simulators/openvcloud/seed.js';
import type { OpenvcloudSimulator } from '../../simulators/openvcloud/simulator.js';
import { startAllSimulators, type RunningSimulators } from '../../simulators/registry.js';
import { THEIRSTACK_SIM_TOKEN } from '../../simulators/theirstack/simulator.js';
import { startFullHarness, type FullHarness } from '../helpers/harness.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Example: account → cloudspace → machine → consumption'));
const blocks = [...section.matchAll(/```(graphql|json)\n([\s\S]*?)```/g)].slice(0, 3).map((m) => m[2]!);
const [QUERY, VARIABLES, ANSWER] = blocks as [string, string, string];

type Point = { metric: string; quantity: string; unit: string };
type Node = {
  name: string;
  consumption: Point[];
  cloudspaces: { name: string; machines: { name: string; consumption: Point[] }[] }[];
};

let h: FullHarness;
beforeAll(async () => {
  h = await startFullHarness();
});
afterAll(async () => h?.close());

describe('the demo with and without its precision switch', () => {
  const BIG = decimalToNanos(KILLBILL_BIG_AMOUNT)!;
  const byId = (sims: RunningSimulators) => Object.fromEntries(sims.started.map((s) => [s.source.id, s.handle]));
  const archiveGb = (sims: FullHarness['sims']) =>
    (sims.g8 as OpenvcloudSimulator).data.machines.find((m) => m.name === OPENVCLOUD_ARCHIVE_MACHINE_NAME)!.storage;
  const bigRecords = (sims: FullHarness['sims']) =>
    (sims.kb as KillbillSimulator).records.filter((r) => r.amountNanos === BIG);

  it('leaves out the ~92 EiB archive machine and the 333333333.333333333 Kill Bill records by default (plain npm start)', async () => {
    const running = await startAllSimulators();
    try {
      const sims = byId(running);
      expect(archiveGb(sims)).toBe(ARCHIVE_STORAGE_GB.default);
      expect(bigRecords(sims)).toEqual([]);
      // No seeded Kill Bill record comes near it: the demo's egress days stay ordinary.
      const largest = (sims.kb as KillbillSimulator).records.reduce(
        (m, r) => (r.amountNanos > m ? r.amountNanos : m),
        0n,
      );
      expect(largest).toBeLessThan(1_000_000n * 1_000_000_000n);
    } finally {
      await running.close();
    }
  });

  it('seeds both with precision: true (npm start -- --demo-precision, the full harness)', async () => {
    const running = await startAllSimulators({ precision: true });
    try {
      for (const sims of [byId(running), h.sims]) {
        expect(archiveGb(sims)).toBe(ARCHIVE_STORAGE_GB.beyondDoublePrecision);
        expect(bigRecords(sims).map((r) => isoDay(r.recordMs))).toEqual([
          KILLBILL_BIG_AMOUNT_DAY,
          KILLBILL_BIG_AMOUNT_DAY,
        ]);
      }
    } finally {
      await running.close();
    }
  });

  it('prices every unit the Kill Bill seed reports and every G8 metric, so the demo shows no unpriced cost', async () => {
    const running = await startAllSimulators();
    try {
      const prices = (id: string) =>
        Object.keys(running.config.sources.find((s) => s.id === id)!.prices as Record<string, unknown>).sort();
      const kb = byId(running).kb as KillbillSimulator;
      const kbUnits = new Set([
        ...kb.data.subscriptions.flatMap((s) => s.unitTypes),
        ...kb.records.map((r) => r.unitType),
      ]);
      expect(kbUnits.size).toBeGreaterThan(0);
      expect(prices('kb')).toEqual([...kbUnits].sort());
      expect(prices('g8')).toEqual(['CU', 'NU', 'SU', 'TU']);
    } finally {
      await running.close();
    }
  });

  it("serves the demo's ordinary data through startFullHarness({ precision: false })", async () => {
    const plain = await startFullHarness({ precision: false });
    try {
      expect(archiveGb(plain.sims)).toBe(ARCHIVE_STORAGE_GB.default);
      expect(bigRecords(plain.sims)).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});

describe("the embedded demo's precision", () => {
  it("answers the README's traversal example with its figures digit for digit, the 17-significant-digit SU total included", async () => {
    const res = await h.query<{ accounts: { edges: { node: Node }[] } }>(
      QUERY,
      JSON.parse(VARIABLES) as Record<string, unknown>,
    );
    expect(res.body.errors).toBeUndefined();
    const node = res.body.data!.accounts.edges[0]!.node;
    // The README's answer is trimmed to one cloudspace and two machines: compare what it shows.
    const shown = (JSON.parse(ANSWER) as { data: { accounts: { edges: { node: Node }[] } } }).data.accounts.edges[0]!
      .node;
    expect(node.name).toBe(shown.name);
    expect(node.consumption).toEqual(shown.consumption);
    for (const cs of shown.cloudspaces) {
      const got = node.cloudspaces.find((c) => c.name === cs.name)!;
      for (const m of cs.machines)
        expect(got.machines.find((x) => x.name === m.name)?.consumption).toEqual(m.consumption);
    }
    expect(shown.consumption.map((p) => p.quantity)).toContain('71759274778.146402');
    // Those figures need the switch the full harness runs with: the README says so.
    expect(section.slice(0, section.indexOf(ANSWER))).toContain('`npm start -- --demo-precision`');
  });

  it('serves Civitai totals and TheirStack credits with more digits than a double holds', async () => {
    const civitai = h.sims.civitai!;
    const theirstack = h.sims.theirstack!;
    const civ = await fetch(
      `${civitai.url}/v1/consumer/consumption?startDate=2026-10-01T00:00:00Z&endDate=2026-10-02T00:00:00Z`,
      { headers: { authorization: `Bearer ${CIVITAI_SIM_API_KEY}` } },
    );
    const totalCost = /"totalCost":([0-9.]+)/.exec(await civ.text())![1]!;
    expect(totalCost.replace('.', '').replace(/^0+/, '').length).toBeGreaterThan(17);
    const ts = await fetch(
      `${theirstack.url}/v0/teams/credits_consumption?start_datetime=2026-10-01T00:00:00&end_datetime=2026-10-31T23:59:59`,
      { headers: { authorization: `Bearer ${THEIRSTACK_SIM_TOKEN}` } },
    );
    const credits = [...(await ts.text()).matchAll(/"api_credits_consumed":([^,}]+)/g)].map((m) => m[1]!);
    expect(credits.some((c) => /\.\d{10,}/.test(c))).toBe(true);
  });
});
