import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../simulators/kit.js';
import { ANSWERED_FAULTS, EVERYTHING, WEEK } from '../helpers/everySource.js';
import { startFullHarness, type FullHarness, type GraphQLResponse } from '../helpers/harness.js';
import { overEverySource, secretsOfEverySource } from '../helpers/providers.js';

const WINDOW = WEEK;
const FAULTS: Fault[] = [...ANSWERED_FAULTS, { kind: 'timeout' }];

describe('no response leaks credentials, upstream URLs or stack traces, whatever every source does', () => {
  let h: FullHarness;
  const responses: GraphQLResponse[] = [];
  beforeAll(async () => {
    h = await startFullHarness({
      sourceOverrides: overEverySource({ timeoutMs: 300 }),
    });
  });
  afterAll(async () => h?.close());

  for (const fault of FAULTS) {
    it(`every simulator answering ${fault.kind}${'status' in fault ? ` ${fault.status}` : ''}: errors carry codes, not secrets`, async () => {
      h.resetAll();
      for (const sim of Object.values(h.sims)) sim.injectFault({ fault });
      const res = await h.query(EVERYTHING, { w: WINDOW });
      responses.push(res);
      expect(res.status).toBe(200);
      const codes = new Set([
        ...(res.body.errors ?? []).map((e) => e.extensions?.code),
        ...res.body.data!.accounts.errors.map((e: { code: string }) => e.code),
        ...res.body.data!.usageReport.errors.map((e: { code: string }) => e.code),
      ]);
      expect(codes.size).toBeGreaterThan(0);
      expect(codes.has('INTERNAL_SERVER_ERROR')).toBe(false);
    });
  }

  it('and the collected responses contain none of them', () => {
    const secrets = secretsOfEverySource(h);
    const urls = Object.values(h.sims).map((s) => s.url);
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    expect(responses).toHaveLength(FAULTS.length);
    for (const { text } of responses) {
      for (const secret of secrets) expect(text).not.toContain(secret);
      for (const url of urls) expect(text).not.toContain(url.replace('http://', ''));
      expect(text).not.toMatch(/127\.0\.0\.1|localhost|\/srv\/app\.js|\bat \S+ \(|stacktrace/i);
    }
  });
});
