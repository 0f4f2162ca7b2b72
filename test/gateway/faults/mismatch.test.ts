/**
 * Well-formed upstream answers that are not answers to what billgraph asked (another account's
 * tree, another subscription or year, missing days, a missing total, another resource or
 * window), over HTTP through the real gateway and simulators (the kit's `rewrite` fault). Each
 * query selects data fields only: the mismatch must surface as a top-level UPSTREAM_BAD_RESPONSE
 * error on the affected field, never as the wrong figures in `data`.
 */
import type { GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SimRequest } from '../../../simulators/kit.js';
import { KILLBILL_ROUTES } from '../../../simulators/killbill/simulator.js';
import { OPENVCLOUD_ROUTES, type OpenvcloudSimulator } from '../../../simulators/openvcloud/simulator.js';
import { CIVITAI_ROUTES } from '../../../simulators/civitai/simulator.js';
import { HYPERSTACK_ROUTES } from '../../../simulators/hyperstack/simulator.js';
import { THEIRSTACK_ROUTES } from '../../../simulators/theirstack/simulator.js';
import { startFullHarness, type FullHarness, type GraphQLResponse } from '../../helpers/harness.js';
import { expectNoSecrets, WINDOW } from './helpers.js';

type Json = unknown;

/** `value` with `f` applied to every [key, leaf] pair, depth first (what a rewrite changes). */
function mapLeaves(value: Json, f: (key: string, leaf: Json) => Json, key = ''): Json {
  if (Array.isArray(value)) return value.map((v) => mapLeaves(v, f, key));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapLeaves(v, f, k)]));
  return f(key, value);
}

/** The answer's errors as [code, dotted path], sorted. */
const errorsOf = (res: GraphQLResponse<unknown>): [unknown, string][] =>
  (res.body.errors ?? [])
    .map((e: GraphQLFormattedError): [unknown, string] => [e.extensions?.code, (e.path ?? []).join('.')])
    .sort((a, b) => (a[1] < b[1] ? -1 : 1));

/** What errorsOf should be: UPSTREAM_BAD_RESPONSE on each of `paths`, in the same order. */
const badResponsesAt = (paths: string[]): [unknown, string][] =>
  paths.map((p): [unknown, string] => ['UPSTREAM_BAD_RESPONSE', p]).sort((a, b) => (a[1] < b[1] ? -1 : 1));

const messagesOf = (res: GraphQLResponse<unknown>): string[] => (res.body.errors ?? []).map((e) => e.message);

const g8Accounts = /* GraphQL */ `
  query ($w: TimeWindow!) {
    accounts(provider: OPENVCLOUD) {
      edges {
        node {
          providerId
          consumption(window: $w) {
            metric
            quantity
          }
        }
      }
    }
  }
`;

const g8Machines = /* GraphQL */ `
  query ($w: TimeWindow!) {
    accounts(provider: OPENVCLOUD, first: 1) {
      edges {
        node {
          cloudspaces {
            machines {
              name
              consumption(window: $w) {
                metric
                quantity
              }
            }
          }
        }
      }
    }
  }
`;

const kbUsage = /* GraphQL */ `
  query ($w: TimeWindow!) {
    accounts(provider: KILLBILL, first: 1) {
      edges {
        node {
          subscriptions {
            usage(window: $w) {
              metric
              quantity
            }
          }
        }
      }
    }
  }
`;

const ownConsumption = (provider: string, granularity = 'TOTAL') => /* GraphQL */ `
  query ($w: TimeWindow!) {
    accounts(provider: ${provider}) {
      edges {
        node {
          consumption(window: $w, granularity: ${granularity}) {
            metric
            quantity
            cost {
              amount
            }
          }
        }
      }
    }
  }
`;

const hsVmDays = /* GraphQL */ `
  query ($w: TimeWindow!) {
    accounts(provider: HYPERSTACK) {
      edges {
        node {
          resources(types: [VIRTUAL_MACHINE]) {
            name
            consumption(window: $w, granularity: DAY) {
              quantity
            }
          }
        }
      }
    }
  }
`;

const OCTOBER = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };

