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
 * Guards 1 and 2 live in src/logging/redaction.ts, guard 3 (and pino) in
 * src/logging/rateLimitedSink.ts; this module is the factory and re-exports what callers import.
 *
 * The call API is `logger.debug/info/warn/error(message, fields)` and `logger.child(fields)`.
 * `BILLGRAPH_LOG` sets the level (debug|info|warn|error|silent, default info); tests capture
 * lines by passing a `destination` to `configureLogging`.
 */
import pino, { type DestinationStream } from 'pino';
import { RateLimitedSink, type LineLevel, type LogFields, type LogLevel } from './logging/rateLimitedSink.js';

export type { LogFields, LogLevel } from './logging/rateLimitedSink.js';
export {
  REDACT_PATHS,
  isRedactableSecret,
  isSecretKey,
  registerSecrets,
  sanitize,
  scrub,
} from './logging/redaction.js';

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

let sink: RateLimitedSink;
let invalidLevel: string | undefined;

/**
 * Replaces the process-wide logging setup (every `logger` and child follows it); returns a
 * function restoring the previous one. Unset options come from the environment.
 */
export function configureLogging(options: LoggingOptions = {}): () => void {
  const previous = sink;
  const fromEnv = levelFromEnv(process.env);
  invalidLevel = options.level ? undefined : fromEnv.invalid;
  sink = new RateLimitedSink(
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
