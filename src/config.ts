import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Provider } from './generated/resolvers.js';
// Generated from src/providers/registry.ts (npm run codegen), so this file loads no provider code.
import { PROVIDERS } from './generated/providers.js';
import { TRANSPORT_NAMES } from './providers/transport/transport.js';

export { PROVIDERS };

const httpUrl = z.string({ error: 'must be a string URL such as "http://127.0.0.1:9001"' }).refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
  } catch {
    return false;
  }
}, 'must be an http(s) URL without credentials, such as "https://g8.example.com"');

/** Cache lifetimes: whole seconds, 0 meaning "not cached", at most 30 days. */
const cacheSeconds = z
  .number({ error: 'must be a whole number of seconds such as 3600 (0 turns this cache off)' })
  .int('must be a whole number of seconds such as 3600 (0 turns this cache off)')
  .min(0, 'must be 0 (off) or more seconds')
  .max(
    2_592_000,
    'must be at most 2592000 seconds (30 days); a longer lifetime would hide upstream corrections for too long',
  );

const decimalString = z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string such as "0.05"');

/** A price for one unit of a metric, used where the upstream reports quantities only. */
const priceSchema = z
  .object({
    amount: decimalString,
    currency: z.string().regex(/^[A-Z]{3,10}$/, 'must be a currency code such as "EUR"'),
  })
  .strict();

export const sourceSchema = z
  .object({
    id: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
        'must be 1–64 letters, digits, "-" or "_", starting with a letter or digit',
      ),
    provider: z.enum(PROVIDERS, {
      error: (issue) => `must be one of ${PROVIDERS.join(', ')}, got ${JSON.stringify(issue.input)}`,
    }),
    name: z.string().min(1).optional(),
    baseUrl: httpUrl,
    credentials: z.record(z.string(), z.string(), { error: 'must be an object of strings' }),
    /** Per-request timeout for this source, in milliseconds. @default 5000 */
    timeoutMs: z.number().int().min(1).max(120_000).default(5000),
    /** HTTP client of this source: "undici" (a keep-alive Pool; measured faster, docs/performance.md) or "node-fetch" (over a node:http Agent). @default "undici" */
    transport: z
      .enum(TRANSPORT_NAMES, {
        error: (issue) =>
          `must be ${TRANSPORT_NAMES.map((n) => `"${n}"`).join(' or ')}, got ${JSON.stringify(issue.input)}`,
      })
      .default(TRANSPORT_NAMES[0]),
    /**
     * Keep-alive sockets per source, and so (by default) calls in flight to it. Size it to the
     * calls one round of the busiest query makes times the concurrent requests (20 clients × 9
     * machines/list of the G8 traversal = 180); a lower value queues calls behind each other.
     * @default 256
     */
    maxSockets: z.number().int().min(1).max(1024).default(256),
    // --- Resilience policy of this source (docs/resilience.md). `timeoutMs` above is the budget
    // of one attempt; the request's deadline (limits.requestTimeoutMs) can only shorten it. ---
    /** Calls in flight at once. @default maxSockets (Hyperstack: 8, its per-IP rate limit) */
    maxInFlight: z.number().int().min(1).max(1024).optional(),
    /** Calls waiting for an in-flight slot; a call finding the queue full fails with UPSTREAM_UNAVAILABLE (twice the default upstream-call ceiling, so one request alone never fills it). @default 4096 */
    maxQueue: z.number().int().min(0).max(1_000_000).default(4096),
    /** Attempts per idempotent read, the first included (1 = never retry); writes are sent once. @default 3 */
    retryAttempts: z.number().int().min(1).max(10).default(3),
    /** Base of the jittered exponential backoff between attempts, in milliseconds. @default 100 */
    retryBaseDelayMs: z.number().int().min(0).max(60_000).default(100),
    /** Longest backoff between attempts, in milliseconds. @default 2000 */
    retryMaxDelayMs: z.number().int().min(0).max(60_000).default(2000),
    /** Longest 429 Retry-After billgraph waits for before retrying, in milliseconds; a longer one is answered as UPSTREAM_RATE_LIMITED at once. @default 5000 */
    maxRetryAfterMs: z.number().int().min(0).max(600_000).default(5000),
    /** Consecutive availability failures (timeouts, resets, refused, 5xx) that open the circuit breaker. @default 5 */
    breakerThreshold: z.number().int().min(1).max(1000).default(5),
    /** How long an open breaker refuses calls before letting one probe through, in milliseconds. @default 10000 */
    breakerHalfOpenAfterMs: z.number().int().min(10).max(3_600_000).default(10_000),
    /** Largest upstream body read, in bytes; a bigger one is UPSTREAM_BAD_RESPONSE. @default 16777216 (16 MiB) */
    maxResponseBytes: z
      .number()
      .int()
      .min(1024)
      .max(256 * 1024 * 1024)
      .default(16 * 1024 * 1024),
    /** Unit prices per metric (e.g. { "CU": { "amount": "0.05", "currency": "EUR" } }). @default {} */
    prices: z.record(z.string(), priceSchema).default({}),
    /** Provider-specific settings, validated by the provider. @default {} */
    options: z.record(z.string(), z.unknown()).default({}),
    /** Cross-request cache of this source's upstream answers (docs/cache.md). */
    cache: z
      .object(
        {
          /**
           * How long an answer for a final window (over and past the source's finality lag) is reused, in
           * seconds; 0 = not cached. @default per provider: OPENVCLOUD 86400, KILLBILL 900 (bounds how long
           * usage posted to Kill Bill by others can stay unseen), HYPERSTACK 3600, CIVITAI 86400, THEIRSTACK 86400
           */
          ttlSeconds: cacheSeconds.optional(),
          /** How long an answer for a window still open (this month, today) is reused, in seconds. @default 0 (never cached) */
          openWindowTtlSeconds: cacheSeconds.default(0),
          /** How long listings and state (G8 accounts, cloudspaces and machines; Hyperstack thresholds, usage and last-day cost) are reused, in seconds. @default 0 (never cached) */
          listTtlSeconds: cacheSeconds.default(0),
        },
        { error: 'must be an object such as { "ttlSeconds": 3600 }' },
      )
      .strict()
      .default({ openWindowTtlSeconds: 0, listTtlSeconds: 0 }),
  })
  .strict();

