// The Hyperstack simulator's world: one organization with VMs, volumes, snapshots, buckets,
// clusters, AI workloads, contracts and thresholds, plus the cost model every billing endpoint
// is derived from (docs/upstreams/hyperstack.md#s8). Everything here is pure, so tests compute the
// expected answer from the same functions the simulator serves.
//
// Cost model, proposed (docs/upstreams/hyperstack.md#s8; the upstream documents none):
// - Money is an integer number of 10^-20 USD held in a BigInt, so sums are exact and no float
//   ever touches a value; it is printed as a plain decimal with trailing zeros trimmed.
// - Each resource has a timeline of whole-UTC-hour segments in one state (ACTIVE, SHUTOFF,
//   HIBERNATED). Hour h bills `rate(state)` when h's start lies in the window, inside the
//   resource's lifetime and before "now". ACTIVE and SHUTOFF bill the full price per hour,
//   HIBERNATED bills nothing (it still counts as usage time in its state).
// - Token workloads bill input/output tokens per ACTIVE hour at per-token rates.
// - A cluster's hourly cost is the sum of its nodes' prices; a VM's is split into six
//   sub-resources by fixed percentages that add up to the whole.

import type { HsKind } from '../../src/providers/hyperstack/kinds.js';
import { mulberry32 } from '../prng.js';

export const HYPERSTACK_DEFAULT_SEED = 0x5eed0003;
/** The simulator's default "now" (a fixed instant, so answers never depend on the wall clock). */
export const HYPERSTACK_DEFAULT_NOW = Date.parse('2026-11-20T12:00:00Z');
/** The money example of docs/upstreams/hyperstack.md#s2, used verbatim as the first VM's price per hour. */
export const HYPERSTACK_EXAMPLE_PRICE = '0.015774193694443002';
export const HYPERSTACK_ORG_ID = 31337;

const HOUR_MS = 3_600_000;
export const SCALE = 10n ** 20n;

export type HsState = 'ACTIVE' | 'SHUTOFF' | 'HIBERNATED';

export interface HsSegment {
  /** Epoch hours, [from, to). */
  from: number;
  to: number;
  state: HsState;
}

export interface HsNode {
  infrahubId: number;
  uuid: string;
  name: string;
  /** 10^-20 USD per hour. */
  price: bigint;
}

export interface HsResource {
  kind: HsKind;
  infrahubId: number;
  uuid: string;
  name: string;
  environment: { id: number; name: string };
  /** Epoch hours: first billed hour, and the first hour after termination (null while alive). */
  createdHour: number;
  terminatedHour: number | null;
  segments: HsSegment[];
  /** 10^-20 USD per hour (ACTIVE/SHUTOFF); for token workloads 0. */
  price: bigint;
  /** Non-discounted price = price × ndPercent / 100. */
  ndPercent: bigint;
  contractId: number | null;
  /** Volume-style details only. */
  subresourceType: string | null;
  subresourceAmount: number | null;
  nodes: HsNode[];
  /** Token workloads and fine-tuning. */
  baseModel: string | null;
  baseModelDisplayName: string | null;
  loraAdapter: string | null;
  /** 10^-20 USD per token; input/output tokens per ACTIVE hour. */
  inputRate: bigint;
  outputRate: bigint;
  inputPerHour: bigint;
  outputPerHour: bigint;
  /** Contracts only. */
  description: string | null;
  gpuType: string | null;
  excludeBilling: boolean;
}

export interface HsThreshold {
  id: number;
  threshold: number;
  interface_title: string;
  interface_tooltip: string;
  subscribed: boolean;
}

export interface HyperstackData {
  orgId: number;
  resources: HsResource[];
  thresholds: HsThreshold[];
}

const ENVIRONMENTS = [
  { id: 11, name: 'default-CANADA-1' },
  { id: 12, name: 'default-NORWAY-1' },
];

const GPU_FLAVORS = ['n3-A100x1', 'n3-H100x1', 'n3-L40x2', 'n3-RTX-A6000x1', 'n3-H100x8'];
const BASE_MODELS = [
  ['meta-llama/Llama-3.1-8B-Instruct', 'Llama 3.1 8B Instruct'],
  ['mistralai/Mistral-7B-Instruct-v0.3', 'Mistral 7B Instruct v0.3'],
  ['Qwen/Qwen2.5-14B-Instruct', 'Qwen 2.5 14B Instruct'],
] as const;

const hourOf = (iso: string): number => Date.parse(iso) / HOUR_MS;

