import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySha256 } from '../../../src/security/tenantAuth.js';
import { EVERYTHING, WEEK } from '../../helpers/everySource.js';
import { postGraphQL, startFullHarness, startHarness, type FullHarness, type Harness } from '../../helpers/harness.js';
import { parseMetrics, select, sum, type Sample } from '../../helpers/prometheus.js';
import { SOURCE_IDS } from '../../helpers/providers.js';
import { MAX_OPERATION_NAMES } from '../../../src/observability/metrics.js';

const KEY = 'metrics-tenant-key-0123456789';
const OPERATOR_KEY = 'metrics-operator-key-9876543210';
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const UPSTREAM = 'billgraph_upstream_request_duration_seconds_count';

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Sample[]> {
  const res = await fetch(url, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await res.text());
}

describe('GET /metrics over every source', () => {
  let h: FullHarness;
  let samples: Sample[];
  let before: Sample[];
  let ids: string[] = [];
  beforeAll(async () => {
    h = await startFullHarness();
    h.resetAll();
    before = await scrape(h.gateway.metricsUrl()!);
    const res = await h.query<{ accounts: { edges: { node: { id: string } }[] } }>(EVERYTHING, { w: WEEK });
    expect(res.status).toBe(200);
    ids = res.body.data!.accounts.edges.map((e) => e.node.id);
    expect(ids.length).toBeGreaterThan(0);
    samples = await scrape(h.gateway.metricsUrl()!);
  });
  afterAll(() => h.close());

  it('is served on the gateway port at metrics.path', () => {
    expect(h.gateway.metricsUrl()).toBe(h.url.replace(/\/graphql$/, '/metrics'));
  });

  it('counts exactly the calls each simulator received, per source', () => {
    for (const [id, sim] of Object.entries(h.sims)) {
      const calls = sum(samples, UPSTREAM, { source: id }) - sum(before, UPSTREAM, { source: id });
      expect({ id, calls }).toEqual({ id, calls: sim.count() });
      expect(sim.count()).toBeGreaterThan(0);
    }
  });

  it('labels upstream calls with the operation, the HTTP status and the code', () => {
    expect(new Set(select(samples, UPSTREAM, { source: 'g8' }).map((s) => s.labels.operation))).toContain(
      'billing/calculate',
    );
    for (const id of SOURCE_IDS) {
      const calls = select(samples, UPSTREAM, { source: id });
      const operations = new Set(calls.map((s) => s.labels.operation));
      for (const s of calls) expect(s.labels, id).toMatchObject({ status: '200', code: 'OK' });
      const routes = new Set(h.sims[id]!.requests.map((r) => r.route));
      // One operation label per upstream route the simulator saw, no more.
      expect(routes.size, id).toBeGreaterThan(0);
      expect(operations.size, id).toBe(routes.size);
    }
  });

  it('times the GraphQL request by operation name and outcome', () => {
    const name = 'billgraph_graphql_request_duration_seconds_count';
    expect(sum(samples, name, { operation: 'Everything' }) - sum(before, name, { operation: 'Everything' })).toBe(1);
    expect(select(samples, name, { operation: 'Everything' })[0]!.labels.outcome).toMatch(/^(ok|error)$/);
  });

  it('records DataLoader batch sizes by loader', () => {
    const calculate = sum(samples, 'billgraph_dataloader_batch_size_sum', { loader: 'openvcloud.calculate' });
    // Each calculate key costs one billing/calculate call (perKey) on a cold cache.
    expect(calculate).toBe(h.sims.g8!.count({ route: 'billing/calculate' }));
    expect(sum(samples, 'billgraph_dataloader_batch_size_count')).toBeGreaterThan(0);
  });

  it('shows breaker state, in-flight, queued and cache counters per source, read from the gateway', () => {
    for (const id of Object.keys(h.sims)) {
      expect(sum(samples, 'billgraph_upstream_breaker_state', { source: id, state: 'closed' })).toBe(1);
      expect(sum(samples, 'billgraph_upstream_breaker_state', { source: id, state: 'open' })).toBe(0);
      expect(select(samples, 'billgraph_upstream_in_flight', { source: id })).toHaveLength(1);
      expect(select(samples, 'billgraph_upstream_queued', { source: id })).toHaveLength(1);
      const stats = h.gateway.cache.stats().namespaces[id];
      expect(sum(samples, 'billgraph_cache_misses_total', { source: id })).toBe(stats?.misses ?? 0);
      expect(sum(samples, 'billgraph_cache_hits_total', { source: id })).toBe(stats?.hits ?? 0);
    }
  });

  it('counts cache hits when the same query is answered again', async () => {
    await h.query(EVERYTHING, { w: WEEK });
    const again = await scrape(h.gateway.metricsUrl()!);
    expect(sum(again, 'billgraph_cache_hits_total')).toBeGreaterThan(sum(samples, 'billgraph_cache_hits_total'));
    expect(sum(again, 'billgraph_cache_hits_total', { source: 'g8' })).toBe(
      h.gateway.cache.stats().namespaces.g8!.hits,
    );
  });

  it('includes the process metrics (event-loop lag, heap, GC)', async () => {
    const names = new Set(samples.map((s) => s.name));
    expect(names).toContain('nodejs_eventloop_lag_seconds');
    expect(names).toContain('nodejs_heap_size_used_bytes');
    // The GC histogram has samples only once a collection has run, which a short test cannot count on: its
    // declaration says it is exported.
    const text = await (await fetch(h.gateway.metricsUrl()!)).text();
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
  });

  it('carries no credential, id, URL, window or date in any label value', () => {
    const secrets = [...h.gateway.sources.values()].flatMap(({ runtime }) => Object.values(runtime.config.credentials));
    expect(secrets.length).toBeGreaterThan(4);
    const values = samples.flatMap((s) => Object.values(s.labels));
    expect(values.length).toBeGreaterThan(100);
    for (const value of values) {
      for (const secret of secrets) expect(value).not.toContain(secret);
      for (const id of ids) expect(value).not.toContain(id);
      expect(value).not.toMatch(/\d{4}-\d{2}-\d{2}|https?:|127\.0\.0\.1|:\d{4,5}/);
    }
  });

  it('bounds hostile operation names', async () => {
    const long = `Q${'x'.repeat(80)}`;
    expect((await h.query(`query ${long} { sources { id } }`)).status).toBe(200);
    const after = await scrape(h.gateway.metricsUrl()!);
    const operations = new Set(
      select(after, 'billgraph_graphql_request_duration_seconds_count').map((s) => s.labels.operation),
    );
    expect([...operations].some((o) => o!.includes('xxxx'))).toBe(false);
    expect(operations).toContain('other');
  });
});

