/**
 * The pino instance behind every logger, and the rate limiter in front of it (src/logger.ts's
 * third guard): per (level, message) at most `maxPerSecond` lines per second; the rest are
 * counted and reported as one "suppressed similar lines" line when the second is over. Every
 * line is sanitised (redaction.ts) on its way out.
 */
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { REDACT_PATHS, REDACTED, isSecretKey, sanitize, scrub } from './redaction.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LineLevel = Exclude<LogLevel, 'silent'>;
export type LogFields = Record<string, unknown>;

/** Most (level, message) keys tracked at once; beyond it, expired windows are swept. */
const MAX_KEYS = 1000;

interface Window {
  start: number;
  written: number;
  suppressed: number;
  timer?: NodeJS.Timeout;
}

/** The pino instance plus the rate limiter in front of it. */
export class RateLimitedSink {
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
