import { describe, expect, it } from 'vitest';
import { RateLimitedSink } from '../../../src/logging/rateLimitedSink.js';

/** A sink writing into an array, on a clock the test moves. */
function sink(maxPerSecond: number, level: 'debug' | 'info' | 'warn' | 'error' | 'silent' = 'debug') {
  const lines: Array<Record<string, unknown>> = [];
  let clock = 1_000_000;
  const s = new RateLimitedSink(maxPerSecond, () => clock, level, {
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { s, lines, advance: (ms: number) => (clock += ms) };
}

describe('the rate-limited sink', () => {
  it('writes one JSON line with level, message, pid and ISO time, and the sanitised fields', () => {
    const { s, lines } = sink(10);
    s.write('info', 'hello from https://x.example', { token: 'abc', n: 1 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', message: 'hello from [url]', token: '[Redacted]', n: 1 });
    expect(lines[0]!.pid).toBe(process.pid);
    expect(lines[0]!.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('drops fields that would overwrite level, time, message or pid', () => {
    const { s, lines } = sink(10);
    s.write('warn', 'm', { level: 'error', message: 'x', pid: 1, time: 'then', kept: true });
    expect(lines[0]).toMatchObject({ level: 'warn', message: 'm', pid: process.pid, kept: true });
    expect(lines[0]!.time).not.toBe('then');
  });

  it('writes nothing below its level', () => {
    const { s, lines } = sink(10, 'warn');
    s.write('info', 'quiet', {});
    expect(lines).toEqual([]);
  });

  it('writes at most maxPerSecond lines per level and message, then one summary of the rest', () => {
    const { s, lines, advance } = sink(2);
    for (let i = 0; i < 5; i++) s.write('warn', 'same', { i });
    s.write('warn', 'other', {});
    expect(lines.map((l) => l.message)).toEqual(['same', 'same', 'other']);
    advance(1000);
    s.write('warn', 'same', { i: 5 });
    expect(lines.slice(3).map((l) => [l.message, l.suppressed, l.suppressedMessage])).toEqual([
      ['suppressed 3 similar lines', 3, 'same'],
      ['same', undefined, undefined],
    ]);
  });

  it('writes pending summaries on flush, and none when nothing was suppressed', () => {
    const { s, lines } = sink(1);
    s.write('error', 'a', {});
    s.write('error', 'a', {});
    s.write('info', 'b', {});
    s.flush();
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['error', 'a'],
      ['info', 'b'],
      ['error', 'suppressed 1 similar lines'],
    ]);
  });

  it('writes every line when maxPerSecond is 0', () => {
    const { s, lines } = sink(0);
    for (let i = 0; i < 250; i++) s.write('info', 'flood', {});
    expect(lines).toHaveLength(250);
  });
});
