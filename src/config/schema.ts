/**
 * The config file's schema: zod types, bounds, defaults and every key's description (with its
 * unit and default). `buildConfigSchema(providers)` builds it for a list of providers; the
 * gateway validates with `configSchema` (the generated provider list, so this module loads no
 * provider code), and `npm run codegen` builds it from the registry's modules themselves, so
 * billgraph.schema.json never lags the registry (scripts/configSchema.ts).
 *
 * Where a default is not a fixed value, the description ends with "Default: …".
 */
import { z } from 'zod';
// Generated from src/providers/registry.ts (npm run codegen), so this file loads no provider code.
import { PROVIDER_FINEST_GRANULARITY, PROVIDER_LABELS, PROVIDERS, type Provider } from '../generated/providers.js';
import { TRANSPORT_NAMES } from '../providers/transport/transport.js';
import { currenciesSchema, pricesSchema, priceProblems } from './money.js';

export { PROVIDERS };

/**
 * What the config's descriptions say of one provider. Only `provider` is needed to validate;
 * the rest (a `ProviderModule` has them all) lets a key's description state each provider's default.
 */
export interface ConfigProvider {
  readonly provider: Provider;
  readonly displayName?: string;
  /** Default `cache.ttlSeconds`, in seconds. */
  readonly cacheTtlSeconds?: number;
  /** Default `maxResponseBytes`, in bytes. */
  readonly maxResponseBytes?: number;
  /** Default `maxInFlight` when lower than `maxSockets`, in calls. */
  readonly maxInFlight?: number;
  /** The finest buckets it answers: a dated price may change only on their boundaries. */
  readonly finestGranularity?: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'TOTAL';
}

/** "Civitai 65536, TheirStack 262144": each provider's value of one default, in registry order. */
function perProvider(providers: readonly ConfigProvider[], value: (p: ConfigProvider) => number | undefined): string {
  return providers
    .flatMap((p) => {
      const v = value(p);
      return v === undefined ? [] : [`${p.displayName ?? p.provider} ${v}`];
    })
    .join(', ');
}

const httpUrl = z
  .string({ error: 'must be a string URL such as "http://127.0.0.1:9001"' })
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials, such as "https://g8.example.com"')
  // The refinement above, as far as a JSON Schema pattern can say it: http(s), no "user@" in the authority.
  .meta({ pattern: '^[hH][tT][tT][pP][sS]?://[^/?#@\\s]+([/?#][^\\s]*)?$' });

/** Cache lifetimes: whole seconds, 0 meaning "not cached", at most 30 days. */
const cacheSeconds = z
  .number({ error: 'must be a whole number of seconds such as 3600 (0 turns this cache off)' })
  .int('must be a whole number of seconds such as 3600 (0 turns this cache off)')
  .min(0, 'must be 0 (off) or more seconds')
  .max(
    2_592_000,
    'must be at most 2592000 seconds (30 days); a longer lifetime would hide upstream corrections for too long',
  );

