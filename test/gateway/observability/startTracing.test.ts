import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tracesExporterOf } from '../../../src/observability/startTracing.js';

describe('tracesExporterOf (the OTEL_* switch)', () => {
  it('is off without OTEL_* settings, or with "none", or with OTEL_SDK_DISABLED', () => {
    expect(tracesExporterOf({})).toBeUndefined();
    expect(tracesExporterOf({ OTEL_SERVICE_NAME: 'billgraph' })).toBeUndefined();
    expect(tracesExporterOf({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toBe(
      undefined,
    );
    expect(tracesExporterOf({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' })).toBeUndefined();
  });

  it('is on when an exporter is named, or an OTLP endpoint is set', () => {
    expect(tracesExporterOf({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe('otlp');
    expect(tracesExporterOf({ OTEL_TRACES_EXPORTER: ' Console ' })).toBe('console');
    expect(tracesExporterOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('otlp');
    expect(tracesExporterOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe('otlp');
    expect(tracesExporterOf({ OTEL_TRACES_EXPORTER: 'zipkin,otlp' })).toBe('otlp');
    expect(tracesExporterOf({ OTEL_TRACES_EXPORTER: 'zipkin' })).toBeUndefined();
  });
});

/** The OpenTelemetry modules a gateway process loads while answering one query under `env`. */
async function loadedOtelModules(
  env: Record<string, string>,
): Promise<{ status: number; total: number; opentelemetry: string[] }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      './test/fixtures/observability/recordLoads.mjs',
      '--import',
      'tsx',
      'test/fixtures/observability/gatewayModules.ts',
    ],
    {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, BILLGRAPH_LOG: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect({ code, err: err.slice(0, 2000) }).toEqual({ code: 0, err: expect.any(String) });
  const line = out.split('\n').find((l) => l.startsWith('MODULES '));
  expect(line, out.slice(-2000)).toBeDefined();
  return JSON.parse(line!.slice('MODULES '.length)) as { status: number; total: number; opentelemetry: string[] };
}

describe('with tracing off', () => {
  it('loads no OpenTelemetry module at all; with an exporter configured the same process loads the SDK', async () => {
    const off = await loadedOtelModules({});
    expect(off.status).toBe(200);
    // The recorder saw the gateway's own modules, so an empty list means something.
    expect(off.total).toBeGreaterThan(100);
    expect(off.opentelemetry).toEqual([]);

    const on = await loadedOtelModules({ OTEL_TRACES_EXPORTER: 'console' });
    expect(on.status).toBe(200);
    expect(on.opentelemetry.some((url) => url.includes('/@opentelemetry/sdk-trace'))).toBe(true);
  }, 60_000);
});
