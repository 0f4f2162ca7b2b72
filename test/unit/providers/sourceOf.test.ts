import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/bootstrap.js';
import type { SourceConfig } from '../../../src/config.js';
import type { UpstreamTelemetry } from '../../../src/observability/upstreamTelemetry.js';
import { restOptionsOf, sourceModelOf } from '../../../src/providers/sourceOf.js';

const [plain, tuned] = validateConfig(
  {
    sources: [
      { id: 'g8', provider: 'OPENVCLOUD', baseUrl: 'http://127.0.0.1:1', credentials: { token: 't' } },
      {
        id: 'g9',
        name: 'G9 Ghent',
        provider: 'OPENVCLOUD',
        baseUrl: 'http://127.0.0.1:1/api',
        credentials: { token: 't' },
        transport: 'node-fetch',
        timeoutMs: 1500,
        maxInFlight: 3,
        maxQueue: 10,
        retryAttempts: 1,
        maxResponseBytes: 1234,
      },
    ],
  },
  'test',
  {},
).sources as [SourceConfig, SourceConfig];

const telemetry: UpstreamTelemetry = { upstreamAttempt: () => {}, upstreamRefused: () => {} };

describe('sourceModelOf', () => {
  it('is the source’s id, provider and name', () => {
    expect(sourceModelOf(tuned)).toEqual({ id: 'g9', provider: 'OPENVCLOUD', name: 'G9 Ghent' });
  });

  it('names a source without a name after its id', () => {
    expect(sourceModelOf(plain)).toEqual({ id: 'g8', provider: 'OPENVCLOUD', name: 'g8' });
  });
});

describe('restOptionsOf', () => {
  it('copies the configured policy and uses the provider’s body limit when the source sets none', () => {
    expect(restOptionsOf(plain, 'OpenvCloud', undefined, 2_097_152)).toEqual({
      provider: 'OPENVCLOUD',
      displayName: 'OpenvCloud',
      sourceId: 'g8',
      baseUrl: 'http://127.0.0.1:1',
      timeoutMs: 5000,
      transport: 'undici',
      maxSockets: 256,
      maxQueue: 4096,
      retryAttempts: 3,
      retryBaseDelayMs: 100,
      retryMaxDelayMs: 2000,
      maxRetryAfterMs: 5000,
      maxRateLimitPauseMs: 3_600_000,
      breakerThreshold: 5,
      breakerHalfOpenAfterMs: 10_000,
      maxResponseBytes: 2_097_152,
    });
  });

  it('leaves maxInFlight out when the source sets none, so the client’s default (maxSockets) applies', () => {
    expect('maxInFlight' in restOptionsOf(plain, 'OpenvCloud', undefined, 1)).toBe(false);
  });

  it('prefers the source’s own settings, maxInFlight and body limit included', () => {
    expect(restOptionsOf(tuned, 'OpenvCloud', undefined, 2_097_152)).toMatchObject({
      sourceId: 'g9',
      baseUrl: 'http://127.0.0.1:1/api',
      transport: 'node-fetch',
      timeoutMs: 1500,
      maxInFlight: 3,
      maxQueue: 10,
      retryAttempts: 1,
      maxResponseBytes: 1234,
    });
  });

  it('passes the telemetry on when there is some, and omits the key otherwise', () => {
    expect(restOptionsOf(plain, 'OpenvCloud', { telemetry }, 1).telemetry).toBe(telemetry);
    expect('telemetry' in restOptionsOf(plain, 'OpenvCloud', {}, 1)).toBe(false);
  });
});
