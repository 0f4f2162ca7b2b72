// The TheirStack simulator's data: a seeded per-team ledger of timestamped credit charges,
// bucketed into calendar days of whatever zone a request names (docs/upstreams/theirstack.md#sim-4).
// Pure, so tests compute expected answers with the server's own code.
//
// Model, assumed (TheirStack documents daily totals only):
// - Each clock hour of a team holds 0–3 charges at seeded seconds: API credits (records returned,
//   0–60) and UI credits (0–5). About one charge in 16 is pro-rated: with the `fractionalCredits`
//   switch it carries a fractional API credit with 18 decimals, so daily totals exceed float64
//   precision (billgraph must not care); without it, as TheirStack documents credits (whole
//   record counts), the fraction is dropped and every total is an integer.
// - Some pairs of UTC days are quiet (no charges), so zero days exist in every zone.
// - Amounts are BigInt units of 10^-18 credit: day totals are exact and additive.

import { localWallClock, nextLocalMidnight, startOfLocalDay } from '../../src/lib/localDays.js';
import { intBetween, mixSeed, mulberry32 } from '../prng.js';

export const THEIRSTACK_DEFAULT_SEED = 0x7e1257ac;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const ATTO = 10n ** 18n;

export type TheirstackKeyStatus = 'active' | 'out_of_credits' | 'revoked';

export interface TheirstackTeam {
  readonly name: string;
  readonly salt: number;
  /** out_of_credits → 402 on consumption; revoked → 401. */
  readonly status: TheirstackKeyStatus;
}

export interface TheirstackCharge {
  /** Epoch milliseconds. */
  readonly atMs: number;
  /** Units of 10^-18 credit. */
  readonly apiAtto: bigint;
  readonly uiAtto: bigint;
}

/** One element of the consumption array, numbers as exact decimal literals. */
export interface TheirstackDay {
  /** Epoch milliseconds of the local midnight that starts the day. */
  readonly periodStartMs: number;
  readonly api: string;
  readonly ui: string;
}

export interface TheirstackPrecision {
  /** Pro-rated charges keep an 18-decimal fractional API credit. @default false */
  readonly fractionalCredits?: boolean;
}

const quietUtcDay = (seed: number, team: TheirstackTeam, utcDay: number): boolean =>
  mixSeed(seed, team.salt, 0x9e37, Math.floor(utcDay / 2)) % 5 === 0;

/** The charges of one clock hour (hourIndex = floor(epochMs / 1 h)). */
export function hourCharges(
  seed: number,
  team: TheirstackTeam,
  hourIndex: number,
  precision: TheirstackPrecision = {},
): TheirstackCharge[] {
  if (quietUtcDay(seed, team, Math.floor((hourIndex * HOUR_MS) / DAY_MS))) return [];
  const next = mulberry32(mixSeed(seed, team.salt, hourIndex));
  const count = intBetween(next, 0, 3);
  const charges: TheirstackCharge[] = [];
  for (let i = 0; i < count; i++) {
    const second = intBetween(next, 0, 3599);
    let apiAtto = BigInt(intBetween(next, 0, 60)) * ATTO;
    const uiAtto = BigInt(intBetween(next, 0, 5)) * ATTO;
    if (intBetween(next, 0, 15) === 0) {
      // A pro-rated record: an 18-digit fraction from two draws (one float has only 53 bits).
      // Drawn either way, so the switch changes nothing else in the ledger.
      const fraction =
        BigInt(intBetween(next, 0, 999_999_999)) * 1_000_000_000n + BigInt(intBetween(next, 1, 999_999_999));
      if (precision.fractionalCredits) apiAtto += fraction;
    }
    charges.push({ atMs: hourIndex * HOUR_MS + second * 1000, apiAtto, uiAtto });
  }
  return charges;
}

/** Exact credit totals of [startMs, endMs). */
export function creditsBetween(
  seed: number,
  team: TheirstackTeam,
  startMs: number,
  endMs: number,
  precision: TheirstackPrecision = {},
): { api: string; ui: string } {
  let api = 0n;
  let ui = 0n;
  for (let h = Math.floor(startMs / HOUR_MS); h * HOUR_MS < endMs; h++) {
    for (const c of hourCharges(seed, team, h, precision)) {
      if (c.atMs >= startMs && c.atMs < endMs) {
        api += c.apiAtto;
        ui += c.uiAtto;
      }
    }
  }
  return { api: formatAtto(api), ui: formatAtto(ui) };
}

/**
 * Every calendar day in `zone` that overlaps [startMs, endInclusiveMs] — the end is inclusive,
 * as the documented `23:59:59` example suggests (docs/upstreams/theirstack.md#time-semantics).
 */
export function dailyConsumption(
  seed: number,
  team: TheirstackTeam,
  startMs: number,
  endInclusiveMs: number,
  zone: string,
  precision: TheirstackPrecision = {},
): TheirstackDay[] {
  const days: TheirstackDay[] = [];
  for (let day = startOfLocalDay(startMs, zone); day <= endInclusiveMs; day = nextLocalMidnight(day, zone)) {
    const { api, ui } = creditsBetween(seed, team, day, nextLocalMidnight(day, zone), precision);
    days.push({ periodStartMs: day, api, ui });
  }
  return days;
}

/** 10^-18 units → plain decimal without trailing zeros ("120", "0.333333333333333333"). */
export function formatAtto(value: bigint): string {
  const whole = value / ATTO;
  const fraction = (value % ATTO).toString().padStart(18, '0').replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}`;
}

/** The query parameters billgraph would send for a half-open window (for tests and docs). */
export const wallClockParams = (startMs: number, endMs: number, zone: string) => ({
  start_datetime: localWallClock(startMs, zone),
  end_datetime: localWallClock(endMs - 1000, zone),
  timezone: zone,
});
