import type { SourceConfig } from '../config.js';
import type { SourceModel } from '../models.js';
import type { RestClientOptions } from './http.js';
import type { RuntimeDeps } from './types.js';

/** The public Source of a configured source entry (its name defaults to its id). */
export const sourceModelOf = (config: SourceConfig): SourceModel => ({
  id: config.id,
  provider: config.provider,
  name: config.name ?? config.id,
});

/**
 * The shared REST client's options from a configured source entry. `maxResponseBytes` is the
 * provider's default body limit (its module's `maxResponseBytes`), used unless the source sets one.
 */
export const restOptionsOf = (
  config: SourceConfig,
  displayName: string,
  deps: Pick<RuntimeDeps, 'telemetry'> | undefined,
  maxResponseBytes: number,
): RestClientOptions => ({
  provider: config.provider,
  displayName,
  sourceId: config.id,
  baseUrl: config.baseUrl,
  timeoutMs: config.timeoutMs,
  transport: config.transport,
  maxSockets: config.maxSockets,
  ...(config.maxInFlight !== undefined ? { maxInFlight: config.maxInFlight } : {}),
  maxQueue: config.maxQueue,
  retryAttempts: config.retryAttempts,
  retryBaseDelayMs: config.retryBaseDelayMs,
  retryMaxDelayMs: config.retryMaxDelayMs,
  maxRetryAfterMs: config.maxRetryAfterMs,
  maxRateLimitPauseMs: config.maxRateLimitPauseMs,
  breakerThreshold: config.breakerThreshold,
  breakerHalfOpenAfterMs: config.breakerHalfOpenAfterMs,
  maxResponseBytes: config.maxResponseBytes ?? maxResponseBytes,
  ...(deps?.telemetry ? { telemetry: deps.telemetry } : {}),
});
