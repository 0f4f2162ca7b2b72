/**
 * Time-zone spellings cannot exhaust memory (docs/limits.md#windows-before-execution): a zone
 * spelt in any case is answered as its canonical IANA name, and nothing that lives longer than
 * the request (our set of zones, luxon's zone and formatter caches, loader keys) ever sees
 * the caller's spelling.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalTimeZone, canonicalZoneCount } from '../../../src/lib/timeWindow.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { childEnv, ROOT } from '../../helpers/process.js';

const ZONES = ['Europe/Madrid', 'America/New_York', 'America/Los_Angeles', 'Australia/Sydney'];

/** The n-th case spelling of a zone: bit i of n flips the case of its i-th letter (n ≥ 1, so never the canonical one). */
const spelling = (zone: string, n: number): string => {
  let letter = 0;
  return [...zone]
    .map((ch) => {
      if (!/[A-Za-z]/.test(ch)) return ch;
      const flip = (n >> (letter++ % 24)) & 1;
      return flip ? (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    })
    .join('');
};

const ALIASES = 30;
const query = `query(${Array.from({ length: ALIASES }, (_, i) => `$w${i}: TimeWindow!`).join(', ')}) {
  ${Array.from(
    { length: ALIASES },
    (_, i) =>
      `a${i}: accounts(provider: OPENVCLOUD, first: 1) { edges { node { consumption(window: $w${i}, granularity: DAY) { start quantity } } } }`,
  ).join('\n  ')}
}`;
/** Two local days of Madrid (UTC+2 in October): a window spanning two DAY buckets there, three in UTC. */
const window = (timeZone: string) => ({ start: '2026-09-30T22:00:00Z', end: '2026-10-02T22:00:00Z', timeZone });

describe('time-zone spellings', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  const variables = (zoneOf: (i: number) => string) =>
    Object.fromEntries(Array.from({ length: ALIASES }, (_, i) => [`w${i}`, window(zoneOf(i))]));

  it('answers a zone spelt in any case as the canonical zone, with one upstream call per bucket', async () => {
    await h.gateway.cache.clear();
    h.g8.resetCounters();
    const spelt = await h.query(
      query,
      variables((i) => spelling('Europe/Madrid', i + 1)),
    );
    expect(spelt.body.errors).toBeUndefined();
    // Thirty spellings are one zone: one account × two local days, not thirty windows.
    expect(h.g8.count({ route: 'billing/calculate' })).toBe(2);
    const reference = await h.query(
      query,
      variables(() => 'Europe/Madrid'),
    );
    expect(spelt.body.data).toEqual(reference.body.data);
    // The second bucket starts at Madrid's midnight, not at UTC's.
    expect(JSON.stringify(spelt.body.data)).toContain('"start":"2026-10-01T22:00:00Z"');
  });

  it('answers 3,000 distinct spellings over HTTP while its set of zones grows by the four canonical names at most', async () => {
    const zonesBefore = canonicalZoneCount();
    const seen = new Set<string>();
    for (let request = 0; request < 100; request++) {
      const vars: Record<string, unknown> = {};
      for (let i = 0; i < ALIASES; i++) {
        const n = request * ALIASES + i;
        const zone = spelling(ZONES[n % ZONES.length]!, Math.floor(n / ZONES.length) + 1);
        seen.add(zone);
        vars[`w${i}`] = window(zone);
      }
      const res = await h.query(query, vars);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
    expect(seen.size).toBe(3000);
    expect(canonicalZoneCount() - zonesBefore).toBeLessThanOrEqual(ZONES.length);
    for (const zone of seen) expect(ZONES).toContain(canonicalTimeZone(zone));
  });

  it('keeps RSS flat over 3,000 spellings validated and bucketed in a process of their own', async () => {
    // Asynchronously: a spawnSync blocked this process's event loop (the gateway's and its client's) for seconds, so
    // both ends' keep-alive timers expired together and the next request could go out on a socket the server was
    // closing (ECONNRESET).
    const child = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'test/fixtures/security/zoneSpellings.ts'],
      { cwd: ROOT, env: childEnv({}), encoding: 'utf8', timeout: 60_000 },
    ).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }));
    const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    expect(line, child.stderr.slice(-2000)).toBeDefined();
    const result = JSON.parse(line!.slice('RESULT '.length)) as { rssGrowthBytes: number; zonesAdded: number };
    expect(result.zonesAdded).toBe(0);
    // Measured: 179 MB when each spelling reached luxon's caches, 5 MB since.
    expect(result.rssGrowthBytes).toBeLessThan(60 * 1024 * 1024);
  });

  it('refuses an offset or unknown zone with a bounded message, before any upstream call', async () => {
    h.g8.resetCounters();
    const one = `query($w: TimeWindow!) { accounts(provider: OPENVCLOUD) { edges { node { consumption(window: $w) { quantity } } } } }`;
    for (const zone of ['+01:00', 'Mars/Olympus_Mons', 'x'.repeat(100_000)]) {
      const res = await h.query(one, { w: window(zone) });
      expect(res.status).toBe(400);
      expect(res.body.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors![0]!.message).toBe(
        `Argument "window.timeZone" must be an IANA time zone such as "Europe/Madrid", got "${zone.length > 80 ? `${zone.slice(0, 80)}…` : zone}".`,
      );
    }
    expect(h.g8.count()).toBe(0);
  });
});