describe('/metrics with tenants', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      config: {
        tenants: [{ name: 'ops', keySha256: keySha256(KEY), sources: ['g8'] }],
        rateLimit: { costPerWindow: 12, windowSeconds: 60 },
        limits: { maxCost: 8 },
        metrics: { operatorKeySha256: [keySha256(OPERATOR_KEY)] },
      },
    });
  });
  afterAll(() => h.close());

  it('answers 401 without a key and 401 with a wrong one, without a sample', async () => {
    for (const headers of [{}, bearer('not-a-key')]) {
      const res = await fetch(h.gateway.metricsUrl()!, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.text()).not.toContain('billgraph_');
    }
  });

  it("answers 403 FORBIDDEN to a tenant's key, without a sample: the metrics show every tenant's operations", async () => {
    expect(
      (await postGraphQL(h.url, 'query AcmeSecretQuarterlyExport { sources { id } }', undefined, bearer(KEY))).status,
    ).toBe(200);
    const res = await fetch(h.gateway.metricsUrl()!, { headers: bearer(KEY) });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(JSON.parse(text).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(text).not.toMatch(/billgraph_|AcmeSecretQuarterlyExport/);
    // The operator sees it.
    const samples = await scrape(h.gateway.metricsUrl()!, bearer(OPERATOR_KEY));
    expect(
      select(samples, 'billgraph_graphql_request_duration_seconds_count', { operation: 'AcmeSecretQuarterlyExport' }),
    ).toHaveLength(1);
  });

  it('counts rate-limit rejections per tenant, and their RATE_LIMITED errors', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await postGraphQL(h.url, '{ sources { id } }', undefined, bearer(KEY))).status);
    // `{ sources { id } }` costs at least 1; twelve fit at most, so keep going until one is refused.
    for (let i = 0; i < 12 && !statuses.includes(429); i++)
      statuses.push((await postGraphQL(h.url, '{ sources { id } }', undefined, bearer(KEY))).status);
    const refused = statuses.filter((s) => s === 429).length;
    expect(refused).toBeGreaterThan(0);
    const samples = await scrape(h.gateway.metricsUrl()!, bearer(OPERATOR_KEY));
    expect(sum(samples, 'billgraph_rate_limit_rejections_total', { tenant: 'ops' })).toBe(refused);
    expect(sum(samples, 'billgraph_graphql_errors_total', { code: 'RATE_LIMITED' })).toBe(refused);
    expect(sum(samples, 'billgraph_graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBe(0);
  });

  it('does not take an operator key for a tenant key on /graphql', async () => {
    expect((await postGraphQL(h.url, '{ sources { id } }', undefined, bearer(OPERATOR_KEY))).status).toBe(401);
  });
});

describe('metrics.port', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      config: {
        tenants: [{ name: 'ops', keySha256: keySha256(KEY), sources: ['g8'] }],
        metrics: { port: 0, path: '/internal/metrics' },
      },
    });
  });
  afterAll(() => h.close());

  it('serves the metrics on their own port without a key, and not on the gateway port', async () => {
    const url = h.gateway.metricsUrl()!;
    expect(new URL(url).port).not.toBe(new URL(h.url).port);
    expect(new URL(url).pathname).toBe('/internal/metrics');
    const samples = await scrape(url);
    expect(select(samples, 'billgraph_upstream_breaker_state', { source: 'g8', state: 'closed' })[0]!.value).toBe(1);
    const onGateway = await fetch(h.url.replace(/\/graphql$/, '/internal/metrics'), { headers: bearer(KEY) });
    expect(onGateway.status).toBe(404);
    expect((await fetch(new URL('/graphql', url))).status).toBe(404);
  });
});

