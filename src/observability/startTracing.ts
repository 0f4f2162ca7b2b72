import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { logger } from '../logger.js';
import type { GatewayTracing } from './upstreamTelemetry.js';

/** Tracing given in code (tests): spans go to `exporter`, each as soon as it ends. */
export interface TracingOptions {
  readonly exporter: SpanExporter;
  /** @default OTEL_SERVICE_NAME, else "billgraph" */
  readonly serviceName?: string;
}

export type TracesExporterName = 'otlp' | 'console';

/**
 * The exporter the OTEL_* environment asks for, or undefined when tracing is off. Off unless
 * configured: OTEL_TRACES_EXPORTER ("otlp", "console"; "none" turns it off), or an OTLP
 * endpoint (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) with no exporter
 * named. OTEL_SDK_DISABLED=true wins over everything.
 */
export function tracesExporterOf(env: NodeJS.ProcessEnv): TracesExporterName | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const named = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (named.length === 0)
    return env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : undefined;
  if (named.includes('none')) return undefined;
  const supported = named.find((name): name is TracesExporterName => name === 'otlp' || name === 'console');
  const unsupported = named.filter((name) => name !== 'otlp' && name !== 'console');
  // Unknown names are a typo to report, not a reason to refuse to start.
  if (unsupported.length)
    logger.warn('unsupported OTEL_TRACES_EXPORTER', { exporters: unsupported.slice(0, 5), using: supported ?? 'none' });
  return supported;
}

/**
 * Tracing of one gateway, or undefined when it is off. The OpenTelemetry SDK is imported only
 * here, dynamically and only when tracing is on: a gateway without tracing never loads it.
 */
export async function startTracing(
  options: TracingOptions | false | undefined,
  env: NodeJS.ProcessEnv,
): Promise<GatewayTracing | undefined> {
  if (options === false) return undefined;
  const exporter = options ? undefined : tracesExporterOf(env);
  if (!options && !exporter) return undefined;
  const { createTracing } = await import('./tracing.js');
  return createTracing(
    options
      ? { kind: 'given', exporter: options.exporter, serviceName: options.serviceName ?? env.OTEL_SERVICE_NAME }
      : { kind: 'env', exporter: exporter!, serviceName: env.OTEL_SERVICE_NAME },
  );
}
