import type { SourceConfig } from '../../config.js';
import type { ProviderModule, RuntimeDeps, SourceRuntime } from '../types.js';
import { CivitaiApi } from './api.js';
import { CivitaiClient } from './client.js';
import { createCivitaiLoaders } from './loaders.js';
import { restOptionsOf, sourceModelOf } from '../sourceOf.js';
import { civitaiSettings } from './settings.js';

/**
 * Default `maxResponseBytes` of its sources, 64 KiB: every answer is one object of four fields, about 150 bytes. A bigger body is refused
 * (UPSTREAM_BAD_RESPONSE) while it is read, before it is buffered whole or parsed.
 */
const MAX_RESPONSE_BYTES = 64 * 1024;

const DISPLAY_NAME = 'Civitai';

function createRuntime(config: SourceConfig, deps: RuntimeDeps): SourceRuntime {
  const source = sourceModelOf(config);
  const client = new CivitaiClient({
    ...restOptionsOf(config, DISPLAY_NAME, deps, MAX_RESPONSE_BYTES),
    bearerToken: config.credentials.apiKey ?? '',
  });
  return {
    source,
    config,
    createApi: (scope) =>
      new CivitaiApi(source, createCivitaiLoaders(client.forRequest(scope), deps.cache, deps.now), deps.now),
    // The cheapest authenticated call: an empty-ish one-minute window just before now.
    ping: async () => {
      const end = Math.floor(deps.now() / 60_000) * 60_000;
      await client.consumption(end - 60_000, end);
    },
    resilience: () => client.resilienceStatus(),
    close: async () => client.close(),
  };
}

export const civitai = {
  provider: 'CIVITAI',
  displayName: DISPLAY_NAME,
  // The Provider enum value"s description in the schema (npm run codegen).
  description: "Civitai: consumption of the API key's consumer, in Buzz.",
  // Any [start, end) is one exact upstream total, so even HOUR buckets are answered without estimates.
  finestGranularity: 'HOUR',
  // A window wholly in the past never changes (docs/upstreams/civitai.md#idempotency).
  cacheTtlSeconds: 86_400,
  maxResponseBytes: MAX_RESPONSE_BYTES,
  validateCredentials: (credentials) =>
    credentials.apiKey
      ? []
      : [
          {
            path: ['credentials', 'apiKey'],
            message: 'needs "apiKey" (a Civitai orchestration token, sent as "Authorization: Bearer <apiKey>")',
          },
        ],
  settings: civitaiSettings,
  createRuntime,
} satisfies ProviderModule;
