/**
 * Structured JSON logs on stderr. Errors are logged by name, code and message only: an
 * upstream error message may embed a URL, so stacks and causes never reach a log line either.
 */
type Level = 'info' | 'warn' | 'error';

const silent = process.env.BILLGRAPH_LOG === 'silent';

function describe(value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, ...(code !== undefined ? { code } : {}), message: value.message };
  }
  return value;
}

function write(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  if (silent) return;
  const entry: Record<string, unknown> = { level, time: new Date().toISOString(), message };
  for (const [k, v] of Object.entries(fields)) entry[k] = describe(v);
  process.stderr.write(`${JSON.stringify(entry)}\n`);
}

export const logger = {
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};
