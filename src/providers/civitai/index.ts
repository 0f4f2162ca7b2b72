import { defineProvider } from '../runtime.js';
import { isFinalBucket } from './mapping.js';
import { CivitaiApi } from './api.js';
import { CivitaiClient } from './client.js';
import { createCivitaiLoaders } from './loaders.js';
import { BUZZ } from './mapping.js';
import { civitaiSettings } from './settings.js';

/**
 * Default `maxResponseBytes` of its sources, 64 KiB: every answer is one object of four fields, about 150 bytes. A bigger body is refused
 * (UPSTREAM_BAD_RESPONSE) while it is read, before it is buffered whole or parsed.
 */
const MAX_RESPONSE_BYTES = 64 * 1024;

export const civitai = defineProvider({
  provider: 'CIVITAI',
  displayName: 'Civitai',
  // The description of its Provider enum value (the schema builds the values from the registry).
  description: "Civitai: consumption of the API key's consumer, in Buzz.",
  // Any [start, end) is one exact upstream total, so even HOUR buckets are answered without estimates.
  finestGranularity: 'HOUR',
  isFinalBucket,
  // Buzz transactions are not rewritten, but one may land late: a day.
  restatementHours: 24,
  // A window wholly in the past never changes (docs/upstreams/civitai.md#idempotency).
  cacheTtlSeconds: 86_400,
  // Its costs are in a virtual currency: UsageReport.virtualTotals, never totals.
  virtualCurrencies: [BUZZ],
  // FOCUS: image and model generation paid in Buzz.
  focus: {
    serviceCategory: 'AI and Machine Learning',
    serviceSubcategory: 'Generative AI',
    serviceName: 'Civitai Generation',
  },
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
  runtime: (config, deps, options) => {
    const client = new CivitaiClient({ ...options, bearerToken: config.credentials.apiKey ?? '' });
    return {
      client,
      createApi: (scope, source) =>
        new CivitaiApi(source, createCivitaiLoaders(client.forRequest(scope), deps.cache, deps.now), deps.now),
      // The cheapest authenticated call: an empty-ish one-minute window just before now.
      ping: () => {
        const end = Math.floor(deps.now() / 60_000) * 60_000;
        return client.consumption(end - 60_000, end);
      },
    };
  },
});