/** A caller of the gateway: who it is, which sources it sees and whether it may write. */
export const tenantSchema = z
  .object({
    /** Shown in logs and rate-limit messages; never a secret. */
    name: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/,
        'must be 1–64 letters, digits, " ", ".", "_" or "-", starting with a letter or digit',
      ),
    /** SHA-256 of the tenant's API key, as 64 lower-case hex digits (e.g. `printf %s "$KEY" | sha256sum`); the key itself is never stored. */
    keySha256: z
      .string()
      .regex(
        /^[0-9a-f]{64}$/,
        'must be the SHA-256 of the key as 64 lower-case hex digits (printf %s "$KEY" | sha256sum)',
      ),
    /** Source ids this tenant may see; the others behave as if they were not configured. */
    sources: z.array(z.string()).min(1, 'must name at least one source id'),
    /** "read" lets the tenant query; "write" also lets it run mutations. @default ["read"] */
    scopes: z
      .array(z.enum(['read', 'write'], { error: 'must be "read" or "write"' }))
      .min(1)
      .default(['read']),
  })
  .strict();

export type TenantConfig = z.infer<typeof tenantSchema>;

/** Paths the gateway serves itself; metrics cannot take one over. */
const RESERVED_PATHS: ReadonlySet<string> = new Set(['/', '/graphql', '/healthz', '/readyz', '/dashboard']);

const metricsSchema = z
  .object({
    /** Serve the Prometheus text format (and collect the metrics at all). @default true */
    enabled: z.boolean().default(true),
    /** Path of the metrics endpoint, on the gateway's port (or on `port`). @default "/metrics" */
    path: z
      .string()
      .regex(/^\/[A-Za-z0-9._~/-]{1,100}$/, 'must be a path such as "/metrics"')
      .refine(
        (path) => !RESERVED_PATHS.has(path) && !path.startsWith('/dashboard/'),
        'must not be a path the gateway serves already',
      )
      .default('/metrics'),
    /**
     * A separate port (on `metrics.host`) for the metrics endpoint alone, for a scraper on a
     * private network: there it needs no API key. Unset: served on the gateway's port, behind the
     * tenants' keys when tenants are configured. @default none
     */
    port: z.number().int().min(0).max(65_535).optional(),
    /** Address the separate metrics port binds to. @default "127.0.0.1" */
    host: z.string().min(1).default('127.0.0.1'),
  })
  .strict()
  .default({ enabled: true, path: '/metrics', host: '127.0.0.1' });

