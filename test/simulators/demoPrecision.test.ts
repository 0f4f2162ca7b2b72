/**
 * The embedded demo (`npm start` without a config, and the full harness built like it) runs the
 * simulators with their precision switches on (DEMO_PRECISION_EXTENSIONS), so the README's
 * precision example comes out as printed; each simulator on its own stays at the published form.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIVITAI_SIM_API_KEY } from '../../simulators/civitai/simulator.js';
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
