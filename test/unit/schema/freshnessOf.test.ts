import { describe, expect, it } from 'vitest';
import type { Context } from '../../../src/context.js';
import type { SourceModel, UsageReportModel } from '../../../src/models.js';
import { freshnessOf } from '../../../src/schema/freshnessOf.js';

const G8: SourceModel = { id: 'g8', provider: 'OPENVCLOUD', name: 'G8' };
const KB: SourceModel = { id: 'kb', provider: 'KILLBILL', name: 'Kill Bill' };
const HS: SourceModel = { id: 'hs', provider: 'HYPERSTACK', name: 'Hyperstack' };

const reportOver = (sources: readonly SourceModel[]): UsageReportModel => ({
  points: [],
  sources,
  totals: [],
  complete: true,
  errors: [],
});

/** What freshnessOf reads of a request: the buckets counted per source, and when each was last synced. */
const ctxWith = (freshness: Record<string, { fromLedger: number; live: number }>, synced: Record<string, string>) =>
  ({
    freshness: new Map(Object.entries(freshness)),
    lastSynced: async (id: string) => synced[id] ?? null,
  }) as unknown as Context;

describe('freshnessOf', () => {
  it("answers one entry per source of the report, in the report's order, with its counts and last sync", async () => {
    const ctx = ctxWith(
      { g8: { fromLedger: 3, live: 2 }, hs: { fromLedger: 0, live: 5 } },
      { g8: '2026-11-20T04:00:00Z' },
    );
    expect(await freshnessOf(reportOver([KB, G8, HS]), {}, ctx)).toEqual([
      { source: KB, lastSyncedAt: null, bucketsFromLedger: 0, bucketsLive: 0 },
      { source: G8, lastSyncedAt: '2026-11-20T04:00:00Z', bucketsFromLedger: 3, bucketsLive: 2 },
      { source: HS, lastSyncedAt: null, bucketsFromLedger: 0, bucketsLive: 5 },
    ]);
  });

  it('answers nothing for a report over no source, and ignores counts of sources outside it', async () => {
    const ctx = ctxWith({ g8: { fromLedger: 1, live: 1 } }, {});
    expect(await freshnessOf(reportOver([]), {}, ctx)).toEqual([]);
  });
});
