import { describe, expect, it } from 'vitest';
import { createLruStore } from '../../../src/cache/lruStore.js';
import { createGatewayMetrics } from '../../../src/observability/metrics.js';
import { observedRateLimiter } from '../../../src/observability/observedRateLimiter.js';
import { createCostRateLimiter } from '../../../src/security/costRateLimiter.js';
import { parseMetrics, sum } from '../../helpers/prometheus.js';

const metricsOf = () =>
  createGatewayMetrics({
    sources: new Map(),
    sourceIds: [],
    cache: createLruStore({ maxEntries: 10, maxBytes: 65_536 }),
    tenants: ['ops'],
  });

describe('observedRateLimiter', () => {
  it('counts RATE_LIMITED refusals of the tenant, not requests larger than the whole budget', async () => {
    const metrics = metricsOf();
    const limiter = observedRateLimiter(createCostRateLimiter({ costPerWindow: 10, windowSeconds: 60 }), metrics);
    await limiter.charge('ops', 10);
    await expect(limiter.charge('ops', 1)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await expect(limiter.charge('ops', 11)).rejects.toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    const samples = parseMetrics(await metrics.scrape());
    expect(sum(samples, 'billgraph_rate_limit_rejections_total', { tenant: 'ops' })).toBe(1);
  });

  it('is the limiter itself when metrics are off', () => {
    const limiter = createCostRateLimiter({ costPerWindow: 10, windowSeconds: 60 });
    expect(observedRateLimiter(limiter, undefined)).toBe(limiter);
  });
});
