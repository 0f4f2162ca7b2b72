import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('GraphQL over HTTP (graphql-http audit)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('passes every MUST of the spec audit', async () => {
    const results = await auditServer({ url: h.url });
    const errors = results.filter((r) => r.status === 'error').map((r) => `${r.id} ${r.name}`);
    expect(results.length).toBeGreaterThan(50);
    expect(errors).toEqual([]);
  });

  it('departs from a SHOULD only where CSRF prevention or Apollo’s 400 for invalid documents says so', async () => {
    const results = await auditServer({ url: h.url });
    const departures = results.filter((r) => r.status !== 'ok').map((r) => r.name);
    // GETs without a preflight-forcing header are refused (CSRF); parse/validation/coercion failures answer 400.
    for (const name of departures) expect(name).toMatch(/GET|status code/);
  });
});
