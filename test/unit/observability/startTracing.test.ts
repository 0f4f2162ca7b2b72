import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { startTracing, tracesExporterOf } from '../../../src/observability/startTracing.js';
import { captureLogs } from '../gateway/logCapture.js';

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

describe('tracesExporterOf', () => {
  it('is off when nothing is configured', () => {
    expect(tracesExporterOf({})).toBeUndefined();
    expect(tracesExporterOf({ OTEL_TRACES_EXPORTER: ' , ' })).toBeUndefined();
  });

  it('is otlp when only an OTLP endpoint is given', () => {
    expect(tracesExporterOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('otlp');
    expect(tracesExporterOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe('otlp');
  });

  it('is the named exporter, case and spaces ignored, the first supported of a list', () => {
    expect(tracesExporterOf({ OTEL_TRACES_EXPORTER: ' Console ' })).toBe('console');
    expect(tracesExporterOf({ OTEL_TRACES_EXPORTER: 'otlp,console' })).toBe('otlp');
  });

  it('is off when "none" is named, even beside another exporter or an endpoint', () => {
    expect(
      tracesExporterOf({ OTEL_TRACES_EXPORTER: 'otlp,none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }),
    ).toBeUndefined();
  });

  it('is off when OTEL_SDK_DISABLED is true, whatever else is set', () => {
    expect(tracesExporterOf({ OTEL_SDK_DISABLED: ' TRUE ', OTEL_TRACES_EXPORTER: 'console' })).toBeUndefined();
    expect(tracesExporterOf({ OTEL_SDK_DISABLED: 'false', OTEL_TRACES_EXPORTER: 'console' })).toBe('console');
  });

  it('warns about unsupported names and uses a supported one if any, else none', () => {
    const logs = captureLogs();
    restore = logs.restore;
    expect(tracesExporterOf({ OTEL_TRACES_EXPORTER: 'zipkin,console' })).toBe('console');
    expect(tracesExporterOf({ OTEL_TRACES_EXPORTER: 'jaeger' })).toBeUndefined();
    expect(logs.lines.map((l) => [l.level, l.msg ?? l.message, l.exporters, l.using])).toEqual([
      ['warn', 'unsupported OTEL_TRACES_EXPORTER', ['zipkin'], 'console'],
      ['warn', 'unsupported OTEL_TRACES_EXPORTER', ['jaeger'], 'none'],
    ]);
  });
});

describe('startTracing', () => {
  it('is undefined when tracing is turned off in code, even with an exporter in the environment', async () => {
    expect(await startTracing(false, { OTEL_TRACES_EXPORTER: 'console' })).toBeUndefined();
  });

  it('is undefined when nothing configures it', async () => {
    expect(await startTracing(undefined, {})).toBeUndefined();
    expect(await startTracing(undefined, { OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
  });

  it('traces into an exporter given in code, named by OTEL_SERVICE_NAME when no name is given', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = (await startTracing({ exporter }, { OTEL_SERVICE_NAME: 'from-env' }))!;
    tracing.startRequest({}, 'r').end({ operation: 'q', operationType: 'query', status: 200, errorCodes: [] });
    // Read before shutdown, which empties an in-memory exporter.
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.resource.attributes['service.name']])).toEqual([
      ['query q', 'from-env'],
    ]);
    await tracing.shutdown();
  });

  it('prefers the service name given in code', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = (await startTracing({ exporter, serviceName: 'in-code' }, { OTEL_SERVICE_NAME: 'from-env' }))!;
    tracing.startRequest({}, 'r').end({ operation: 'q', operationType: 'query', status: 200, errorCodes: [] });
    expect(exporter.getFinishedSpans()[0]!.resource.attributes['service.name']).toBe('in-code');
    await tracing.shutdown();
  });
});
