import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { EVERYTHING, WEEK } from '../../helpers/everySource.js';
import { postGraphQL, startFullHarness, type FullHarness } from '../../helpers/harness.js';
import { configureLogging, flushLogs } from '../../../src/logger.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

describe('OpenTelemetry traces', () => {
  const exporter = new InMemorySpanExporter();
  let h: FullHarness;
  beforeAll(async () => {
    h = await startFullHarness({ gateway: { tracing: { exporter } } });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.resetAll();
    exporter.reset();
  });

  const run = (headers: Record<string, string> = {}) => postGraphQL(h.url, EVERYTHING, { w: WEEK }, headers);

  it('makes one server span per operation and one client span per upstream attempt, under it', async () => {
    expect((await run()).status).toBe(200);
    const spans = exporter.getFinishedSpans();
    const servers = spans.filter((s) => s.kind === SpanKind.SERVER);
    expect(servers).toHaveLength(1);
    const [root] = servers as [ReadableSpan];
    expect(root.name).toBe('query Everything');
    expect(root.attributes).toMatchObject({
      'graphql.operation.name': 'Everything',
      'graphql.operation.type': 'query',
    });
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.attributes['billgraph.request_id']).toMatch(/^[0-9a-f-]{36}$/);

    const clients = spans.filter((s) => s.kind === SpanKind.CLIENT);
    const calls = Object.values(h.sims).reduce((n, sim) => n + sim.count(), 0);
    expect(clients).toHaveLength(calls);
    for (const span of clients) {
      expect(span.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
      expect(span.spanContext().traceId).toBe(root.spanContext().traceId);
      expect(span.attributes).toMatchObject({ 'http.response.status_code': 200, 'billgraph.code': 'OK' });
      expect(Object.keys(h.sims)).toContain(span.attributes['billgraph.source']);
      expect(span.name).toBe(`upstream ${String(span.attributes['billgraph.upstream.operation'])}`);
    }
    // Per source, as many spans as the simulator received calls.
    for (const [id, sim] of Object.entries(h.sims))
      expect(clients.filter((s) => s.attributes['billgraph.source'] === id)).toHaveLength(sim.count());
    expect(new Set(clients.map((s) => s.attributes['billgraph.upstream.operation']))).toContain('billing/calculate');
  });

  it('sends each upstream call its own traceparent, continuing the client’s trace', async () => {
    expect((await run({ traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` })).status).toBe(200);
    const spans = exporter.getFinishedSpans();
    const root = spans.find((s) => s.kind === SpanKind.SERVER)!;
    expect(root.spanContext().traceId).toBe(TRACE_ID);
    expect(root.parentSpanContext?.spanId).toBe(CLIENT_SPAN);
    const clientSpanIds = new Set(spans.filter((s) => s.kind === SpanKind.CLIENT).map((s) => s.spanContext().spanId));
    let seen = 0;
    for (const sim of Object.values(h.sims)) {
      for (const request of sim.requests) {
        const match = TRACEPARENT.exec(request.headers.traceparent ?? '');
        expect(match, `${request.route} carries a traceparent`).not.toBeNull();
        expect(match![1]).toBe(TRACE_ID);
        // The upstream's parent is the span of that very attempt, not the client's or the request's.
        expect(clientSpanIds.has(match![2]!)).toBe(true);
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(5);
  });

  it('puts no credential, URL, host or query string in any attribute', async () => {
    await run({ traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` });
    const secrets = [...h.gateway.sources.values()].flatMap(({ runtime }) => Object.values(runtime.config.credentials));
    const ports = Object.values(h.sims).map((sim) => String(sim.port));
    const spans = exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThan(5);
    for (const span of spans) {
      const text = JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events });
      for (const secret of secrets) expect(text).not.toContain(secret);
      for (const port of ports) expect(text).not.toContain(port);
      expect(text).not.toMatch(/https?:|127\.0\.0\.1|localhost|\?|url\.|server\.address/i);
    }
  });

  it('marks a failed upstream attempt with its status and code', async () => {
    h.sims.civitai!.injectFault({ fault: { kind: 'status', status: 401 } });
    await run();
    const failed = exporter
      .getFinishedSpans()
      .filter((s) => s.kind === SpanKind.CLIENT && s.attributes['billgraph.source'] === 'civitai');
    expect(failed.length).toBe(h.sims.civitai!.count());
    expect(failed.length).toBeGreaterThan(0);
    for (const span of failed)
      expect(span.attributes).toMatchObject({
        'http.response.status_code': 401,
        'billgraph.code': 'UPSTREAM_AUTH_FAILED',
        'error.type': '401',
      });
  });

  it('ignores a malformed traceparent and starts a new trace', async () => {
    await run({ traceparent: '00-not-a-trace-01' });
    const root = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER)!;
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.spanContext().traceId).not.toBe(TRACE_ID);
  });

  it('puts the trace id on the access line, so a log line leads to its trace', async () => {
    const raw: string[] = [];
    const restore = configureLogging({
      level: 'info',
      maxPerSecond: 0,
      destination: { write: (line: string) => void raw.push(line) },
    });
    try {
      await postGraphQL(h.url, 'query Probe { sources { id } }', undefined, {
        traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01`,
      });
      flushLogs();
    } finally {
      restore();
    }
    const access = raw
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((l) => l.message === 'graphql request');
    expect(access).toMatchObject({ operation: 'Probe', traceId: TRACE_ID });
  });
});
