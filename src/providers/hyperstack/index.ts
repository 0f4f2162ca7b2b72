import { defineProvider } from '../runtime.js';
import { isFinalBucket } from './mapping.js';
import { HyperstackApi } from './api.js';
import { HyperstackClient } from './client.js';
import { createHyperstackLoaders } from './loaders.js';
import { hyperstackSettings } from './settings.js';
import { hyperstackSchema } from './schema.js';

/**
 * Default `maxResponseBytes` of its sources, 2 MiB: a list page holds 100 rows of about 1 KB; an hourly graph of a 31-day window is 744 points of about 60 bytes (45 KB). A bigger body is refused
 * (UPSTREAM_BAD_RESPONSE) while it is read, before it is buffered whole or parsed.
 */
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

/** Default in-flight limit of a Hyperstack source (its 500/min limit is shared per IP). */
export const HYPERSTACK_MAX_IN_FLIGHT = 8;

export const hyperstack = defineProvider({
  provider: 'HYPERSTACK',
  displayName: 'Hyperstack',
  // The description of its Provider enum value (the schema builds the values from the registry).
  description: 'Hyperstack: billable cloud resources and their costs.',
  // The per-resource graphs are hourly; organization totals are asked per bucket.
  finestGranularity: 'HOUR',
  isFinalBucket,
  // Hyperstack re-rates a bill for up to a few days (credits, corrections): three days.
  restatementHours: 72,
  // FOCUS: GPU virtual machines, volumes and the rest of its billable resources.
  focus: { serviceCategory: 'Compute', serviceSubcategory: 'Virtual Machines', serviceName: 'Hyperstack GPU Cloud' },
  // Billing of a window an hour past its end is settled; an hour keeps a late re-rating
  // visible soon while a dashboard's repeated month views stay off the 500/min limit.
  cacheTtlSeconds: 3600,
  maxResponseBytes: MAX_RESPONSE_BYTES,
  // Hyperstack limits requests per IP (docs/upstreams/hyperstack.md#s7-10): fewer in flight unless configured.
  maxInFlight: HYPERSTACK_MAX_IN_FLIGHT,
  validateCredentials: (credentials) =>
    credentials.apiKey
      ? []
      : [{ path: ['credentials', 'apiKey'], message: 'needs "apiKey" (sent as the "api_key" header)' }],
  settings: hyperstackSettings,
  runtime: (config, deps, options) => {
    const client = new HyperstackClient(options, config.credentials.apiKey ?? '');
    return {
      client,
      createApi: (scope, source) =>
        new HyperstackApi(
          source,
          createHyperstackLoaders(client.forRequest(scope), deps.cache, deps.now),
          deps.now,
          deps.cache,
        ),
      ping: () => client.thresholds(),
    };
  },
  schema: hyperstackSchema,
});