export const configSchema = z
  .object({
    /** Port the gateway listens on. @default 4000 (PORT overrides the default, not the file) */
    port: z.number().int().min(0).max(65_535).optional(),
    /** Address to bind. @default "127.0.0.1" */
    host: z.string().min(1).default('127.0.0.1'),
    /** Whether introspection queries are answered. @default true */
    introspection: z.boolean().default(true),
    limits: z
      .object({
        /** Longest TimeWindow in days. @default 366 */
        maxWindowDays: z.number().int().min(1).max(3660).default(366),
        /** Longest TimeWindow at HOUR granularity in days. @default 31 */
        maxHourWindowDays: z.number().int().min(1).max(366).default(31),
        /** Deepest query selection. @default 12 */
        maxDepth: z.number().int().min(2).max(100).default(12),
        /** Aliased fields one operation may use (fragments counted per use). @default 30 */
        maxAliases: z.number().int().min(0).max(10_000).default(30),
        /** Time buckets one request may ask of all sources together (each costs upstream calls). @default 2000 */
        maxBucketsPerRequest: z.number().int().min(1).max(1_000_000).default(2000),
        // Queries that hurt: what one document may ask before and while it runs (docs/limits.md).
        /** Lexical tokens one document may have; parsing stops past it. @default 5000 */
        maxTokens: z.number().int().min(100).max(1_000_000).default(5000),
        /** Directives one operation may carry (fragments counted once per use). @default 50 */
        maxDirectives: z.number().int().min(0).max(10_000).default(50),
        /** Highest estimated cost of an operation, in cost units (an upstream call is 10, a returned object 1). @default 1000000 */
        maxCost: z.number().int().min(1).max(1_000_000_000).default(1_000_000),
        /** Items the cost estimate assumes for a list field that declares no size, in items. @default 10 */
        defaultListSize: z.number().int().min(1).max(10_000).default(10),
        /** Objects (list items) one request may resolve at run time, whatever its estimate said. @default 200000 */
        maxObjectsPerRequest: z.number().int().min(1).max(100_000_000).default(200_000),
        // --- Sources that misbehave (docs/resilience.md) ---
        /** Deadline of one GraphQL request for all its upstream calls, queueing and retries included, in milliseconds. @default 10000 */
        requestTimeoutMs: z.number().int().min(1).max(600_000).default(10_000),
        /**
         * Upstream HTTP attempts one request may make (retries count); past it fields error with
         * QUERY_TOO_COMPLEX. The dashboard's month-by-day cost report makes about 600. @default 2000
         */
        maxUpstreamCallsPerRequest: z.number().int().min(1).max(1_000_000).default(2000),
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
        maxObjectsPerRequest: 200_000,
        // Sources that misbehave
        requestTimeoutMs: 10_000,
        maxUpstreamCallsPerRequest: 2000,
      }),
    sources: z.array(sourceSchema).min(1, 'must name at least one source'),
    /** The one store of upstream answers all sources share, each in its own namespace (docs/cache.md). */
    cache: z
      .object({
        /** Most entries kept, all sources together; the least recently used go first. @default 10000 */
        maxEntries: z
          .number()
          .int('must be a whole number of entries such as 10000')
          .min(1, 'must be at least 1 (turn caching off per source with ttlSeconds: 0)')
          .max(10_000_000)
          .default(10_000),
        /** Most approximate bytes kept (JSON size of the answers, docs/cache.md), all sources together. @default 67108864 (64 MiB) */
        maxBytes: z
          .number()
          .int('must be a whole number of bytes such as 67108864 (64 MiB)')
          .min(65_536, 'must be at least 65536 bytes (64 KiB)')
          .max(8 * 1024 ** 3, 'must be at most 8589934592 bytes (8 GiB)')
          .default(64 * 1024 * 1024),
      })
      .strict()
      .default({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 }),
    /**
     * Who may call the gateway (`Authorization: Bearer <key>`). Without tenants the gateway serves
     * anyone who reaches it, so it then refuses to bind anything but a loopback address. @default none
     */
    tenants: z.array(tenantSchema).min(1, 'must list at least one tenant, or be left out').optional(),
    /** Host header values answered (DNS-rebinding guard), e.g. ["billing.example.com"]. @default the loopback names when bound to loopback, else any */
    allowedHosts: z.array(z.string().min(1)).optional(),
    cors: z
      .object({
        /** Origins allowed to call /graphql from a browser, e.g. ["https://finops.example.com"]. @default [] (CORS off) */
        origins: z
          .array(
            z
              .string()
              .regex(
                /^https?:\/\/[^/\s]+$/,
                'must be an origin such as "https://app.example.com" (scheme and host, no path)',
              ),
          )
          .default([]),
      })
      .strict()
      .default({ origins: [] }),
    rateLimit: z
      .object({
        /** Estimated query cost (limits.maxCost's units: 10 per upstream call, 1 per object) each tenant may spend per window; applies to tenants only. @default 20000000 */
        costPerWindow: z.number().int().min(1).default(20_000_000),
        /** Length of the rate-limit window, in seconds. @default 60 */
        windowSeconds: z.number().int().min(1).max(86_400).default(60),
      })
      .strict()
      .default({ costPerWindow: 20_000_000, windowSeconds: 60 }),
    /** Prometheus metrics (docs/operations.md#metrics). */
    metrics: metricsSchema,
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;

/** A start-up problem with the config file: one line per problem, no stack. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly origin: string,
  ) {
    super(`Invalid configuration (${origin}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Replaces ${NAME} in every string with process.env.NAME; reports each missing variable by path. */
export function interpolateEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  problems: string[],
  path: (string | number)[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
      const found = env[name];
      if (found === undefined) {
        problems.push(`${formatPath(path)}: environment variable "${name}" is not set`);
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolateEnv(item, env, problems, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolateEnv(v, env, problems, [...path, k])]),
    );
  }
  return value;
}

