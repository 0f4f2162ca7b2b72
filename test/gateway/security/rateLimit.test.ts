/**
 * The per-tenant rate limit as shipped (docs/security.md#rate-limit-per-tenant): its default is
 * the documented one, lets a tenant load the dashboard several times a minute, and stops a flood
 * of heavy queries after a handful.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config.js';
import { keySha256 } from '../../../src/security/tenantAuth.js';
import { postGraphQL, startFullHarness, type FullHarness } from '../../helpers/harness.js';
import { SOURCE_IDS } from '../../helpers/providers.js';
import { ROOT } from '../../helpers/process.js';

const KEY = 'rate-limit-test-key-5b1f';
const auth = { authorization: `Bearer ${KEY}` };
const DASHBOARD = readFileSync(`${ROOT}/web/src/operations/dashboard.graphql`, 'utf8');
/** A month, as the dashboard asks for it: cost per day stacked by source, totals per source. */
const MONTH = { window: { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z', timeZone: 'UTC' } };
const MONTH_VIEW = { ...MONTH, step: 'DAY', chartBy: ['SOURCE'], tableBy: ['SOURCE'] };
/** The heaviest query a dashboard ever sent: every account's tree with a month of consumption at each level. */
const ACCOUNT_TREE = readFileSync(`${ROOT}/test/fixtures/security/accountTree.graphql`, 'utf8');

/** One dashboard load: its two operations, as the browser sends them. */
const loadDashboard = (url: string) =>
  Promise.all(
    [
      ['DashboardReport', MONTH_VIEW],
      ['DashboardAccounts', {}],
    ].map(async ([operationName, variables]) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ query: DASHBOARD, operationName, variables }),
      });
      await response.text();
      return response.status;
    }),
  );

describe('rate limit as shipped', () => {
  it('defaults to 5,000,000 cost units per 60 s, as docs/security.md states', () => {
    const config = configSchema.parse({
      sources: [{ id: 'g8', provider: 'OPENVCLOUD', baseUrl: 'http://127.0.0.1:1', credentials: {} }],
    });
    expect(config.rateLimit).toEqual({ costPerWindow: 5_000_000, windowSeconds: 60 });
    const docs = readFileSync(`${ROOT}/docs/security.md`, 'utf8');
    expect(docs).toContain('| `rateLimit.costPerWindow` | cost units | 5,000,000 |');
    expect(docs).toContain('(defaults 5,000,000 per 60 s)');
  });

  describe('over HTTP, with the default budget', () => {
    let h: FullHarness;
    beforeAll(async () => {
      h = await startFullHarness({
        config: {
          tenants: [{ name: 'finops', keySha256: keySha256(KEY), sources: SOURCE_IDS }],
        },
      });
    });
    afterAll(async () => h?.close());

    it('serves six dashboard loads in a minute, then refuses a flood of heavy queries with 429 and no upstream call', async () => {
      // A load is DashboardReport (35,435) + DashboardAccounts (211): six spend 213,876 of 5,000,000.
      for (let load = 0; load < 6; load++) expect(await loadDashboard(h.url)).toEqual([200, 200]);
      // The rest fits twelve account trees (387,066 each: 4,644,792); the thirteenth is refused, and every one after it.
      const statuses: number[] = [];
      for (let i = 0; i < 14; i++) statuses.push((await postGraphQL(h.url, ACCOUNT_TREE, MONTH, auth)).status);
      expect(statuses).toEqual([...Array<number>(12).fill(200), 429, 429]);
      h.resetAll();
      const refused = await postGraphQL(h.url, ACCOUNT_TREE, MONTH, auth);
      expect(refused.status).toBe(429);
      expect(refused.body.errors![0]!.extensions?.code).toBe('RATE_LIMITED');
      expect(Object.values(h.sims).reduce((n, sim) => n + sim.count(), 0)).toBe(0);
    }, 120_000);
  });
});
