import { describe, expect, it } from 'vitest';
import { ErrorCode, GatewayError } from '../../../src/errors.js';
import { notSyncedOr } from '../../../src/schema/notSynced.js';
import type { BucketedWindow } from '../../../src/providers/types.js';

const DAY = 86_400_000;
const start = Date.parse('2026-10-08T00:00:00Z');
const rest = {
  window: { start: '2026-10-08T00:00:00Z', startMs: start },
  granularity: 'DAY',
  buckets: [0, 1].map((i) => ({
    start: new Date(start + i * DAY).toISOString().replace('.000', ''),
    end: new Date(start + (i + 1) * DAY).toISOString().replace('.000', ''),
    startMs: start + i * DAY,
    endMs: start + (i + 1) * DAY,
  })),
} as unknown as BucketedWindow;

describe('notSyncedOr', () => {
  it('turns the call ceiling into what the ledger lacks, from when to when, and the command that syncs it', () => {
    const ceiling = new GatewayError(
      'The request reached its limit of 2000 upstream calls.',
      ErrorCode.QUERY_TOO_COMPLEX,
    );
    const error = notSyncedOr(ceiling, 'g8', rest, 2000) as GatewayError;
    expect(error.code).toBe('LEDGER_NOT_SYNCED');
    expect(error.message).toContain('2026-10-08T00:00:00Z → 2026-10-10T00:00:00Z of source "g8"');
    expect(error.message).toContain('limit of 2000 upstream calls');
    expect(error.message).toContain('billgraph sync --source g8 --since 2026-10-08');
    expect(error.extensions).toMatchObject({
      notSyncedFrom: '2026-10-08T00:00:00Z',
      notSyncedUntil: '2026-10-10T00:00:00Z',
    });
  });

  it('returns any other failure as it is', () => {
    const down = new GatewayError('OpenvCloud source "g8" failed (HTTP 503).', ErrorCode.UPSTREAM_UNAVAILABLE);
    expect(notSyncedOr(down, 'g8', rest, 2000)).toBe(down);
    const plain = new Error('boom');
    expect(notSyncedOr(plain, 'g8', rest, 2000)).toBe(plain);
  });
});
