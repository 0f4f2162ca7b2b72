import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createTracing, SPAN_ATTRIBUTES } from '../../../src/observability/tracing.js';
import type { GatewayTracing } from '../../../src/observability/upstreamTelemetry.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

let tracing: GatewayTracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

function given(serviceName?: string) {
  const exporter = new InMemorySpanExporter();
  tracing = createTracing({ kind: 'given', exporter, serviceName });
  const spans = () => exporter.getFinishedSpans();
  const named = (name: string): ReadableSpan => spans().find((s) => s.name === name)!;
  return { tracing, spans, named };
}

describe('createTracing', () => {
  it('names the service "billgraph" unless told otherwise', () => {
    const plain = given();
    plain.tracing.startRequest({}, 'r1').end({ operation: 'a', operationType: 'query', status: 200, errorCodes: [] });
    expect(plain.spans()[0]!.resource.attributes['service.name']).toBe('billgraph');
    const named = given('gw-7');
    named.tracing.startRequest({}, 'r2').end({ operation: 'a', operationType: 'query', status: 200, errorCodes: [] });
    expect(named.spans()[0]!.resource.attributes['service.name']).toBe('gw-7');
  });

  it('opens a SERVER span per request, named by operation type and name when it ends', () => {
    const { tracing, named } = given();
    const request = tracing.startRequest({}, 'req-1');
    expect(request.traceId).toMatch(/^[0-9a-f]{32}$/);
    request.end({ operation: 'Accounts', operationType: 'query', status: 200, errorCodes: [] });
    const span = named('query Accounts');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.attributes).toEqual({
      [SPAN_ATTRIBUTES.requestId]: 'req-1',
      [SPAN_ATTRIBUTES.graphqlOperationName]: 'Accounts',
      [SPAN_ATTRIBUTES.graphqlOperationType]: 'query',
      'http.response.status_code': 200,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('keeps the name "graphql" when the operation was never resolved', () => {
    const { tracing, spans } = given();
    tracing
      .startRequest({}, 'r')
      .end({ operation: 'anonymous', operationType: undefined, status: 400, errorCodes: [] });
    expect(spans()[0]!.name).toBe('graphql');
    expect(spans()[0]!.attributes[SPAN_ATTRIBUTES.graphqlOperationType]).toBeUndefined();
  });

  it('marks a request with errors as failed, naming the first code and at most ten codes', () => {
    const { tracing, spans } = given();
    const codes = Array.from({ length: 12 }, (_, i) => `C${i}`);
    tracing.startRequest({}, 'r').end({ operation: 'q', operationType: 'query', status: 200, errorCodes: codes });
    const span = spans()[0]!;
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes[SPAN_ATTRIBUTES.code]).toBe('C0,C1,C2,C3,C4,C5,C6,C7,C8,C9');
    expect(span.attributes['error.type']).toBe('C0');
  });

  it('continues the caller’s trace from a valid traceparent and ignores an invalid one', () => {
    const { tracing } = given();
    expect(tracing.startRequest({ traceparent: PARENT }, 'r').traceId).toBe(TRACE_ID);
    expect(tracing.startRequest({ traceparent: 'garbage' }, 'r').traceId).not.toBe(TRACE_ID);
  });

  it('opens a CLIENT span per upstream call under the request and injects its traceparent', () => {
    const { tracing, named } = given();
    const request = tracing.startRequest({ traceparent: PARENT }, 'r');
    const outgoing: Record<string, string> = {};
    request.startUpstream('g8', 'accounts/list', 'GET', outgoing).end(200, 'OK');
    request.end({ operation: 'q', operationType: 'query', status: 200, errorCodes: [] });
    const upstream = named('upstream accounts/list');
    expect(upstream.kind).toBe(SpanKind.CLIENT);
    expect(upstream.spanContext().traceId).toBe(TRACE_ID);
    expect(upstream.parentSpanContext?.spanId).toBe(named('query q').spanContext().spanId);
    expect(outgoing.traceparent).toBe(`00-${TRACE_ID}-${upstream.spanContext().spanId}-01`);
    expect(upstream.attributes).toEqual({
      [SPAN_ATTRIBUTES.source]: 'g8',
      [SPAN_ATTRIBUTES.upstreamOperation]: 'accounts/list',
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      [SPAN_ATTRIBUTES.code]: 'OK',
    });
    expect(upstream.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('treats NOT_FOUND as no failure, an HTTP error as its status and a call without answer as its code', () => {
    const { tracing, named } = given();
    const request = tracing.startRequest({}, 'r');
    request.startUpstream('s', 'missing', 'GET', {}).end(404, 'NOT_FOUND');
    request.startUpstream('s', 'broken', 'GET', {}).end(503, 'UPSTREAM_UNAVAILABLE');
    request.startUpstream('s', 'silent', 'POST', {}).end(undefined, 'UPSTREAM_TIMEOUT');
    expect(named('upstream missing').status.code).toBe(SpanStatusCode.UNSET);
    expect(named('upstream missing').attributes['error.type']).toBeUndefined();
    expect(named('upstream broken').status.code).toBe(SpanStatusCode.ERROR);
    expect(named('upstream broken').attributes['error.type']).toBe('503');
    expect(named('upstream silent').attributes['error.type']).toBe('UPSTREAM_TIMEOUT');
    expect(named('upstream silent').attributes['http.response.status_code']).toBeUndefined();
  });
});
