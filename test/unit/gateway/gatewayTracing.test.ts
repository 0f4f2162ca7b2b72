import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { startGatewayTracing } from '../../../src/gateway/gatewayTracing.js';

describe('the gateway tracing handle', () => {
  it('has no tracing when tracing is off, and shuts down at once', async () => {
    const tracing = startGatewayTracing(false, {});
    await tracing.started;
    expect(tracing.current()).toBeUndefined();
    await expect(tracing.shutdown()).resolves.toBeUndefined();
  });

  it('has no tracing when no OTEL_* variable names an exporter', async () => {
    const tracing = startGatewayTracing(undefined, { OTEL_TRACES_EXPORTER: 'none' });
    await tracing.started;
    expect(tracing.current()).toBeUndefined();
  });

  it('loads the tracing in the background: undefined at first, there once started, and shuts it down', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = startGatewayTracing({ exporter }, {});
    expect(tracing.current()).toBeUndefined();
    await tracing.started;
    const current = tracing.current();
    expect(current).toBeDefined();
    const trace = current!.startRequest({}, 'req-t');
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    trace.end({ operation: 'Q', operationType: 'query', status: 200, errorCodes: [] });
    await expect(tracing.shutdown()).resolves.toBeUndefined();
  });
});
