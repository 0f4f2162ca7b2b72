import { defineProvider } from '../runtime.js';
import { isFinalBucket } from './mapping.js';
import { KillbillApi } from './api.js';
import { KillbillClient, type KillbillCredentials } from './client.js';
import { createKillbillLoaders } from './loaders.js';
import { KeyedSerialQueue } from './recordUsage.js';
import { killbillSettings } from './settings.js';
import { killbillSchema } from './schema.js';

/**
 * Default `maxResponseBytes` of its sources, 1 MiB: a page of `pageSize` (≤ 1000) accounts is about 500 bytes each; a usage answer is one entry per unit type, a bundles list a few KB per account. A bigger body is refused
 * (UPSTREAM_BAD_RESPONSE) while it is read, before it is buffered whole or parsed.
 */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** `options.createdBy`: the audit user of writes (X-Killbill-CreatedBy). @default "billgraph" */
export const DEFAULT_CREATED_BY = 'billgraph';
/** `options.pageSize`: accounts per accounts/pagination call. @default 100 */
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

const CREDENTIAL_NAMES = ['username', 'password', 'apiKey', 'apiSecret'] as const;

function optionsOf(options: Record<string, unknown>): { createdBy: string; pageSize: number } {
  return {
    createdBy: typeof options.createdBy === 'string' ? options.createdBy : DEFAULT_CREATED_BY,
    pageSize: typeof options.pageSize === 'number' ? options.pageSize : DEFAULT_PAGE_SIZE,
  };
}

export const killbill = defineProvider({
  provider: 'KILLBILL',
  displayName: 'Kill Bill',
  // The description of its Provider enum value (the schema builds the values from the registry).
  description: 'Kill Bill: accounts, subscriptions and rolled-up usage.',
  // One usage call returns one total per unit type; Kill Bill keeps one summary per day by
  // convention (docs/upstreams/killbill.md#k11), so DAY is the natural floor: a DAY series costs one call per day per subscription.
  finestGranularity: 'DAY',
  isFinalBucket,
  // Kill Bill takes usage recorded late for any past date; a month (31 days) is how far back sync looks.
  restatementHours: 744,
  // FOCUS: whatever the operator meters through its catalog; FOCUS has no closer category.
  focus: { serviceCategory: 'Other', serviceSubcategory: 'Other (Other)', serviceName: 'Kill Bill Metered Usage' },
  // Kill Bill takes usage for past dates at any time, and writes that do not go through
  // billgraph cannot invalidate anything: this TTL is how long such a write can stay unseen.
  cacheTtlSeconds: 900,
  maxResponseBytes: MAX_RESPONSE_BYTES,
  validateCredentials: (credentials, options) => {
    const problems: { path: (string | number)[]; message: string }[] = [];
    const missing = CREDENTIAL_NAMES.filter((name) => !credentials[name]);
    if (missing.length > 0) {
      problems.push({
        path: ['credentials'],
        message: `needs "username" and "password" (HTTP Basic) and "apiKey" and "apiSecret" (the tenant); missing ${missing.map((m) => `"${m}"`).join(', ')}`,
      });
    }
    const { createdBy, pageSize } = options;
    if (
      createdBy !== undefined &&
      (typeof createdBy !== 'string' || createdBy.trim() === '' || createdBy.length > 50)
    ) {
      problems.push({
        path: ['options', 'createdBy'],
        message: 'must be a non-empty string of at most 50 characters (the X-Killbill-CreatedBy audit user)',
      });
    }
    if (
      pageSize !== undefined &&
      (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    ) {
      problems.push({
        path: ['options', 'pageSize'],
        message: `must be an integer from 1 to ${MAX_PAGE_SIZE} (accounts per accounts/pagination call)`,
      });
    }
    return problems;
  },
  settings: killbillSettings,
  runtime: (config, deps, options) => {
    const { createdBy, pageSize } = optionsOf(config.options);
    const credentials: KillbillCredentials = {
      username: config.credentials.username ?? '',
      password: config.credentials.password ?? '',
      apiKey: config.credentials.apiKey ?? '',
      apiSecret: config.credentials.apiSecret ?? '',
    };
    const client = new KillbillClient(options, credentials);
    // Writes to one subscription are serialised across the source's requests.
    const writes = new KeyedSerialQueue();
    return {
      client,
      createApi: (scope, source) => {
        const scoped = client.forRequest(scope);
        return new KillbillApi({
          source,
          config,
          client: scoped,
          loaders: createKillbillLoaders(scoped, pageSize, deps.cache, deps.now),
          writes,
          createdBy,
          now: deps.now,
          cache: deps.cache,
          ...(deps.ledger ? { ledger: deps.ledger } : {}),
        });
      },
      ping: () => client.ping(),
    };
  },
  schema: killbillSchema,
});
