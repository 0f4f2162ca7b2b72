import { describe, expect, it } from 'vitest';
import { createLruStore } from '../../../src/cache/lruStore.js';
import { createGatewayMetrics, MAX_OPERATION_NAMES } from '../../../src/observability/metrics.js';
import { parseMetrics, select } from '../../helpers/prometheus.js';

const metricsOf = () =>
  createGatewayMetrics({
    sources: new Map(),
    sourceIds: ['g8'],
    cache: createLruStore({ maxEntries: 10, maxBytes: 65_536 }),
    tenants: ['ops'],
  });
const outcome = (operation: string, tenant?: string) => ({
  operation,
  operationType: 'query',
  status: 200,
  errorCodes: [],
  ...(tenant ? { tenant } : {}),
});

describe('createGatewayMetrics', () => {
  it(`keeps at most ${MAX_OPERATION_NAMES} operation names, then counts the rest as "other"`, async () => {
    const metrics = metricsOf();
    for (let i = 0; i < MAX_OPERATION_NAMES + 50; i++) metrics.graphqlRequest(outcome(`Op${i}`), 0.01);
    metrics.graphqlRequest(outcome('anonymous'), 0.01);
    metrics.graphqlRequest(outcome('has spaces { x }'), 0.01);
    const counts = select(parseMetrics(await metrics.scrape()), 'billgraph_graphql_request_duration_seconds_count');
    const names = new Map(counts.map((s) => [s.labels.operation!, s.value]));
    expect(names.size).toBe(MAX_OPERATION_NAMES + 2);
    expect(names.get('other')).toBe(51);
    expect(names.get('anonymous')).toBe(1);
    expect(names.get('Op0')).toBe(1);
    expect(names.has(`Op${MAX_OPERATION_NAMES}`)).toBe(false);
  });

  it("keeps each tenant's operation names in its own budget: one tenant's junk names never push another's into \"other\"", async () => {
    const metrics = createGatewayMetrics({
      sources: new Map(),
      sourceIds: ['g8'],
      cache: createLruStore({ maxEntries: 10, maxBytes: 65_536 }),
      tenants: ['noisy', 'finops'],
    });
    for (let i = 0; i < 300; i++) metrics.graphqlRequest(outcome(`Junk${i}`, 'noisy'), 0.01);
    metrics.graphqlRequest(outcome('QuarterlyExport', 'finops'), 0.01);
    // A name the config does not know shares the budget of requests without a tenant, not a listed tenant's.
    metrics.graphqlRequest(outcome('Local', 'stranger'), 0.01);
    const counts = select(parseMetrics(await metrics.scrape()), 'billgraph_graphql_request_duration_seconds_count');
    const names = new Map(counts.map((s) => [s.labels.operation!, s.value]));
    expect(names.get('QuarterlyExport')).toBe(1);
    expect(names.get('Local')).toBe(1);
    expect(names.get('other')).toBe(300 - MAX_OPERATION_NAMES);
    expect(names.get(`Junk${MAX_OPERATION_NAMES - 1}`)).toBe(1);
  });

  it('counts a request its client closed (status 499) as outcome "aborted", not "error"', async () => {
    const metrics = metricsOf();
    metrics.graphqlRequest({ ...outcome('anonymous'), status: 499 }, 0.01);
    metrics.graphqlRequest({ ...outcome('anonymous'), status: 500, errorCodes: ['INTERNAL_SERVER_ERROR'] }, 0.01);
    const counts = select(parseMetrics(await metrics.scrape()), 'billgraph_graphql_request_duration_seconds_count');
    expect(new Map(counts.map((s) => [s.labels.outcome!, s.value]))).toEqual(
      new Map([
        ['aborted', 1],
        ['error', 1],
      ]),
    );
  });

  it('labels unknown sources, tenants and malformed codes as "other"', async () => {
    const metrics = metricsOf();
    metrics.upstreamAttempt('g8', 'billing/calculate', 200, 'OK', 0.02);
    metrics.upstreamAttempt('injected', 'billing/calculate', undefined, 'not a code: secret', 0.02);
    metrics.rateLimited('stranger');
    metrics.upstreamRefused('g8', 'accounts/list', 'UPSTREAM_UNAVAILABLE');
    const samples = parseMetrics(await metrics.scrape());
    const attempts = select(samples, 'billgraph_upstream_request_duration_seconds_count');
    expect(attempts.map((s) => s.labels)).toEqual([
      { source: 'g8', operation: 'billing/calculate', status: '200', code: 'OK' },
      { source: 'other', operation: 'billing/calculate', status: 'none', code: 'other' },
    ]);
    expect(select(samples, 'billgraph_rate_limit_rejections_total')[0]!.labels).toEqual({ tenant: 'other' });
    expect(select(samples, 'billgraph_upstream_refused_total')).toEqual([
      {
        name: 'billgraph_upstream_refused_total',
        labels: { source: 'g8', operation: 'accounts/list', code: 'UPSTREAM_UNAVAILABLE' },
        value: 1,
      },
    ]);
  });

  it('keeps each gateway in its own registry', async () => {
    const a = metricsOf();
    const b = metricsOf();
    a.upstreamAttempt('g8', 'accounts/list', 200, 'OK', 0.01);
    expect(select(parseMetrics(await b.scrape()), 'billgraph_upstream_request_duration_seconds_count')).toEqual([]);
    expect(select(parseMetrics(await a.scrape()), 'billgraph_upstream_request_duration_seconds_count')).toHaveLength(1);
  });
});