/**
 * `scale` (a positive integer, for the benchmark) makes that many times the virtual machines and
 * volumes, copies seeded like the ones they copy (deleted, excluded from billing, on a contract).
 * Scale 1 is exactly the world the tests pin.
 */
export function generateHyperstackData(seed = HYPERSTACK_DEFAULT_SEED, scale = 1): HyperstackData {
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`scale must be a positive integer, got "${scale}".`);
  const rand = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const uuid = () => {
    const hex = () =>
      Math.floor(rand() * 0x10000)
        .toString(16)
        .padStart(4, '0');
    return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-a${hex().slice(1)}-${hex()}${hex()}${hex()}`;
  };
  /** A price with 18 fractional digits, in 10^-20 units. */
  const price18 = (maxInt: number) => {
    const frac = `${String(int(0, 999_999_999)).padStart(9, '0')}${String(int(0, 999_999_999)).padStart(9, '0')}`;
    return BigInt(`${int(0, maxInt)}${frac}`) * 100n;
  };
  let nextId = 4101;
  const id = () => {
    const v = nextId;
    nextId += int(1, 9);
    return v;
  };

  /** Alternating state segments from created to (terminated or far past now). */
  const timeline = (created: number, end: number, states: readonly HsState[]): HsSegment[] => {
    // A resource that is only ever ACTIVE has one segment (one billing event).
    if (states.length === 1) return [{ from: created, to: end, state: 'ACTIVE' }];
    const out: HsSegment[] = [];
    let at = created;
    let state: HsState = 'ACTIVE';
    while (at < end) {
      const len = state === 'ACTIVE' ? int(48, 600) : int(12, 200);
      out.push({ from: at, to: Math.min(at + len, end), state });
      at += len;
      state = state === 'ACTIVE' && states.length > 1 ? pick(states.filter((s) => s !== 'ACTIVE')) : 'ACTIVE';
    }
    return out;
  };

  const farFuture = hourOf('2027-12-31T00:00:00Z');
  const resources: HsResource[] = [];
  const base = (
    kind: HsKind,
    name: string,
    opts: { deleted?: boolean; states?: readonly HsState[] } = {},
  ): HsResource => {
    const createdHour = hourOf('2026-01-01T00:00:00Z') + int(0, 240 * 24);
    const terminatedHour = opts.deleted ? hourOf('2026-09-01T00:00:00Z') + int(0, 60 * 24) : null;
    const r: HsResource = {
      kind,
      infrahubId: id(),
      uuid: uuid(),
      name,
      environment: pick(ENVIRONMENTS),
      createdHour,
      terminatedHour,
      segments: timeline(createdHour, terminatedHour ?? farFuture, opts.states ?? ['ACTIVE']),
      price: 0n,
      ndPercent: pick([100n, 125n, 150n]),
      contractId: null,
      subresourceType: null,
      subresourceAmount: null,
      nodes: [],
      baseModel: null,
      baseModelDisplayName: null,
      loraAdapter: null,
      inputRate: 0n,
      outputRate: 0n,
      inputPerHour: 0n,
      outputPerHour: 0n,
      description: null,
      gpuType: null,
      excludeBilling: false,
    };
    resources.push(r);
    return r;
  };

  const contracts = [
    Object.assign(base('CONTRACT', 'Reserved H100 cluster Q4'), {
      price: price18(40),
      description: 'Reserved 8×H100 capacity, 12 months',
      gpuType: 'H100-80G-PCIe',
    }),
    Object.assign(base('CONTRACT', 'A100 research reservation'), {
      price: price18(12),
      description: 'A100 research reservation, 6 months',
      gpuType: 'A100-80G-PCIe',
    }),
  ];
  for (const c of contracts) c.createdHour = hourOf('2026-01-01T00:00:00Z');
  for (const c of contracts) c.segments = [{ from: c.createdHour, to: farFuture, state: 'ACTIVE' }];

  for (let n = 0; n < 24 * scale; n++) {
    const i = n % 24;
    const vm = base(
      'VIRTUAL_MACHINE',
      `vm-${pick(['train', 'infer', 'dev', 'etl'])}-${String(n + 1).padStart(2, '0')}`,
      {
        deleted: i >= 21,
        states: ['ACTIVE', 'SHUTOFF', 'HIBERNATED'],
      },
    );
    vm.price = i === 0 ? BigInt(HYPERSTACK_EXAMPLE_PRICE.replace('0.', '')) * 100n : price18(3);
    vm.gpuType = pick(GPU_FLAVORS);
    vm.contractId = i % 7 === 3 ? contracts[i % 2]!.infrahubId : null;
    vm.excludeBilling = i === 5;
  }
  for (let n = 0; n < 8 * scale; n++) {
    const i = n % 8;
    const v = base('VOLUME', `vol-data-${n + 1}`, { deleted: i === 7 });
    v.subresourceAmount = pick([100, 250, 500, 1000, 2000]);
    v.subresourceType = pick(['Cloud-SSD', 'Cloud-HDD']);
    v.price = BigInt(v.subresourceAmount) * 7_000_000_000_000_000n + price18(0) / 1000n;
  }
  for (let i = 0; i < 4; i++) {
    const s = base('SNAPSHOT', `snap-weekly-${i + 1}`);
    s.subresourceAmount = pick([50, 100, 200]);
    s.subresourceType = 'Snapshot';
    s.price = price18(0) / 10n;
  }
  for (let i = 0; i < 4; i++)
    base('BUCKET', `bucket-${pick(['datasets', 'ckpt', 'logs', 'media'])}-${i + 1}`).price = price18(0) / 20n;
  for (let i = 0; i < 3; i++) {
    const c = base('CLUSTER', `k8s-${pick(['prod', 'stage', 'lab'])}-${i + 1}`);
    const n = int(2, 4);
    for (let j = 0; j < n; j++)
      c.nodes.push({ infrahubId: id(), uuid: uuid(), name: `${c.name}-node-${j + 1}`, price: price18(2) });
    c.price = c.nodes.reduce((sum, node) => sum + node.price, 0n);
  }
  for (let i = 0; i < 3; i++) {
    const f = base('FINE_TUNING', `ft-job-${i + 1}`, { deleted: false });
    const [model, display] = pick(BASE_MODELS);
    Object.assign(f, {
      baseModel: model,
      baseModelDisplayName: display,
      loraAdapter: `lora-ft-${i + 1}`,
      price: price18(4),
      subresourceType: 'GPU',
      subresourceAmount: int(1, 8),
    });
    // Fine-tuning jobs run for a bounded time, in the current month (so discovery lists them);
    // the last one is still running.
    f.createdHour = hourOf('2026-11-02T00:00:00Z') + i * 96 + int(0, 24);
    f.terminatedHour = i < 2 ? f.createdHour + int(24, 90) : null;
    f.segments = [{ from: f.createdHour, to: f.terminatedHour ?? farFuture, state: 'ACTIVE' }];
  }
  for (const kind of ['MODEL_EVALUATION', 'SERVERLESS_INFERENCE', 'DATA_SYNTHESIS'] as const) {
    for (let i = 0; i < 3; i++) {
      const w = base(kind, `${kind.toLowerCase().replace(/_/g, '-')}-${i + 1}`);
      const [model, display] = pick(BASE_MODELS);
      Object.assign(w, {
        baseModel: model,
        baseModelDisplayName: display,
        loraAdapter: i === 0 ? '' : `lora-${kind.toLowerCase()}-${i}`,
        inputRate: BigInt(int(5, 60)) * 1_000_000_000_000n, // 0.00000005–0.0000006 USD per token
        outputRate: BigInt(int(10, 180)) * 1_000_000_000_000n,
        inputPerHour: BigInt(int(10_000, 2_000_000)),
        outputPerHour: BigInt(int(1_000, 500_000)),
      });
    }
  }

  const thresholds: HsThreshold[] = [72, 48, 24].map((hours, i) => ({
    id: i + 1,
    threshold: hours,
    interface_title: `${hours}hs warning`,
    interface_tooltip: `Credit limit warning ${hours} hours before your credit depletes`,
    subscribed: true,
  }));
  return { orgId: HYPERSTACK_ORG_ID, resources, thresholds };
}

// ---------------------------------------------------------------------------------------------
// The cost model

export interface HourWindow {
  /** Epoch hours: the billed hours h with from ≤ h < to. */
  from: number;
  to: number;
}

/** Hours whose start lies in [startMs, endMs) and before now. */
export function hourWindow(startMs: number, endMs: number, nowMs: number): HourWindow {
  return { from: Math.ceil(startMs / HOUR_MS), to: Math.min(Math.ceil(endMs / HOUR_MS), Math.ceil(nowMs / HOUR_MS)) };
}

export const isToken = (kind: HsKind): boolean =>
  kind === 'MODEL_EVALUATION' || kind === 'SERVERLESS_INFERENCE' || kind === 'DATA_SYNTHESIS';

/** Cost of one hour in `state`, 10^-20 USD. */
export function hourlyCost(r: HsResource, state: HsState): bigint {
  if (state === 'HIBERNATED') return 0n;
  if (isToken(r.kind)) return state === 'ACTIVE' ? r.inputPerHour * r.inputRate + r.outputPerHour * r.outputRate : 0n;
  return r.price;
}

/** The clipped segments of r inside the hour window. */
export function clip(r: HsResource, w: HourWindow): HsSegment[] {
  const out: HsSegment[] = [];
  for (const s of r.segments) {
    const from = Math.max(s.from, w.from);
    const to = Math.min(s.to, w.to, r.terminatedHour ?? Number.POSITIVE_INFINITY);
    if (from < to) out.push({ from, to, state: s.state });
  }
  return out;
}

/** Does r exist at any point of the window (its list row appears even when it cost nothing)? */
export const overlaps = (r: HsResource, w: HourWindow): boolean =>
  r.createdHour < w.to && (r.terminatedHour ?? Number.POSITIVE_INFINITY) > w.from;

export interface Totals {
  incurred: bigint;
  nonDiscounted: bigint;
  hours: { ACTIVE: number; SHUTOFF: number; HIBERNATED: number };
  usageHours: number;
  inputTokens: bigint;
  outputTokens: bigint;
}

export function totals(r: HsResource, w: HourWindow): Totals {
  const t: Totals = {
    incurred: 0n,
    nonDiscounted: 0n,
    hours: { ACTIVE: 0, SHUTOFF: 0, HIBERNATED: 0 },
    usageHours: 0,
    inputTokens: 0n,
    outputTokens: 0n,
  };
  for (const s of clip(r, w)) {
    const n = s.to - s.from;
    t.hours[s.state] += n;
    t.usageHours += n;
    t.incurred += BigInt(n) * hourlyCost(r, s.state);
    if (s.state === 'ACTIVE' && isToken(r.kind)) {
      t.inputTokens += BigInt(n) * r.inputPerHour;
      t.outputTokens += BigInt(n) * r.outputPerHour;
    }
  }
  t.nonDiscounted = (t.incurred * r.ndPercent) / 100n;
  return t;
}

/** One point per billed hour: [epoch hour, cost]. */
export function hourlySeries(r: HsResource, w: HourWindow): [number, bigint][] {
  const out: [number, bigint][] = [];
  for (const s of clip(r, w)) for (let h = s.from; h < s.to; h++) out.push([h, hourlyCost(r, s.state)]);
  return out;
}

/** VM sub-resource split of a cost, percent of the whole; ephemeral takes the remainder. */
export const SUB_RESOURCE_PERCENT = { gpu: 70n, cpu: 12n, ram: 9n, publicip: 2n, disk: 5n } as const;
export type SubResource = keyof typeof SUB_RESOURCE_PERCENT | 'ephemeral';
export const SUB_RESOURCES: readonly SubResource[] = ['gpu', 'cpu', 'ram', 'publicip', 'disk', 'ephemeral'];

export function splitSubResources(cost: bigint): Record<SubResource, bigint> {
  const out = {} as Record<SubResource, bigint>;
  let rest = cost;
  for (const [k, pct] of Object.entries(SUB_RESOURCE_PERCENT) as [SubResource, bigint][]) {
    out[k] = (cost * pct) / 100n;
    rest -= out[k];
  }
  out.ephemeral = rest;
  return out;
}

/** Token-metric split of a window total (input vs output), exact. */
export function tokenTotals(r: HsResource, t: Totals) {
  const inBill = t.inputTokens * r.inputRate;
  const outBill = t.outputTokens * r.outputRate;
  return {
    inputBill: inBill,
    outputBill: outBill,
    inputNd: (inBill * r.ndPercent) / 100n,
    outputNd: (outBill * r.ndPercent) / 100n,
  };
}

/** State-change events overlapping the window, clipped to it, ascending. */
export function events(r: HsResource, w: HourWindow) {
  return clip(r, w).map((s) => ({
    startHour: s.from,
    state: s.state,
    hours: s.to - s.from,
    rate: hourlyCost(r, s.state),
  }));
}

/** The state r is in at `hour` (or DELETED after termination). */
export function stateAt(r: HsResource, hour: number): string {
  if (r.terminatedHour !== null && hour >= r.terminatedHour) return 'DELETED';
  return r.segments.find((s) => s.from <= hour && hour < s.to)?.state ?? 'ACTIVE';
}

/** A 10^-20 amount as a plain decimal: "0.015774193694443002", "12.5", "0". */
export function money(value: bigint): string {
  const neg = value < 0n;
  const abs = neg ? -value : value;
  const int = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(20, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** `YYYY-MM-DDTHH:MM:SS` (no zone) of an epoch hour. */
export const hourStamp = (hour: number): string => new Date(hour * HOUR_MS).toISOString().slice(0, 19);
