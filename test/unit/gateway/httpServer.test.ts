import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../../src/gateway/httpServer.js';
import { captureLogs } from './logCapture.js';

describe('the gateway HTTP server', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  it("takes server.*'s header deadline, a request backstop a second past headers and body, and the connection cap", () => {
    const server = createHttpServer({ headersTimeoutMs: 5000, bodyTimeoutMs: 7000, maxConnections: 3 });
    expect(server.headersTimeout).toBe(5000);
    expect(server.requestTimeout).toBe(13_000);
    expect(server.maxConnections).toBe(3);
    expect(server.listening).toBe(false);
  });

  it('logs a warning for each connection dropped past the cap', () => {
    const server = createHttpServer({ headersTimeoutMs: 5000, bodyTimeoutMs: 7000, maxConnections: 3 });
    server.emit('drop', {});
    expect(logs.lines.map((l) => [l.level, l.message, l.reason, l.maxConnections])).toEqual([
      ['warn', 'connection refused', 'server.maxConnections', 3],
    ]);
  });
});