/** One `sources[]` entry, for these providers. */
export function buildSourceSchema(providers: readonly [ConfigProvider, ...ConfigProvider[]]) {
  const ids = providers.map((p) => p.provider) as [Provider, ...Provider[]];
  const maxInFlight = perProvider(providers, (p) => p.maxInFlight);
  const maxResponseBytes = perProvider(providers, (p) => p.maxResponseBytes);
  const ttlSeconds = perProvider(providers, (p) => p.cacheTtlSeconds);
  return z
    .object({
      id: z
        .string()
        .regex(
          /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
          'must be 1–64 letters, digits, "-" or "_", starting with a letter or digit',
        )
        .describe('The source\'s id, shown as Source.id and inside ids: 1–64 letters, digits, "-" or "_", unique.'),
      provider: z
        .enum(ids, {
          error: (issue) => `must be one of ${ids.join(', ')}, got ${JSON.stringify(issue.input)}`,
        })
        .describe('Which billing API the source is; decides what `credentials` and `options` it takes.'),
      name: z.string().min(1).optional().describe('Display name. Default: the id.'),
      baseUrl: httpUrl.describe(
        'The upstream\'s base URL: http(s), no credentials in it, such as "https://g8.example.com".',
      ),
      credentials: z
        .record(z.string(), z.string(), { error: 'must be an object of strings' })
        .describe(
          'What the provider authenticates with (strings; "${NAME}" reads the environment variable NAME): see the provider table.',
        ),
      timeoutMs: z
        .number()
        .int()
        .min(1)
        .max(120_000)
        .default(5000)
        .describe(
          'Timeout of one attempt (connect, headers, body) to this source, in milliseconds; the request deadline (limits.requestTimeoutMs) can shorten it.',
        ),
      transport: z
        .enum(TRANSPORT_NAMES, {
          error: (issue) =>
            `must be ${TRANSPORT_NAMES.map((n) => `"${n}"`).join(' or ')}, got ${JSON.stringify(issue.input)}`,
        })
        .default(TRANSPORT_NAMES[0])
        .describe(
          'HTTP client of this source: "undici" (a keep-alive Pool; 2.1× the throughput of node-fetch at 20 clients, docs/performance.md) or "node-fetch" (over a node:http Agent).',
        ),
      maxSockets: z
        .number()
        .int()
        .min(1)
        .max(1024)
        .default(256)
        .describe(
          'Keep-alive sockets to this source, and so (by default) calls in flight to it. Size it to the calls one round of the busiest query makes times the concurrent requests (20 clients × 9 machines/list of the G8 traversal = 180); a lower value queues calls behind each other.',
        ),
      // --- Resilience policy of this source (docs/resilience.md). `timeoutMs` above is the budget
      // of one attempt; the request's deadline (limits.requestTimeoutMs) can only shorten it. ---
      maxInFlight: z
        .number()
        .int()
        .min(1)
        .max(1024)
        .optional()
        .describe(
          `Calls to this source in flight at once, in calls (docs/resilience.md). Default: maxSockets, or the provider's lower limit where its upstream limits callers${maxInFlight ? ` (${maxInFlight}, each at most maxSockets)` : ''}.`,
        ),
      maxQueue: z
        .number()
        .int()
        .min(0)
        .max(1_000_000)
        .default(4096)
        .describe(
          'Calls waiting for an in-flight slot, in calls; a call finding the queue full fails with UPSTREAM_UNAVAILABLE (twice the default upstream-call ceiling, so one request alone never fills it).',
        ),
      retryAttempts: z
        .number()
        .int()
        .min(1)
        .max(10)
        .default(3)
        .describe('Attempts per idempotent read, the first included (1 = never retry); writes are sent once.'),
      retryBaseDelayMs: z
        .number()
        .int()
        .min(0)
        .max(60_000)
        .default(100)
        .describe('Base of the jittered exponential backoff between attempts, in milliseconds.'),
      retryMaxDelayMs: z
        .number()
        .int()
        .min(0)
        .max(60_000)
        .default(2000)
        .describe('Longest backoff between attempts, in milliseconds.'),
      maxRetryAfterMs: z
        .number()
        .int()
        .min(0)
        .max(600_000)
        .default(5000)
        .describe(
          "Longest a call waits for its source's 429 Retry-After pauses (every call to the source waits while one runs), all pauses of the call together, in milliseconds; a longer wait is answered as UPSTREAM_RATE_LIMITED at once, without calling the source.",
        ),
      maxRateLimitPauseMs: z
        .number()
        .int()
        .min(0)
        .max(86_400_000)
        .default(3_600_000)
        .describe(
          "Longest a 429's Retry-After pauses every call to the source, in milliseconds (3600000 = one hour; a longer Retry-After pauses this long, then one probe asks again); 0 turns the shared pause off, so only the call that got the 429 waits.",
        ),
      breakerThreshold: z
        .number()
        .int()
        .min(1)
        .max(1000)
        .default(5)
        .describe(
          "Consecutive failures (timeouts not caused by billgraph's own blocked event loop, resets, refused connections, 5xx, 429s without Retry-After, bodies that are unreadable or break the contract) that open the circuit breaker, in failures.",
        ),
      breakerHalfOpenAfterMs: z
        .number()
        .int()
        .min(10)
        .max(3_600_000)
        .default(10_000)
        .describe('How long an open breaker refuses calls before letting one probe through, in milliseconds.'),
      maxResponseBytes: z
        .number()
        .int()
        .min(1024)
        .max(256 * 1024 * 1024)
        .optional()
        .describe(
          `Largest upstream body read, in bytes; a bigger one is UPSTREAM_BAD_RESPONSE. Default: the provider's, sized to its real answers${maxResponseBytes ? ` (${maxResponseBytes})` : ''}.`,
        ),
      prices: pricesSchema,
      focus: z
        .strictObject({
          virtualBilling: z
            .enum(['prepaid', 'onUse'])
            .default('prepaid')
            .describe(
              'How the FOCUS export bills this source\'s use of a virtual currency (Buzz, credits): "prepaid" (default) — the credits were bought and invoiced in advance, so their use has BilledCost 0 and its EffectiveCost is the converted value; "onUse" — each use is invoiced, BilledCost is the converted value too (docs/focus.md).',
            ),
        })
        .optional()
        .describe('The FOCUS export of this source (docs/focus.md). Default: virtualBilling "prepaid".'),
      options: z
        .record(z.string(), z.unknown())
        .default({})
        .describe(
          "Provider-specific settings, validated by the provider; each provider's keys, units and defaults are in billgraph.schema.json (its `settings.options`) and docs/upstreams/<provider>.md.",
        ),
      cache: z
        .object(
          {
            ttlSeconds: cacheSeconds
              .optional()
              .describe(
                `How long an answer for a final window (over and past the source's finality lag) is reused, in seconds; 0 = not cached. For an upstream others write to as well, it bounds how long their writes can stay unseen. Default: the provider's${ttlSeconds ? ` (${ttlSeconds})` : ''}.`,
              ),
            openWindowTtlSeconds: cacheSeconds
              .default(0)
              .describe(
                'How long an answer for a window still open (this month, today) is reused, in seconds; 0 = never cached.',
              ),
            listTtlSeconds: cacheSeconds
              .default(0)
              .describe(
                'How long listings and state (accounts, resources and what an upstream reports of the present, such as thresholds or balances) are reused, in seconds; 0 = never cached.',
              ),
          },
          { error: 'must be an object such as { "ttlSeconds": 3600 }' },
        )
        .strict()
        .default({ openWindowTtlSeconds: 0, listTtlSeconds: 0 })
        .describe("Cross-request cache of this source's upstream answers (docs/cache.md)."),
    })
    .strict()
    .superRefine((source, ctx) => {
      const module = providers.find((p) => p.provider === source.provider);
      for (const problem of priceProblems(
        source.id,
        module?.displayName ?? source.provider,
        module?.finestGranularity,
        source.prices,
      ))
        ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    })
    .describe('One upstream billing API.');
}