export const formatPath = (path: readonly PropertyKey[]): string =>
  path.length === 0
    ? '(root)'
    : path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');

export type CredentialsValidator = (
  credentials: Record<string, string>,
  options: Record<string, unknown>,
) => { path: (string | number)[]; message: string }[];

/**
 * Validates a parsed config object: shape, then each source's credentials with its provider's
 * own rules (passed in so config.ts never imports a provider).
 */
export function parseConfig(
  raw: unknown,
  origin: string,
  env: NodeJS.ProcessEnv,
  credentialRules: Partial<Record<Provider, CredentialsValidator>> = {},
): Config {
  const problems: string[] = [];
  const interpolated = interpolateEnv(raw, env, problems);
  const result = configSchema.safeParse(interpolated);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${formatPath(issue.path)}: ${issue.message}`);
  }
  // Checks across fields run on whatever parsed, so one run reports every problem in the file.
  problems.push(...sourceProblems(interpolated, credentialRules, problems));
  if (result.success) problems.push(...exposureProblems(result.data));
  if (problems.length > 0 || !result.success) throw new ConfigError([...new Set(problems)], origin);
  return result.data;
}

/** Names and addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** Tenants name real sources, once each; a gateway without tenants stays on loopback. */
function exposureProblems(config: Config): string[] {
  const out: string[] = [];
  const ids = new Set(config.sources.map((s) => s.id));
  const names = new Set<string>();
  const keys = new Set<string>();
  config.tenants?.forEach((tenant, i) => {
    if (names.has(tenant.name))
      out.push(`${formatPath(['tenants', i, 'name'])}: duplicates the tenant name "${tenant.name}"`);
    if (keys.has(tenant.keySha256))
      out.push(`${formatPath(['tenants', i, 'keySha256'])}: the same key is given to another tenant`);
    names.add(tenant.name);
    keys.add(tenant.keySha256);
    tenant.sources.forEach((id, j) => {
      if (!ids.has(id))
        out.push(
          `${formatPath(['tenants', i, 'sources', j])}: must be a configured source id (${[...ids].map((x) => `"${x}"`).join(', ')}), got "${id}"`,
        );
    });
  });
  if (!config.tenants && !isLoopbackHost(config.host)) {
    out.push(
      `host: "${config.host}" is reachable from other machines, and without "tenants" anyone there could read every source and run mutations; add "tenants" (API keys) or bind "127.0.0.1"`,
    );
  }
  return out;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** Duplicate ids and each provider's credential rules, on the raw (interpolated) sources. */
function sourceProblems(
  config: unknown,
  credentialRules: Partial<Record<Provider, CredentialsValidator>>,
  earlier: readonly string[],
): string[] {
  const sources = isRecord(config) && Array.isArray(config.sources) ? config.sources : [];
  const out: string[] = [];
  const seen = new Set<unknown>();
  sources.forEach((source: unknown, index) => {
    if (!isRecord(source)) return;
    if (typeof source.id === 'string') {
      if (seen.has(source.id))
        out.push(`${formatPath(['sources', index, 'id'])}: duplicates the source id "${source.id}"`);
      seen.add(source.id);
    }
    const rule = typeof source.provider === 'string' ? credentialRules[source.provider as Provider] : undefined;
    const { credentials } = source;
    if (!rule || !isRecord(credentials) || !Object.values(credentials).every((v) => typeof v === 'string')) return;
    // A missing ${VAR} in these credentials is already reported; an emptied value would only repeat it.
    if (earlier.some((p) => p.startsWith(`${formatPath(['sources', index, 'credentials'])}.`))) return;
    for (const p of rule(credentials as Record<string, string>, isRecord(source.options) ? source.options : {})) {
      out.push(`${formatPath(['sources', index, ...p.path])}: ${p.message}`);
    }
  });
  return out;
}

export function readConfigFile(
  path: string,
  env: NodeJS.ProcessEnv,
  credentialRules?: Partial<Record<Provider, CredentialsValidator>>,
): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      [code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path} (${code ?? 'unknown error'})`],
      path,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`not valid JSON: ${(error as Error).message}`], path);
  }
  return parseConfig(raw, path, env, credentialRules);
}
