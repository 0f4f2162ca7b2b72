/**
 * One log line per upstream failure, with the ids and codes an operator needs and nothing that
 * could carry a secret (no URL, query string, header or credential).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../../src/logger.js';
import { startFullHarness, type FullHarness } from '../../helpers/harness.js';
import { EVERY_SOURCE, HEALTHY_SOURCE, SOURCE_IDS, WINDOW } from './helpers.js';

let h: FullHarness;
beforeAll(async () => {
  h = await startFullHarness({ sourceOverrides: Object.fromEntries(SOURCE_IDS.map((s) => [s, HEALTHY_SOURCE])) });
});
afterAll(async () => h?.close());

describe('upstream failure logs', () => {
  it('writes one line per failed attempt with requestId, source, provider, operation, code, status, attempt and durationMs, and no secret', async () => {
    const warn = vi.spyOn(logger, 'warn');
    try {
      h.resetAll();
      h.sims.hs!.injectFault({ fault: { kind: 'status', status: 503 } });
      await h.query(EVERY_SOURCE, { w: WINDOW });
      const lines = warn.mock.calls
        .filter(([message, fields]) => message === 'upstream failure' && fields?.source === 'hs')
        .map(([, fields]) => fields!);
      // The listing call, tried three times; nothing else of Hyperstack is called.
      expect(lines).toHaveLength(3);
      expect(lines.map((l) => l.attempt)).toEqual([1, 2, 3]);
      for (const line of lines) {
        expect(line).toMatchObject({
          source: 'hs',
          provider: 'HYPERSTACK',
          operation: 'get_user_billing_history',
          code: 'UPSTREAM_UNAVAILABLE',
          status: 503,
        });
        expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
        expect(typeof line.durationMs).toBe('number');
      }
      expect(new Set(lines.map((l) => l.requestId)).size).toBe(1);
      const text = JSON.stringify(warn.mock.calls);
      const secrets = [...h.gateway.sources.values()]
        .flatMap(({ runtime }) => Object.values(runtime.config.credentials))
        .filter((v) => v.length >= 5);
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/https?:|127\.0\.0\.1|\/billing\/billing|api_key/);
    } finally {
      warn.mockRestore();
    }
  });
});
