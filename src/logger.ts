/**
 * Structured JSON logs (pino) on stderr, one object per line. Every line goes through three
 * guards before it is written:
 *
 * 1. Sanitising: values under secret-looking keys become "[Redacted]" at any depth, strings lose
 *    every absolute URL (`https?://…` → "[url]"), secret query parameters and bearer tokens, and
 *    any credential value registered with `registerSecrets` (the gateway registers every source's
 *    credentials). pino's own `redact` paths are configured on top, as a second net.
 * 2. Errors: billgraph's own (GatewayError) are logged by name, code and message; anything else
 *    is unexpected and also carries its class, stack and cause chain — in the log only.
 * 3. Rate limiting: per (level, message) at most `maxPerSecond` lines per second; the rest are
 *    counted and reported as one "suppressed similar lines" line when the second is over.
 *
 * The call API is `logger.debug/info/warn/error(message, fields)` and `logger.child(fields)`.
 * `BILLGRAPH_LOG` sets the level (debug|info|warn|error|silent, default info); tests capture
 * lines by passing a `destination` to `configureLogging`.
 */
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { isGatewayError } from './errors.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
type LineLevel = Exclude<LogLevel, 'silent'>;
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `bindings` (e.g. `{ requestId }`) to every line; it follows `configureLogging`. */
  child(bindings: LogFields): Logger;
  /** Whether a line at `level` would be written at all (to skip building costly fields). */
  isLevelEnabled(level: LineLevel): boolean;
}

export interface LoggingOptions {
  /** @default from BILLGRAPH_LOG, else 'info' */
  readonly level?: LogLevel;
  /** Where lines go (anything with `write(line)`). @default stderr, synchronously */
  readonly destination?: DestinationStream;
  /** Lines per second per (level, message); 0 turns rate limiting off. @default from BILLGRAPH_LOG_MAX_PER_SECOND, else 100 */
  readonly maxPerSecond?: number;
  /** Epoch milliseconds, injectable for rate-limit tests. @default Date.now */
  readonly now?: () => number;
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';
export const DEFAULT_MAX_LINES_PER_SECOND = 100;
const REDACTED = '[Redacted]';
const URL_MARK = '[url]';
const MAX_DEPTH = 6;
const MAX_ARRAY_ITEMS = 50;
const MAX_STRING = 4000;
/** Most (level, message) keys tracked at once; beyond it, expired windows are swept. */
const MAX_KEYS = 1000;

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
function describeError(error: Error, depth: number): LogFields {
  const code = (error as { code?: unknown }).code;
  const out: LogFields = {
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
  const out: LogFields = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? REDACTED : sanitize(v, depth + 1);
  return out;
}

function levelFromEnv(env: NodeJS.ProcessEnv): { level: LogLevel; invalid?: string } {
  const raw = env.BILLGRAPH_LOG?.trim().toLowerCase();
  if (!raw) return { level: DEFAULT_LOG_LEVEL };
  if ((LOG_LEVELS as readonly string[]).includes(raw)) return { level: raw as LogLevel };
  return { level: DEFAULT_LOG_LEVEL, invalid: env.BILLGRAPH_LOG };
}

function maxPerSecondFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.BILLGRAPH_LOG_MAX_PER_SECOND;
  const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_MAX_LINES_PER_SECOND;
}

interface Window {
  start: number;
  written: number;
  suppressed: number;
  timer?: NodeJS.Timeout;
}

/** The pino instance plus the rate limiter in front of it. */
class Sink {
  readonly pino: PinoLogger;
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly maxPerSecond: number,
    private readonly now: () => number,
    level: LogLevel,
    destination: DestinationStream,
  ) {
    this.pino = pino(
      {
        level,
        base: { pid: process.pid },
        messageKey: 'message',
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      },
      destination,
    );
  }

  write(level: LineLevel, message: string, fields: LogFields): void {
    if (!this.pino.isLevelEnabled(level)) return;
    if (this.maxPerSecond > 0 && !this.admit(level, message)) return;
    this.emit(level, message, fields);
  }

  private emit(level: LineLevel, message: string, fields: LogFields): void {
    const safe: LogFields = {};
    for (const [k, v] of Object.entries(fields)) {
      if (k === 'level' || k === 'time' || k === 'message' || k === 'pid') continue;
      safe[k] = isSecretKey(k) ? REDACTED : sanitize(v, 1);
    }
    this.pino[level](safe, scrub(message));
  }

  /** True when the line may be written; otherwise counts it towards the next summary line. */
  private admit(level: LineLevel, message: string): boolean {
    const key = `${level}|${message}`;
    const at = this.now();
    let w = this.windows.get(key);
    if (w && at - w.start >= 1000) {
      this.close(key, w);
      w = undefined;
    }
    if (!w) {
      if (this.windows.size >= MAX_KEYS) this.sweep(at);
      w = { start: at, written: 0, suppressed: 0 };
      this.windows.set(key, w);
    }
    if (w.written < this.maxPerSecond) {
      w.written++;
      return true;
    }
    w.suppressed++;
    if (!w.timer) {
      // Report the suppressed count even if no further line of this kind ever comes.
      const window = w;
      w.timer = setTimeout(
        () => {
          if (this.windows.get(key) === window) this.close(key, window);
        },
        Math.max(1, 1000 - (at - w.start)),
      );
      w.timer.unref();
    }
    return false;
  }

  /** Ends a key's window, writing its summary line when lines were suppressed. */
  private close(key: string, w: Window): void {
    if (w.timer) clearTimeout(w.timer);
    this.windows.delete(key);
    if (w.suppressed === 0) return;
    const sep = key.indexOf('|');
    const level = key.slice(0, sep) as LineLevel;
    this.emit(level, `suppressed ${w.suppressed} similar lines`, {
      suppressed: w.suppressed,
      suppressedMessage: key.slice(sep + 1),
      windowMs: this.now() - w.start,
    });
  }

  private sweep(at: number): void {
    for (const [key, w] of this.windows) if (at - w.start >= 1000) this.close(key, w);
  }

  /** Writes every pending summary line now (tests; shutdown). */
  flush(): void {
    for (const [key, w] of [...this.windows]) this.close(key, w);
  }
}

let sink: Sink;
let invalidLevel: string | undefined;

/**
 * Replaces the process-wide logging setup (every `logger` and child follows it); returns a
 * function restoring the previous one. Unset options come from the environment.
 */
export function configureLogging(options: LoggingOptions = {}): () => void {
  const previous = sink;
  const fromEnv = levelFromEnv(process.env);
  invalidLevel = options.level ? undefined : fromEnv.invalid;
  sink = new Sink(
    options.maxPerSecond ?? maxPerSecondFromEnv(process.env),
    options.now ?? Date.now,
    options.level ?? fromEnv.level,
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
  return () => {
    sink.flush();
    sink = previous;
  };
}

/** Writes pending "suppressed" summary lines now. */
export function flushLogs(): void {
  sink.flush();
}

function make(bindings: LogFields): Logger {
  const at =
    (level: LineLevel) =>
    (message: string, fields?: LogFields): void =>
      sink.write(level, message, fields ? { ...bindings, ...fields } : bindings);
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => make({ ...bindings, ...more }),
    isLevelEnabled: (level) => sink.pino.isLevelEnabled(level),
  };
}

configureLogging();
if (invalidLevel !== undefined) {
  make({}).warn('BILLGRAPH_LOG is not a log level; using info', {
    value: invalidLevel.slice(0, 40),
    levels: LOG_LEVELS,
  });
}

export const logger: Logger = make({});
