// Loaded only through startTracing's dynamic import, when tracing is on.
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  defaultTextMapGetter,
  defaultTextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVICE_NAME,
} from '@opentelemetry/semantic-conventions';
import type { TracesExporterName } from './startTracing.js';
import type { GatewayTracing, GraphQLOutcome, GraphQLTrace, UpstreamSpan } from './upstreamTelemetry.js';

/** Attribute names of billgraph's own spans (the GraphQL ones are OpenTelemetry's, still incubating). */
export const SPAN_ATTRIBUTES = {
  source: 'billgraph.source',
  upstreamOperation: 'billgraph.upstream.operation',
  code: 'billgraph.code',
  requestId: 'billgraph.request_id',
  graphqlOperationName: 'graphql.operation.name',
  graphqlOperationType: 'graphql.operation.type',
} as const;

export type TracingSetup =
  | { readonly kind: 'given'; readonly exporter: SpanExporter; readonly serviceName: string | undefined }
  | { readonly kind: 'env'; readonly exporter: TracesExporterName; readonly serviceName: string | undefined };

/**
 * A tracer provider of this gateway only: it is never registered as the global one, and the
 * parent of an upstream span is handed down explicitly (RequestScope.trace), so gateways in one
 * process keep their traces apart and no context manager is needed.
 */
export function createTracing(setup: TracingSetup): GatewayTracing {
  const exporter =
    setup.kind === 'given'
      ? setup.exporter
      : setup.exporter === 'console'
        ? new ConsoleSpanExporter()
        : // Reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS, _TIMEOUT itself.
          new OTLPTraceExporter();
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: setup.serviceName ?? 'billgraph' }));
  const provider = new BasicTracerProvider({
    resource,
    // A given exporter (tests) sees each span as it ends; a real one gets batches.
    spanProcessors: [setup.kind === 'given' ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('billgraph');
  const propagator = new W3CTraceContextPropagator();

  return {
    startRequest(headers, requestId): GraphQLTrace {
      // Continues the caller's trace when it sent a valid traceparent; the propagator ignores anything else.
      const parent = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
      const span = tracer.startSpan(
        'graphql',
        { kind: SpanKind.SERVER, attributes: { [SPAN_ATTRIBUTES.requestId]: requestId } },
        parent,
      );
      const context = trace.setSpan(parent, span);
      return {
        traceId: span.spanContext().traceId,
        startUpstream(source, operation, method, outgoing): UpstreamSpan {
          const child = tracer.startSpan(
            `upstream ${operation}`,
            {
              kind: SpanKind.CLIENT,
              attributes: {
                [SPAN_ATTRIBUTES.source]: source,
                [SPAN_ATTRIBUTES.upstreamOperation]: operation,
                [ATTR_HTTP_REQUEST_METHOD]: method,
              },
            },
            context,
          );
          propagator.inject(trace.setSpan(context, child), outgoing, defaultTextMapSetter);
          return {
            end(status, code) {
              if (status !== undefined) child.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
              child.setAttribute(SPAN_ATTRIBUTES.code, code);
              if (code !== 'OK' && code !== 'NOT_FOUND') {
                child.setAttribute(ATTR_ERROR_TYPE, status !== undefined && status >= 400 ? String(status) : code);
                child.setStatus({ code: SpanStatusCode.ERROR });
              }
              child.end();
            },
          };
        },
        end(outcome: GraphQLOutcome) {
          span.updateName(outcome.operationType ? `${outcome.operationType} ${outcome.operation}` : 'graphql');
          span.setAttribute(SPAN_ATTRIBUTES.graphqlOperationName, outcome.operation);
          if (outcome.operationType) span.setAttribute(SPAN_ATTRIBUTES.graphqlOperationType, outcome.operationType);
          span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, outcome.status);
          if (outcome.errorCodes.length) {
            span.setAttribute(SPAN_ATTRIBUTES.code, outcome.errorCodes.slice(0, 10).join(','));
            span.setAttribute(ATTR_ERROR_TYPE, outcome.errorCodes[0]!);
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.end();
        },
      };
    },
    shutdown: () => provider.shutdown(),
  };
}
