import { defineProvider } from '../runtime.js';
import { TheirstackApi } from './api.js';
import { TheirstackClient } from './client.js';
import { createTheirstackLoaders } from './loaders.js';
import { CREDITS, isFinalBucket, type MissingDays } from './mapping.js';
import { theirstackSettings } from './settings.js';

/**
 * Default `maxResponseBytes` of its sources, 256 KiB: a credits_consumption answer is one element of about 90 bytes per day, at most 366 days (33 KB). A bigger body is refused
 * (UPSTREAM_BAD_RESPONSE) while it is read, before it is buffered whole or parsed.
 */
const MAX_RESPONSE_BYTES = 256 * 1024;

/**
 * `options.missingDays`: what a day of the window absent from an answer means. Whether TheirStack
 * lists days without consumption is undocumented (docs/upstreams/theirstack.md#answers), so the
 * default refuses the answer rather than read an empty list as 0 credits. @default "error"
 */
const missingDaysOf = (options: Record<string, unknown>): MissingDays =>
  options.missingDays === 'zero' ? 'zero' : 'error';

export const theirstack = defineProvider({
  provider: 'THEIRSTACK',
  displayName: 'TheirStack',
  // The description of its Provider enum value (the schema builds the values from the registry).
  description: "TheirStack: the team's credit consumption.",
  // credits_consumption reports calendar days of the requested zone and nothing finer.
  finestGranularity: 'DAY',
  isFinalBucket,
  // Credits are charged when a search runs and not rewritten; a day covers a late one.
  restatementHours: 24,
  // A day that has ended in the window's zone never changes (docs/upstreams/theirstack.md#idempotency).
  cacheTtlSeconds: 86_400,
  // Its costs are in a virtual currency: UsageReport.virtualTotals, never totals.
  virtualCurrencies: [CREDITS],
  // FOCUS: job and technographic data bought with API credits.
  focus: { serviceCategory: 'Analytics', serviceSubcategory: 'Data Processing', serviceName: 'TheirStack API' },
  maxResponseBytes: MAX_RESPONSE_BYTES,
  validateCredentials: (credentials, options) => [
    ...(credentials.token
      ? []
      : [
          {
            path: ['credentials', 'token'],
            message: 'needs "token" (a TheirStack API key, sent as "Authorization: Bearer <token>")',
          },
        ]),
    ...(options.missingDays === undefined || options.missingDays === 'error' || options.missingDays === 'zero'
      ? []
      : [
          {
            path: ['options', 'missingDays'],
            message: 'must be "error" or "zero" (what a day missing from a credits_consumption answer means)',
          },
        ]),
  ],
  settings: theirstackSettings,
  runtime: (config, deps, options) => {
    const missingDays = missingDaysOf(config.options);
    const client = new TheirstackClient({ ...options, bearerToken: config.credentials.token ?? '' });
    return {
      client,
      createApi: (scope, source) =>
        new TheirstackApi(
          source,
          createTheirstackLoaders(client.forRequest(scope), deps.cache, deps.now, missingDays),
          deps.now,
        ),
      ping: () => client.creditBalance(),
    };
  },
});
