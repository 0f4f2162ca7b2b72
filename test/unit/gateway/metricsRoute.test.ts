import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMetricsRoute } from '../../../src/gateway/metricsRoute.js';
import type { GatewayMetrics } from '../../../src/observability/metrics.js';
import { FakeResponse, fakeRequest } from './fakeHttp.js';
import { fakeAuth } from './fakeSources.js';

const metrics = { scrape: async () => 'billgraph_up 1\n', contentType: 'text/plain; version=0.0.4' };
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

async function scrape(hasTenants: boolean, authorization?: string) {
  const route = createMetricsRoute({
    metrics: metrics as unknown as GatewayMetrics,
    hasTenants,
    operatorKeySha256: [sha256('op-key')],
    authenticate: fakeAuth,
  });
  const req = fakeRequest({ url: '/metrics', headers: authorization ? { authorization } : {} });
  const res = new FakeResponse();
  await route(req, res.asResponse(), 'req-m');
  return { res, req };
}

describe('the metrics route on the gateway port', () => {
  it('serves the metrics to anyone when there are no tenants', async () => {
    const { res } = await scrape(false);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('billgraph_up 1\n');
  });

  it('serves them to an operator key when there are tenants', async () => {
    const { res } = await scrape(true, 'Bearer op-key');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('billgraph_up 1\n');
  });

  it("refuses a tenant's own key with 403 FORBIDDEN: the metrics name every tenant", async () => {
    const { res } = await scrape(true, 'Bearer tenant-a');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      errors: [
        {
          message: 'The metrics are for operators: send an operator key (metrics.operatorKeySha256), not a tenant key.',
          extensions: { code: 'FORBIDDEN', requestId: 'req-m' },
        },
      ],
    });
  });

  it('refuses a missing or unknown key with 401, the Bearer challenge and a closed connection', async () => {
    for (const authorization of [undefined, 'Bearer nobody']) {
      const { res, req } = await scrape(true, authorization);
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="billgraph"');
      expect((res.json() as { errors: Array<{ extensions: unknown }> }).errors[0]!.extensions).toEqual({
        code: 'UNAUTHENTICATED',
        requestId: 'req-m',
      });
      expect(req.socketDestroyed()).toBe(true);
    }
  });
});