describe('breaker state in /metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ g8Source: { breakerThreshold: 1, retryAttempts: 1, breakerHalfOpenAfterMs: 60_000 } });
  });
  afterAll(() => h.close());

  it('shows an open breaker and the failed attempt with status 500', async () => {
    h.g8.injectFault({ fault: { kind: 'status', status: 500 } });
    await h.query(EVERYTHING, { w: WEEK });
    expect(h.gateway.sources.get('g8')!.runtime.resilience().breaker).toBe('open');
    const samples = await scrape(h.gateway.metricsUrl()!);
    expect(sum(samples, 'billgraph_upstream_breaker_state', { source: 'g8', state: 'open' })).toBe(1);
    expect(sum(samples, 'billgraph_upstream_breaker_state', { source: 'g8', state: 'closed' })).toBe(0);
    expect(sum(samples, UPSTREAM, { source: 'g8', status: '500', code: 'UPSTREAM_UNAVAILABLE' })).toBe(h.g8.count());
    expect(h.g8.count()).toBe(1);
    expect(sum(samples, 'billgraph_upstream_refused_total')).toBe(0);
  });

  it('counts the calls the open breaker refused, which never reach the source', async () => {
    const refusedBefore = sum(await scrape(h.gateway.metricsUrl()!), 'billgraph_upstream_refused_total');
    const res = await h.query(EVERYTHING, { w: WEEK });
    expect(res.text).toContain('UPSTREAM_UNAVAILABLE');
    expect(h.g8.count()).toBe(1);
    const samples = await scrape(h.gateway.metricsUrl()!);
    const refused = select(samples, 'billgraph_upstream_refused_total', { source: 'g8' });
    expect(refused.map((s) => s.labels.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(sum(samples, 'billgraph_upstream_refused_total') - refusedBefore).toBeGreaterThan(0);
    expect(sum(samples, UPSTREAM, { source: 'g8' })).toBe(1);
  });
});

describe('metrics.enabled: false', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { metrics: { enabled: false } } });
  });
  afterAll(() => h.close());

  it('serves no metrics and collects none', async () => {
    expect(h.gateway.metrics).toBeUndefined();
    expect(h.gateway.metricsUrl()).toBeUndefined();
    expect((await h.query('{ sources { id } }')).status).toBe(200);
    expect((await fetch(h.url.replace(/\/graphql$/, '/metrics'))).status).toBe(404);
  });
});

describe('in-flight and queued calls in /metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ g8Source: { maxInFlight: 1 } });
  });
  afterAll(() => h.close());

  it('reads the bulkhead of each source when scraped', async () => {
    const runtime = h.gateway.sources.get('g8')!.runtime;
    // Every answer takes 1.5 s and one call may be in flight: the fan-out of billing/calculate queues.
    h.g8.setLatency(1500);
    const pending = h.query(EVERYTHING, { w: WEEK });
    for (let i = 0; i < 500 && runtime.resilience().queued === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(runtime.resilience().queued).toBeGreaterThan(0);
    const samples = await scrape(h.gateway.metricsUrl()!);
    const now = runtime.resilience();
    expect(sum(samples, 'billgraph_upstream_in_flight', { source: 'g8' })).toBe(1);
    expect(sum(samples, 'billgraph_upstream_queued', { source: 'g8' })).toBe(now.queued);
    expect(sum(samples, 'billgraph_upstream_sockets', { source: 'g8', state: 'busy' })).toBe(1);
    h.g8.setLatency(0);
    await pending;
    const after = await scrape(h.gateway.metricsUrl()!);
    expect(sum(after, 'billgraph_upstream_in_flight', { source: 'g8' })).toBe(0);
    expect(sum(after, 'billgraph_upstream_queued', { source: 'g8' })).toBe(0);
  });
});

describe('operation names per tenant', () => {
  const NOISY_KEY = 'noisy-tenant-key-0123456789';
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      config: {
        tenants: [
          { name: 'noisy', keySha256: keySha256(NOISY_KEY), sources: ['g8'] },
          { name: 'finops', keySha256: keySha256(KEY), sources: ['g8'] },
        ],
        metrics: { operatorKeySha256: [keySha256(OPERATOR_KEY)] },
      },
    });
  });
  afterAll(() => h.close());

  it("keeps a tenant's operation name after another tenant sent 300 junk names", async () => {
    for (let i = 0; i < 300; i += 20)
      await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          postGraphQL(h.url, `query Junk${i + j} { __typename }`, undefined, bearer(NOISY_KEY)),
        ),
      );
    expect((await postGraphQL(h.url, 'query QuarterlyExport { __typename }', undefined, bearer(KEY))).status).toBe(200);
    const samples = await scrape(h.gateway.metricsUrl()!, bearer(OPERATOR_KEY));
    const name = 'billgraph_graphql_request_duration_seconds_count';
    expect(sum(samples, name, { operation: 'QuarterlyExport' })).toBe(1);
    expect(sum(samples, name, { operation: 'other' })).toBe(300 - MAX_OPERATION_NAMES);
  });
});