/** The gateway's own HTTP listener: how long a client may take to send a request, and how many may connect. */
const serverSchema = z
  .object({
    headersTimeoutMs: z
      .number()
      .int()
      .min(1000)
      .max(600_000)
      .default(10_000)
      .describe(
        "Time a client has to send a request's headers, from its first byte, in milliseconds; past it Node answers 408 and closes the connection (checked once a second).",
      ),
    bodyTimeoutMs: z
      .number()
      .int()
      .min(100)
      .max(600_000)
      .default(10_000)
      .describe(
        'Time a client has to send a POST body once its headers are in, in milliseconds; past it the answer is 408 and the connection is closed (a slow-drip body cannot hold a socket).',
      ),
    maxConnections: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .default(1024)
      .describe(
        'TCP connections the gateway port holds at once, in connections; one more is closed as soon as it is accepted, without an answer. Keep-alive connections count while open.',
      ),
  })
  .strict()
  .default({ headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, maxConnections: 1024 })
  .describe("The gateway's HTTP listener (docs/security.md#slow-and-many-clients).");

/** A caller of the gateway: who it is, which sources it sees and whether it may write. */
export const tenantSchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/,
        'must be 1–64 letters, digits, " ", ".", "_" or "-", starting with a letter or digit',
      )
      .describe('Shown in logs and rate-limit messages; never a secret. 1–64 letters, digits, " ", ".", "_" or "-".'),
    keySha256: z
      .string()
      .regex(
        /^[0-9a-f]{64}$/,
        'must be the SHA-256 of the key as 64 lower-case hex digits (printf %s "$KEY" | sha256sum)',
      )
      .describe(
        'SHA-256 of the tenant\'s API key, as 64 lower-case hex digits (printf %s "$KEY" | sha256sum); the key itself is never stored.',
      ),
    sources: z
      .array(z.string())
      .min(1, 'must name at least one source id')
      .describe('Source ids this tenant may see; the others behave as if they were not configured.'),
    scopes: z
      .array(z.enum(['read', 'write'], { error: 'must be "read" or "write"' }))
      .min(1)
      .default(['read'])
      .describe('"read" lets the tenant query; "write" also lets it run mutations.'),
  })
  .strict()
  .describe('A caller of the gateway: who it is, which sources it sees and whether it may write.');

