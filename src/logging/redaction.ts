/**
 * What makes a log line safe to write (src/logger.ts's first guard): values under secret-looking
 * keys become "[Redacted]" at any depth, strings lose every absolute URL (`https?://…` →
 * "[url]"), secret query parameters and bearer tokens, and any credential value registered with
 * `registerSecrets`. Errors: billgraph's own (GatewayError) are described by name, code and
 * message; anything else also by its class, stack and cause chain — in the log only.
 */
import { isGatewayError } from '../errors.js';

export const REDACTED = '[Redacted]';
const URL_MARK = '[url]';
const MAX_DEPTH = 6;
const MAX_ARRAY_ITEMS = 50;
const MAX_STRING = 4000;

/**
 * Keys whose values are never written, compared lower-cased without `-`/`_`: exact names plus
 * anything ending in one of the suffixes (`bearerToken`, `clientSecret`, `adminPassword`, …).
 */
const SECRET_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'xapikey',
  'apikey',
  'apisecret',
  'credentials',
  'keysha256',
  'password',
  'passwd',
  'secret',
  'token',
]);
const SECRET_SUFFIXES = [
  'password',
  'secret',
  'token',
  'apikey',
  'keysha256',
  'authorization',
  'cookie',
  'credentials',
];
export const isSecretKey = (key: string): boolean => {
  const k = key.toLowerCase().replace(/[-_]/g, '');
  return SECRET_KEYS.has(k) || SECRET_SUFFIXES.some((s) => k.endsWith(s));
};

/** pino `redact` paths: the same names at the top level, one and two levels down, and under `headers`. */
const REDACT_NAMES = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api_key',
  'apiKey',
  'apiSecret',
  'password',
  'token',
  'secret',
  'keySha256',
  'credentials',
];
const prop = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`);
export const REDACT_PATHS: readonly string[] = REDACT_NAMES.flatMap((name) => [
  prop(name).replace(/^\./, ''),
  `*${prop(name)}`,
  `*.*${prop(name)}`,
  `headers${prop(name)}`,
  `*.headers${prop(name)}`,
]);

/** Credential values (tokens, API keys) that must never appear in a line, whatever field carries them. */
const secretValues = new Set<string>();
let secretPattern: RegExp | null = null;

/**
 * Whether a value can be scrubbed from every line without scrubbing ordinary words: a short
 * value ("bob", "admin") or one word of letters ("password", "billgraph") would redact that word
 * in every message and field name, hiding what the line says while protecting nothing (a
 * password so weak is no secret). Generated keys and tokens are long and mix in digits or signs;
 * 16 letters or more is taken for a random key.
 */
export const isRedactableSecret = (value: string): boolean =>
  value.length >= 8 && !(value.length < 16 && /^[A-Za-z]+$/.test(value));

/** Adds values to scrub from every string written; values that look like words (isRedactableSecret) are ignored. */
export function registerSecrets(values: Iterable<unknown>): void {
  for (const v of values) if (typeof v === 'string' && isRedactableSecret(v)) secretValues.add(v);
  const escaped = [...secretValues]
    .sort((a, b) => b.length - a.length)
    .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  secretPattern = escaped.length ? new RegExp(escaped.join('|'), 'g') : null;
}

/** Any absolute URL (a trailing `)`, `.`, `,` or `;` is taken as punctuation, not part of it). */
const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]*[^\s"'<>`).,;]/gi;
const QUERY_SECRET_RE =
  /([?&;][^=&\s"']*(?:key|token|secret|password|passwd|sig|signature|auth|session)[^=&\s"']*=)[^&\s"']*/gi;
const BEARER_RE = /\b(bearer)\s+[A-Za-z0-9._~+/=-]{4,}/gi;

/** A string safe to log: no URL, no secret query parameter, no bearer token, no registered credential; bounded length. */
export function scrub(text: string): string {
  let out = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text;
  if (secretPattern) out = out.replace(secretPattern, REDACTED);
  return out.replace(URL_RE, URL_MARK).replace(QUERY_SECRET_RE, `$1${REDACTED}`).replace(BEARER_RE, `$1 ${REDACTED}`);
}

/**
 * An error as a log field. billgraph's own errors: name, code, message. Anything else is an
 * unexpected error, so the line also carries what is needed to fix it: its class, its stack
 * and its cause chain (each scrubbed like any other string).
 */
function describeError(error: Error, depth: number): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  const out: Record<string, unknown> = {
    name: error.name,
    ...(code !== undefined ? { code: sanitize(code, depth + 1) } : {}),
    message: scrub(error.message),
  };
  if (isGatewayError(error)) return out;
  out.class = error.constructor?.name ?? 'Error';
  if (typeof error.stack === 'string') out.stack = scrub(error.stack);
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && depth < 3)
    out.cause = cause instanceof Error ? describeError(cause, depth + 1) : sanitize(cause, depth + 1);
  return out;
}

/** A copy of `value` that is safe to write (see the module comment). */
export function sanitize(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value;
  if (value instanceof Error) return describeError(value, depth);
  if (depth >= MAX_DEPTH) return '[Object]';
  if (value instanceof URL) return URL_MARK;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ARRAY_ITEMS).map((v) => sanitize(v, depth + 1));
    if (value.length > MAX_ARRAY_ITEMS) items.push(`… ${value.length - MAX_ARRAY_ITEMS} more`);
    return items;
  }
  if (value instanceof Map) return sanitize(Object.fromEntries(value), depth);
  if (value instanceof Set) return sanitize([...value], depth);
  if (
    typeof (value as { entries?: unknown }).entries === 'function' &&
    typeof (value as { get?: unknown }).get === 'function'
  ) {
    // Headers, URLSearchParams, HeaderMap: iterate like a map.
    try {
      return sanitize(Object.fromEntries((value as { entries(): Iterable<[string, unknown]> }).entries()), depth);
    } catch {
      return '[Object]';
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? REDACTED : sanitize(v, depth + 1);
  return out;
}
