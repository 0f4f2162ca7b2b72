import { sumDecimals } from '../../../../src/lib/decimal.js';
import type { HyperstackSimulator } from '../../../../simulators/hyperstack/simulator.js';
import type { HsKind } from '../../../../src/providers/hyperstack/kinds.js';
import type { HsResource } from '../../../../simulators/hyperstack/seed.js';
import type { FullHarness } from '../../../helpers/harness.js';

export const hsOf = (h: FullHarness): HyperstackSimulator => h.sims.hs as HyperstackSimulator;

/** October 2026: every live seeded resource exists throughout it. */
export const OCT = { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' };
/** The simulator's month so far (its default window, where fine-tuning jobs run). */
export const NOV = { start: '2026-11-01T00:00:00Z', end: '2026-11-20T12:00:00Z' };

/** Hyperstack's own date format for a window edge. */
export const hsDate = (iso: string): string => iso.slice(0, 19);

/** Resources the simulator's default window lists, i.e. what Account.resources discovers. */
export function discovered(sim: HyperstackSimulator, kind: HsKind): HsResource[] {
  const monthStart = new Date(
    Date.UTC(new Date(sim.now).getUTCFullYear(), new Date(sim.now).getUTCMonth(), 1),
  ).toISOString();
  return sim.expected.listed(kind, monthStart, new Date(sim.now).toISOString());
}

/** Hourly points summed per UTC day: [day ISO, amount]. */
export function daily(points: [string, string][]): Map<string, string> {
  const days = new Map<string, string[]>();
  for (const [at, v] of points) {
    const day = `${at.slice(0, 10)}T00:00:00Z`;
    days.set(day, [...(days.get(day) ?? []), v]);
  }
  return new Map([...days].map(([d, vs]) => [d, sumDecimals(vs)]));
}

export const HS_ACCOUNT = /* GraphQL */ `accounts(provider: HYPERSTACK) { errors { code } edges { node { providerId } } }`;
