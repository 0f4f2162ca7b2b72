// The Civitai simulator's data: a seeded per-consumer ledger of timestamped generation events
// (docs/upstreams/civitai.md#sim-6, docs/upstreams/civitai.md#sim-7). Everything here is pure, so tests
// compute the expected answer with the same functions the server uses.
//
// Model, assumed (Civitai documents no semantics for it; docs/upstreams/civitai.md#sim-6):
// - Each clock hour h of a consumer holds 0–4 events at seeded seconds within the hour; an event
//   produced 1–8 images at a seeded Buzz price per image with 18 fractional digits.
// - Costs are integers of 10^-18 Buzz held in BigInt, so every total is an exact decimal and
//   consumption([a,b)) + consumption([b,c)) == consumption([a,c)) digit for digit.
// - An event at instant t belongs to [start, end) when start <= t < end.

import Big from 'big.js';
import { intBetween, mixSeed, mulberry32 } from '../prng.js';

export const CIVITAI_DEFAULT_SEED = 0x0c1771a1;

const HOUR_MS = 3_600_000;
const ATTO = 10n ** 18n;

/** Whose ledger a key reads; `salt` makes each consumer's data different. */
export interface CivitaiConsumer {
  readonly name: string;
  readonly salt: number;
  /** A suspended key authenticates but may not read consumption: 403. */
  readonly suspended: boolean;
}

export interface CivitaiEvent {
  /** Epoch milliseconds. */
  readonly atMs: number;
  readonly images: number;
  /** Buzz in units of 10^-18. */
  readonly costAtto: bigint;
}

export interface CivitaiConsumption {
  readonly images: number;
  /**
   * Buzz, written as the JSON number literal. By default what a double prints: the exact total
   * rounded to 17 significant digits (e.g. "27630.515774193694"); with `longDecimals` the exact
   * total, up to 18 fractional digits (e.g. "27630.515774193694443002").
   */
  readonly totalCost: string;
}

export interface CivitaiPrecision {
  /** Totals with every one of their 18 fractional digits (up to 23 significant). @default false */
  readonly longDecimals?: boolean;
}

/** Significant digits a double's shortest round-trip form has at most. */
export const DOUBLE_SIGNIFICANT_DIGITS = 17;

/** The events of one clock hour (hourIndex = floor(epochMs / 1 h)). */
export function hourEvents(seed: number, consumer: CivitaiConsumer, hourIndex: number): CivitaiEvent[] {
  const next = mulberry32(mixSeed(seed, consumer.salt, hourIndex));
  const count = intBetween(next, 0, 4);
  const events: CivitaiEvent[] = [];
  for (let i = 0; i < count; i++) {
    const second = intBetween(next, 0, 3599);
    const images = intBetween(next, 1, 8);
    // Whole Buzz 1–25 plus an 18-digit fraction assembled from two draws (a float has only 53 bits).
    const whole = BigInt(intBetween(next, 1, 25));
    const fraction =
      BigInt(intBetween(next, 0, 999_999_999)) * 1_000_000_000n + BigInt(intBetween(next, 0, 999_999_999));
    events.push({
      atMs: hourIndex * HOUR_MS + second * 1000,
      images,
      costAtto: BigInt(images) * (whole * ATTO + fraction),
    });
  }
  return events.sort((a, b) => a.atMs - b.atMs);
}

/** What GET /v1/consumer/consumption reports for [startMs, endMs). */
export function consumptionBetween(
  seed: number,
  consumer: CivitaiConsumer,
  startMs: number,
  endMs: number,
  precision: CivitaiPrecision = {},
): CivitaiConsumption {
  let images = 0;
  let cost = 0n;
  for (let h = Math.floor(startMs / HOUR_MS); h * HOUR_MS < endMs; h++) {
    for (const e of hourEvents(seed, consumer, h)) {
      if (e.atMs >= startMs && e.atMs < endMs) {
        images += e.images;
        cost += e.costAtto;
      }
    }
  }
  const exact = formatAtto(cost);
  return { images, totalCost: precision.longDecimals ? exact : asDouble(exact) };
}

/**
 * An exact decimal as Civitai's serialised double shows it: rounded (half to even, in decimal,
 * never through a float) to 17 significant digits, trailing zeros dropped.
 */
export function asDouble(exact: string): string {
  return new Big(exact).prec(DOUBLE_SIGNIFICANT_DIGITS, Big.roundHalfEven).toFixed();
}

/** 10^-18 units → plain decimal without trailing zeros ("27630.5", "12", "0.015774193694443002"). */
export function formatAtto(value: bigint): string {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const whole = abs / ATTO;
  const fraction = (abs % ATTO).toString().padStart(18, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}
