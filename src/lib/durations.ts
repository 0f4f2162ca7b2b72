/** Lengths of time in milliseconds. A UTC day is always DAY_MS; a local day need not be (see buckets.ts). */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
