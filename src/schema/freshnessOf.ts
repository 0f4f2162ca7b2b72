import type { Context } from '../context.js';
import type { SourceFreshnessModel, UsageReportModel } from '../models.js';

/**
 * UsageReport.freshness: per source in the report's scope, the buckets its answer took from the
 * ledger and from the upstream (counted by the request's ledger-backed APIs), and when the ledger
 * last synced it. Read when the report is resolved, so the counts are the whole report's.
 */
export async function freshnessOf(
  report: UsageReportModel,
  _args: unknown,
  ctx: Context,
): Promise<SourceFreshnessModel[]> {
  return Promise.all(
    report.sources.map(async (source) => {
      const counts = ctx.freshness.get(source.id);
      return {
        source,
        lastSyncedAt: await ctx.lastSynced(source.id),
        bucketsFromLedger: counts?.fromLedger ?? 0,
        bucketsLive: counts?.live ?? 0,
      };
    }),
  );
}
