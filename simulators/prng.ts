// Deterministic pseudo-random numbers for simulators: the same seed gives the same data on
// every platform, and a value can be derived from coordinates (seed, key, hour) without
// generating everything before it.

/** mulberry32: small, fast, and identical on every platform. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A 32-bit seed mixed from several integers (e.g. seed, key salt, hour index). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    // Split each part into 32-bit halves so hour indexes beyond 2^32 still mix in.
    for (const word of [Math.floor(part / 4_294_967_296), part >>> 0]) {
      h = Math.imul(h ^ (word >>> 0), 0x01000193) >>> 0;
      h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
      h ^= h >>> 15;
    }
  }
  return h >>> 0;
}

/** An integer in [min, max], inclusive. */
export const intBetween = (next: () => number, min: number, max: number): number =>
  min + Math.floor(next() * (max - min + 1));

/** A seeded stream with the draws every seed file needs. */
export function seededStream(seed: number) {
  const next = mulberry32(seed);
  const int = (lo: number, hi: number): number => intBetween(next, lo, hi);
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}