describe('an upstream answer that does not match what was asked', () => {
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness();
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.resetAll());

  it("G8 answering NASA's tree for every account is UPSTREAM_BAD_RESPONSE on the other accounts, never NASA's figures as theirs", async () => {
    const g8 = h.sims.g8 as OpenvcloudSimulator;
    g8.injectFault({
      route: OPENVCLOUD_ROUTES.calculate,
      fault: {
        kind: 'rewrite',
        rewrite: (_body, req: SimRequest) => g8.expectedCalculate(1, Number(req.args.start), Number(req.args.end)),
      },
    });
    type Node = { providerId: string; consumption: { quantity: string }[] | null };
    const res = await h.query<{ accounts: { edges: { node: Node }[] } }>(g8Accounts, { w: WINDOW });
    const nodes = res.body.data!.accounts.edges.map((e) => e.node);
    const others = nodes.flatMap((n, i) => (n.providerId === '1' ? [] : [i]));
    expect(others.length).toBeGreaterThanOrEqual(2);
    expect(errorsOf(res)).toEqual(badResponsesAt(others.map((i) => `accounts.edges.${i}.node.consumption`)));
    for (const i of others) expect(nodes[i]!.consumption).toBeNull();
    // NASA's own tree is NASA's: its figures are answered, and only there.
    const nasa = nodes.find((n) => n.providerId === '1')!;
    expect(nasa.consumption!.length).toBeGreaterThan(0);
    const dataText = JSON.stringify(res.body.data);
    for (const { quantity } of nasa.consumption!) expect(dataText.split(`"${quantity}"`).length - 1).toBe(1);
    expect(messagesOf(res)[0]).toMatch(
      /answered "billing\/calculate" with a body for account "1" where billgraph asked for "\d+"/,
    );
    expect(g8.count({ route: OPENVCLOUD_ROUTES.calculate })).toBe(nodes.length);
    expectNoSecrets(h, res.text);
  });

  it('a G8 tree whose cloudspaces lost their machines is UPSTREAM_BAD_RESPONSE on every machine, not machines without consumption', async () => {
    const g8 = h.sims.g8 as OpenvcloudSimulator;
    for (const strip of [
      (cs: Record<string, unknown>) => ({ ...cs, machines: {} }),
      ({ machines: _dropped, ...cs }: Record<string, unknown>) => cs,
    ]) {
      h.resetAll();
      g8.injectFault({
        route: OPENVCLOUD_ROUTES.calculate,
        fault: {
          kind: 'rewrite',
          rewrite: (body) => {
            const account = (body as { account: { cloudspaces: Record<string, Record<string, unknown>> } }).account;
            const cloudspaces = Object.fromEntries(
              Object.entries(account.cloudspaces).map(([k, cs]) => [k, strip(cs)]),
            );
            return { account: { ...account, cloudspaces } };
          },
        },
      });
      type Space = { machines: { name: string; consumption: unknown }[] };
      const res = await h.query<{ accounts: { edges: { node: { cloudspaces: Space[] } }[] } }>(g8Machines, {
        w: WINDOW,
      });
      const spaces = res.body.data!.accounts.edges[0]!.node.cloudspaces;
      const machinePaths = spaces.flatMap((cs, c) =>
        cs.machines.map((_, m) => `accounts.edges.0.node.cloudspaces.${c}.machines.${m}.consumption`),
      );
      expect(machinePaths.length).toBeGreaterThanOrEqual(5);
      expect(errorsOf(res)).toEqual(badResponsesAt(machinePaths));
      expect(spaces.flatMap((cs) => cs.machines.map((m) => m.consumption))).toEqual(machinePaths.map(() => null));
      expect(messagesOf(res)[0]).toMatch(/has CU consumption but no machines|machines: /);
      // One calculate call for the account, shared by every machine.
      expect(g8.count({ route: OPENVCLOUD_ROUTES.calculate })).toBe(1);
    }
  });

  it('Kill Bill usage for another subscription, or for another year, is UPSTREAM_BAD_RESPONSE on that usage field', async () => {
    const kb = h.sims.kb!;
    const otherYear = (iso: unknown) => (typeof iso === 'string' ? iso.replace(/^2026/, '2025') : iso);
    for (const [rewrite, asked] of [
      [(b: Json) => ({ ...(b as object), subscriptionId: '00000000-0000-0000-0000-000000000000' }), 'subscription'],
      [
        (b: Json) => {
          const body = b as { startDate: string; endDate: string };
          return { ...body, startDate: otherYear(body.startDate), endDate: otherYear(body.endDate) };
        },
        'startDate',
      ],
    ] as const) {
      h.resetAll();
      kb.injectFault({ route: KILLBILL_ROUTES.usage, fault: { kind: 'rewrite', rewrite } });
      type Sub = { usage: { quantity: string }[] | null };
      const res = await h.query<{ accounts: { edges: { node: { subscriptions: Sub[] } }[] } }>(kbUsage, {
        w: WINDOW,
      });
      const subs = res.body.data!.accounts.edges[0]!.node.subscriptions;
      expect(subs.length).toBeGreaterThanOrEqual(1);
      expect(subs.map((s) => s.usage)).toEqual(subs.map(() => null));
      expect(errorsOf(res)).toEqual(
        badResponsesAt(subs.map((_, i) => `accounts.edges.0.node.subscriptions.${i}.usage`)),
      );
      expect(messagesOf(res)[0]).toContain(`with a body for ${asked} "`);
      expect(kb.count({ route: KILLBILL_ROUTES.usage })).toBe(subs.length);
    }
  });

  it('TheirStack answering no days, or one day of 31, is UPSTREAM_BAD_RESPONSE, not 0 or 1 day of credits', async () => {
    const ts = h.sims.theirstack!;
    for (const [rewrite, missing] of [
      [() => [], 31],
      [(b: Json) => (b as unknown[]).slice(0, 1), 30],
    ] as const) {
      h.resetAll();
      ts.injectFault({ route: THEIRSTACK_ROUTES.consumption, fault: { kind: 'rewrite', rewrite } });
      const res = await h.query(ownConsumption('THEIRSTACK'), { w: OCTOBER });
      expect(res.body.data!.accounts.edges[0]!.node.consumption).toBeNull();
      expect(errorsOf(res)).toEqual(badResponsesAt(['accounts.edges.0.node.consumption']));
      expect(messagesOf(res)[0]).toContain(`${missing} of the asked days missing`);
      expect(ts.count({ route: THEIRSTACK_ROUTES.consumption })).toBe(1);
    }
  });

  it('Civitai answering {"images":0} without totalCost is UPSTREAM_BAD_RESPONSE, not zero spend', async () => {
    const civitai = h.sims.civitai!;
    civitai.injectFault({
      route: CIVITAI_ROUTES.consumption,
      fault: { kind: 'rewrite', rewrite: () => ({ images: 0 }) },
    });
    const res = await h.query(ownConsumption('CIVITAI'), { w: WINDOW });
    expect(res.body.data!.accounts.edges[0]!.node.consumption).toBeNull();
    expect(errorsOf(res)).toEqual(badResponsesAt(['accounts.edges.0.node.consumption']));
    expect(messagesOf(res)[0]).toContain('(totalCost: ');
    expect(civitai.count({ route: CIVITAI_ROUTES.consumption })).toBe(1);
  });

  it("a Hyperstack graph for another VM, or for another year, is UPSTREAM_BAD_RESPONSE on that VM's consumption", async () => {
    const hs = h.sims.hs!;
    // Routes are named by the SDK operation (HYPERSTACK_ROUTES maps it to its path).
    const route: keyof typeof HYPERSTACK_ROUTES = 'get_vm_billing_graph';
    for (const [rewrite, asked] of [
      [(b: Json) => mapLeaves(b, (k, v) => (k === 'infrahub_id' ? 987654321 : v)), 'resource'],
      [
        (b: Json) =>
          mapLeaves(b, (k, v) => (k === 'datetime' && typeof v === 'string' ? v.replace(/^2026/, '2025') : v)),
        'window',
      ],
    ] as const) {
      h.resetAll();
      hs.injectFault({ route, fault: { kind: 'rewrite', rewrite } });
      type Vm = { consumption: unknown };
      const res = await h.query<{ accounts: { edges: { node: { resources: Vm[] } }[] } }>(hsVmDays, { w: WINDOW });
      const vms = res.body.data!.accounts.edges[0]!.node.resources;
      const graphed = hs.count({ route });
      expect(graphed).toBe(vms.length);
      expect(vms.length).toBeGreaterThanOrEqual(2);
      expect(vms.map((v) => v.consumption)).toEqual(vms.map(() => null));
      expect(errorsOf(res)).toEqual(
        badResponsesAt(vms.map((_, i) => `accounts.edges.0.node.resources.${i}.consumption`)),
      );
      expect(messagesOf(res)[0]).toContain(`with a body for ${asked} "`);
    }
  });
});
