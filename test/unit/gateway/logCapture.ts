import { configureLogging } from '../../../src/logger.js';

/** Captures the log lines written until `restore()`, parsed. */
export function captureLogs(): { lines: Array<Record<string, unknown>>; restore: () => void } {
  const lines: Array<Record<string, unknown>> = [];
  const restore = configureLogging({
    level: 'debug',
    maxPerSecond: 0,
    destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
  });
  return { lines, restore };
}