export type TenantConfig = z.infer<typeof tenantSchema>;

/** Paths the gateway serves itself; metrics cannot take one over. */
const RESERVED_PATHS: ReadonlySet<string> = new Set(['/', '/graphql', '/healthz', '/readyz', '/dashboard']);

/** A TCP port; 0 lets the system pick a free one. */
const portNumber = z.number().int().min(0).max(65_535);

const metricsSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        'Serve the Prometheus text format at metrics.path and collect the metrics at all (docs/operations.md).',
      ),
    path: z
      .string()
      .regex(/^\/[A-Za-z0-9._~/-]{1,100}$/, 'must be a path such as "/metrics"')
      .refine(
        (path) => !RESERVED_PATHS.has(path) && !path.startsWith('/dashboard/'),
        'must not be a path the gateway serves already',
      )
      .default('/metrics')
      .describe(
        "Path of the metrics endpoint, on the gateway's port (or on metrics.port); with tenants it needs an operator key (metrics.operatorKeySha256), a tenant's key gets 403.",
      ),
    port: portNumber
      .optional()
      .describe(
        "A separate port (on metrics.host) serving the metrics endpoint alone, for a scraper on a private network: no API key is asked there, so keep it private; 0 picks a free one. Default: none (the gateway's port, behind the tenants' keys).",
      ),
    host: z.string().min(1).default('127.0.0.1').describe('Address the separate metrics port binds to.'),
    operatorKeySha256: z
      .array(
        z
          .string()
          .regex(
            /^[0-9a-f]{64}$/,
            'must be the SHA-256 of the key as 64 lower-case hex digits (printf %s "$KEY" | sha256sum)',
          ),
      )
      .default([])
      .describe(
        "SHA-256 digests (64 lower-case hex digits) of the operator keys that may read metrics.path on the gateway's port when there are tenants (they show every tenant's operations and every source's traffic, so a tenant's key gets 403); none by default, then only metrics.port serves them.",
      ),
  })
  .strict()
  .default({ enabled: true, path: '/metrics', host: '127.0.0.1', operatorKeySha256: [] })
  .describe('Prometheus metrics (docs/operations.md#metrics).');

/** Where the usage ledger lives and how it is kept current (docs/ledger.md). */
const ledgerSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe('Whether billgraph keeps a usage ledger; false: every answer is asked of the upstreams.'),
    url: z
      .string()
      .regex(
        /^postgres(ql)?:\/\/\S+$/,
        'must be a PostgreSQL URL such as "postgres://billgraph@db.internal:5432/billgraph"',
      )
      .optional()
      .describe(
        'A PostgreSQL database shared by every replica, such as "postgres://billgraph:${PGPASSWORD}@db.internal:5432/billgraph". Default: none, the embedded ledger in dataDir.',
      ),
    dataDir: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Folder of the embedded ledger (PGlite), relative to the working directory; created when missing. One billgraph process per folder. Default: "ledger" under the BILLGRAPH_DATA_DIR environment variable when set, else .billgraph/ledger.',
      ),
    memory: z
      .boolean()
      .default(false)
      .describe('Keep the embedded ledger in memory only (tests, trials): gone when billgraph stops.'),
    syncIntervalSeconds: z
      .number()
      .int()
      .min(0)
      .max(86_400)
      .default(3600)
      .describe(
        "How often the server syncs the last closed buckets of every source into the ledger (each source's restatement window and the day before), in seconds, the first run one interval after the start; 0 = no background sync. A backfill is `npm run sync` (docs/ledger.md).",
      ),
  })
  .strict()
  .refine((l) => !(l.url && l.memory), { message: 'set either "url" or "memory", not both' })
  .default({ enabled: true, memory: false, syncIntervalSeconds: 3600 })
  .describe('The usage ledger: final buckets kept so reports need no upstream call (docs/ledger.md).');

/** The config file's schema for these providers (the registry's, in registry order). */
export function buildConfigSchema(providers: readonly [ConfigProvider, ...ConfigProvider[]]) {
  return z
    .object({
      $schema: z
        .string()
        .optional()
        .describe(
          'The JSON Schema editors validate and complete this file with, such as "./billgraph.schema.json"; billgraph ignores it.',
        ),
      port: portNumber
        .optional()
        .describe(
          'TCP port the gateway listens on; 0 picks a free one. Default: PORT from the environment, else 4000.',
        ),
      host: z.string().min(1).default('127.0.0.1').describe('Address to bind; anything but loopback needs "tenants".'),
      introspection: z.boolean().default(true).describe('Whether introspection queries are answered.'),
      server: serverSchema,
      limits: z
        .object({
          maxWindowDays: z.number().int().min(1).max(3660).default(366).describe('Longest TimeWindow, in days.'),
          maxHourWindowDays: z
            .number()
            .int()
            .min(1)
            .max(366)
            .default(31)
            .describe('Longest TimeWindow at HOUR granularity, in days.'),
          maxDepth: z
            .number()
            .int()
            .min(2)
            .max(100)
            .default(12)
            .describe('Deepest query selection, in fields (QUERY_TOO_COMPLEX beyond).'),
          maxAliases: z
            .number()
            .int()
            .min(0)
            .max(10_000)
            .default(30)
            .describe(
              'Aliased fields one operation may use, a fragment counted each time it is spread (QUERY_TOO_COMPLEX beyond).',
            ),
          maxBucketsPerRequest: z
            .number()
            .int()
            .min(1)
            .max(1_000_000)
            .default(2000)
            .describe(
              'Time buckets one request may ask of all sources together, all distinct windows and granularities (each bucket costs upstream calls; QUERY_TOO_COMPLEX beyond).',
            ),
          // Queries that hurt: what one document may ask before and while it runs (docs/limits.md).
          maxTokens: z
            .number()
            .int()
            .min(100)
            .max(1_000_000)
            .default(5000)
            .describe('Lexical tokens one document may have; parsing stops beyond (QUERY_TOO_COMPLEX).'),
          maxDirectives: z
            .number()
            .int()
            .min(0)
            .max(10_000)
            .default(50)
            .describe(
              'Directives one operation may carry, a fragment counted each time it is spread (QUERY_TOO_COMPLEX beyond).',
            ),
          maxCost: z
            .number()
            .int()
            .min(1)
            .max(1_000_000_000)
            .default(1_000_000)
            .describe(
              'Highest estimated cost of an operation, checked before it runs, in cost units (an upstream call is 10, a returned object 1; docs/limits.md).',
            ),
          defaultListSize: z
            .number()
            .int()
            .min(1)
            .max(10_000)
            .default(10)
            .describe('Items the cost estimate assumes for a list field that declares no @listSize, in items.'),
          maxObjectsPerRequest: z
            .number()
            .int()
            .min(1)
            .max(100_000_000)
            .default(20_000)
            .describe(
              "Objects (list items) one request may resolve at run time, whatever its estimate said, in objects; past it the rest of the answer is QUERY_TOO_COMPLEX (one request error), what resolved stays. Sized for one process: about 2 KB of heap per object while the answer is built, so 16 such requests at once hold about 640 MB; the dashboard's year view stacked by account resolves 6,493 over the built-in sources.",
            ),
          maxAnswerBytes: z
            .number()
            .int()
            .min(1024)
            .max(1024 * 1024 * 1024)
            .default(8 * 1024 * 1024)
            .describe(
              "Size one request's answer may grow to, in bytes, estimated while it is built from the fields each list item selects (8388608 = 8 MiB; the dashboard's year view stacked by account answers 0.5 MB); past it the rest of the answer is QUERY_TOO_COMPLEX (one request error), what resolved stays.",
            ),
          // --- Sources that misbehave (docs/resilience.md) ---
          requestTimeoutMs: z
            .number()
            .int()
            .min(1)
            .max(600_000)
            .default(10_000)
            .describe(
              'Deadline of one GraphQL request, in milliseconds: its upstream calls (queueing and retries included) and the CPU time of building its answer; fields still to resolve past it fail with QUERY_TOO_COMPLEX.',
            ),
          maxUpstreamCallsPerRequest: z
            .number()
            .int()
            .min(1)
            .max(1_000_000)
            .default(2000)
            .describe(
              "Upstream HTTP attempts one request may make, retries included; past it fields error with QUERY_TOO_COMPLEX. The dashboard's month-by-day cost report makes about 600.",
            ),
        })
        .strict()
        .default({
          maxWindowDays: 366,
          maxHourWindowDays: 31,
          maxDepth: 12,
          maxAliases: 30,
          maxBucketsPerRequest: 2000,
          maxTokens: 5000,
          maxDirectives: 50,
          maxCost: 1_000_000,
          defaultListSize: 10,
          maxObjectsPerRequest: 20_000,
          maxAnswerBytes: 8 * 1024 * 1024,
          // Sources that misbehave
          requestTimeoutMs: 10_000,
          maxUpstreamCallsPerRequest: 2000,
        })
        .describe('What one request may ask (docs/limits.md, docs/resilience.md).'),
      sources: z
        .array(buildSourceSchema(providers))
        .min(1, 'must name at least one source')
        .describe('The upstream billing APIs, at least one.'),
      cache: z
        .object({
          maxEntries: z
            .number()
            .int('must be a whole number of entries such as 10000')
            .min(1, 'must be at least 1 (turn caching off per source with ttlSeconds: 0)')
            .max(10_000_000)
            .default(10_000)
            .describe('Most entries kept, all sources together, in entries; the least recently used go first.'),
          maxBytes: z
            .number()
            .int('must be a whole number of bytes such as 67108864 (64 MiB)')
            .min(65_536, 'must be at least 65536 bytes (64 KiB)')
            .max(8 * 1024 ** 3, 'must be at most 8589934592 bytes (8 GiB)')
            .default(64 * 1024 * 1024)
            .describe(
              'Most approximate bytes kept (JSON size of the answers, docs/cache.md), all sources together, in bytes (67108864 = 64 MiB).',
            ),
        })
        .strict()
        .default({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 })
        .describe('The one store of upstream answers all sources share, each in its own namespace (docs/cache.md).'),
      tenants: z
        .array(tenantSchema)
        .min(1, 'must list at least one tenant, or be left out')
        .optional()
        .describe(
          'Who may call the gateway (Authorization: Bearer <key>; docs/security.md). Without tenants the gateway serves anyone who reaches it, so it then refuses to bind anything but a loopback address. Default: none.',
        ),
      allowedHosts: z
        .array(z.string().min(1))
        .optional()
        .describe(
          'Host header values answered (DNS-rebinding guard; others get 421), such as ["billing.example.com"]. Default: the loopback names when bound to loopback, else any.',
        ),
      cors: z
        .object({
          origins: z
            .array(
              z
                .string()
                .regex(
                  /^https?:\/\/[^/\s]+$/,
                  'must be an origin such as "https://app.example.com" (scheme and host, no path)',
                ),
            )
            .default([])
            .describe(
              'Origins allowed to call /graphql from a browser, such as ["https://finops.example.com"]; [] turns CORS off.',
            ),
        })
        .strict()
        .default({ origins: [] })
        .describe('Cross-origin requests from browsers.'),
      rateLimit: z
        .object({
          costPerWindow: z
            .number()
            .int()
            .min(1)
            .default(5_000_000)
            .describe(
              "Estimated query cost each tenant may spend per window, in cost units (limits.maxCost's: 10 per upstream call, 1 per object); past it HTTP 429 with Retry-After. Applies to tenants only. The default lets a tenant load the dashboard's year view (376,326) 13 times a minute, and admits 5 operations at limits.maxCost.",
            ),
          windowSeconds: z
            .number()
            .int()
            .min(1)
            .max(86_400)
            .default(60)
            .describe('Length of the rate-limit window, in seconds.'),
        })
        .strict()
        .default({ costPerWindow: 5_000_000, windowSeconds: 60 })
        .describe("Each tenant's budget of estimated query cost."),
      metrics: metricsSchema,
      ledger: ledgerSchema,
      currencies: currenciesSchema,
    })
    .strict()
    .describe(
      'billgraph\'s configuration file (--config FILE or BILLGRAPH_CONFIG). "${NAME}" inside any string is replaced by the environment variable NAME.',
    );
}

const REGISTERED: [ConfigProvider, ...ConfigProvider[]] = PROVIDERS.map((provider) => ({
  provider,
  displayName: PROVIDER_LABELS[provider],
  finestGranularity: PROVIDER_FINEST_GRANULARITY[provider],
})) as [ConfigProvider, ...ConfigProvider[]];

/** The schema the gateway validates with: every registered provider, by id only. */
export const configSchema = buildConfigSchema(REGISTERED);
export const sourceSchema = buildSourceSchema(REGISTERED);

export type Config = z.infer<typeof configSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
